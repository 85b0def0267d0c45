"""The answers (RSVPs) of an event as a CSV, for the back office: every answer for coalition
admins, the answers of people who share what they do with an organiser's organisations for
an organisation organiser (supporters.exports decides)."""

from django.utils.translation import gettext as _

from tadamun.core.audit import record_export
from tadamun.core.csv import streaming_csv, yes_no
from tadamun.events import shifts
from tadamun.events.models import Rsvp
from tadamun.questions import queries as custom
from tadamun.supporters.exports import CHUNK, exportable
from tadamun.supporters.partners import hears_from_coalition


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
