"""An organisation's action stays, hidden, when its last organiser is removed (issue 19): a
coalition admin finds such actions in the back office (every admin of organisations' actions
has the filter) and re-assigns one to another organisation, whose organisers then answer for
it and under which it is public again."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tadamun.coalition import member_actions
from tadamun.coalition.member_admin import OwnedByOrganisationAdmin
from tadamun.petitions.tests import test_organisations_petitions as petitions
from tadamun.petitions.tests.test_organisations_petitions import add_form, approve, client_of
from tadamun.staff import roles

# The two organisations, each with its organiser, and Lyon's petition, of the petitions' tests.
lyon, gaziantep, lyons_petition = petitions.lyon, petitions.gaziantep, petitions.lyons_petition
FILTER = "None left: hidden until re-assigned"


def coalition_admin(make_staff) -> Client:
    client = Client()
    client.force_login(make_staff(roles.COALITION_ADMIN, username="coalition-admin"))
    return client


def test_a_coalition_admin_finds_an_orphaned_action_and_reassigns_it(
    db, campaign, lyons_petition, lyon, gaziantep, make_staff
):
    approve(lyons_petition)
    public = lyons_petition.get_absolute_url()
    lyon.organisers.clear()
    assert Client().get(public).status_code == 404
    client = coalition_admin(make_staff)
    changelist = reverse("admin:petitions_petition_changelist")
    assert "Ouvrez la ville" in client.get(changelist + "?orphaned=yes").content.decode()

    change = reverse("admin:petitions_petition_change", args=[lyons_petition.pk])
    # The coalition admin's page of it: the moderators' word and the inlines organisers lack.
    page = add_form(campaign, gaziantep, review="approved")
    for inline in ("goals", "translations"):
        page |= {f"{inline}-TOTAL_FORMS": "0", f"{inline}-INITIAL_FORMS": "0"}
    response = client.post(change, page)
    assert response.status_code == 302, response.context["adminform"].form.errors
    lyons_petition.refresh_from_db()
    assert lyons_petition.organisation == gaziantep
    assert lyons_petition.review == member_actions.Review.APPROVED  # the same approved words
    page = Client().get(public)
    assert page.status_code == 200 and "Gaziantep Dayanışma" in page.content.decode()
    client.get(changelist)  # the "changed successfully" message, read
    assert "Ouvrez la ville" not in client.get(changelist + "?orphaned=yes").content.decode()
    # Its new organisation's organiser now answers for it.
    assert client_of(gaziantep).get(change).status_code == 200


def test_the_filter_lists_only_actions_no_organiser_answers_for(
    db, campaign, lyons_petition, gaziantep, make_staff
):
    approve(lyons_petition)
    changelist = reverse("admin:petitions_petition_changelist")
    assert "Ouvrez la ville" not in (
        coalition_admin(make_staff).get(changelist + "?orphaned=yes").content.decode()
    )


def owned_by_organisation_admins():
    return sorted(
        (model._meta.label for model, model_admin in admin.site._registry.items()
         if isinstance(model_admin, OwnedByOrganisationAdmin)),
    )  # fmt: skip


def test_the_walk_finds_every_kind_of_organisations_action():
    assert {"petitions.Petition", "letters.LetterCampaign", "events.Event"} <= set(
        owned_by_organisation_admins()
    )


@pytest.mark.parametrize("label", owned_by_organisation_admins())
def test_every_kind_of_organisations_action_has_the_filter_for_coalition_admins_only(
    db, label, lyon, make_staff
):
    model = next(model for model in admin.site._registry if model._meta.label == label)
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    client = coalition_admin(make_staff)
    shown = client.get(changelist)
    assert shown.status_code == 200 and FILTER in shown.content.decode()
    assert client.get(changelist + "?orphaned=yes").status_code == 200
    assert FILTER not in client_of(lyon).get(changelist).content.decode()
