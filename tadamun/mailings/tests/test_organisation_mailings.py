"""A member organisation's mailing to its people (issue 19, item 2): only those who agreed to
hear from that organisation, each copy with one-click unsubscribe from it alone."""

import pytest
from django.test import Client

from tadamun.coalition.models import Organisation
from tadamun.mailings import sending
from tadamun.mailings.audience import audience
from tadamun.supporters import consents
from tadamun.supporters import services as supporters
from tadamun.supporters.models import Consent


@pytest.fixture
def lyon(db):
    return Organisation.objects.create(name="Collectif Lyon", country="FR", kind="community")


@pytest.fixture
def gaziantep(db):
    return Organisation.objects.create(name="Gaziantep Dayanışma", country="TR", kind="community")


def hears_from(supporter, organisation):
    """The question an organisation's own action asks, answered yes on confirming."""
    return supporters.give_consent(
        supporter, Consent.Purpose.PARTNER, organisation=organisation, wording=consents.OWNER
    )


def hears(supporter, organisation) -> bool:
    found = supporter.consents.active().filter(
        purpose=Consent.Purpose.PARTNER, organisation=organisation
    )
    return found.exists()


def test_it_goes_to_those_who_agreed_to_hear_from_the_organisation_and_no_one_else(
    make_supporter, make_mailing, lyon, gaziantep
):
    hears_from(make_supporter("amal@example.org", consent=False), lyon)
    make_supporter("coalition-only@example.org")  # the coalition's updates: not Lyon's
    hears_from(make_supporter("other@example.org", consent=False), gaziantep)
    left = make_supporter("left@example.org", consent=False)
    supporters.withdraw_consents(left, [hears_from(left, lyon).pk])
    mailing = make_mailing(partner=lyon)
    assert sorted(s.email for s in audience(mailing)) == ["amal@example.org"]


def test_each_copy_unsubscribes_from_that_organisation_only_in_the_readers_language(
    smtp_sink, make_supporter, make_mailing, lyon, gaziantep
):
    amal = make_supporter("amal@example.org", language="fr")  # the coalition's updates too
    hears_from(amal, lyon)
    hears_from(amal, gaziantep)
    mailing = make_mailing(partner=lyon)
    sending.start(mailing)
    sending.send_some(mailing.pk)
    (copy,) = smtp_sink.to("amal@example.org")
    assert copy["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = str(copy["List-Unsubscribe"]).strip().strip("<>")
    assert link in copy.get_payload()[0].get_payload(decode=True).decode()  # the footer's
    path = link.removeprefix("http://127.0.0.1:8000")
    assert path.startswith("/fr/")

    asked = Client().get(path).content.decode()
    assert "Collectif Lyon" in asked and '<form method="post">' in asked
    assert hears(amal, lyon)  # opening the link changes nothing
    done = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "Vous ne recevrez plus" in done.content.decode()
    assert not hears(amal, lyon)
    assert hears(amal, gaziantep)
    assert amal.consents.active().filter(purpose=Consent.Purpose.UPDATES).exists()
    withdrawn = amal.consents.get(organisation=lyon)
    assert withdrawn.withdrawn_at is not None  # the record stays, marked withdrawn
