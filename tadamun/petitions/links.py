"""The link a signer is emailed to confirm their signature (core.confirmation)."""

from django.utils.translation import gettext_lazy as _

from tadamun.core.confirmation import ConfirmLink, InvalidLink
from tadamun.core.privacy import keyed_hash
from tadamun.petitions.models import Signature


def _fingerprint(signature: Signature) -> str:
    """What the link confirms. The partner is part of it: a submission naming another partner
    voids the links sent before. (Only when there is one, so that links without a partner
    sent before the partner was recorded keep working.)"""
    partner = [signature.partner_id] if signature.partner_id else []
    content = "\n".join(
        str(value)
        for value in (
            signature.name,
            signature.country,
            signature.public_name,
            signature.comment,
            signature.wants_updates,
            signature.shares_with_partner,
            *partner,
        )
    )
    return keyed_hash("signature", content)[:16]


CONFIRM_SIGNATURE = ConfirmLink(
    salt="tadamun.signature.confirm",
    url_name="petitions:confirm",
    objects=lambda: Signature.objects.select_related("petition", "supporter").filter(
        supporter__isnull=False  # erased: there is nobody left to confirm
    ),
    fingerprint=_fingerprint,
    # A confirmed signature no longer holds what was submitted: any of its links just says so.
    fingerprint_counts=lambda signature: signature.status == Signature.Status.UNCONFIRMED,
    invalid=InvalidLink(
        _(
            "The confirmation link has expired or was copied incompletely. Sign the petition "
            "again with the same address and we will send you a new link: you will still "
            "count once."
        ),
        "petitions:list",
        _("Petitions"),
    ),
)
