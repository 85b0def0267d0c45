"""The demo day of action: four weeks from the first load, with local events in several
countries and time zones, in every state of moderation."""

from datetime import datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.utils import timezone

from tadamun.demo.content import read, translations
from tadamun.events import rsvps, services
from tadamun.events.models import DayOfAction, DayOfActionTranslation, Event
from tadamun.places import services as places

DAY_SLUG = "global-day-of-solidarity"


class DemoEvent(NamedTuple):
    """A local event as its organisers would propose it: in their own language (one of the
    site's), with their venue and, for some, the group they organise for."""

    language: str
    title: str
    description: str
    venue: str
    on_behalf_of: str
    kind: str
    city: str
    country: str
    zone: str
    hour: int
    address_public: bool
    state: str


EVENTS = [
    DemoEvent(
        "de",
        "Mahnwache für Idlib an der Domplatte",
        "Bringt eine Kerze und die Erklärung mit. Wir lesen sie auf Deutsch und auf Arabisch.",
        "Roncalliplatz",
        "Ärztinnen für Nordsyrien",
        "vigil",
        "Cologne",
        "DE",
        "Europe/Berlin",
        18,
        True,
        "approved",
    ),
    DemoEvent(
        "fr",
        "Rassemblement place Bellecour",
        "Venez avec une bougie et la déclaration. Prises de parole à 15 h 30.",
        "Place Bellecour",
        "Comité Lyon–Idlib",
        "rally",
        "Lyon",
        "FR",
        "Europe/Paris",
        15,
        True,
        "approved",
    ),
    DemoEvent(
        "en",
        "Information stall at the market",
        "Come and talk to us: we have the statement in Swedish, Arabic and English.",
        "Möllevångstorget",
        "Malmö Welcome Circle",
        "stall",
        "Malmö",
        "SE",
        "Europe/Stockholm",
        11,
        True,
        "approved",
    ),
    DemoEvent(
        "tr",
        "Halka açık toplantı: Suriyeli sesler",
        "Suriyeli konuşmacılarla bir akşam. Yer sınırlı: lütfen katılacağınızı bildirin.",
        "Mahalle kültür evi",
        "",
        "meeting",
        "Istanbul",
        "TR",
        "Europe/Istanbul",
        19,
        False,
        "approved",
    ),
    DemoEvent(
        "es",
        "Concentración por Idlib",
        "Trae una vela y la declaración. Leeremos los nombres de las ciudades de Idlib.",
        "Puerta del Sol",
        "Sindicato de Sanidad Solidaria",
        "rally",
        "Madrid",
        "ES",
        "Europe/Madrid",
        19,
        True,
        "approved",
    ),
    DemoEvent(
        "en",
        "Vigil at the city hall",
        "Bring a candle and the statement.",
        "Nathan Phillips Square",
        "",
        "vigil",
        "Toronto",
        "CA",
        "America/Toronto",
        17,
        True,
        "approved",
    ),
    DemoEvent(
        "ar",
        "لقاء عبر الإنترنت مع عاملين في الإغاثة",
        "عاملون في الإغاثة في إدلب يحدّثوننا عن الشتاء في المخيمات.",
        "",
        "جمعية الأمل",
        "online",
        "Beirut",
        "LB",
        "Asia/Beirut",
        20,
        True,
        "approved",
    ),
    # Typed in Arabic by a Syrian organiser: the gazetteer places it in Gaziantep.
    DemoEvent(
        "ar",
        "وقفة تضامن مع إدلب",
        "أحضروا شمعة ونسخة من البيان.",
        "ساحة البلدية",
        "",
        "vigil",
        "غازي عنتاب",
        "TR",
        "Europe/Istanbul",
        18,
        False,
        "approved",
    ),
    DemoEvent(
        "en",
        "Candle vigil",
        "Students and neighbours: bring a candle.",
        "Pieterskerkhof",
        "Student Action for Refugees Leiden",
        "vigil",
        "Leiden",
        "NL",
        "Europe/Amsterdam",
        20,
        True,
        "pending",
    ),
    DemoEvent(
        "en",
        "Solidarity picnic",
        "Bring something to share.",
        "Parco del Valentino",
        "",
        "other",
        "Turin",
        "IT",
        "Europe/Rome",
        13,
        True,
        "unconfirmed",
    ),
]


def load(campaign, other_languages) -> DayOfAction:
    # `make demo` loads the whole gazetteer first; a test database gets the demo's countries.
    places.ensure_loaded(15000, countries={event.country for event in EVENTS})
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
        for number, event in enumerate(EVENTS, 1):
            _event(day, number, event)
    return day


def _event(day, number: int, event: DemoEvent):
    start = datetime.combine(day.starts_on, time(event.hour)).replace(tzinfo=ZoneInfo(event.zone))
    online = event.kind == "online"
    proposed = services.propose(
        day,
        services.EventProposal(
            title=event.title,
            kind=event.kind,
            description=event.description,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            time_zone=event.zone,
            city=event.city,
            country=event.country,
            organiser_name=f"Organiser {number}",
            organiser_email=f"organiser{number}@example.org",
            venue_name=event.venue,
            on_behalf_of=event.on_behalf_of,
            address="" if online else f"{number} Main Street",
            address_public=event.address_public,
            online_url="https://meet.example.org/idlib" if online else "",
            capacity=40 if event.kind == "meeting" else None,
            language=event.language,
        ),
    )
    if event.state != "unconfirmed":
        services.confirm(proposed)
    if event.state == "approved":
        services.moderate(Event.objects.filter(pk=proposed.pk), approve=True)
        for attendee in range(number % 4):
            answer = rsvps.answer(
                proposed,
                rsvps.RsvpRequest(name="Demo attendee", email=f"a{number}-{attendee}@example.org"),
            )
            rsvps.confirm(answer)
