"""Time slots (shifts) of an event: places left per slot, counted in one query, and who gets
a place in which slot. rsvps.py calls these under the event's row lock, so two people can
never both take a slot's last place."""

from django.db.models import Count, Q

from tadamun.core.prepared import PreparedRead
from tadamun.events.models import Event, Rsvp, Shift, ShiftAnswer

GOING = Rsvp.Status.GOING
WAITING = Rsvp.Status.WAITING


# Its SQL built once per process (core/prepared.py): the event page reads it each time.
_with_going = PreparedRead(
    lambda event: Shift.objects.filter(event_id=event).annotate(
        going=Count("answers", filter=Q(answers__status=GOING))
    ),
    int,
)


def with_places(event: Event):
    """The event's slots, each with `going` (people with a place) and `places_left` (None
    when the slot has no limit): one query whatever the number of slots."""
    shifts = _with_going(event.pk)
    for shift in shifts:
        shift.event = event  # for local times, without a query per slot
        shift.places_left = None if shift.capacity is None else max(shift.capacity - shift.going, 0)
    return shifts


def choose(rsvp: Rsvp, shift_ids) -> None:
    """Record the slots chosen in a pending answer, replacing any chosen before."""
    ShiftAnswer.objects.filter(rsvp=rsvp).delete()
    ShiftAnswer.objects.bulk_create(
        [ShiftAnswer(rsvp=rsvp, shift_id=shift_id) for shift_id in sorted(set(shift_ids))]
    )


def confirm(rsvp: Rsvp) -> str:
    """Give the person a place in each slot they chose that has one, the waiting list in the
    others; returns the answer's status: going if they have a place in any slot."""
    places = {shift.pk: shift.places_left for shift in with_places(rsvp.event)}
    answers = list(rsvp.shift_answers.filter(status=Rsvp.Status.UNCONFIRMED))
    for answer in answers:
        left = places.get(answer.shift_id)
        answer.status = GOING if left is None or left > 0 else WAITING
    ShiftAnswer.objects.bulk_update(answers, ["status"])
    return GOING if any(answer.status == GOING for answer in answers) else WAITING


def cancel(rsvp: Rsvp) -> None:
    """Cancel every slot of an answer (its places go to the slots' waiting lists)."""
    rsvp.shift_answers.exclude(status=Rsvp.Status.CANCELLED).update(status=Rsvp.Status.CANCELLED)


def fill_free_places(event: Event) -> list[int]:
    """Give each slot's free places to its waiting list, first come first served; returns
    the answers (RSVP ids) that got a place they did not have, in any slot."""
    promoted = []
    for shift in with_places(event):
        waiting = (
            ShiftAnswer.objects.select_for_update()
            .filter(shift=shift, status=WAITING)
            .select_related("rsvp")
            .order_by("rsvp__confirmed_at", "pk")
        )
        if shift.places_left is not None:
            waiting = waiting[: shift.places_left]
        for answer in waiting:
            answer.status = GOING
            answer.save(update_fields=["status"])
            promoted.append(answer.rsvp_id)
    Rsvp.objects.filter(pk__in=promoted).update(status=GOING)
    return sorted(set(promoted))


def chosen(rsvp: Rsvp):
    """The slots of an answer that are not cancelled, with their status, for mails, pages and
    exports."""
    return [answer for answer in rsvp.shift_answers.all() if answer.status != Rsvp.Status.CANCELLED]


def describe(rsvp: Rsvp) -> str:
    """The slots of an answer in one line, in the venue's time: "18:00–20:00 (Going)"."""
    return "; ".join(f"{answer.shift} ({answer.get_status_display()})" for answer in chosen(rsvp))
