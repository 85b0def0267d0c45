"""Background work for events: emails to organisers. Tasks take ids."""

from datetime import datetime
from functools import partial

from django.utils import translation
from django_tasks import task

from tadamun.core.mail import send_templated_mail
from tadamun.core.outbox import Mail, link_path, render
from tadamun.core.tasks import retry_mail_on_failure
from tadamun.events import shifts
from tadamun.events.links import CANCEL_RSVP, CONFIRM_EVENT, CONFIRM_RSVP, MANAGE_EVENT
from tadamun.events.models import Event


def _event(event_id: int, *statuses):
    return (
        Event.objects.select_related("day", "organiser")
        .filter(pk=event_id, status__in=statuses, organiser__isnull=False)
        .first()
    )


def event_confirmation(event_id: int) -> Mail | None:
    """The organiser's link to confirm their address (sent by core.outbox)."""
    if (event := _event(event_id, Event.Status.UNCONFIRMED)) is None:
        return None
    return Mail(
        "events/email/confirm",
        to=event.organiser.email,
        language=event.language,
        context={"event": event},
        paths=link_path(CONFIRM_EVENT, event),
    )


def _organiser_paths(event: Event) -> dict:
    with translation.override(event.language):
        return {"path": event.get_absolute_url(), "manage_path": MANAGE_EVENT.path(event)}


@task()
def send_moderation_result(event_id: int, attempt: int = 0) -> None:
    if (event := _event(event_id, Event.Status.APPROVED, Event.Status.REJECTED)) is None:
        return
    name = "approved" if event.status == Event.Status.APPROVED else "rejected"
    with retry_mail_on_failure(send_moderation_result, event_id, attempt=attempt):
        send_templated_mail(
            f"events/email/{name}",
            {"event": event, **_organiser_paths(event)},
            to=event.organiser.email,
            language=event.language,
        )


def manage_link(event_id: int) -> Mail | None:
    """The organiser's link to edit, cancel and write to the attendees of their event (sent
    by core.outbox)."""
    statuses = (Event.Status.PENDING, Event.Status.APPROVED, Event.Status.REJECTED)
    if (event := _event(event_id, *statuses)) is None:
        return None
    return Mail(
        "events/email/manage",
        to=event.organiser.email,
        language=event.language,
        context={"event": event},
        paths=partial(_organiser_paths, event),
    )


RSVP_MAILS = {
    "confirm", "going", "waiting", "promoted", "reminder", "changed", "event_cancelled",
    "event_unpublished",
}  # fmt: skip
# Mail the attendee did not just ask for: none goes to an address that bounced for good or
# whose owner marked our mail as spam (the answers to a form they just sent still do).
UNASKED_RSVP_MAILS = {"promoted", "reminder", "changed", "event_cancelled", "event_unpublished"}


def _suppressed(supporter) -> bool:
    from tadamun.mailings.models import Suppression

    return Suppression.covers(supporter)


def _rsvp_paths(rsvp) -> dict:
    return {
        "event_path": rsvp.event.get_absolute_url(),
        "confirm_path": CONFIRM_RSVP.path(rsvp),
        "cancel_path": CANCEL_RSVP.path(rsvp),
    }


def rsvp_mail(rsvp_id: int, kind: str) -> Mail | None:
    """One of the emails an attendee gets; the links in it are made when it is sent."""
    from tadamun.events.models import Rsvp

    rsvp = Rsvp.objects.select_related("event", "supporter").filter(pk=rsvp_id).first()
    if rsvp is None or rsvp.supporter is None or kind not in RSVP_MAILS:
        return None
    if kind == "confirm" and rsvp.status != Rsvp.Status.UNCONFIRMED:
        return None
    if kind in UNASKED_RSVP_MAILS and _suppressed(rsvp.supporter):
        return None
    return Mail(
        f"events/email/rsvp_{kind}",
        to=rsvp.supporter.email,
        language=rsvp.language,
        context={"rsvp": rsvp, "event": rsvp.event, "shifts": shifts.chosen(rsvp)},
        paths=partial(_rsvp_paths, rsvp),
    )


