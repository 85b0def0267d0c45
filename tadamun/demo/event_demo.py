"""The demo day of action: four weeks from the first load, with local events in several
countries and time zones, in every state of moderation."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from tadamun.demo.content import read, translations
from tadamun.events import rsvps, services
from tadamun.events.models import DayOfAction, DayOfActionTranslation, Event
from tadamun.places import services as places

DAY_SLUG = "global-day-of-solidarity"

# (title, kind, city, country, zone, hour, address public, state)
EVENTS = [
    (
        "Vigil for Idlib at the cathedral square",
        "vigil",
        "Cologne",
        "DE",
        "Europe/Berlin",
        18,
        True,
        "approved",
    ),
    ("Rassemblement place Bellecour", "rally", "Lyon", "FR", "Europe/Paris", 15, True, "approved"),
    (
        "Information stall at the market",
        "stall",
        "Malmö",
        "SE",
        "Europe/Stockholm",
        11,
        True,
        "approved",
    ),
    (
        "Public meeting: Syrian voices",
        "meeting",
        "Istanbul",
        "TR",
        "Europe/Istanbul",
        19,
        False,
        "approved",
    ),
    ("Concentración por Idlib", "rally", "Madrid", "ES", "Europe/Madrid", 19, True, "approved"),
    ("Vigil at the town hall", "vigil", "Toronto", "CA", "America/Toronto", 17, True, "approved"),
    (
        "Online meeting with aid workers",
        "online",
        "Beirut",
        "LB",
        "Asia/Beirut",
        20,
        True,
        "approved",
    ),
    # Typed in Arabic by a Syrian organiser: the gazetteer places it in Gaziantep.
    ("وقفة تضامن مع إدلب", "vigil", "غازي عنتاب", "TR", "Europe/Istanbul", 18, False, "approved"),
    ("Candle vigil", "vigil", "Leiden", "NL", "Europe/Amsterdam", 20, True, "pending"),
    ("Solidarity picnic", "other", "Turin", "IT", "Europe/Rome", 13, True, "unconfirmed"),
]


def load(campaign, other_languages) -> DayOfAction:
    # `make demo` loads the whole gazetteer first; a test database gets the demo's countries.
    places.ensure_loaded(15000, countries={row[3] for row in EVENTS})
    first_day = timezone.localdate() + timedelta(days=28)
    day, created = DayOfAction.objects.get_or_create(
        slug=DAY_SLUG,
        defaults={
            **read("day", "en"),
            "campaign": campaign,
            "language": "en",
            "starts_on": first_day,
            "ends_on": first_day,
            "status": DayOfAction.Status.PUBLISHED,
        },
    )
    for language, text in translations("day", other_languages).items():
        DayOfActionTranslation.objects.get_or_create(day=day, language=language, defaults=text)
    if created:
        for number, row in enumerate(EVENTS, 1):
            _event(day, number, *row)
    return day


def _event(day, number, title, kind, city, country, zone, hour, address_public, state):
    start = datetime.combine(day.starts_on, time(hour)).replace(tzinfo=ZoneInfo(zone))
    event = services.propose(
        day,
        services.EventProposal(
            title=title,
            kind=kind,
            description="Bring a candle and the statement.",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            time_zone=zone,
            city=city,
            country=country,
            organiser_name=f"Organiser {number}",
            organiser_email=f"organiser{number}@example.org",
            venue_name="" if kind == "online" else "Town centre",
            on_behalf_of="Local solidarity committee" if number % 2 else "",
            address="" if kind == "online" else f"{number} Main Street",
            address_public=address_public,
            online_url="https://meet.example.org/idlib" if kind == "online" else "",
            capacity=40 if kind == "meeting" else None,
        ),
    )
    if state != "unconfirmed":
        services.confirm(event)
    if state == "approved":
        services.moderate(Event.objects.filter(pk=event.pk), approve=True)
        for attendee in range(number % 4):
            answer = rsvps.answer(
                event,
                rsvps.RsvpRequest(name="Demo attendee", email=f"a{number}-{attendee}@example.org"),
            )
            rsvps.confirm(answer)
