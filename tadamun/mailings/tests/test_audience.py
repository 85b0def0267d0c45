"""Who a mailing reaches: only people who consented, then the admin's choices."""

import pytest

from tadamun.coalition.models import Organisation
from tadamun.mailings.audience import audience
from tadamun.mailings.models import Suppression
from tadamun.supporters import services as supporters
from tadamun.supporters.models import Consent, Tag


def emails(mailing):
    return sorted(s.email for s in audience(mailing))


@pytest.fixture
def partner(db):
    return Organisation.objects.create(name="Comité Lyon–Idlib", country="FR", kind="community")


def test_a_coalition_mailing_reaches_only_those_who_asked_for_updates(make_supporter, make_mailing):
    make_supporter("yes@example.org")
    make_supporter("no@example.org", consent=False)
    withdrawn = make_supporter("withdrawn@example.org")
    supporters.withdraw_consents(withdrawn, purpose=Consent.Purpose.UPDATES)
    assert emails(make_mailing()) == ["yes@example.org"]


def test_a_partner_mailing_reaches_only_those_who_agreed_to_that_partner(
    make_supporter, make_mailing, partner
):
    other = Organisation.objects.create(name="Other", country="DE", kind="ngo")
    make_supporter("updates-only@example.org")
    make_supporter("partner@example.org", consent=False, partner=partner)
    make_supporter("other-partner@example.org", consent=False, partner=other)
    assert emails(make_mailing(partner=partner)) == ["partner@example.org"]


def test_country_language_and_tag_narrow_the_audience(make_supporter, make_mailing):
    make_supporter("fr@example.org", country="FR", language="fr")
    make_supporter("de@example.org", country="DE", language="de")
    tagged = make_supporter("tagged@example.org", country="FR", language="ar")
    tag = Tag.objects.create(name="volunteers Lyon")
    tagged.tags.add(tag)
    assert emails(make_mailing(countries=["FR"])) == ["fr@example.org", "tagged@example.org"]
    assert emails(make_mailing(languages=["de", "ar"])) == ["de@example.org", "tagged@example.org"]
    by_tag = make_mailing()
    by_tag.tags.add(tag)
    assert emails(by_tag) == ["tagged@example.org"]


def test_activity_reaches_signers_attendees_and_writers_once_each(
    make_supporter, make_mailing, campaign
):
    from tadamun.letters.models import Letter, LetterCampaign, TargetGroup
    from tadamun.petitions.models import Petition, Signature

    petition = Petition.objects.create(
        campaign=campaign, slug="p", title="P", target="T", status="open"
    )
    signer = make_supporter("signer@example.org")
    Signature.objects.create(petition=petition, supporter=signer, country="FR", status="confirmed")
    unconfirmed = make_supporter("unconfirmed@example.org")
    Signature.objects.create(petition=petition, supporter=unconfirmed, country="FR")
    letters = LetterCampaign.objects.create(
        campaign=campaign,
        slug="l",
        title="L",
        subject="S",
        letter="L",
        group=TargetGroup.objects.create(name="G", slug="g"),
    )
    both = make_supporter("both@example.org")
    Signature.objects.create(petition=petition, supporter=both, country="FR", status="confirmed")
    Letter.objects.create(campaign=letters, supporter=both, country="FR", status="confirmed")
    make_supporter("idle@example.org")

    mailing = make_mailing()
    mailing.petitions.add(petition)
    mailing.letter_campaigns.add(letters)
    assert emails(mailing) == ["both@example.org", "signer@example.org"]
    assert audience(mailing).count() == 2


def test_suppressed_addresses_are_left_out(make_supporter, make_mailing):
    bounced = make_supporter("bounced@example.org")
    make_supporter("fine@example.org")
    Suppression.objects.create(email_hash=bounced.email_hash, reason="bounce")
    assert emails(make_mailing()) == ["fine@example.org"]
