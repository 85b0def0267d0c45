"""Every write to events: the views, the admin and the demo loader call these."""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from tadamun.core import outbox
from tadamun.core.intake import sealed_when_locked
from tadamun.core.tasks import enqueue_on_commit
from tadamun.events import outbox as events_outbox
from tadamun.events.models import DayOfAction, Event, EventSeries, Shift, new_manage_key
from tadamun.events.tasks import send_moderation_result, send_rsvp_mail
from tadamun.places import services as places
from tadamun.places.models import City
from tadamun.supporters import services as supporters


@dataclass(frozen=True)
class EventProposal:
    title: str
    kind: str
    description: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    city: str
    country: str
    organiser_name: str
    organiser_email: str
    venue_name: str = ""
    on_behalf_of: str = ""
    address: str = ""
    address_public: bool = True
    online_url: str = ""
    capacity: int | None = None
    language: str = settings.LANGUAGE_CODE
    place: City | None = None  # the gazetteer's city; found from city and country if not given


@sealed_when_locked(email=lambda day, proposal, **kwargs: proposal.organiser_email)
def propose(day: DayOfAction, proposal: EventProposal, *, dates=()) -> Event:
    """Record a proposed event and email its organiser a confirmation link.

    With `dates`, the event repeats: one occurrence on each of those dates too, at the same
    clock time in the venue's zone (18:00 stays 18:00 across a daylight-saving change), all
    in one series, confirmed by the one link and moderated as one proposal."""
    with transaction.atomic():
        organiser = supporters.find_or_create_supporter(
            proposal.organiser_email, language=proposal.language
        )
        place = proposal.place or places.resolve_city(proposal.city, proposal.country)
        fields = {
            "day": day,
            "organiser": organiser,
            "place": place,
            **{name: getattr(proposal, name) for name in PROPOSED_AS_IS},
        }
        times = occurrences(proposal.starts_at, proposal.ends_at, proposal.time_zone, dates)
        series = EventSeries.objects.create() if len(times) > 1 else None
        first = Event.objects.create(
            **fields, series=series, starts_at=times[0][0], ends_at=times[0][1]
        )
        for start, end in times[1:]:
            Event.objects.create(**fields, series=series, starts_at=start, ends_at=end)
        outbox.put(events_outbox.EVENT, first.pk, lane=events_outbox.ORGANISERS)
    return first


PROPOSED_AS_IS = (
    "title", "kind", "description", "time_zone", "city", "country", "venue_name",
    "on_behalf_of", "address", "address_public", "online_url", "capacity", "language",
)  # fmt: skip


def occurrences(starts_at: datetime, ends_at: datetime, time_zone: str, dates=()):
    """(start, end) of the first occurrence and of one on each other date, at the same clock
    time in the venue's zone; dates repeated or the first date itself are counted once."""
    zone = zoneinfo.ZoneInfo(time_zone)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    length = end.replace(tzinfo=None) - start.replace(tzinfo=None)  # wall-clock length
    times = [(starts_at, ends_at)]
    for day in sorted(set(dates) - {start.date()}):
        local = datetime.combine(day, start.time(), tzinfo=zone)
        times.append((local, local + length))  # same zone: wall-clock arithmetic
    return times


def repeat(event: Event, dates) -> list[Event]:
    """More dates of an existing event (the back office's "repeat every week"): a copy on
    each date not yet in its series, at the same clock time, with its time slots, and the
    event's moderation status (the content is the one already moderated)."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.status not in (Event.Status.PENDING, Event.Status.APPROVED):
            return []  # nothing to repeat of a proposal unconfirmed, withdrawn or refused
        if event.series_id is None:
            event.series = EventSeries.objects.create()
            event.save(update_fields=["series", "updated_at"])
        taken = {other.local_start.date() for other in Event.objects.filter(series=event.series_id)}
        slots = list(event.shifts.all())
        times = occurrences(event.starts_at, event.ends_at, event.time_zone, dates)[1:]
        copies = []
        for start, end in times:
            if start.date() in taken:
                continue
            copy = Event.objects.get(pk=event.pk)
            copy.pk = None
            copy.starts_at, copy.ends_at = start, end
            copy.manage_key, copy.sequence, copy.edited_at = new_manage_key(), 0, None
            copy.save()
            for slot in slots:
                slot_start, slot_end = (
                    datetime.combine(start.date(), moment.astimezone(event.zone).time(), event.zone)
                    for moment in (slot.starts_at, slot.ends_at)
                )
                if slot_end <= slot_start:  # a slot running past midnight
                    slot_end += timedelta(days=1)
                Shift.objects.create(
                    event=copy, starts_at=slot_start, ends_at=slot_end, capacity=slot.capacity
                )
            copies.append(copy)
    return copies


def weekly(first: date, times: int) -> list[date]:
    """`times` dates a week apart from `first` (the first included)."""
    return [first + timedelta(weeks=week) for week in range(times)]


def confirm(event: Event) -> Event:
    """The organiser confirmed their email: the event waits for a moderator, and the
    organiser gets the link to manage it."""
    with transaction.atomic():
        confirmed = Event.objects.filter(
            _with_its_series(event), status=Event.Status.UNCONFIRMED
        ).update(status=Event.Status.PENDING)
        if confirmed:
            outbox.put(events_outbox.MANAGE, event.pk, lane=events_outbox.ORGANISERS)
    event.refresh_from_db()
    return event


def _with_its_series(event: Event) -> Q:
    return Q(pk=event.pk) | Q(series_id=event.series_id) if event.series_id else Q(pk=event.pk)


def moderate(events, *, approve: bool, reason: str = "") -> int:
    """Approve or reject confirmed events and tell each organiser; returns how many changed.

    A series is one proposal: approving or rejecting one of its dates decides them all, and
    its organiser hears once."""
    status = Event.Status.APPROVED if approve else Event.Status.REJECTED
    series = events.exclude(series=None).values("series")
    changed, told = 0, set()
    with transaction.atomic():
        whole = Event.objects.filter(Q(pk__in=events.values("pk")) | Q(series__in=series))
        for event in whole.select_for_update().filter(status=Event.Status.PENDING):
            event.status = status
            event.moderation_note = reason
            event.edited_at = None  # what the organiser changed before has now been seen
            event.save(update_fields=["status", "moderation_note", "edited_at", "updated_at"])
            if event.series_id is None or event.series_id not in told:
                told.add(event.series_id)
                enqueue_on_commit(send_moderation_result, event.pk)
            changed += 1
    return changed


def unpublish(events, *, reason: str) -> int:
    """Take published events off the site, whatever happened to them since approval (edited
    by the organiser, cancelled), and tell each organiser why; returns how many changed.

    An unpublished event is rejected: nothing of it is public any more, the organiser's link
    can no longer change it, and people's calendars drop it at the next refresh. People who
    said they would come to it (or wait for a place) hear that it is off the site.
    """
    from tadamun.events.organisers import attendees  # organisers imports this module

    changed = 0
    with transaction.atomic():
        for event in events.select_for_update().filter(status__in=Event.PUBLISHED):
            if event.takes_rsvps():
                for rsvp_id in attendees(event).values_list("pk", flat=True):
                    enqueue_on_commit(send_rsvp_mail, rsvp_id, "event_unpublished")
            event.status = Event.Status.REJECTED
            event.moderation_note = reason
            event.edited_at = None
            event.sequence += 1
            event.save(
                update_fields=["status", "moderation_note", "edited_at", "sequence", "updated_at"]
            )
            enqueue_on_commit(send_moderation_result, event.pk)
            changed += 1
    return changed
