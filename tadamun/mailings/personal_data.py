"""What the mailings app holds about a supporter, for "my data" and erasure."""

from django.utils.translation import gettext_lazy as _

from tadamun.mailings.models import Recipient, Suppression
from tadamun.supporters import registry

LABELS = {"mailing": _("Mailing"), "status": _("Status"), "sent": _("Sent on")}


def describe(supporter) -> list[dict]:
    return [
        {
            "mailing": recipient.mailing.title,
            "status": recipient.status,
            "sent": recipient.sent_at.isoformat() if recipient.sent_at else None,
        }
        for recipient in Recipient.objects.filter(supporter=supporter).select_related("mailing")
    ]


def anonymise(supporter) -> None:
    """Copies not yet sent are not sent; the others stay, without the person, so each
    mailing's counts stay right. A bounce or complaint on the address goes too: its hash
    would recognise the person (with no record left, nothing is mailed to them anyway)."""
    copies = Recipient.objects.filter(supporter=supporter)
    copies.filter(status=Recipient.Status.QUEUED).update(status=Recipient.Status.SKIPPED)
    copies.update(supporter=None)
    Suppression.objects.filter(email_hash=supporter.email_hash).delete()


DECLARATION = registry.Declaration(
    models=[
        registry.PersonalDataModel(
            "mailings.Recipient",
            audited=False,
            never_by_hand=registry.EVERYTHING,
            keeps_supporter="supporter",
        ),
        # A complaint stays suppressed: no one lifts it by hand.
        registry.PersonalDataModel("mailings.Suppression", never_by_hand=registry.EVERYTHING),
    ],
    providers=[
        registry.PersonalDataProvider(
            "mailings",
            title=_("Mailings sent to you"),
            labels=LABELS,
            describe=describe,
            anonymise=anonymise,
            statuses=Recipient.Status,
        )
    ],
)
