"""What became of a mailing, for its report: per language and per audience segment, how many
copies were sent and failed, and how many of the people they were sent to bounced, complained
or unsubscribed within a week of their copy.

Bounces and complaints come from the provider's reports (`views.bounces`), which name an
address, not a mailing: a copy counts as bounced or complained when its address was suppressed
within `WINDOW` after the copy was sent. Unsubscribed: the consent the mailing was sent under
ended within `WINDOW` (through its link, "your data" or a complaint). People erased since are
counted in sent and failed only. Each figure is one aggregate over the mailing's recipients,
worked out when the report is opened, never on the dashboard.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Value,
)
from django.utils.translation import gettext as _
from django_countries import countries

from tadamun.events.models import Rsvp
from tadamun.letters.models import Letter
from tadamun.mailings.models import Mailing, Recipient, Suppression
from tadamun.petitions.models import Signature
from tadamun.supporters.models import Consent, Supporter

WINDOW = timedelta(days=7)
FIGURES = ("sent", "failed", "bounced", "complained", "unsubscribed")


@dataclass
class Row:
    label: str
    sent: int = 0
    failed: int = 0
    bounced: int = 0
    complained: int = 0
    unsubscribed: int = 0


def _within_window(field: str) -> Q:
    week_after = ExpressionWrapper(
        OuterRef("sent_at") + Value(WINDOW), output_field=DateTimeField()
    )
    return Q(**{f"{field}__gte": OuterRef("sent_at"), f"{field}__lte": week_after})


def _suppressed(reason) -> Exists:
    return Exists(
        Suppression.objects.filter(
            _within_window("created_at"),
            email_hash=OuterRef("supporter__email_hash"),
            reason=reason,
        )
    )


def _unsubscribed(mailing: Mailing) -> Exists:
    consents = Consent.objects.filter(
        _within_window("withdrawn_at"), supporter=OuterRef("supporter")
    )
    if mailing.partner_id:
        consents = consents.filter(purpose=Consent.Purpose.PARTNER, organisation=mailing.partner_id)
    else:
        consents = consents.filter(purpose=Consent.Purpose.UPDATES)
    return Exists(consents)


def _figures(mailing: Mailing):
    """The mailing's recipients, each marked with what became of them."""
    sent = Recipient.Status.SENT
    return Recipient.objects.filter(mailing=mailing).annotate(
        was_bounced=_suppressed(Suppression.Reason.BOUNCE),
        was_complained=_suppressed(Suppression.Reason.COMPLAINT),
        was_unsubscribed=_unsubscribed(mailing),
    ), {
        "sent": Count("pk", filter=Q(status=sent)),
        "failed": Count("pk", filter=Q(status=Recipient.Status.FAILED)),
        "bounced": Count("pk", filter=Q(status=sent, was_bounced=True)),
        "complained": Count("pk", filter=Q(status=sent, was_complained=True)),
        "unsubscribed": Count("pk", filter=Q(status=sent, was_unsubscribed=True)),
    }


def _grouped(mailing: Mailing, by: str, label) -> list[Row]:
    recipients, figures = _figures(mailing)
    rows = recipients.order_by().values(by).annotate(**figures).order_by(by)
    return [Row(label(row[by]), **{name: row[name] for name in FIGURES}) for row in rows]


def _segment(mailing: Mailing, label: str, condition) -> Row:
    recipients, figures = _figures(mailing)
    return Row(label, **recipients.filter(condition).aggregate(**figures))


def segments(mailing: Mailing) -> list[tuple[str, Exists]]:
    """The parts of the audience the mailing was written to: each petition, day of action,
    letter campaign and tag it chose (a person may be in several)."""
    supporter = OuterRef("supporter")
    return [
        *(
            (
                _("Signed: %(what)s") % {"what": petition},
                Exists(
                    Signature.objects.confirmed().filter(petition=petition, supporter=supporter)
                ),
            )
            for petition in mailing.petitions.all()
        ),
        *(
            (
                _("Answered an event of: %(what)s") % {"what": day},
                Exists(Rsvp.objects.filter(event__day=day, supporter=supporter)),
            )
            for day in mailing.days.all()
        ),
        *(
            (
                _("Wrote in: %(what)s") % {"what": campaign},
                Exists(Letter.objects.filter(campaign=campaign, supporter=supporter)),
            )
            for campaign in mailing.letter_campaigns.all()
        ),
        *(
            (
                _("Tagged: %(what)s") % {"what": tag},
                Exists(Supporter.tags.through.objects.filter(tag=tag, supporter=supporter)),
            )
            for tag in mailing.tags.all()
        ),
    ]


def report(mailing: Mailing) -> dict[str, list[Row]]:
    languages = dict(settings.LANGUAGES)
    return {
        "total": [_segment(mailing, _("All recipients"), Q())],
        "languages": _grouped(mailing, "language", lambda code: languages.get(code, code)),
        "countries": _grouped(
            mailing, "supporter__country", lambda code: countries.name(code) or _("Unknown")
        ),
        "segments": [_segment(mailing, label, condition) for label, condition in segments(mailing)],
    }
