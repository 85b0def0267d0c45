"""A member organisation's own letter campaign (issue 19): public once approved, "by" the
organisation, and writers who agree to hear from it become its people."""

from django.core import mail

from tadamun.coalition import member_actions
from tadamun.coalition.models import Organisation
from tadamun.letters.models import LetterCampaign
from tadamun.staff import roles
from tadamun.supporters import consents, exports
from tadamun.supporters.models import Consent

from .test_writing import compose, composed_form, confirm_link


def test_writers_who_agree_to_hear_from_the_organisation_become_its_people(
    post, client, make_letter_campaign, make_staff
):
    lyon = Organisation.objects.create(name="Collectif Lyon", country="FR")
    lyon.organisers.add(make_staff(roles.ORGANISER, username="lyon"))
    other = Organisation.objects.create(name="Another group", country="DE")
    other.organisers.add(make_staff(roles.ORGANISER, username="other"))
    letters = make_letter_campaign(organisation=lyon)
    assert client.get(letters.get_absolute_url()).status_code == 404  # waits for a moderator
    member_actions.moderate(LetterCampaign.objects.filter(pk=letters.pk), approve=True)

    page = client.get(letters.get_absolute_url()).content.decode()
    assert '<bdi dir="auto">Collectif Lyon</bdi>' in page
    assert 'name="hears_from_owner"' in page
    fields = composed_form(compose(client, letters)) | {"hears_from_owner": "on"}
    post(f"/en/letters/{letters.slug}/send", fields)
    assert not Consent.objects.filter(organisation=lyon).exists()  # not before confirming
    post(confirm_link(mail.outbox[0]))

    given = Consent.objects.get(organisation=lyon)
    assert (given.purpose, given.wording) == (Consent.Purpose.PARTNER, consents.OWNER)
    lyons = b"".join(exports.supporters_csv(lyon.organisers.get()).streaming_content)
    others = b"".join(exports.supporters_csv(other.organisers.get()).streaming_content)
    assert b"amal@example.org" in lyons and b"amal@example.org" not in others


def test_the_coalitions_own_letter_campaign_asks_nothing_for_an_organisation(
    client, platform_campaign
):
    page = client.get(platform_campaign.get_absolute_url()).content.decode()
    assert 'name="hears_from_owner"' not in page and "by-organisation" not in page
