"""OSDI events (with their time slots, api/osdi/shifts.py) and attendances, and the record
attendance helper."""

from django.conf import settings
from ninja import Query
from ninja.errors import HttpError

from tadamun.api import schemas
from tadamun.api.osdi import shifts
from tadamun.api.osdi.common import (
    FilteredPaging,
    exported,
    hal,
    link,
    modified_since,
    one_or_404,
    page_of,
)
from tadamun.api.osdi.person import Background, answered, person_link
from tadamun.api.osdi.recording import ActionIn, record_action, submission
from tadamun.events import rsvps
from tadamun.events.models import Event, Rsvp
from tadamun.questions import queries as custom
from tadamun.supporters import partners

EventsPage = schemas.osdi_collection("events", schemas.OsdiEvent)


AttendancesPage = schemas.osdi_collection("attendances", schemas.OsdiAttendance)


def event_out(event: Event) -> dict:
    return {
        "identifiers": [f"tadamun:event:{event.pk}"],
        "title": event.title,
        "description": event.description_html,
        "start_date": event.starts_at.isoformat(),
        "end_date": event.ends_at.isoformat(),
        "modified_date": event.updated_at.isoformat(),
        "status": "cancelled" if event.status == Event.Status.CANCELLED else "confirmed",
        "location": {
            "venue": event.venue_name,
            "address_lines": [event.address] if event.address_public and event.address else [],
            "locality": event.city,
            "country": event.country.code,
        },
        "browser_url": settings.SITE_URL + event.get_absolute_url(),
        "tadamun:shifts": shifts.of_event(event),
        "_links": {
            "self": link(f"events/{event.pk}"),
            "osdi:attendances": link(f"events/{event.pk}/attendances"),
            "osdi:record_attendance_helper": link(f"events/{event.pk}/attendances"),
        },
    }


@hal("GET", "/events", EventsPage)
def events(request, paging: Query[FilteredPaging]):
    visible = Event.objects.visible().prefetch_related(shifts.with_places())
    found = modified_since(visible.order_by("pk"), paging.filter, "updated_at")
    return page_of(found, paging, "events", "events", event_out)


@hal("GET", "/events/{int:event_id}", schemas.OsdiEvent)
def event(request, event_id: int):
    visible = Event.objects.visible().prefetch_related(shifts.with_places())
    return event_out(one_or_404(visible, pk=event_id))


def attendance_out(rsvp: Rsvp, reader) -> dict:
    """As `reader` (the token's) sees it: custom answers only where answers_go_to()."""
    return {
        "identifiers": [f"tadamun:attendance:{rsvp.pk}"],
        "status": "accepted" if rsvp.status == Rsvp.Status.GOING else rsvp.status,
        "custom_fields": (
            custom.custom_fields(rsvp)
            if partners.answers_go_to(reader.organisation_id, rsvp.event, rsvp.supporter_id)
            else {}
        ),
        "tadamun:shifts": shifts.of_attendance(rsvp),
        "_links": {
            "self": link(f"events/{rsvp.event_id}/attendances/{rsvp.pk}"),
            "osdi:event": link(f"events/{rsvp.event_id}"),
            "osdi:person": person_link(rsvp.partner_person),
        },
    }


def shared_attendances(reader, event_id: int):
    """Confirmed answers (coming or waiting) of the people who share with the partner."""
    event = one_or_404(Event.objects.visible(), pk=event_id)
    coming = event.rsvps.filter(status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITING])
    slots = shifts.chosen()
    found = reader.actions(coming).select_related("event")
    return found.prefetch_related(answered(), slots).order_by("pk")


@hal("GET", "/events/{int:event_id}/attendances", AttendancesPage)
def attendances(request, event_id: int, paging: Query[FilteredPaging]):
    found = modified_since(
        shared_attendances(request.reader, event_id), paging.filter, "confirmed_at"
    )
    exported(request, f"OSDI attendances of event {event_id}")
    return page_of(
        found,
        paging,
        "attendances",
        f"events/{event_id}/attendances",
        lambda row: attendance_out(row, request.reader),
    )


@hal("GET", "/events/{int:event_id}/attendances/{int:attendance_id}", schemas.OsdiAttendance)
def attendance(request, event_id: int, attendance_id: int):
    found = one_or_404(shared_attendances(request.reader, event_id), pk=attendance_id)
    exported(request, f"OSDI attendance {attendance_id}")
    return attendance_out(found, request.reader)


class AttendanceIn(ActionIn, shifts.Choosing):
    pass


@hal("POST", "/events/{int:event_id}/attendances", schemas.OsdiSubmission)
def record_attendance_helper(
    request, event_id: int, payload: AttendanceIn, options: Query[Background]
):
    """Record someone the partner says is coming. As on the site, the place is taken once
    they confirm it from the email we send them; recording it again changes nothing. On an
    event with time slots (its `tadamun:shifts`), name those the person chose: in
    `tadamun:shifts`, a list of their identifiers (`"tadamun:shift:12"`), or in a custom
    field `tadamun:shifts` ("tadamun:shift:12, tadamun:shift:14"); in a full slot the person
    goes on its waiting list."""
    event = one_or_404(Event.objects.visible(), pk=event_id)
    if not event.takes_rsvps():
        raise HttpError(409, "This event takes no more answers.")
    chosen = shifts.taken_from(payload, event)
    submitted = submission(payload, event.questions.all(), default_country=event.country.code)
    answer = rsvps.RsvpRequest(**submitted.request_fields(), shifts=chosen)
    return record_action(
        request,
        payload,
        submitted,
        route="osdi-attendance",
        record=lambda: rsvps.answer(event, answer),
        audit=("record_attendance", f"at event {event_id}"),
        links={"osdi:event": link(f"events/{event_id}")},
    )
