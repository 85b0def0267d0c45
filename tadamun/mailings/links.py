"""The unsubscribe link in each copy of a mailing (core.confirmation). It names the copy, so
it withdraws the consent that mailing was sent under; it does not expire."""

from django.utils.translation import gettext_lazy as _

from tadamun.core.confirmation import ConfirmLink, InvalidLink
from tadamun.core.privacy import keyed_hash
from tadamun.mailings.models import Recipient

UNSUBSCRIBE_FROM_MAILING = ConfirmLink(
    salt="tadamun.mailings.unsubscribe",
    url_name="mailings:unsubscribe",
    objects=lambda: Recipient.objects.select_related("mailing", "supporter"),
    fingerprint=lambda copy: keyed_hash("mailing-unsubscribe", f"{copy.pk}:{copy.supporter_id}")[
        :16
    ],
    max_age=None,
    invalid=InvalidLink(
        _(
            "This unsubscribe link was copied incompletely. Use the link of another of our "
            "emails, or “Your data” to stop every email."
        ),
        "supporters:my_data_request",
        _("Your data"),
    ),
)
