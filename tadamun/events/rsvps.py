"""Every write to RSVPs: answering, confirming, cancelling, and the reminders.

Places are counted under a lock on the event's row, so two people confirming at the same
moment can never both take the last place.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tadamun.core import outbox, signals
from tadamun.core.intake import sealed_when_locked
from tadamun.core.records import create_or_replace_pending
from tadamun.core.signals import send_on_commit
from tadamun.core.tasks import enqueue_on_commit
from tadamun.events import outbox as events_outbox
from tadamun.events import shifts
from tadamun.events.models import Event, Rsvp, ShiftAnswer
from tadamun.events.tasks import send_rsvp_mail
from tadamun.questions import services as questions
from tadamun.supporters import consents
from tadamun.supporters import services as supporters
from tadamun.supporters.models import Consent

REMINDER_AHEAD = timedelta(hours=24)


@dataclass(frozen=True)
class RsvpRequest:
    name: str
    email: str
    wants_updates: bool = False
    hears_from_owner: bool = False  # on a member organisation's event (consents.OWNER)
    language: str = settings.LANGUAGE_CODE
    answers: dict[str, str] = field(default_factory=dict)  # to the custom questions, by id
    shifts: tuple[int, ...] = ()  # the time slots chosen, when the event has slots


@sealed_when_locked(
    email=lambda event, request: request.email,
    still_open=lambda event, request: event.takes_rsvps(),
)
def answer(event: Event, request: RsvpRequest) -> Rsvp:
    """Record that someone wants to come and email them a confirmation link.

    Answering again before confirming replaces the pending answer and sends a new link;
    once confirmed (going or waiting) it changes nothing.
    """
    submitted = {
        "name": request.name,
        "wants_updates": request.wants_updates,
        "hears_from_owner": request.hears_from_owner and event.organisation_id is not None,
        "language": request.language,
    }
    with transaction.atomic():
        supporter = supporters.find_or_create_supporter(request.email, language=request.language)
        rsvp = create_or_replace_pending(
            Rsvp,
            {"event": event, "supporter": supporter},
            {**submitted, "status": Rsvp.Status.UNCONFIRMED},
            is_pending=lambda rsvp: rsvp.status in (Rsvp.Status.UNCONFIRMED, Rsvp.Status.CANCELLED),
        )
        if rsvp.status == Rsvp.Status.UNCONFIRMED:
            questions.record(rsvp, request.answers)
            shifts.choose(rsvp, request.shifts)
            outbox.put(events_outbox.RSVP, rsvp.pk, lane=events_outbox.lane(event.pk))
    return rsvp


def confirm(rsvp: Rsvp) -> Rsvp:
    """The person confirmed: going if a place is free, else on the waiting list."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=rsvp.event_id)
        rsvp = Rsvp.objects.select_for_update().get(pk=rsvp.pk)
        if rsvp.status != Rsvp.Status.UNCONFIRMED or not event.takes_rsvps():
            return rsvp
        if rsvp.shift_answers.exists():
            rsvp.status = shifts.confirm(rsvp)
        else:
            places = event.places_left()
            going = places is None or places > 0
            rsvp.status = Rsvp.Status.GOING if going else Rsvp.Status.WAITING
        rsvp.confirmed_at = timezone.now()
        rsvp.save(update_fields=["status", "confirmed_at"])
        _apply_confirmed_answer(rsvp)
        enqueue_on_commit(send_rsvp_mail, rsvp.pk, rsvp.status)
        send_on_commit(signals.attendance_confirmed, rsvp=rsvp)
    return rsvp


def _apply_confirmed_answer(rsvp: Rsvp) -> None:
    supporter = rsvp.supporter
    if rsvp.name and not supporter.name:
        supporter.name = rsvp.name
        supporter.save(update_fields=["name", "email_hash", "updated_at"])
    if rsvp.wants_updates:
        supporters.give_consent(supporter, Consent.Purpose.UPDATES, source=f"event:{rsvp.event_id}")
    if rsvp.hears_from_owner and rsvp.event.organisation_id:
        supporters.give_consent(
            supporter,
            Consent.Purpose.PARTNER,
            organisation=rsvp.event.organisation,
            source=f"event:{rsvp.event_id}",
            wording=consents.OWNER,
        )


def cancel(rsvp: Rsvp) -> Rsvp:
    """Cancel an answer; a place freed goes to the first person on the waiting list."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=rsvp.event_id)
        rsvp = Rsvp.objects.select_for_update().get(pk=rsvp.pk)
        if rsvp.status == Rsvp.Status.CANCELLED:
            return rsvp
        was_going = rsvp.status == Rsvp.Status.GOING
        rsvp.status = Rsvp.Status.CANCELLED
        rsvp.save(update_fields=["status"])
        shifts.cancel(rsvp)
        if was_going and event.takes_rsvps():
            fill_free_places(event)
    return rsvp


def fill_free_places(event: Event) -> None:
    """Give free places to the waiting list, first come first served, and tell each person.
    Call it inside a transaction that holds the event's row lock."""
    if event.shifts.exists():
        for rsvp_id in shifts.fill_free_places(event):
            enqueue_on_commit(send_rsvp_mail, rsvp_id, "promoted")
        return
    waiting = Rsvp.objects.select_for_update().filter(event=event, status=Rsvp.Status.WAITING)
    places = event.places_left()
    for next_in_line in waiting.order_by("confirmed_at", "pk")[:places]:
        next_in_line.status = Rsvp.Status.GOING
        next_in_line.save(update_fields=["status"])
        enqueue_on_commit(send_rsvp_mail, next_in_line.pk, "promoted")


def due_reminders():
    """Confirmed attendees of approved events starting within the next day, not yet reminded
    (for an event with time slots, the reminder goes before each slot: due_shift_reminders)."""
    now = timezone.now()
    return Rsvp.objects.filter(
        status=Rsvp.Status.GOING,
        reminded_at__isnull=True,
        event__status=Event.Status.APPROVED,
        event__starts_at__gt=now,
        event__starts_at__lte=now + REMINDER_AHEAD,
    ).exclude(event__shifts__isnull=False)


def due_shift_reminders():
    """The places in time slots starting within the next day, not yet reminded: each person
    hears before each slot they have a place in."""
    now = timezone.now()
    return ShiftAnswer.objects.filter(
        status=Rsvp.Status.GOING,
        reminded_at__isnull=True,
        rsvp__supporter__isnull=False,
        shift__event__status=Event.Status.APPROVED,
        shift__starts_at__gt=now,
        shift__starts_at__lte=now + REMINDER_AHEAD,
    )


def claim_shift_reminder(answer_id: int) -> bool:
    """Like claim_reminder, for one place in one time slot."""
    return bool(
        ShiftAnswer.objects.filter(pk=answer_id, reminded_at__isnull=True).update(
            reminded_at=timezone.now()
        )
    )


def claim_reminder(rsvp_id: int) -> bool:
    """Mark one reminder as sent; True for exactly one caller, however many workers run."""
    return bool(
        Rsvp.objects.filter(pk=rsvp_id, reminded_at__isnull=True).update(reminded_at=timezone.now())
    )
