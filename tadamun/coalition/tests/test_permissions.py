"""Roles see and change only what they need; an organiser sees only their own organisation."""

import pytest
from django.test import Client

from tadamun.coalition import access
from tadamun.coalition.models import Endorsement, Organisation
from tadamun.staff import roles


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


# An organisation's people, its mailings and its custom questions (issue 19, item 2): an
# organiser of one organisation reaches none of another's through any admin URL.


@pytest.fixture
def organisers_of_two(make_staff, campaign):
    """Two organisations, each with an organiser, a petition, a mailing (with a translation)
    and a question on its petition."""
    from tadamun.mailings.models import Mailing, MailingTranslation
    from tadamun.petitions.models import Petition
    from tadamun.questions.models import Question

    found = {}
    for slug, name, country in (("lyon", "Collectif Lyon", "FR"), ("gaz", "Gaziantep", "TR")):
        organisation = Organisation.objects.create(name=name, country=country)
        organisation.organisers.add(make_staff(roles.ORGANISER, username=f"{slug}-organiser"))
        petition = Petition.objects.create(
            campaign=campaign,
            organisation=organisation,
            slug=f"{slug}-petition",
            title=f"{name} petition",
            target="The council",
            language="en",
            body="We ask...",
            status=Petition.Status.OPEN,
        )
        mailing = Mailing.objects.create(
            partner=organisation, title=f"{name} news", body="Dear {name},", language="en"
        )
        MailingTranslation.objects.create(
            mailing=mailing, language="fr", title=f"{name} nouvelles", body="Cher·e {name},"
        )
        question = Question.objects.create(
            petition=petition, key="banner", title=f"{name} banner?", kind="yes_no"
        )
        question.translations.create(language="fr", title="Une banderole ?")
        found[slug] = {
            "organisation": organisation,
            "petition": petition,
            "mailing": mailing,
            "question": question,
            "client": logged_in(organisation.organisers.get()),
        }
    return found["lyon"], found["gaz"]


