"""The answers (RSVPs) of an event as a CSV, for the back office: every answer for coalition
admins, the answers of people who share what they do with an organiser's organisations for
an organisation organiser (supporters.exports decides).

And the attendee file, in one place: what an event's organiser sees of the people coming
(the name given, status, time slots, answers to the questions), for the supporter who
organises it through their link and for the organisers of the organisation that runs it."""

from django.utils.translation import gettext as _

from tadamun.core.audit import record_export
from tadamun.core.csv import streaming_csv, yes_no
from tadamun.events import organisers, shifts
from tadamun.events.models import Rsvp
from tadamun.questions import queries as custom
from tadamun.supporters.exports import CHUNK, exportable
from tadamun.supporters.partners import hears_from_coalition, shares_with


def rsvps_csv(user, event):
    header = [
        _("Name"),
        _("Email address"),
        _("Status"),
        _("Language"),
        _("Answered"),
        _("Confirmed"),
        _("Time slots"),
        _("Coalition updates"),
    ]
    answers = exportable(user, Rsvp.objects.filter(event=event, supporter__isnull=False))
    questions = list(event.questions.in_order())
    header += custom.header(questions)
    rows = (
        (
            answer.pk,
            answer.name,  # the name given for this answer, not the record's
            answer.supporter.email,
            answer.get_status_display(),
            answer.language,
            answer.created_at,
            answer.confirmed_at,
            shifts.describe(answer),
            yes_no(answer.hears),
        )
        for answer in answers.select_related("supporter")
        .prefetch_related("shift_answers__shift__event")
        .annotate(hears=hears_from_coalition("supporter"))
        .order_by("pk")
        .iterator(chunk_size=CHUNK)
    )
    record_export(event, "answers CSV")
    return streaming_csv(
        f"event-{event.pk}-answers.csv", header, custom.with_answers(rows, questions, "rsvp")
    )


def attendees_csv(event, *, by: str = "", sharing_with=None):
    """The event's confirmed answers as its organiser sees them (organisers.attendees), noted
    in the audit trail (`by`: anyone but the staff member of the request).

    With `sharing_with` (organisations), an email column holds the address of the people who
    agreed to share it with one of them (the partner boundary's rule, partners.shares_with)
    and nothing for the others; without it, no email column at all."""
    questions = list(event.questions.in_order())  # the RSVP form asked them for the event
    with_emails = sharing_with is not None
    header = [_("Name")] + ([_("Email address")] if with_emails else [])
    header += [_("Status"), _("Confirmed"), _("Language")]
    with_shifts = event.shifts.exists()
    if with_shifts:
        header.append(_("Time slots"))
    header.extend(custom.header(questions))
    answers = organisers.attendees(event)
    if with_emails:
        answers = answers.select_related("supporter").annotate(
            shares=shares_with(sharing_with, "supporter")
        )
    rows = (
        (rsvp.pk, rsvp.name)
        + ((rsvp.supporter.email if rsvp.shares else "",) if with_emails else ())
        + (rsvp.get_status_display(), rsvp.confirmed_at, rsvp.language)
        + ((shifts.describe(rsvp),) if with_shifts else ())
        for rsvp in answers.iterator(chunk_size=CHUNK)
    )
    record_export(event, "attendees CSV", by=by)
    return streaming_csv(
        f"event-{event.pk}-attendees.csv", header, custom.with_answers(rows, questions, "rsvp")
    )
