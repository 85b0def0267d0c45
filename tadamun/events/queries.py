"""Public reading functions other apps call (the home and campaign pages)."""

from django.utils import timezone

from tadamun.coalition.models import part_of
from tadamun.events.models import DayOfAction, Event


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


def other_dates(event):
    """The other public dates of the event's series, soonest first (none for a single event)."""
    if event.series_id is None:
        return Event.objects.none()
    return (
        Event.objects.visible()
        .filter(series_id=event.series_id)
        .exclude(pk=event.pk)
        .only("pk", "starts_at", "ends_at", "time_zone", "status", "title")
        .order_by("starts_at")
    )


def public_by(organisation):
    """The organisation's events the public may find (approved, not over yet), soonest
    first, for its page."""
    return (
        Event.objects.public()
        .filter(organisation=organisation, ends_at__gte=timezone.now())
        .select_related("place")
        .order_by("starts_at")
    )
