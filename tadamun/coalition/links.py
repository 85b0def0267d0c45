"""The link an endorsement's contact is emailed to confirm it (core.confirmation)."""

from django.utils.translation import gettext_lazy as _

from tadamun.coalition.models import Endorsement
from tadamun.core.confirmation import ConfirmLink, InvalidLink
from tadamun.core.privacy import keyed_hash


def _fingerprint(endorsement: Endorsement) -> str:
    content = "\n".join(
        [endorsement.contact_email, endorsement.contact_name, endorsement.public_message]
    )
    return keyed_hash("endorsement", content)[:16]


CONFIRM_ENDORSEMENT = ConfirmLink(
    salt="tadamun.endorsement.confirm",
    url_name="coalition:confirm",
    objects=lambda: Endorsement.objects.select_related("campaign", "organisation"),
    # A link confirms only the content it was sent for, not a later resubmission's.
    fingerprint=_fingerprint,
    invalid=InvalidLink(
        _(
            "The confirmation link has expired or was copied incompletely. Send the "
            "endorsement form again and we will email you a new link."
        ),
        "front:campaigns",
        _("Campaigns"),
    ),
)
