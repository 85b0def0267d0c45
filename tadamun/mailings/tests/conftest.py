import pytest

from tadamun.mailings.models import Mailing, MailingTranslation
from tadamun.supporters import services as supporters
from tadamun.supporters.models import Consent, Supporter


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
