"""iCalendar (RFC 5545) files: one event, or every public event of a day of action or a
campaign. Times are written in the venue's own zone with its VTIMEZONE, so calendars show them
right on both sides of a daylight-saving change.

A series (a weekly vigil) is written as one VEVENT per date, never as an RRULE: each date is an
event of its own, cancelled, moved or unpublished on its own, and calendar clients apply a
plain VEVENT's SEQUENCE and STATUS alike, where an RRULE would need EXDATE and RECURRENCE-ID
overrides that clients handle unevenly (and that a feed of a whole day of action, with dates
of many series in it, cannot keep consistent)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from icalendar import Calendar
from icalendar import Event as CalendarEvent


def calendar_for(events, name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Tadamun//Days of action//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    for event in events:
        entry = CalendarEvent()
        entry.add("uid", f"event-{event.pk}@{host}")
        entry.add("dtstamp", timezone.now())
        entry.add("last-modified", event.updated_at)
        entry.add("sequence", event.sequence)
        entry.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
        entry.add("dtstart", event.local_start)
        entry.add("dtend", event.local_end)
        entry.add("summary", event.title)
        entry.add("description", event.description)
        entry.add("location", event.public_location)
        entry.add("url", settings.SITE_URL + event.get_absolute_url())
        if event.online_url:
            entry.add("conference", event.online_url, parameters={"value": "URI"})
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar


def ics_filename(title: str, fallback: str) -> str:
    """The file named by what the reader reads ("journee-de-solidarite.ics", Arabic letters
    kept), or by `fallback` when the title has no letters to keep."""
    return f"{slugify(title, allow_unicode=True) or fallback}.ics"


def ics_response(calendar: Calendar, title: str, fallback: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    # RFC 6266: an ASCII name, or `filename*=utf-8''...` for a title in Arabic or Turkish.
    response["Content-Disposition"] = content_disposition_header(
        False, ics_filename(title, fallback)
    )
    response["Cache-Control"] = "public, max-age=300"
    return response
