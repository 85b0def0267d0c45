"""Member organisations' own petitions (issue 19): their organisers make them, moderators
approve them, the public sees them "by" the organisation, and the people who agree to hear
from it become visible to its organisers, never to another organisation's."""

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from tadamun.coalition import member_actions
from tadamun.coalition.member_admin import MemberActionAdmin
from tadamun.coalition.models import Feature, Organisation
from tadamun.petitions.models import Petition
from tadamun.staff import roles
from tadamun.supporters import consents, exports
from tadamun.supporters.models import Consent

from .helpers import sign_form

Review = member_actions.Review


@pytest.fixture
def lyon(make_staff):
    organisation = Organisation.objects.create(name="Collectif Lyon", country="FR")
    organisation.organisers.add(make_staff(roles.ORGANISER, username="lyon-organiser"))
    return organisation


@pytest.fixture
def gaziantep(make_staff):
    organisation = Organisation.objects.create(name="Gaziantep Dayanışma", country="TR")
    organisation.organisers.add(make_staff(roles.ORGANISER, username="gaziantep-organiser"))
    return organisation


def client_of(organisation) -> Client:
    client = Client()
    client.force_login(organisation.organisers.get())
    return client


def add_form(campaign, organisation, **overrides) -> dict:
    return {
        "campaign": campaign.pk,
        "organisation": organisation.pk if organisation else "",
        "title": "Ouvrez la ville",
        "slug": "ouvrez-la-ville",
        "target": "Le conseil municipal de Lyon",
        "status": "open",
        "opens_at_0": "2026-01-01",
        "opens_at_1": "10:00:00",
        "closes_at_0": "",
        "closes_at_1": "",
        "language": "fr",
        "summary": "Lyon, ville refuge.",
        "body": "Nous demandons...",
        # Its custom questions (an organiser may add them): none here.
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        **overrides,
    }


@pytest.fixture
def lyons_petition(campaign, lyon):
    return Petition.objects.create(
        campaign=campaign,
        organisation=lyon,
        slug="ouvrez-la-ville",
        title="Ouvrez la ville",
        target="Le conseil municipal de Lyon",
        language="fr",
        summary="Lyon, ville refuge.",
        body="Nous demandons...",
        status=Petition.Status.OPEN,
    )


def approve(petition):
    member_actions.moderate(Petition.objects.filter(pk=petition.pk), approve=True)
    petition.refresh_from_db()


def test_an_organiser_makes_a_petition_that_waits_for_a_moderator(db, campaign, lyon):
    response = client_of(lyon).post(
        reverse("admin:petitions_petition_add"), add_form(campaign, lyon)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    petition = Petition.objects.get(slug="ouvrez-la-ville")
    assert (petition.organisation, petition.review, petition.language) == (lyon, "pending", "fr")
    assert Client().get(petition.get_absolute_url()).status_code == 404
    assert not Petition.objects.public().filter(pk=petition.pk).exists()


@pytest.mark.parametrize("owner", ["another organisation", "the coalition"])
def test_an_organiser_makes_petitions_for_their_own_organisations_only(
    db, campaign, lyon, gaziantep, owner
):
    chosen = gaziantep if owner == "another organisation" else None
    response = client_of(lyon).post(
        reverse("admin:petitions_petition_add"), add_form(campaign, chosen)
    )
    assert response.status_code == 200  # the form again, with the error beside the field
    assert "organisation" in response.context["adminform"].form.errors
    assert not Petition.objects.exists()


def test_an_organiser_cannot_approve_their_own_petition(db, lyons_petition, lyon, campaign):
    client = client_of(lyon)
    change = reverse("admin:petitions_petition_change", args=[lyons_petition.pk])
    client.post(change, add_form(campaign, lyon, review="approved"))
    client.post(
        reverse("admin:petitions_petition_changelist"),
        {"action": "approve_actions", ACTION_CHECKBOX_NAME: [lyons_petition.pk]},
    )
    lyons_petition.refresh_from_db()
    assert lyons_petition.review == Review.PENDING


def test_a_moderator_approves_and_the_petition_shows_by_its_organisation(
    db, lyons_petition, make_staff
):
    client = Client()
    client.force_login(make_staff(roles.MODERATOR))
    client.post(
        reverse("admin:petitions_petition_changelist"),
        {"action": "approve_actions", ACTION_CHECKBOX_NAME: [lyons_petition.pk]},
    )
    lyons_petition.refresh_from_db()
    assert lyons_petition.review == Review.APPROVED
    page = Client().get(lyons_petition.get_absolute_url()).content.decode()
    assert '<bdi dir="auto">Collectif Lyon</bdi>' in page
    listed = Client().get(reverse("petitions:list")).content.decode()
    assert '<bdi dir="auto">Collectif Lyon</bdi>' in listed
    campaign_page = Client().get(lyons_petition.campaign.get_absolute_url()).content.decode()
    assert "Ouvrez la ville" in campaign_page


def test_new_words_wait_for_a_moderator_again_other_changes_do_not(
    db, lyons_petition, lyon, campaign
):
    approve(lyons_petition)
    client = client_of(lyon)
    change = reverse("admin:petitions_petition_change", args=[lyons_petition.pk])
    client.post(change, add_form(campaign, lyon, closes_at_0="2099-01-01", closes_at_1="12:00"))
    lyons_petition.refresh_from_db()
    assert lyons_petition.closes_at is not None
    assert lyons_petition.review == Review.APPROVED
    client.post(change, add_form(campaign, lyon, summary="Autre chose, à approuver."))
    lyons_petition.refresh_from_db()
    assert lyons_petition.summary == "Autre chose, à approuver."
    assert lyons_petition.review == Review.PENDING
    assert Client().get(lyons_petition.get_absolute_url()).status_code == 404


def test_a_petition_whose_organisers_all_left_is_hidden_until_reassigned(
    db, lyons_petition, lyon, make_staff
):
    approve(lyons_petition)
    assert Client().get(lyons_petition.get_absolute_url()).status_code == 200
    lyon.organisers.clear()
    assert Client().get(lyons_petition.get_absolute_url()).status_code == 404
    assert Petition.objects.filter(pk=lyons_petition.pk).exists()  # kept
    lyon.organisers.add(make_staff(roles.ORGANISER, username="new-lyon-organiser"))
    assert Client().get(lyons_petition.get_absolute_url()).status_code == 200


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def member_action_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, MemberActionAdmin)
    ]


