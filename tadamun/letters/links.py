"""The link a writer is emailed to confirm their letter (core.confirmation)."""

from django.utils.translation import gettext_lazy as _

from tadamun.core.confirmation import ConfirmLink, InvalidLink
from tadamun.core.privacy import keyed_hash
from tadamun.letters.models import Letter


def _fingerprint(letter: Letter) -> str:
    content = "\n".join(
        str(value) for value in (letter.name, letter.country, letter.subject, letter.text)
    )
    return keyed_hash("letter", content)[:16]


CONFIRM_LETTER = ConfirmLink(
    salt="tadamun.letter.confirm",
    url_name="letters:confirm",
    objects=lambda: Letter.objects.select_related("campaign", "supporter").filter(
        supporter__isnull=False
    ),
    fingerprint=_fingerprint,
    # A confirmed letter is sent: any of its links just says so.
    fingerprint_counts=lambda letter: letter.status == Letter.Status.UNCONFIRMED,
    invalid=InvalidLink(
        _(
            "The confirmation link has expired or was copied incompletely. Write the letter "
            "again with the same address and we will send you a new link: your letter will "
            "still be sent once."
        ),
        "letters:list",
        _("Letters to decision makers"),
    ),
)