def shift_reminder_mail(answer_id: int) -> Mail | None:
    """The reminder before one time slot someone has a place in."""
    from tadamun.events.models import Rsvp, ShiftAnswer

    answer = (
        ShiftAnswer.objects.select_related("shift", "rsvp__event", "rsvp__supporter")
        .filter(pk=answer_id, status=Rsvp.Status.GOING, rsvp__supporter__isnull=False)
        .first()
    )
    if answer is None or _suppressed(answer.rsvp.supporter):
        return None
    rsvp = answer.rsvp
    return Mail(
        "events/email/rsvp_shift_reminder",
        to=rsvp.supporter.email,
        language=rsvp.language,
        context={"rsvp": rsvp, "event": rsvp.event, "shift": answer.shift},
        paths=partial(_rsvp_paths, rsvp),
    )


def slot_removed_mail(rsvp_id: int, starts_at: str, ends_at: str) -> Mail | None:
    """The attendee hears that a slot they chose is gone (its row is: hence its times),
    and which of their slots remain."""
    from tadamun.events.models import Rsvp, Shift

    rsvp = Rsvp.objects.select_related("event", "supporter").filter(pk=rsvp_id).first()
    if rsvp is None or rsvp.supporter is None or _suppressed(rsvp.supporter):
        return None
    removed = Shift(
        event=rsvp.event,
        starts_at=datetime.fromisoformat(starts_at),
        ends_at=datetime.fromisoformat(ends_at),
    )
    return Mail(
        "events/email/rsvp_slot_removed",
        to=rsvp.supporter.email,
        language=rsvp.language,
        context={
            "rsvp": rsvp,
            "event": rsvp.event,
            "removed": removed,
            "shifts": shifts.chosen(rsvp),
        },
        paths=partial(_rsvp_paths, rsvp),
    )


@task()
def send_slot_removed(rsvp_id: int, starts_at: str, ends_at: str, attempt: int = 0) -> None:
    if (mail := slot_removed_mail(rsvp_id, starts_at, ends_at)) is not None:
        with retry_mail_on_failure(send_slot_removed, rsvp_id, starts_at, ends_at, attempt=attempt):
            render(mail).send()


@task()
def send_rsvp_mail(rsvp_id: int, kind: str, attempt: int = 0) -> None:
    """The attendee's emails other than the link to confirm (events.outbox sends that)."""
    if (mail := rsvp_mail(rsvp_id, kind)) is not None:
        with retry_mail_on_failure(send_rsvp_mail, rsvp_id, kind, attempt=attempt):
            render(mail).send()


@task()
def send_shift_reminder(answer_id: int, attempt: int = 0) -> None:
    if (mail := shift_reminder_mail(answer_id)) is not None:
        with retry_mail_on_failure(send_shift_reminder, answer_id, attempt=attempt):
            render(mail).send()


@task()
def send_organiser_message(message_id: int, rsvp_id: int, attempt: int = 0) -> None:
    """One attendee's copy of what the organiser wrote; it carries their own cancel link."""
    from tadamun.events.models import OrganiserMessage, Rsvp

    message = OrganiserMessage.objects.select_related("event").filter(pk=message_id).first()
    rsvp = Rsvp.objects.select_related("supporter").filter(pk=rsvp_id).first()
    if message is None or rsvp is None or rsvp.supporter is None or _suppressed(rsvp.supporter):
        return
    with translation.override(rsvp.language):
        context = {
            "message": message,
            "event": message.event,
            "event_path": message.event.get_absolute_url(),
            "cancel_path": CANCEL_RSVP.path(rsvp),
        }
    with retry_mail_on_failure(send_organiser_message, message_id, rsvp_id, attempt=attempt):
        send_templated_mail(
            "events/email/organiser_message",
            context,
            to=rsvp.supporter.email,
            language=rsvp.language,
        )


@task()
def send_reminders() -> int:
    """The day-before reminders (scheduled hourly); each is sent once, even with several
    workers, because claiming it is a conditional UPDATE only one of them wins."""
    from tadamun.events import rsvps

    sent = 0
    for rsvp_id in rsvps.due_reminders().values_list("pk", flat=True):
        if rsvps.claim_reminder(rsvp_id):
            send_rsvp_mail.enqueue(rsvp_id, "reminder")
            sent += 1
    for answer_id in rsvps.due_shift_reminders().values_list("pk", flat=True):
        if rsvps.claim_shift_reminder(answer_id):
            send_shift_reminder.enqueue(answer_id)
            sent += 1
    return sent