def object_urls(model, model_admin, pk) -> list[str]:
    """Every address of the admin about one object: its own views and change, history,
    delete (whatever a new feature adds to get_urls is walked too)."""
    found = []
    for pattern in model_admin.get_urls():
        route = str(pattern.pattern)
        if "<" in route and pattern.name:
            # A page of something of the object's (an import of a campaign's officials) is
            # walked with the object's number for that too.
            found.append(reverse(f"admin:{pattern.name}", args=[pk] * route.count("<")))
    return found


def test_another_organisations_organiser_reaches_none_of_its_actions(
    db, lyons_petition, lyon, gaziantep, campaign, make_staff
):
    """Walks every admin of member actions and each of its addresses about an object (the
    export included) as the second organisation's organiser, on a waiting and on an
    approved petition: nothing to change, nothing of the waiting one to read, no export;
    then every address of the first organisation's own admin (its report and the report's
    CSV: 403 or 404)."""
    assert member_action_admins(), "no admin of member actions to walk"
    client = client_of(gaziantep)
    for model, model_admin in member_action_admins():
        opts = model._meta
        listed = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert "Ouvrez la ville" not in listed.content.decode()
        for url in object_urls(model, model_admin, lyons_petition.pk):
            response = client.get(url)
            assert response.status_code != 200 or b"Ouvrez la ville" not in body(response), url
    approve(lyons_petition)
    sign_lyons(Client(), lyons_petition, "amal@example.org", hears_from_lyon=True)
    for model, model_admin in member_action_admins():
        for url in object_urls(model, model_admin, lyons_petition.pk):
            seen = body(client.get(url))
            assert b'name="_save"' not in seen, url
            assert b"amal@example.org" not in seen, url
    for pattern in admin.site.export_urls():  # the exports page and every file on it
        url = reverse(
            f"admin:{pattern.name}", args=[lyons_petition.pk] if "<" in str(pattern.pattern) else []
        )
        seen = body(client.get(url))
        assert b"amal@example.org" not in seen, url
    organisations = admin.site._registry[Organisation]
    for url in object_urls(Organisation, organisations, lyon.pk):  # its report and CSV too
        response = client.get(url)
        if "/report" in url:
            assert response.status_code in (403, 404), url
        assert response.status_code != 200 or b"Collectif Lyon" not in body(response), url
    assert any("/report" in url for url in object_urls(Organisation, organisations, lyon.pk))
    change = reverse("admin:petitions_petition_change", args=[lyons_petition.pk])
    client.post(change, add_form(campaign, lyon, title="Pris par un autre"))
    lyons_petition.refresh_from_db()
    assert lyons_petition.title == "Ouvrez la ville"
    # Promotion (issue 19.5): a third organisation asks to feature Lyon's petition; the second
    # one's organiser can neither answer for Lyon nor ask in Lyon's (or the third's) name.
    berlin = Organisation.objects.create(name="Berlin hilft", country="DE")
    berlin.organisers.add(make_staff(roles.ORGANISER, username="berlin-organiser"))
    feature = Feature.objects.create(organisation=berlin, petition=lyons_petition)
    features = reverse("admin:coalition_feature_changelist")
    assert "Berlin hilft" not in client.get(features).content.decode()
    client.post(features, {"action": "approve_features", ACTION_CHECKBOX_NAME: [feature.pk]})
    feature.refresh_from_db()
    assert feature.status == Feature.Status.PENDING
    for organisation in (lyon, berlin):
        client.post(
            reverse("admin:coalition_feature_add"),
            {"organisation": organisation.pk, "petition": lyons_petition.pk},
        )
    assert list(Feature.objects.all()) == [feature]


