"""Promotion between member organisations (issue 19, item 5): an organisation features another
member's public action on its page once the owner's organisers approved; the featured action
is read through its app's own public query, so it leaves the page when it stops being public
(core/tests/test_moderation.py walks that too)."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tadamun.coalition import member_actions, services
from tadamun.coalition.models import Feature, Organisation
from tadamun.front.tests.test_organisation_page import letter_campaign, page, petition
from tadamun.petitions.models import Petition
from tadamun.staff import roles


def member(name, country, make_staff):
    organisation = Organisation.objects.create(name=name, country=country, kind="ngo")
    username = name.lower().replace(" ", "-")
    organisation.organisers.add(make_staff(roles.ORGANISER, username=username))
    return organisation


@pytest.fixture
def lyon(make_staff):
    return member("Collectif Lyon", "FR", make_staff)


@pytest.fixture
def berlin(make_staff):
    return member("Berlin hilft", "DE", make_staff)


def organiser(organisation):
    return organisation.organisers.get()


def test_a_feature_shows_only_once_the_owner_approved(client, campaign, lyon, berlin):
    action = petition(campaign, lyon, "ville-refuge")
    feature = services.request_feature(organiser(berlin), berlin, action)
    assert "Petition ville-refuge" not in page(client, berlin).content.decode()
    services.answer_feature(organiser(lyon), feature, approve=True)
    shown = page(client, berlin).content.decode()
    assert "Other members' actions we support" in shown
    assert "Petition ville-refuge" in shown
    assert "Collectif Lyon" in shown[shown.index('id="organisation-featured"') :]
    assert "<title>Berlin hilft" in shown and shown.count("organisation-featured") == 2


def test_a_declined_feature_does_not_show(client, campaign, lyon, berlin):
    action = letter_campaign(campaign, lyon, "write-lyon")
    feature = services.request_feature(organiser(berlin), berlin, action)
    services.answer_feature(organiser(lyon), feature, approve=False)
    assert "Letters write-lyon" not in page(client, berlin).content.decode()


def test_a_featured_action_that_stops_being_public_leaves_the_page(client, campaign, lyon, berlin):
    action = petition(campaign, lyon, "ville-refuge")
    feature = services.request_feature(organiser(berlin), berlin, action)
    services.answer_feature(organiser(lyon), feature, approve=True)
    member_actions.moderate(Petition.objects.filter(pk=action.pk), approve=False)
    assert "Petition ville-refuge" not in page(client, berlin).content.decode()


def test_only_the_owners_organisers_answer_and_only_ones_own_organisation_asks(
    campaign, lyon, berlin, make_staff
):
    third = member("Gaziantep Dayanisma", "TR", make_staff)
    action = petition(campaign, lyon, "ville-refuge")
    with pytest.raises(PermissionDenied):
        services.request_feature(organiser(third), berlin, action)
    feature = services.request_feature(organiser(berlin), berlin, action)
    for someone in (organiser(third), organiser(berlin)):
        with pytest.raises(PermissionDenied):
            services.answer_feature(someone, feature, approve=True)
    feature.refresh_from_db()
    assert feature.status == Feature.Status.PENDING


def test_only_another_members_public_action_can_be_featured(campaign, lyon, berlin):
    own = petition(campaign, berlin, "own")
    waiting = petition(campaign, lyon, "waiting", approved=False)
    for action in (own, waiting):
        with pytest.raises(ValidationError):
            services.request_feature(organiser(berlin), berlin, action)
    assert not Feature.objects.exists()


def test_the_owner_answers_requests_in_the_back_office(campaign, lyon, berlin):
    action = petition(campaign, lyon, "ville-refuge")
    asking = Client()
    asking.force_login(organiser(berlin))
    response = asking.post(
        "/en/admin/coalition/feature/add/", {"organisation": berlin.pk, "petition": action.pk}
    )
    assert response.status_code == 302
    feature = Feature.objects.get()
    owner = Client()
    owner.force_login(organiser(lyon))
    waiting = owner.get("/en/admin/coalition/feature/?waiting=yes").content.decode()
    assert "Berlin hilft" in waiting
    owner.post(
        "/en/admin/coalition/feature/",
        {"action": "approve_features", ACTION_CHECKBOX_NAME: [feature.pk]},
    )
    feature.refresh_from_db()
    assert feature.status == Feature.Status.APPROVED


def test_the_owners_organisers_are_emailed_a_request_in_their_organisations_language(
    campaign, lyon, berlin, make_endorsement, django_capture_on_commit_callbacks
):
    from django.core import mail

    endorsement = make_endorsement("Collectif Lyon", "FR")  # made in French
    assert endorsement.organisation == lyon
    type(endorsement).objects.filter(pk=endorsement.pk).update(language="fr")
    for organisation in (lyon, berlin):
        someone = organiser(organisation)
        someone.email = f"{organisation.country.code.lower()}@example.org"
        someone.save()
    action = petition(campaign, lyon, "ville-refuge")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_feature(organiser(berlin), berlin, action)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_feature(organiser(berlin), berlin, action)  # asked twice: one mail
    (sent,) = mail.outbox
    assert sent.to == ["fr@example.org"]
    assert sent.subject == "Berlin hilft demande à mettre en avant votre action"
    assert "Petition ville-refuge" in sent.body and "/fr/admin/coalition/feature/" in sent.body


def test_the_requesting_organisation_withdraws_its_request_and_only_it(
    client, campaign, lyon, berlin
):
    action = petition(campaign, lyon, "ville-refuge")
    feature = services.request_feature(organiser(berlin), berlin, action)
    services.answer_feature(organiser(lyon), feature, approve=True)
    withdraw = {"action": "withdraw_features", ACTION_CHECKBOX_NAME: [feature.pk]}
    owner = Client()
    owner.force_login(organiser(lyon))
    owner.post("/en/admin/coalition/feature/", withdraw)
    assert Feature.objects.filter(pk=feature.pk).exists()  # the owner answers, never withdraws
    with pytest.raises(PermissionDenied):
        services.withdraw_feature(organiser(lyon), feature)
    asking = Client()
    asking.force_login(organiser(berlin))
    asking.post("/en/admin/coalition/feature/", withdraw)
    assert not Feature.objects.exists()
    assert "Petition ville-refuge" not in page(client, berlin).content.decode()


def test_a_declined_request_is_not_withdrawn_to_be_asked_again(campaign, lyon, berlin):
    action = petition(campaign, lyon, "ville-refuge")
    feature = services.request_feature(organiser(berlin), berlin, action)
    services.answer_feature(organiser(lyon), feature, approve=False)
    assert services.withdraw_feature(organiser(berlin), feature) is False
    again = services.request_feature(organiser(berlin), berlin, action)
    assert again.status == Feature.Status.DECLINED


def test_the_back_office_refuses_to_ask_for_an_organisation_one_does_not_organise(
    campaign, lyon, berlin
):
    action = petition(campaign, lyon, "ville-refuge")
    stranger = get_user_model().objects.get(username="berlin-hilft")
    client = Client()
    client.force_login(stranger)
    response = client.post(
        "/en/admin/coalition/feature/add/", {"organisation": lyon.pk, "petition": action.pk}
    )
    assert response.status_code == 200  # the form again, with its error
    assert not Feature.objects.exists()


# The campaign page: every member's public actions, by the organisation's country -------------


def test_the_campaign_page_gathers_members_actions_by_country_in_the_readers_collation(
    client, campaign, lyon, berlin, make_staff
):
    cairo = member("Cairo Solidarity", "EG", make_staff)
    petition(campaign, lyon, "ville-refuge")
    letter_campaign(campaign, berlin, "schreibt-berlin")
    petition(campaign, cairo, "cairo-waiting", approved=False)
    petition(campaign, cairo, "cairo-open")
    shown = client.get(f"/de/campaigns/{campaign.slug}/").content.decode()
    section = shown[shown.index('id="members-actions"') :]
    # "Ägypten" sorts with A (Unicode collation), before "Deutschland" and "Frankreich".
    order = [section.index(f'id="members-{code}"') for code in ("eg", "de", "fr")]
    assert order == sorted(order)
    assert "Petition cairo-open" in section and "Letters schreibt-berlin" in section
    assert "Petition cairo-waiting" not in shown
    arabic = client.get(f"/ar/campaigns/{campaign.slug}/")
    assert arabic.status_code == 200 and "مصر" in arabic.content.decode()


def test_the_campaign_page_shows_no_members_section_without_members_actions(client, campaign):
    shown = client.get(f"/en/campaigns/{campaign.slug}/").content.decode()
    assert 'id="members-actions"' not in shown
