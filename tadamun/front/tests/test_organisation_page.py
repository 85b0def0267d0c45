"""The organisation's public page (issue 19): endorsing and member organisations have one,
listing the actions the public may see, each through its app's own public query; "by
<organisation>" links to it. That no waiting or orphaned action appears there is also walked by
core/tests/test_moderation.py (the crawler reaches the page through the sitemap and the links)."""

import pytest
from django.contrib.auth import get_user_model

from tadamun.coalition import member_actions
from tadamun.coalition.models import Organisation
from tadamun.letters.models import LetterCampaign, TargetGroup
from tadamun.petitions.models import Petition


@pytest.fixture
def lyon(db):
    organisation = Organisation.objects.create(name="Collectif Lyon", country="FR", kind="ngo")
    organisation.organisers.add(get_user_model().objects.create_user("lyon", is_staff=True))
    return organisation


def petition(campaign, organisation, slug, *, approved=True, status=Petition.Status.OPEN):
    made = Petition.objects.create(
        campaign=campaign,
        organisation=organisation,
        slug=slug,
        title=f"Petition {slug}",
        target="Le conseil municipal",
        summary="Lyon, ville refuge.",
        status=status,
    )
    if approved:
        member_actions.moderate(Petition.objects.filter(pk=made.pk), approve=True)
    return made


def letter_campaign(campaign, organisation, slug, *, approved=True):
    group = TargetGroup.objects.create(name=f"Council {slug}", slug=f"council-{slug}")
    made = LetterCampaign.objects.create(
        campaign=campaign,
        organisation=organisation,
        slug=slug,
        title=f"Letters {slug}",
        summary="Write to the council.",
        subject="Refuge",
        letter="Dear {target_name},",
        group=group,
        status=LetterCampaign.Status.OPEN,
    )
    if approved:
        member_actions.moderate(LetterCampaign.objects.filter(pk=made.pk), approve=True)
    return made


def page(client, organisation, language="en"):
    return client.get(f"/{language}/organisations/{organisation.pk}/")


def test_a_member_organisation_lists_its_approved_actions_only(client, campaign, lyon):
    petition(campaign, lyon, "approved-petition")
    petition(campaign, lyon, "waiting-petition", approved=False)
    petition(campaign, lyon, "draft-petition", status=Petition.Status.DRAFT)
    letter_campaign(campaign, lyon, "approved-letters")
    letter_campaign(campaign, lyon, "waiting-letters", approved=False)
    other = Organisation.objects.create(name="Another group", country="DE", kind="ngo")
    other.organisers.add(get_user_model().objects.create_user("other", is_staff=True))
    petition(campaign, other, "another-groups-petition")

    response = page(client, lyon)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 dir="auto">Collectif Lyon</h1>' in html
    assert "/en/petitions/approved-petition/" in html
    assert "/en/letters/approved-letters/" in html
    for hidden in ("waiting-petition", "draft-petition", "waiting-letters", "another-groups"):
        assert hidden not in html, hidden


def test_an_orphaned_organisations_actions_leave_its_page(client, campaign, lyon, make_endorsement):
    make_endorsement("Collectif Lyon", "FR")  # it also endorses: its page stays
    petition(campaign, lyon, "approved-petition")
    assert "approved-petition" in page(client, lyon).content.decode()
    lyon.organisers.clear()
    html = page(client, lyon).content.decode()
    assert "approved-petition" not in html
    assert "No public action yet." in html
    assert "Open the borders" in html  # the campaign it endorses


@pytest.mark.parametrize("status", ["unconfirmed", "pending", "rejected"])
def test_an_organisation_neither_endorsing_nor_member_has_no_page(client, make_endorsement, status):
    endorsement = make_endorsement("Hidden group", "FR", status=status)
    assert page(client, endorsement.organisation).status_code == 404


def test_an_endorsement_of_a_draft_campaign_gives_no_page(client, campaign, make_endorsement):
    endorsement = make_endorsement("Quiet group", "FR")
    campaign.status = campaign.Status.DRAFT
    campaign.save()
    assert page(client, endorsement.organisation).status_code == 404


def test_by_organisation_links_to_its_page(client, campaign, lyon):
    petition(campaign, lyon, "approved-petition")
    address = f"/en/organisations/{lyon.pk}/"
    for url in ("/en/petitions/", "/en/petitions/approved-petition/"):
        html = client.get(url).content.decode()
        assert f'<a href="{address}">by <bdi dir="auto">Collectif Lyon</bdi></a>' in html, url


def test_arabic_page_isolates_the_name_and_its_actions(client, campaign, lyon):
    lyon.name = "Solidarity Lyon"
    lyon.website = "https://lyon.example/"
    lyon.save()
    petition(campaign, lyon, "approved-petition")
    html = page(client, lyon, "ar").content.decode()
    assert 'dir="rtl"' in html
    assert '<h1 dir="auto">Solidarity Lyon</h1>' in html
    assert '<bdi dir="ltr">https://lyon.example/</bdi>' in html
    assert "من تنظيم" not in html  # its own page says no "by" (the petition's does)
    assert "/ar/petitions/approved-petition/" in html


def test_the_sitemap_lists_public_organisations_only(client, campaign, lyon, make_endorsement):
    hidden = make_endorsement("Hidden group", "FR", status="pending").organisation
    endorsing = make_endorsement("Amal Network", "FR").organisation
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"/en/organisations/{lyon.pk}/" in sitemap
    assert f"/ar/organisations/{endorsing.pk}/" in sitemap
    assert f"/organisations/{hidden.pk}/" not in sitemap


def test_page_cost_does_not_grow_with_actions(
    client, campaign, lyon, django_assert_max_num_queries
):
    petition(campaign, lyon, "first")
    letter_campaign(campaign, lyon, "first-letters")
    with django_assert_max_num_queries(30) as few:
        page(client, lyon)
    for n in range(6):
        petition(campaign, lyon, f"more-{n}")
        letter_campaign(campaign, lyon, f"more-letters-{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page(client, lyon)
