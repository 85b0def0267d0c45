"""Roles see and change only what they need; an organiser sees only their own organisation."""

import pytest
from django.test import Client

from tadamun.coalition import access
from tadamun.coalition.models import Endorsement, Organisation
from tadamun.core import roles


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def two_organisations(make_endorsement):
    mine = make_endorsement("Amal Network", "FR", status="pending")
    theirs = make_endorsement("Beirut Aid", "LB", status="pending")
    return mine, theirs


def test_organiser_sees_only_their_own_organisation(make_staff, two_organisations):
    mine, theirs = two_organisations
    organiser = make_staff(roles.ORGANISER)
    mine.organisation.organisers.add(organiser)
    client = logged_in(organiser)

    listing = client.get("/en/admin/coalition/organisation/").content.decode()
    assert "Amal Network" in listing and "Beirut Aid" not in listing
    endorsements = client.get("/en/admin/coalition/endorsement/").content.decode()
    assert "Amal Network" in endorsements and "Beirut Aid" not in endorsements
    other = f"/en/admin/coalition/endorsement/{theirs.pk}/change/"
    assert client.get(other).status_code == 302  # redirected away: it does not exist for them
    assert (
        client.get(f"/en/admin/coalition/organisation/{theirs.organisation.pk}/change/").status_code
        == 302
    )
    assert client.get(f"/en/admin/coalition/endorsement/{mine.pk}/change/").status_code == 200


def test_organiser_cannot_add_organisers_or_moderate(make_staff, two_organisations):
    mine, _theirs = two_organisations
    organiser = make_staff(roles.ORGANISER)
    mine.organisation.organisers.add(organiser)
    intruder = make_staff(roles.ORGANISER, username="intruder")
    client = logged_in(organiser)

    page = client.get(f"/en/admin/coalition/organisation/{mine.organisation.pk}/change/")
    assert b'name="organisers"' not in page.content
    client.post(
        f"/en/admin/coalition/organisation/{mine.organisation.pk}/change/",
        {"name": "Amal Network", "country": "FR", "kind": "ngo", "organisers": [intruder.pk]},
    )
    assert list(mine.organisation.organisers.all()) == [organiser]

    client.post(
        "/en/admin/coalition/endorsement/",
        {"action": "approve", "_selected_action": [mine.pk]},
    )
    mine.refresh_from_db()
    assert mine.status == Endorsement.Status.PENDING


def test_moderator_sees_everything_and_approves(make_staff, two_organisations):
    mine, theirs = two_organisations
    client = logged_in(make_staff(roles.MODERATOR))
    listing = client.get("/en/admin/coalition/endorsement/").content.decode()
    assert "Amal Network" in listing and "Beirut Aid" in listing
    assert "Awaiting moderation: 2" in listing
    client.post(
        "/en/admin/coalition/endorsement/",
        {"action": "approve", "_selected_action": [mine.pk, theirs.pk]},
    )
    assert Endorsement.objects.approved().count() == 2


def test_moderator_cannot_touch_campaigns_or_publications(make_staff, campaign):
    client = logged_in(make_staff(roles.MODERATOR))
    assert client.get(f"/en/admin/coalition/campaign/{campaign.pk}/change/").status_code == 200
    response = client.post(
        f"/en/admin/coalition/campaign/{campaign.pk}/change/",
        {
            "title": "Changed",
            "slug": "x",
            "status": "active",
            "starts_on": "2026-01-01",
            "language": "en",
        },
    )
    assert response.status_code == 403
    assert client.get("/en/admin/publications/publication/").status_code == 403


def test_translator_edits_translations_only(make_staff, campaign):
    client = logged_in(make_staff(roles.TRANSLATOR))
    response = client.post(
        "/en/admin/coalition/campaigntranslation/add/",
        {
            "campaign": campaign.pk,
            "language": "fr",
            "title": "Ouvrez les frontières",
            "summary": "",
            "body": "",
        },
    )
    assert response.status_code == 302
    assert campaign.translations.get().title == "Ouvrez les frontières"
    assert (
        client.post(
            f"/en/admin/coalition/campaign/{campaign.pk}/change/", {"title": "x"}
        ).status_code
        == 403
    )
    assert client.get("/en/admin/coalition/endorsement/").status_code == 403
    assert client.get("/en/admin/coalition/organisation/").status_code == 403


def test_coalition_admin_manages_campaigns(make_staff, campaign):
    client = logged_in(make_staff(roles.COALITION_ADMIN))
    assert client.get("/en/admin/coalition/campaign/add/").status_code == 200
    assert client.get("/en/admin/publications/publication/add/").status_code == 200


def test_access_helpers_for_inactive_and_unrelated_users(make_staff, two_organisations):
    inactive = make_staff(roles.MODERATOR, is_active=False)
    assert not access.organisations_for(inactive).exists()
    stranger = make_staff(roles.ORGANISER, username="stranger")
    assert not access.endorsements_for(stranger).exists()
    assert not access.can_manage_organisation(stranger, Organisation.objects.first())


def test_roles_are_groups_created_by_migrate(db):
    from django.contrib.auth.models import Group

    names = set(Group.objects.values_list("name", flat=True))
    assert {roles.COALITION_ADMIN, roles.MODERATOR, roles.TRANSLATOR, roles.ORGANISER} <= names
