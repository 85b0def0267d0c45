"""An event's time slots in the OSDI API. OSDI has no time slots (its `ticket_options` are
priced tickets), so they are an extension, as Action Network adds its own fields:
- an event's `tadamun:shifts`: each slot's identifier, start and end, `capacity` (absent when
  it has no limit) and `total_accepted` (people with a place in it), as OSDI names those of
  an event;
- an attendance's `tadamun:shifts`: the slots its person chose, each with their status in it
  (`accepted` with a place, `waiting` on its waiting list).
Both read prefetched rows: a page of events or attendances costs the same queries whatever
the number of slots. A partner records an attendance on an event with slots by naming the
person's slots (`Choosing`, `taken_from`); a full one puts them on its waiting list, as the
event's page does."""

import re
from typing import Annotated

from django.db.models import Count, Prefetch, Q
from ninja import Field, Schema
from ninja.errors import HttpError
from pydantic import StringConstraints

from tadamun.events import shifts as places
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


# How a request names the slots a person chose: each by the identifier the event shows under
# its `tadamun:shifts` ("tadamun:shift:12") or by its number alone.
KEY = "tadamun:shifts"
PREFIX = "tadamun:shift:"
SLOT = re.compile(rf"(?:{PREFIX})?[0-9]{{1,12}}")
SlotName = Annotated[str, StringConstraints(pattern=rf"^{SLOT.pattern}$")]


class Choosing(Schema):
    """The time slots a person chose, on an event that has some: `tadamun:shifts`, a list of
    the identifiers the event shows under its own `tadamun:shifts`; or, from a client that
    sends only custom fields, a custom field `tadamun:shifts` naming them, separated by
    commas or spaces ("tadamun:shift:12, tadamun:shift:14")."""

    shifts: list[SlotName | int] = Field(default_factory=list, alias=KEY, max_length=50)


def _listed(slots) -> str:
    return "; ".join(
        f"{PREFIX}{slot.pk} at {slot.starts_at.isoformat()}"
        + (" (full: a waiting list)" if slot.places_left == 0 else "")
        for slot in slots
    )


def _named(payload) -> list[str]:
    """The slots the request names, in its `tadamun:shifts` and in its custom field of that
    name (taken out of the person's custom fields: it names the attendance's slots, nothing
    about the person)."""
    in_person = payload.person.custom_fields.pop(KEY, "")
    field = payload.custom_fields.get(KEY, in_person)
    in_field = [name for name in re.split(r"[\s,]+", field) if name]
    if any(not SLOT.fullmatch(name) for name in in_field):
        raise HttpError(422, f"Name time slots in {KEY} by their identifiers ({PREFIX}12).")
    return [str(name) for name in payload.shifts] + in_field


def taken_from(payload, event) -> tuple[int, ...]:
    """The event's slots the person chose, as the event's page would take them; or a 422
    naming the event's slots (identifiers, start times) when none is named on an event that
    has slots, or one named is not among them."""
    named = {int(name.removeprefix(PREFIX)) for name in _named(payload)}
    slots = list(places.with_places(event))
    if not slots:
        if named:
            raise HttpError(422, "This event has no time slots.")
        return ()
    if not named:
        raise HttpError(
            422,
            f"This event has time slots: name those the person chose in {KEY}. "
            f"Its slots: {_listed(slots)}.",
        )
    unknown = named - {slot.pk for slot in slots}
    if unknown:
        raise HttpError(
            422,
            f"{PREFIX}{min(unknown)} is not a time slot of this event. "
            f"Its slots: {_listed(slots)}.",
        )
    return tuple(sorted(named))
