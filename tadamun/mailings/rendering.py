"""A mailing as each recipient gets it: subject, plain text and HTML, in their language,
with their first name and their own one-click unsubscribe link.

What is the same for every reader of a language is rendered once (`Edition`); each
recipient's copy only fills in a name and a link, so a mailing to 100,000 people does not
render a template 100,000 times.
"""

import functools
from dataclasses import dataclass
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from tadamun.core import links
from tadamun.core.privacy import keyed_hash
from tadamun.mailings.models import Mailing, Recipient

UNSUBSCRIBE_SALT = "tadamun.mailings.unsubscribe"
NAME = "{name}"
LINK = "\x00unsubscribe\x00"
LINK_KEY_STAND_IN = "link-key-stand-in"


def unsubscribe_fingerprint(recipient_id: int, supporter_id: int | None) -> str:
    return keyed_hash("mailing-unsubscribe", f"{recipient_id}:{supporter_id}")[:16]


def unsubscribe_path(recipient: Recipient) -> str:
    token = links.make_token(
        recipient.pk,
        unsubscribe_fingerprint(recipient.pk, recipient.supporter_id),
        salt=UNSUBSCRIBE_SALT,
    )
    return _unsubscribe_path_in(recipient.language).replace(LINK_KEY_STAND_IN, token)


@functools.cache
def _unsubscribe_path_in(language: str) -> str:
    """The path with a stand-in for the token, worked out once per language rather than
    once per copy (a mailing makes a hundred thousand)."""
    with translation.override(language):
        return reverse("mailings:unsubscribe", args=[LINK_KEY_STAND_IN])


@dataclass(frozen=True)
class Edition:
    """The mailing in one language, with places for a name and an unsubscribe link."""

    mailing_id: int
    language: str
    subject: str
    text: str
    html: str
    anonymous: str  # what {name} becomes for someone we know no name of

    def message(self, recipient: Recipient, email: str, first_name: str) -> EmailMultiAlternatives:
        link = settings.SITE_URL + unsubscribe_path(recipient)
        name = first_name or self.anonymous
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.text.replace(NAME, name).replace(LINK, link),
            to=[email],
            headers={
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Message-ID": message_id(recipient),
                "Auto-Submitted": "auto-generated",
                "Precedence": "bulk",
            },
        )
        message.attach_alternative(
            self.html.replace(NAME, escape(name)).replace(LINK, escape(link)), "text/html"
        )
        return message


def message_id(recipient: Recipient) -> str:
    """The same for every attempt at one copy, so a receiving server can recognise a copy
    it already has."""
    return make_msgid(f"tadamun.{recipient.mailing_id}.{recipient.pk}", domain=_domain())


def _domain() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"


def edition(mailing: Mailing, language: str) -> Edition:
    text = mailing.localized(language)
    with translation.override(language):
        context = {
            "mailing": mailing,
            "text": text,
            "unsubscribe_url": LINK,
            "site_url": settings.SITE_URL,
        }
        return Edition(
            mailing_id=mailing.pk,
            language=language,
            subject=text.title,
            text=render_to_string("mailings/email.txt", context),
            html=render_to_string("mailings/email.html", context),
            anonymous=_("friend"),
        )