# The organisation's people ------------------------------------------------------------------


def sign_lyons(client, petition, email, *, hears_from_lyon):
    from tadamun.petitions import intake, services
    from tadamun.petitions.models import Signature, SignatureIntake

    form = sign_form(email=email, **({"shares_with_partner": "on"} if hears_from_lyon else {}))
    response = client.post(reverse("petitions:sign", args=[petition.slug]), form)
    assert response.status_code == 302
    intake.record_batch(list(SignatureIntake.objects.values_list("pk", flat=True)))
    for signature in Signature.objects.filter(petition=petition, status="unconfirmed"):
        services.confirm(signature)


def test_the_sign_form_asks_to_hear_from_the_organisation_whose_petition_it_is(db, lyons_petition):
    approve(lyons_petition)
    page = Client().get(lyons_petition.get_absolute_url()).content.decode()
    assert consents.label(consents.OWNER, lyons_petition.organisation) in page


def test_the_exports_page_lists_no_other_organisations_waiting_action(
    db, lyons_petition, lyon, gaziantep, campaign
):
    from tadamun.letters.models import LetterCampaign, TargetGroup

    letters = LetterCampaign.objects.create(
        campaign=campaign,
        organisation=lyon,
        slug="ecrivez",
        title="Écrivez au conseil",
        subject="Ville refuge",
        letter="Madame, Monsieur,",
        group=TargetGroup.objects.create(name="Conseil", slug="conseil"),
        status=LetterCampaign.Status.OPEN,
    )
    page = client_of(gaziantep).get(reverse("admin:exports")).content.decode()
    assert "Ouvrez la ville" not in page and "Écrivez au conseil" not in page
    officials = reverse("admin:export_letters", args=[letters.pk])
    assert client_of(gaziantep).get(officials).status_code == 404
    own = client_of(lyon).get(reverse("admin:exports")).content.decode()
    assert "Ouvrez la ville" in own and "Écrivez au conseil" in own


def test_people_who_agree_to_hear_from_an_organisation_are_its_own(
    db, lyons_petition, lyon, gaziantep
):
    approve(lyons_petition)
    client = Client()
    sign_lyons(client, lyons_petition, "amal@example.org", hears_from_lyon=True)
    sign_lyons(client, lyons_petition, "omar@example.org", hears_from_lyon=False)
    given = Consent.objects.get(organisation=lyon)
    assert (given.purpose, given.wording) == (Consent.Purpose.PARTNER, consents.OWNER)

    export = reverse("admin:petitions_petition_export", args=[lyons_petition.pk])
    lyons_export = b"".join(client_of(lyon).get(export).streaming_content).decode()
    assert "amal@example.org" in lyons_export
    assert "omar@example.org" not in lyons_export
    other = client_of(gaziantep).get(export)
    assert other.status_code == 404 or b"amal@example.org" not in b"".join(other.streaming_content)

    lyons_people = b"".join(exports.supporters_csv(lyon.organisers.get()).streaming_content)
    others = b"".join(exports.supporters_csv(gaziantep.organisers.get()).streaming_content)
    assert b"amal@example.org" in lyons_people and b"omar@example.org" not in lyons_people
    assert b"amal@example.org" not in others
    counted = client_of(lyon).get(reverse("admin:coalition_organisation_change", args=[lyon.pk]))
    assert '<div class="readonly">1</div>' in counted.content.decode()
    other = client_of(gaziantep).get(reverse("admin:coalition_organisation_change", args=[lyon.pk]))
    assert other.status_code != 200 or b"Collectif Lyon" not in other.content
