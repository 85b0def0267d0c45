"""An event's time slots in the OSDI API. OSDI has no time slots (its `ticket_options` are
priced tickets), so they are an extension, as Action Network adds its own fields:
- an event's `tadamun:shifts`: each slot's identifier, start and end, `capacity` (absent when
  it has no limit) and `total_accepted` (people with a place in it), as OSDI names those of
  an event;
- an attendance's `tadamun:shifts`: the slots its person chose, each with their status in it
  (`accepted` with a place, `waiting` on its waiting list).
Both read prefetched rows: a page of events or attendances costs the same queries whatever
the number of slots."""

from django.db.models import Count, Prefetch, Q

from tadamun.events.models import Rsvp, Shift, ShiftAnswer

GOING = Rsvp.Status.GOING


def _times(shift: Shift) -> dict:
    return {
        "identifiers": [f"tadamun:shift:{shift.pk}"],
        "start_date": shift.starts_at.isoformat(),
        "end_date": shift.ends_at.isoformat(),
    }


def with_places() -> Prefetch:
    """For a queryset of events: their slots, each with how many people have a place."""
    counted = Shift.objects.annotate(going=Count("answers", filter=Q(answers__status=GOING)))
    return Prefetch("shifts", counted.order_by("starts_at", "pk"))


def of_event(event) -> list[dict]:
    return [
        {**_times(shift), "capacity": shift.capacity, "total_accepted": shift.going}
        for shift in event.shifts.all()
    ]


def chosen() -> Prefetch:
    """For a queryset of answers (RSVPs): the slots chosen and not cancelled."""
    live = ShiftAnswer.objects.exclude(status=Rsvp.Status.CANCELLED).select_related("shift")
    return Prefetch("shift_answers", live)


def of_attendance(rsvp) -> list[dict]:
    return [
        {**_times(answer.shift), "status": "accepted" if answer.status == GOING else answer.status}
        for answer in rsvp.shift_answers.all()
    ]
