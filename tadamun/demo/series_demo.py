"""A member organisation's own event series (issue 19): an information stall in turns, on
dates its organisers chose (not every week), each date split into two time slots with their
own places, a custom question on its RSVP form (content/question-table-*.md), and people who
answered in several languages, each in the slot they chose."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from tadamun.demo.content import read, translations
from tadamun.events import organisers, rsvps, services
from tadamun.events.models import Event
from tadamun.questions.models import Question, QuestionTranslation

TITLE = "Stand d'information au marché de la Croix-Rousse"
DESCRIPTION = (
    "Venez tenir le stand avec nous, une heure ou deux : la déclaration est imprimée en "
    "français, en arabe et en turc. Choisissez votre créneau."
)
ZONE = ZoneInfo("Europe/Paris")
SLOTS = [(time(10), time(12), 4), (time(12), time(14), 4)]  # start, end, places
# Days after the day of action: one the next week, one three weeks later (not every week).
OTHER_DATES = [7, 21]
# People who answered, each in their language, in the first slot, the second, or both.
ATTENDEES = [
    ("Amal", "ar", (0,), "yes"),
    ("Lucie", "fr", (1,), "no"),
    ("Deniz", "tr", (0, 1), "yes"),
    ("Jonas", "de", (1,), ""),
]
QUESTION = "question-table"


def load(day, organisation, other_languages) -> Event | None:
    """Once: the series is made the first time only (its title is its key)."""
    if Event.objects.filter(title=TITLE, organisation=organisation).exists():
        return None
    start = datetime.combine(day.starts_on, time(10), tzinfo=ZONE)
    first = services.propose(
        day,
        services.EventProposal(
            title=TITLE,
            kind="stall",
            description=DESCRIPTION,
            starts_at=start,
            ends_at=start + timedelta(hours=4),
            time_zone="Europe/Paris",
            city="Lyon",
            country="FR",
            organiser_name="Organiser",
            organiser_email="stall-organiser@example.org",
            venue_name="Boulevard de la Croix-Rousse",
            address_public=True,
            language="fr",
        ),
    )
    Event.objects.filter(pk=first.pk).update(organisation=organisation)
    for begins, ends, places in SLOTS:
        organisers.add_shift(
            first,
            datetime.combine(day.starts_on, begins, tzinfo=ZONE),
            datetime.combine(day.starts_on, ends, tzinfo=ZONE),
            places,
        )
    services.confirm(first)
    services.repeat(first, [day.starts_on + timedelta(days=days) for days in OTHER_DATES])
    services.moderate(Event.objects.filter(pk=first.pk), approve=True)
    question = _question(first, other_languages)
    slots = list(first.shifts.order_by("starts_at"))
    for number, (name, language, chosen, table) in enumerate(ATTENDEES):
        answer = rsvps.answer(
            first,
            rsvps.RsvpRequest(
                name=name,
                email=f"stall{number}@example.org",
                language=language,
                hears_from_owner=number % 2 == 0,
                answers={str(question.pk): table} if table else {},
                shifts=tuple(slots[i].pk for i in chosen),
            ),
        )
        rsvps.confirm(answer)
    return first


def _question(event, other_languages) -> Question:
    source = read(QUESTION, "en")
    question = Question.objects.create(
        event=event,
        key=source["key"],
        kind=source["kind"],
        title=source["title"],
        summary=source["summary"],
        language="en",
    )
    for language, text in translations(QUESTION, other_languages).items():
        QuestionTranslation.objects.create(
            question=question, language=language, title=text["title"], summary=text["summary"]
        )
    return question
