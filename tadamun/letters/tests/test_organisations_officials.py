"""An organisation's organisers import the officials of their own letter campaigns (issue 19):
the coalition's import (preview, confirm, progress), scoped so the officials go to the
campaign's own group, no official another campaign writes to is changed, the campaign goes
back to the moderators, and an organiser of another organisation reaches none of it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tadamun.coalition import member_actions
from tadamun.letters.models import LetterCampaign, Target, TargetImport
from tadamun.petitions.tests import test_organisations_petitions as petitions
from tadamun.petitions.tests.test_organisations_petitions import client_of

lyon, gaziantep = petitions.lyon, petitions.gaziantep

HEADER = "reference,name,title,institution,country,email,contact_form,groups,active\n"
OWN = (
    HEADER + "lyon-mayor,Grégory Doucet,maire,Mairie de Lyon,FR,maire@lyon.example.org,,"
    "Interior ministers,yes\n"
    + "lyon-deputy,Sandrine Runel,adjointe,Mairie de Lyon,FR,adjointe@lyon.example.org,,,yes\n"
)


@pytest.fixture
def lyons_letters(make_letter_campaign, lyon):
    """Lyon's approved campaign, made writing to the coalition's shared interior ministers."""
    letters = make_letter_campaign("ecrivez-au-maire", organisation=lyon)
    member_actions.moderate(LetterCampaign.objects.filter(pk=letters.pk), approve=True)
    letters.refresh_from_db()
    return letters


def officials_url(campaign) -> str:
    return reverse("admin:letters_lettercampaign_officials", args=[campaign.pk])


def upload(client, campaign, text, capture):
    with capture(execute=True):
        response = client.post(
            officials_url(campaign),
            {"file": SimpleUploadedFile("elus.csv", text.encode(), "text/csv")},
        )
    assert response.status_code == 302, response.content[:500]
    return client.get(response["Location"])


def confirm(client, page, capture):
    with capture(execute=True):
        response = client.post(page.wsgi_request.path, {"confirm": "1"})
    return client.get(response["Location"])


def test_an_organiser_imports_their_campaigns_own_officials(
    db, lyons_letters, lyon, ministers, django_capture_on_commit_callbacks
):
    client = client_of(lyon)
    change = client.get(reverse("admin:letters_lettercampaign_change", args=[lyons_letters.pk]))
    assert officials_url(lyons_letters) in change.text
    preview = upload(client, lyons_letters, OWN, django_capture_on_commit_callbacks)
    assert "2 new officials" in preview.text and "Grégory Doucet" in preview.text
    assert not Target.objects.filter(reference="lyon-mayor").exists()  # not before confirming
    done = confirm(client, preview, django_capture_on_commit_callbacks)
    assert "Imported 2 rows: 2 new officials" in done.text
    lyons_letters.refresh_from_db()
    assert sorted(lyons_letters.group.targets.values_list("reference", flat=True)) == [
        "lyon-deputy",
        "lyon-mayor",
    ]  # the groups column is not theirs to choose: the shared group is untouched
    assert ministers.targets.count() == 3
    assert lyons_letters.review == member_actions.Review.PENDING  # new addressees: read again


def test_an_official_other_campaigns_write_to_is_refused_and_nothing_changes(
    db, lyons_letters, lyon, ministers, django_capture_on_commit_callbacks
):
    hijack = OWN + "fr-interior,Quelqu'un,ministre,Ministère,FR,moi@example.org,,,yes\n"
    page = upload(client_of(lyon), lyons_letters, hijack, django_capture_on_commit_callbacks)
    assert "only the coalition&#x27;s admins change it" in page.text
    assert Target.objects.get(reference="fr-interior").name == "Claire Martin"
    assert not Target.objects.filter(reference="lyon-mayor").exists()
    lyons_letters.refresh_from_db()
    assert lyons_letters.group == ministers and lyons_letters.review == "approved"


def test_another_organisations_organiser_imports_nothing_into_it_and_sees_no_import(
    db, lyons_letters, lyon, gaziantep, make_staff, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    preview = upload(client_of(lyon), lyons_letters, OWN, capture)
    job = TargetImport.objects.get()
    other = client_of(gaziantep)
    progress = reverse(
        "admin:letters_lettercampaign_officials_progress", args=[lyons_letters.pk, job.pk]
    )
    for url in (officials_url(lyons_letters), progress):
        assert other.get(url).status_code == 404, url
    with capture(execute=True):
        refused = other.post(progress, {"confirm": "1"})
        other.post(
            officials_url(lyons_letters),
            {"file": SimpleUploadedFile("x.csv", OWN.encode(), "text/csv")},
        )
    assert refused.status_code == 404
    assert (
        TargetImport.objects.count() == 1
        and not Target.objects.filter(reference="lyon-mayor").exists()
    )
    # Its own campaign's address does not open Lyon's import either.
    theirs = LetterCampaign.objects.create(
        campaign=lyons_letters.campaign, organisation=gaziantep, slug="theirs", title="Theirs",
        subject="S", letter="L {name}", group=ministers_of(lyons_letters),
    )  # fmt: skip
    mixed = reverse("admin:letters_lettercampaign_officials_progress", args=[theirs.pk, job.pk])
    assert other.get(mixed).status_code == 404
    # The coalition's import of shared officials is not theirs.
    assert other.get(reverse("admin:letters_target_import")).status_code == 403
    assert preview.status_code == 200


def ministers_of(campaign):
    return campaign.group


def test_the_coalitions_own_campaigns_import_into_shared_groups_only(
    db, platform_campaign, admin_client
):
    assert admin_client.get(officials_url(platform_campaign)).status_code == 404


def test_another_organisation_cannot_choose_a_campaigns_own_officials(
    db, lyons_letters, lyon, gaziantep, ministers, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    confirm(client_of(lyon), upload(client_of(lyon), lyons_letters, OWN, capture), capture)
    lyons_letters.refresh_from_db()
    own = lyons_letters.group
    add = reverse("admin:letters_lettercampaign_add")

    def groups_offered(organisation) -> str:
        page = client_of(organisation).get(add).text
        return page[page.index('name="group"') :].split("</select>", 1)[0]

    offered = groups_offered(gaziantep)
    assert f'<option value="{ministers.pk}"' in offered
    assert f'<option value="{own.pk}"' not in offered
    assert f'<option value="{own.pk}"' in groups_offered(lyon)
