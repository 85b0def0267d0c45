import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from tadamun.mailings.models import Mailing, MailingTranslation
from tadamun.supporters import services as supporters
from tadamun.supporters.models import Consent, Supporter


class Sink:
    """An SMTP server that keeps what it accepts; `refuse` maps an address to a reply."""

    def __init__(self):
        self.messages = []
        self.refuse = {}
        self.hang_up_after = set()  # addresses whose message is kept, then the line cut

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.rcpt_tos[0], message_from_bytes(envelope.content, policy=policy.default))
        )
        if envelope.rcpt_tos[0] in self.hang_up_after:
            server.transport.close()
        return "250 Message accepted"

    def to(self, address):
        return [message for rcpt, message in self.messages if rcpt == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_sink(settings):
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.MAILING_RATE_PER_SECOND = 10_000
    yield sink
    controller.stop()


@pytest.fixture
def make_supporter(db):
    def make(email, *, name="", language="en", country="FR", consent=True, partner=None):
        supporter = Supporter.objects.create(
            email=email, name=name, language=language, country=country
        )
        if consent:
            supporters.give_consent(supporter, Consent.Purpose.UPDATES)
        if partner is not None:
            supporters.give_consent(supporter, Consent.Purpose.PARTNER, organisation=partner)
        return supporter

    return make


@pytest.fixture
def make_mailing(db):
    def make(**fields):
        mailing = Mailing.objects.create(
            **{
                "title": "The day of action is coming",
                "summary": "Join us on Saturday.",
                "body": "Dear {name},\n\nJoin a **local event** on Saturday.",
                "language": "en",
                **fields,
            }
        )
        MailingTranslation.objects.create(
            mailing=mailing,
            language="fr",
            title="La journée d'action approche",
            body="Cher·e {name},\n\nRejoignez un **événement local** samedi.",
        )
        return mailing

    return make
