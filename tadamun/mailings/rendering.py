"""A mailing as each recipient gets it: subject, plain text and HTML, in their language,
with their first name and their own one-click unsubscribe link.

What is the same for every reader of a language is rendered once (`Edition`); each
recipient's copy only fills in a name and a link, so a mailing to 100,000 people does not
render a template 100,000 times.
"""

import functools
import quopri
import secrets
from dataclasses import asdict, dataclass, field
from email.header import Header
from email.utils import formatdate

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from tadamun.core.identity import site_identity
from tadamun.core.markdown import markdown_to_text
from tadamun.mailings import clicks
from tadamun.mailings.links import UNSUBSCRIBE_FROM_MAILING
from tadamun.mailings.models import Mailing, Recipient

NAME = "{name}"
# Characters of Unicode's private-use area mark the link's place: nobody types them, and unlike
# NUL they can be kept in PostgreSQL's JSON (the frozen editions).
LINK = "\ue000unsubscribe\ue000"
LINK_KEY_STAND_IN = "link-key-stand-in"


def unsubscribe_path(recipient: Recipient) -> str:
    token = UNSUBSCRIBE_FROM_MAILING.token(recipient)
    return _unsubscribe_path_in(recipient.language).replace(LINK_KEY_STAND_IN, token)


@functools.cache
def _unsubscribe_path_in(language: str) -> str:
    """The path with a stand-in for the token, worked out once per language rather than
    once per copy (a mailing makes a hundred thousand)."""
    with translation.override(language):
        return reverse(UNSUBSCRIBE_FROM_MAILING.url_name, args=[LINK_KEY_STAND_IN])


@dataclass(frozen=True)
class Edition:
    """The mailing in one language, with places for a name and an unsubscribe link."""

    mailing_id: int
    language: str
    subject: str
    text: str
    html: str
    anonymous: str  # what {name} becomes for someone we know no name of
    sender: str  # From:, the site identity's sender as the edition was rendered
    boundary: str = field(default_factory=lambda: f"tadamun-{secrets.token_hex(12)}")

    def message(self, recipient: Recipient, email: str, first_name: str) -> EmailMultiAlternatives:
        link = settings.SITE_URL + unsubscribe_path(recipient)
        name = first_name or self.anonymous
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.text.replace(NAME, name).replace(LINK, link),
            from_email=self.sender,
            to=[email],
            headers=_headers(recipient, link),
        )
        message.attach_alternative(
            self.html.replace(NAME, escape(name)).replace(LINK, escape(link)), "text/html"
        )
        return message

    def raw(self, recipient: Recipient, email: str, first_name: str) -> tuple[str, str, bytes]:
        """(sender, recipient, message bytes) for an SMTP server: the same message as
        `message()`, assembled here rather than by the email package, whose header folding
        costs a worker more than everything else it does per copy."""
        link = settings.SITE_URL + unsubscribe_path(recipient)
        name = first_name or self.anonymous
        sender = sanitize_address(self.sender, "utf-8")
        to = sanitize_address(email, "utf-8")
        headers = {
            "From": sender,
            "To": to,
            "Subject": _encoded(self.subject),
            "Date": formatdate(localtime=False),
            "MIME-Version": "1.0",
            "Content-Type": f'multipart/alternative; boundary="{self.boundary}"',
            **_headers(recipient, link),
        }
        parts = [
            ("text/plain", self.text.replace(NAME, name).replace(LINK, link)),
            ("text/html", self.html.replace(NAME, escape(name)).replace(LINK, escape(link))),
        ]
        lines = [f"{key}: {value}" for key, value in headers.items()] + [""]
        for content_type, body in parts:
            lines += [
                f"--{self.boundary}",
                f'Content-Type: {content_type}; charset="utf-8"',
                "Content-Transfer-Encoding: quoted-printable",
                "",
                _quoted_printable(body),
            ]
        lines += [f"--{self.boundary}--", ""]
        return sender, to, "\r\n".join(lines).encode("ascii")


def _headers(recipient: Recipient, link: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Message-ID": message_id(recipient),
        "Auto-Submitted": "auto-generated",
        "Precedence": "bulk",
    }


def _encoded(header: str) -> str:
    """A header value as RFC 2047 words when it is not plain ASCII."""
    return header if header.isascii() else Header(header, "utf-8").encode()


def _quoted_printable(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    return quopri.encodestring(lines.encode()).decode("ascii").replace("\n", "\r\n")


def message_id(recipient: Recipient) -> str:
    """The same for every attempt at one copy, so a receiving server can recognise a copy
    it already has."""
    return f"<tadamun.{recipient.mailing_id}.{recipient.pk}@{_domain()}>"


def _domain() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"


FROZEN_FIELDS = ("subject", "text", "html", "anonymous", "sender")


def freeze(mailing: Mailing) -> dict[str, dict[str, str]]:
    """Every language's copy as it is now, to be stored in `mailing.editions` when sending
    starts (a recipient's language is any of the site's)."""
    frozen = {}
    for language, _name in settings.LANGUAGES:
        copy = asdict(edition(mailing, language))
        if settings.MAILING_COUNT_CLICKS:
            copy["html"], copy["text"] = clicks.counted(
                mailing, language, copy["html"], copy["text"]
            )
        frozen[language] = {name: copy[name] for name in FROZEN_FIELDS}
    return frozen


def sent_edition(mailing: Mailing, language: str) -> Edition:
    """The copy every recipient of `language` gets: the one frozen when sending started."""
    if mailing.editions is None:  # started before copies were frozen (sending on upgrade)
        return edition(mailing, language)
    frozen = mailing.editions.get(language) or mailing.editions[mailing.language]
    # Frozen before editions kept their sender: the identity's sender now.
    sender = site_identity(language).from_email
    return Edition(mailing_id=mailing.pk, language=language, **{"sender": sender, **frozen})


def edition(mailing: Mailing, language: str) -> Edition:
    """The copy rendered from the mailing's text now (previews, tests, freezing)."""
    text = mailing.localized(language)
    with translation.override(language):
        context = {
            "mailing": mailing,
            "text": text,
            "body_text": markdown_to_text(text.body),
            "unsubscribe_url": LINK,
            "site_url": settings.SITE_URL,
            "identity": site_identity(language),
            "counts_clicks": settings.MAILING_COUNT_CLICKS,
        }
        return Edition(
            mailing_id=mailing.pk,
            language=language,
            subject=text.title,
            text=render_to_string("mailings/email.txt", context),
            html=render_to_string("mailings/email.html", context),
            anonymous=_("friend"),
            sender=site_identity(language).from_email,
        )