def admin_url(model, view="changelist", *args):
    from django.urls import reverse

    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def test_an_organiser_reaches_none_of_another_organisations_mailings(organisers_of_two):
    from tadamun.mailings.models import Mailing, MailingTranslation

    lyon, gaz = organisers_of_two
    client, theirs = gaz["client"], lyon["mailing"]
    listing = client.get(admin_url(Mailing)).content.decode()
    assert "Gaziantep news" in listing and "Collectif Lyon news" not in listing
    for view in ("change", "delete", "history"):
        assert client.get(admin_url(Mailing, view, theirs.pk)).status_code == 302, view
    for view in ("preview", "test", "state"):
        assert client.get(admin_url(Mailing, view, theirs.pk)).status_code == 404, view
    assert (
        client.post(admin_url(Mailing, "state", theirs.pk), {"action": "send"}).status_code == 404
    )
    client.post(admin_url(Mailing, "test", theirs.pk), {"addresses": "x@example.org"})
    client.post(admin_url(Mailing, "change", theirs.pk), {"title": "Hijacked"})
    client.post(admin_url(Mailing), {"action": "delete_selected", "_selected_action": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.title == "Collectif Lyon news" and theirs.status == Mailing.Status.DRAFT
    translation = theirs.translations.get()
    assert client.get(admin_url(MailingTranslation, "change", translation.pk)).status_code == 302
    listed = client.get(admin_url(MailingTranslation)).context["cl"].result_list
    assert list(listed) == [gaz["mailing"].translations.get()]


def test_an_organiser_makes_and_sends_mailings_for_their_own_organisation_only(
    organisers_of_two,
):
    from tadamun.mailings.models import Mailing

    lyon, gaz = organisers_of_two
    client = gaz["client"]
    form = {"title": "Vigil", "summary": "", "language": "en", "body": "Come, {name}."}
    form |= {"translations-TOTAL_FORMS": 0, "translations-INITIAL_FORMS": 0}
    page = client.get(admin_url(Mailing, "add")).content.decode()
    assert "Collectif Lyon" not in page and 'name="tags"' not in page
    for partner in ("", lyon["organisation"].pk):  # the coalition's, or another organisation's
        refused = client.post(admin_url(Mailing, "add"), {**form, "partner": partner})
        assert refused.status_code == 200 and refused.context["adminform"].form.errors
    refused = client.post(
        admin_url(Mailing, "add"),
        {**form, "partner": gaz["organisation"].pk, "petitions": [lyon["petition"].pk]},
    )
    assert "petitions" in refused.context["adminform"].form.errors
    client.post(admin_url(Mailing, "add"), {**form, "partner": gaz["organisation"].pk})
    made = Mailing.objects.get(title="Vigil")
    assert made.partner == gaz["organisation"]
    panel = client.get(admin_url(Mailing, "change", made.pk))
    assert panel.status_code == 200 and panel.context["audience_count"] == 0
    client.post(admin_url(Mailing, "state", made.pk), {"action": "send"})
    made.refresh_from_db()
    assert made.status != Mailing.Status.DRAFT  # sent now: queued for the workers


def test_an_organiser_sees_no_one_s_consents_nor_unsubscribes(organisers_of_two):
    """Consents and their withdrawals (an unsubscribe) are shown with each person, in the
    supporters' admin: no organiser reaches it, for any organisation."""
    from tadamun.supporters.models import Supporter

    _lyon, gaz = organisers_of_two
    person = Supporter.objects.create(email="amal@example.org", language="en")
    assert gaz["client"].get(admin_url(Supporter)).status_code == 403
    assert gaz["client"].get(admin_url(Supporter, "change", person.pk)).status_code == 403


def test_a_coalition_admin_sees_every_organisations_mailings(make_staff, organisers_of_two):
    from tadamun.mailings.models import Mailing

    listing = logged_in(make_staff(roles.COALITION_ADMIN)).get(admin_url(Mailing)).content
    assert b"Collectif Lyon news" in listing and b"Gaziantep news" in listing


def test_an_organiser_asks_questions_on_their_own_organisations_actions_only(
    organisers_of_two,
):
    from tadamun.questions.models import Question, QuestionTranslation

    lyon, gaz = organisers_of_two
    client, theirs = gaz["client"], lyon["question"]
    listing = client.get(admin_url(Question)).content.decode()
    assert "Gaziantep banner?" in listing and "Collectif Lyon banner?" not in listing
    for view in ("change", "delete"):
        assert client.get(admin_url(Question, view, theirs.pk)).status_code == 302, view
    client.post(admin_url(Question, "delete", theirs.pk), {"post": "yes"})
    client.post(admin_url(Question), {"action": "delete_selected", "_selected_action": [theirs.pk]})
    assert Question.objects.filter(pk=theirs.pk).exists()
    translation = theirs.translations.get()
    assert client.get(admin_url(QuestionTranslation, "change", translation.pk)).status_code == 302

    form = {"key": "phone", "kind": "text", "position": 0, "language": "en", "title": "Phone?"}
    form |= {"translations-TOTAL_FORMS": 0, "translations-INITIAL_FORMS": 0}
    refused = client.post(admin_url(Question, "add"), {**form, "petition": lyon["petition"].pk})
    assert "petition" in refused.context["adminform"].form.errors
    client.post(admin_url(Question, "add"), {**form, "petition": gaz["petition"].pk})
    assert Question.objects.get(key="phone").petition == gaz["petition"]
    mine = gaz["question"]
    assert client.get(admin_url(Question, "change", mine.pk)).status_code == 200
    client.post(admin_url(Question, "delete", mine.pk), {"post": "yes"})
    assert not Question.objects.filter(pk=mine.pk).exists()


def test_an_admin_of_organisations_things_must_name_its_reach_rule():
    """The boundary cannot be forgotten: an admin using TheirOrganisationsOnly with no rule
    is refused when its class is made, not left to fail (or to show all) on a request."""
    from django.contrib import admin

    from tadamun.coalition.member_admin import TheirOrganisationsOnly

    with pytest.raises(TypeError, match="names no `reach` rule"):

        class Forgetful(TheirOrganisationsOnly, admin.ModelAdmin):
            pass
