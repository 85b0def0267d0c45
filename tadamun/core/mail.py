"""Transactional email: rendered in the recipient's language from two templates,
`<name>_subject.txt` and `<name>.txt`, from the site identity's sender, its `identity` in the
templates' context (for the sign-off)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from tadamun.core.identity import site_identity


def templated_message(
    name: str, context: dict, *, to: str, language: str, headers: dict | None = None
) -> EmailMessage:
    identity = site_identity(language)
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, "identity": identity, **context}
        subject = " ".join(render_to_string(f"{name}_subject.txt", context).split())
        body = render_to_string(f"{name}.txt", context)
    return EmailMessage(subject, body, identity.from_email, to=[to], headers=headers)


def send_templated_mail(
    name: str, context: dict, *, to: str, language: str, headers: dict | None = None
) -> None:
    templated_message(name, context, to=to, language=language, headers=headers).send()
