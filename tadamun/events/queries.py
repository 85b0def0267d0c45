"""Public reading functions other apps call (the home and campaign pages)."""

from django.utils import timezone

from tadamun.coalition.models import part_of
from tadamun.core.models import read_for_reader
from tadamun.core.prepared import PreparedRead
from tadamun.events.models import DayOfAction, Event
from tadamun.questions.queries import read_asked


def public_days():
    """Public days of action with their campaign, soonest first (also where a count is
    annotated: Meta.ordering does not apply to GROUP BY queries); pages add `.for_reader()`,
    the API every translation."""
    return DayOfAction.objects.public().select_related("campaign").order_by("starts_on", "pk")


def upcoming_days(campaign):
    """The campaign's days of action that have not ended yet, soonest first."""
    return (
        public_days()
        .filter(part_of(DayOfAction, campaign), ends_on__gte=timezone.localdate())
        .for_reader()
        .order_by("starts_on")
    )


_other_dates = PreparedRead(
    lambda series, event: (
        Event.objects.visible()
        .filter(series_id=series)
        .exclude(pk=event)
        .only("pk", "starts_at", "ends_at", "time_zone", "status", "title")
        .order_by("starts_at")
    ),
    int,
    int,
)


def other_dates(event) -> list:
    """The other public dates of the event's series, soonest first (none for a single event)."""
    return [] if event.series_id is None else _other_dates(event.series_id, event.pk)


_visible_by_pk = PreparedRead(
    lambda pk: Event.objects.visible().select_related("day", "organisation", "place").filter(pk=pk),
    int,
)


def visible_event(pk: int, language: str) -> Event | None:
    """The event at `pk` if the public may read it, with its day (and the day's translation
    for the reader), owner, city and custom questions for a reader of `language`, or None.
    Its SQL is built once per process."""
    if not (found := _visible_by_pk(pk)):
        return None
    read_for_reader(found[0].day, language)  # its title is in the page's header
    read_asked(found[0], language)
    return found[0]


def public_by(organisation):
    """The organisation's events the public may find (approved, not over yet), soonest
    first, for its page."""
    return (
        Event.objects.public()
        .filter(organisation=organisation, ends_at__gte=timezone.now())
        .select_related("place")
        .order_by("starts_at")
    )
