"""Every write to events: the views, the admin and the demo loader call these."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction

from tadamun.core import outbox
from tadamun.core.tasks import enqueue_on_commit
from tadamun.events import outbox as events_outbox
from tadamun.events.models import DayOfAction, Event
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


def propose(day: DayOfAction, proposal: EventProposal) -> Event:
    """Record a proposed event and email its organiser a confirmation link."""
    with transaction.atomic():
        organiser = supporters.find_or_create_supporter(
            proposal.organiser_email, language=proposal.language
        )
        event = Event.objects.create(
            day=day,
            organiser=organiser,
            title=proposal.title,
            kind=proposal.kind,
            description=proposal.description,
            starts_at=proposal.starts_at,
            ends_at=proposal.ends_at,
            time_zone=proposal.time_zone,
            city=proposal.city,
            country=proposal.country,
            place=proposal.place or places.resolve_city(proposal.city, proposal.country),
            venue_name=proposal.venue_name,
            on_behalf_of=proposal.on_behalf_of,
            address=proposal.address,
            address_public=proposal.address_public,
            online_url=proposal.online_url,
            capacity=proposal.capacity,
            language=proposal.language,
        )
        outbox.put(events_outbox.EVENT, event.pk, lane=events_outbox.ORGANISERS)
    return event


def confirm(event: Event) -> Event:
    """The organiser confirmed their email: the event waits for a moderator, and the
    organiser gets the link to manage it."""
    with transaction.atomic():
        confirmed = Event.objects.filter(pk=event.pk, status=Event.Status.UNCONFIRMED).update(
            status=Event.Status.PENDING
        )
        if confirmed:
            outbox.put(events_outbox.MANAGE, event.pk, lane=events_outbox.ORGANISERS)
    event.refresh_from_db()
    return event


def moderate(events, *, approve: bool, reason: str = "") -> int:
    """Approve or reject confirmed events and tell each organiser; returns how many changed."""
    status = Event.Status.APPROVED if approve else Event.Status.REJECTED
    changed = 0
    with transaction.atomic():
        for event in events.select_for_update().filter(status=Event.Status.PENDING):
            event.status = status
            event.moderation_note = reason
            event.edited_at = None  # what the organiser changed before has now been seen
            event.save(update_fields=["status", "moderation_note", "edited_at", "updated_at"])
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
