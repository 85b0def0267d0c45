"""What an event's organiser does through the link emailed to them: edit the event, see,
export and write to the people coming, and cancel it.

The link is the organiser's key, so it names the event and the supporter who organises it;
it stops working when that person erases their data (the event then has no organiser).
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from tadamun.core import outbox
from tadamun.core.intake import sealed_when_locked
from tadamun.core.privacy import email_hash
from tadamun.core.tasks import enqueue_on_commit
from tadamun.events import outbox as events_outbox
from tadamun.events import rsvps
from tadamun.events.models import Event, OrganiserMessage, Rsvp, Shift, new_manage_key
from tadamun.events.services import EventProposal
from tadamun.events.tasks import send_organiser_message, send_rsvp_mail, send_slot_removed

EDITABLE_FIELDS = (
    "title", "kind", "description", "on_behalf_of", "starts_at", "ends_at", "time_zone",
    "venue_name", "address", "address_public", "city", "country", "place", "online_url", "capacity",
)  # fmt: skip
# Changes to these reach the attendees by email: they decide whether and where people come.
WHEN_AND_WHERE = {
    "starts_at", "ends_at", "time_zone", "venue_name", "address", "city", "country", "online_url"
}  # fmt: skip
EDITABLE = (Event.Status.PENDING, Event.Status.APPROVED)
CONFIRMED = (Rsvp.Status.GOING, Rsvp.Status.WAITING)


@sealed_when_locked(email=lambda event, email: email)
def request_manage_link(event: Event, email: str) -> None:
    """Email the organiser their link again, if `email` is theirs; says nothing either way."""
    organiser = event.organiser
    if organiser is not None and organiser.email_hash == email_hash(email):
        # The old link stops working: if it was forwarded, the new one is the organiser's alone.
        Event.objects.filter(pk=event.pk).update(manage_key=new_manage_key())
        outbox.put(events_outbox.MANAGE, event.pk, lane=events_outbox.ORGANISERS)


# The organiser sees and writes to the people coming until a week after the event.
ATTENDEES_KEPT_FOR = timedelta(days=7)


def can_edit(event: Event) -> bool:
    return event.status in EDITABLE and event.ends_at > timezone.now()


def can_reach_attendees(event: Event) -> bool:
    """Attendees' names and messages to them: for a published or cancelled event, and not
    longer than a week after it ended."""
    return event.is_published and timezone.now() < event.ends_at + ATTENDEES_KEPT_FOR


def edit(event: Event, proposal: EventProposal, *, counted: bool = False) -> Event:
    """Save the organiser's changes; people coming hear about a new time or place.
    `counted` (the organiser's link): a change that would email them counts against the
    day's messages (`notices_left_today`), TooManyMessages once they are spent."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        # Compared with the locked row: a second click on "Save" finds nothing changed.
        changed = {
            name for name in EDITABLE_FIELDS if getattr(event, name) != getattr(proposal, name)
        }
        if not changed:
            return event
        if event.status == Event.Status.APPROVED and changed & WHEN_AND_WHERE:
            _count_notice(event, counted)
        for name in changed:
            setattr(event, name, getattr(proposal, name))
        event.edited_at = timezone.now()  # moderators see it among the changed events
        event.sequence += 1
        event.save()
        if event.status == Event.Status.APPROVED and changed & WHEN_AND_WHERE:
            for rsvp_id in _attendees(event, CONFIRMED):
                enqueue_on_commit(send_rsvp_mail, rsvp_id, "changed")
        if "capacity" in changed and event.takes_rsvps():
            rsvps.fill_free_places(event)
    return event


def cancel(event: Event, note: str = "") -> Event:
    """Cancel the event and tell everyone who said they would come (or waits for a place).

    A proposal no moderator approved yet is withdrawn instead: it never becomes public."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.status not in EDITABLE:
            return event
        was_public = event.status == Event.Status.APPROVED
        event.status = Event.Status.CANCELLED if was_public else Event.Status.WITHDRAWN
        event.cancellation_note = note
        event.sequence += 1
        fields = ["status", "cancellation_note", "sequence", "updated_at"]
        if was_public and note:
            # The note is the organiser's text on a public page, like an edit: moderators
            # see it among the changed events (and can unpublish the event).
            event.edited_at = timezone.now()
            fields.append("edited_at")
        event.save(update_fields=fields)
        if was_public:
            for rsvp_id in _attendees(event, CONFIRMED):
                enqueue_on_commit(send_rsvp_mail, rsvp_id, "event_cancelled")
    return event


def add_shift(event: Event, starts_at, ends_at, capacity: int | None) -> Shift:
    """A new time slot; its places are free, so nobody waits for them (the event's own
    waiting list, if people confirmed before there were slots, stays the event's)."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        shift = Shift.objects.create(
            event=event, starts_at=starts_at, ends_at=ends_at, capacity=capacity
        )
        event.sequence += 1
        event.save(update_fields=["sequence", "updated_at"])
    return shift


def change_shift(
    shift: Shift, starts_at, ends_at, capacity: int | None, *, counted: bool = False
) -> Shift | None:
    """A slot's new times or places: people with a place in it hear of a new time (and are
    reminded again before it); more places go to its waiting list. None: the slot was
    removed meanwhile (another tab, the back office), nothing is changed. `counted`: as for
    `edit`, a move that emails people counts against the day's messages."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=shift.event_id)
        stored = Shift.objects.filter(pk=shift.pk).first()  # `shift` may hold new values
        if stored is None:
            return None
        moved = (stored.starts_at, stored.ends_at) != (starts_at, ends_at)
        Shift.objects.filter(pk=shift.pk).update(
            starts_at=starts_at, ends_at=ends_at, capacity=capacity
        )
        shift.starts_at, shift.ends_at, shift.capacity = starts_at, ends_at, capacity
        if moved:
            answers = shift.answers.filter(status__in=CONFIRMED)
            if event.status == Event.Status.APPROVED and answers.exists():
                _count_notice(event, counted)
            answers.update(reminded_at=None)
            if event.status == Event.Status.APPROVED:
                for rsvp_id in answers.filter(rsvp__supporter__isnull=False).values_list(
                    "rsvp_id", flat=True
                ):
                    enqueue_on_commit(send_rsvp_mail, rsvp_id, "changed")
        event.sequence += 1
        event.save(update_fields=["sequence", "updated_at"])
        if event.takes_rsvps():
            rsvps.fill_free_places(event)
    return shift


def slot_people(shift: Shift):
    """The answers told when the slot moves or goes: a place in it or waiting for one, of
    people who did not erase their data."""
    return shift.answers.filter(status__in=CONFIRMED, rsvp__supporter__isnull=False)


def remove_shift(shift: Shift) -> int:
    """Remove a slot. Everyone with a place in it or waiting for one hears in their language
    that it is gone (and which of their slots remain); each answer's status follows the slots
    it keeps (going in one, else waiting in one, else cancelled). Returns how many were told."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=shift.event_id)
        # As people chose it, not as a form changed it; gone if a second click came first.
        stored = Shift.objects.filter(pk=shift.pk).first()
        if stored is None:
            return 0
        told = list(slot_people(stored).values_list("rsvp_id", flat=True))
        removed = (stored.starts_at.isoformat(), stored.ends_at.isoformat())
        stored.delete()
        answers = Rsvp.objects.filter(pk__in=told)
        for status in (Rsvp.Status.GOING, Rsvp.Status.WAITING):
            kept = answers.filter(shift_answers__status=status)
            answers.filter(pk__in=kept.values("pk")).update(status=status)
            answers = answers.exclude(pk__in=kept.values("pk"))
        answers.update(status=Rsvp.Status.CANCELLED)
        for rsvp_id in told:
            enqueue_on_commit(send_slot_removed, rsvp_id, *removed)
        event.sequence += 1
        event.save(update_fields=["sequence", "updated_at"])
    return len(told)


def removal_said(told: int) -> str:
    """What the organiser (link or back office) reads once a slot is removed."""
    if not told:
        return gettext("The time slot is removed.")
    return (
        ngettext(
            "%d person who chose the removed time slot will be told by email.",
            "%d people who chose the removed time slot will be told by email.",
            told,
        )
        % told
    )


def series_dates(event: Event):
    """Every date of the event's series, this one included, for its organiser to manage one
    by one (each has its own link)."""
    if event.series_id is None:
        return []
    return list(Event.objects.filter(series_id=event.series_id).order_by("starts_at"))


def cancel_series(event: Event, note: str = "") -> list[Event]:
    """Cancel (or withdraw) every date of the event's series still to come, this one
    included, each as `cancel` does: its own people hear about it."""
    dates = Event.objects.filter(series_id=event.series_id, status__in=EDITABLE)
    return [cancel(other, note) for other in dates.filter(ends_at__gt=timezone.now())]


def attendees(event: Event):
    """The event's confirmed answers, going first then the waiting list, in order. Each
    shows the name given for that answer (`Rsvp.name`), never the supporter record's."""
    return (
        event.rsvps.filter(status__in=CONFIRMED, supporter__isnull=False)
        .prefetch_related("shift_answers__shift__event")
        .order_by("status", "confirmed_at", "pk")
    )  # going, then waiting


def _attendees(event: Event, statuses) -> list[int]:
    return list(
        event.rsvps.filter(status__in=statuses, supporter__isnull=False).values_list(
            "pk", flat=True
        )
    )


class TooManyMessages(Exception):
    """The organiser has written to their attendees as often as a day allows."""


def messages_left_today(event: Event) -> int:
    since = timezone.now() - timedelta(days=1)
    sent = event.messages.filter(created_at__gte=since).count()
    return max(settings.ORGANISER_MESSAGES_PER_DAY - sent, 0)


NOTICES_KEY = "events:change-notices:{}"


def notices_left_today(event: Event) -> int:
    """Emails to everyone coming that the organiser may still cause today: their messages and
    the notices of a moved event or slot share ORGANISER_MESSAGES_PER_DAY, so moving a slot
    back and forth is no way round the limit."""
    return max(messages_left_today(event) - cache.get(NOTICES_KEY.format(event.pk), 0), 0)


def _count_notice(event: Event, counted: bool) -> None:
    """One notice to everyone coming: refused once the day's are spent when `counted` (the
    organiser's link; the back office is not held to it, but its notices count too)."""
    if counted and not notices_left_today(event):
        raise TooManyMessages
    key = NOTICES_KEY.format(event.pk)
    if not cache.add(key, 1, 24 * 3600):
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.add(key, 1, 24 * 3600)


def write_to_attendees(event: Event, subject: str, body: str, audience: str) -> OrganiserMessage:
    """Queue one email per attendee; the organiser never sees their addresses."""
    statuses = CONFIRMED if audience == OrganiserMessage.Audience.EVERYONE else (Rsvp.Status.GOING,)
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        recent = event.messages.filter(
            subject=subject,
            body=body,
            audience=audience,
            created_at__gte=timezone.now() - timedelta(minutes=10),
        ).first()
        if recent:  # the same message sent twice (a double click): once is enough
            return recent
        if messages_left_today(event) == 0:
            raise TooManyMessages
        recipients = _attendees(event, statuses)
        message = OrganiserMessage.objects.create(
            event=event, subject=subject, body=body, audience=audience, recipients=len(recipients)
        )
        for rsvp_id in recipients:
            enqueue_on_commit(send_organiser_message, message.pk, rsvp_id)
    return message
