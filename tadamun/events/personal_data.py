"""What the events app holds about a supporter, for "my data" and erasure."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tadamun.events import rsvps, shifts
from tadamun.events.models import Event, OrganiserMessage, Rsvp
from tadamun.supporters import registry

EVENT_LABELS = {
    "event": _("Event"),
    "day": _("Day of action"),
    "starts": _("Starts"),
    "city": _("City"),
    "country": _("Country"),
    "status": _("Status"),
    "proposed": _("Proposed"),
}

RSVP_LABELS = {
    "event": _("Event"),
    "starts": _("Starts"),
    "status": _("Status"),
    "answered": _("Answered"),
    "confirmed": _("Confirmed"),
    "time_slots": _("Time slots"),
}


def describe_events(supporter) -> list[dict]:
    return [
        {
            "event": event.title,
            "day": event.day.title,
            "starts": event.local_start.isoformat(),
            "city": event.city,
            "country": event.country.code,
            "status": event.status,
            "proposed": event.created_at.isoformat(),
        }
        for event in supporter.events.select_related("day")
    ]


def describe_rsvps(supporter) -> list[dict]:
    return [
        {
            "event": rsvp.event.title,
            "starts": rsvp.event.local_start.isoformat(),
            "status": rsvp.status,
            "answered": rsvp.created_at.isoformat(),
            "confirmed": rsvp.confirmed_at.isoformat() if rsvp.confirmed_at else None,
            # Only for an event with time slots, in the venue's time.
            **({"time_slots": slots} if (slots := shifts.describe(rsvp)) else {}),
        }
        for rsvp in supporter.rsvps.select_related("event").prefetch_related(
            "shift_answers__shift__event"
        )
    ]


def anonymise_events(supporter) -> None:
    """Events nobody has seen yet go; a published one stays for the people coming, with no
    organiser (moderators can still change or cancel it). What the organiser wrote to their
    attendees was sent; the site keeps only that it was, and to how many."""
    Event.objects.filter(organiser=supporter).exclude(status__in=Event.PUBLISHED).delete()
    OrganiserMessage.objects.filter(event__organiser=supporter).update(subject="", body="")
    Event.objects.filter(organiser=supporter).update(organiser=None)


def anonymise_rsvps(supporter) -> None:
    """A place at an event still to come is given up (the waiting list moves up); answers to
    past events stay, unlinked, so attendance figures stay right."""
    with transaction.atomic():
        Rsvp.objects.filter(supporter=supporter, status=Rsvp.Status.UNCONFIRMED).delete()
        upcoming = Rsvp.objects.filter(
            supporter=supporter, event__starts_at__gt=timezone.now()
        ).exclude(status=Rsvp.Status.CANCELLED)
        for rsvp in upcoming:
            rsvps.cancel(rsvp)
        Rsvp.objects.filter(supporter=supporter).update(supporter=None, name="")


DECLARATION = registry.Declaration(
    models=[
        registry.PersonalDataModel(
            "events.Event", made_by_the_public=True, keeps_supporter="organiser"
        ),
        registry.PersonalDataModel(
            "events.Rsvp",
            made_by_the_public=True,
            never_by_hand=registry.EVERYTHING,
            keeps_supporter="supporter",
            unconfirmed=registry.Unconfirmed(
                "rsvps", lambda: Rsvp.objects.filter(status=Rsvp.Status.UNCONFIRMED)
            ),
        ),
        # The time slots an RSVP chose: the person only through their RSVP.
        registry.PersonalDataModel(
            "events.ShiftAnswer", made_by_the_public=True, never_by_hand=registry.EVERYTHING
        ),
        registry.PersonalDataModel("events.OrganiserMessage"),
    ],
    providers=[
        registry.PersonalDataProvider(
            "events",
            title=_("Events you proposed"),
            labels=EVENT_LABELS,
            describe=describe_events,
            anonymise=anonymise_events,
            statuses=Event.Status,
        ),
        registry.PersonalDataProvider(
            "rsvps",
            title=_("Events you answered"),
            labels=RSVP_LABELS,
            describe=describe_rsvps,
            anonymise=anonymise_rsvps,
            statuses=Rsvp.Status,
        ),
    ],
)
