"""The links a supporter is emailed (core.confirmation): to their data, to stop the updates,
and to share their data with the partner that submitted them. Each is tied to the address it
was sent to: a link outlives no change of email."""

from django.utils.translation import gettext_lazy as _

from tadamun.core.confirmation import ConfirmLink, InvalidLink
from tadamun.supporters.models import PartnerPerson, Supporter

EXPIRED = InvalidLink(
    _("The link has expired, was copied incompletely, or the data it points to has been erased."),
    "supporters:my_data_request",
    _("Ask for a new link to your data"),
)


def _address(supporter: Supporter) -> str:
    return supporter.email_hash[:16]


MY_DATA = ConfirmLink(
    salt="tadamun.supporters.my-data",
    url_name="supporters:my_data",
    objects=lambda: Supporter.objects.all(),
    fingerprint=_address,
    max_age="MY_DATA_LINK_MAX_AGE",
    invalid=EXPIRED,
)

# In every email a person keeps: it does not expire.
UNSUBSCRIBE = ConfirmLink(
    salt="tadamun.supporters.unsubscribe",
    url_name="supporters:unsubscribe",
    objects=lambda: Supporter.objects.all(),
    fingerprint=_address,
    max_age=None,
    invalid=EXPIRED,
)

SHARE = ConfirmLink(
    salt="tadamun.supporters.share",
    url_name="supporters:share",
    objects=lambda: PartnerPerson.objects.select_related("organisation", "supporter"),
    fingerprint=lambda person: _address(person.supporter),
    invalid=EXPIRED,
)

# Asks an imported person to confirm, themselves, the news the coalition said they wanted.
CONFIRM_NEWS = ConfirmLink(
    salt="tadamun.supporters.confirm-news",
    url_name="supporters:confirm_news",
    objects=lambda: Supporter.objects.all(),
    fingerprint=_address,
    invalid=EXPIRED,
)
