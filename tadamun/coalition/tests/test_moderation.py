"""What an organisation shows the public (its name, website, logo) and its partner code change
only through moderation; unconfirmed submissions create and store nothing, and the answer to
a submission never tells a stranger whether an endorsement is pending."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from tadamun.coalition import services
from tadamun.coalition.models import Endorsement, Organisation, OrganisationChange
from tadamun.coalition.tests.test_endorse import ENDORSE, confirmation_path, form_data
from tadamun.coalition.tests.test_logo import image_file
from tadamun.core.images import reencode_logo
from tadamun.staff import roles
from tadamun.supporters.retention import forget_unconfirmed


def stored_logos() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def submit(client, capture, **overrides):
    with capture(execute=True):
        return client.post(ENDORSE, form_data(**overrides))


def test_an_unconfirmed_submission_creates_no_organisation_and_stores_no_logo(
    client, campaign, django_capture_on_commit_callbacks
):
    before = stored_logos()
    submit(client, django_capture_on_commit_callbacks, logo=image_file())
    assert Organisation.objects.count() == 0
    assert stored_logos() == before

    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirmation_path(mail.outbox[-1]))
    organisation = Organisation.objects.get()
    assert organisation.name == "Amal Relief Network"
    assert organisation.website == "https://amal.example"
    assert organisation.logo.name.startswith("logos/")
    assert Endorsement.objects.get().organisation == organisation


def test_a_submission_never_changes_an_existing_organisations_identity(
    client, make_endorsement, campaign, django_capture_on_commit_callbacks
):
    other_campaign_endorsement = make_endorsement("Amal Relief Network", "DE", status="approved")
    organisation = other_campaign_endorsement.organisation
    Organisation.objects.filter(pk=organisation.pk).update(website="https://real.example")
    other_campaign_endorsement.delete()  # the organisation exists, this campaign is new to it

    submit(
        client,
        django_capture_on_commit_callbacks,
        website="https://impostor.example",
        logo=image_file(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirmation_path(mail.outbox[-1]))
    organisation.refresh_from_db()
    assert organisation.website == "https://real.example" and not organisation.logo
    change = OrganisationChange.objects.get()
    assert change.organisation == organisation
    assert change.status == OrganisationChange.Status.PENDING
    assert change.website == "https://impostor.example" and change.logo
    assert Endorsement.objects.get().organisation == organisation


@pytest.mark.parametrize("status", ["pending", "approved"])
def test_the_answer_does_not_tell_whether_an_endorsement_is_pending(
    client, make_endorsement, campaign, django_capture_on_commit_callbacks, status
):
    new = submit(client, django_capture_on_commit_callbacks, organisation_name="Brand New Org")
    make_endorsement("Amal Relief Network", "DE", status=status)
    mail.outbox.clear()
    known = submit(client, django_capture_on_commit_callbacks)
    assert (known.status_code, known["Location"]) == (new.status_code, new["Location"])
    # Only the mailbox of the address typed hears the truth.
    assert "already" in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["rania@amal.example"]


def test_confirming_a_submission_for_an_organisation_already_endorsing_changes_nothing(
    client, make_endorsement, campaign, django_capture_on_commit_callbacks
):
    submit(client, django_capture_on_commit_callbacks, public_message="Another message")
    # Endorsed (through another contact) between the submission and its confirmation.
    endorsement = make_endorsement("Amal Relief Network", "DE", status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirmation_path(mail.outbox[-1]))
    assert list(Endorsement.objects.all()) == [endorsement]
    endorsement.refresh_from_db()
    assert endorsement.public_message == ""


@pytest.fixture
def organisation(make_endorsement):
    endorsement = make_endorsement("Amal Network", "FR", status="approved")
    return endorsement.organisation


def change_page(organisation):
    return f"/en/admin/coalition/organisation/{organisation.pk}/change/"


def test_an_organiser_proposes_a_new_name_and_website_a_moderator_approves(
    make_staff, organisation, client
):
    organiser = make_staff(roles.ORGANISER)
    organisation.organisers.add(organiser)
    logged_in(organiser).post(
        change_page(organisation),
        {
            "name": "Renamed Network",
            "country": "FR",
            "kind": "ngo",
            "website": "https://renamed.example",
        },
    )
    organisation.refresh_from_db()
    assert organisation.name == "Amal Network" and organisation.website == ""
    public = client.get("/en/campaigns/open-borders/endorsements/").content.decode()
    assert "Amal Network" in public and "Renamed Network" not in public

    change = OrganisationChange.objects.get()
    assert (change.name, change.website) == ("Renamed Network", "https://renamed.example")
    moderator = make_staff(roles.MODERATOR)
    logged_in(moderator).post(
        "/en/admin/coalition/organisationchange/",
        {"action": "approve", "_selected_action": [change.pk]},
    )
    organisation.refresh_from_db()
    assert organisation.name == "Renamed Network"
    assert organisation.website == "https://renamed.example"
    assert "Renamed Network" in client.get("/en/campaigns/open-borders/endorsements/").text


def test_a_rejected_change_leaves_the_organisation_as_it_was(organisation, make_staff):
    change = services.propose_identity_change(organisation, name="Impostor", by=None)
    changed = services.moderate_identity_changes(
        OrganisationChange.objects.filter(pk=change.pk), approve=False, by=make_staff("Moderator")
    )
    assert changed == 1
    organisation.refresh_from_db()
    assert organisation.name == "Amal Network"


@pytest.mark.parametrize("role", [roles.ORGANISER, roles.MODERATOR])
def test_only_coalition_admins_set_a_partner_code(make_staff, organisation, role):
    user = make_staff(role)
    organisation.organisers.add(user)
    client = logged_in(user)
    page = client.get(change_page(organisation)).text
    assert 'name="partner_code"' not in page
    client.post(
        change_page(organisation),
        {"name": "Amal Network", "country": "FR", "kind": "ngo", "partner_code": "hijacked"},
    )
    organisation.refresh_from_db()
    assert organisation.partner_code is None

    admin = logged_in(make_staff(roles.COALITION_ADMIN, username="admin"))
    admin.post(
        change_page(organisation),
        {"name": "Amal Network", "country": "FR", "kind": "ngo", "partner_code": "amal"},
    )
    organisation.refresh_from_db()
    assert organisation.partner_code == "amal"


def test_unconfirmed_submissions_are_forgotten_after_the_retention_time(
    client, campaign, settings, django_capture_on_commit_callbacks
):
    settings.UNCONFIRMED_RETENTION_DAYS = 30
    submit(client, django_capture_on_commit_callbacks, logo=image_file())
    Endorsement.objects.update(created_at=timezone.now() - timedelta(days=31))
    assert forget_unconfirmed()["endorsements"] == 1
    assert not Endorsement.objects.exists() and not Organisation.objects.exists()


def test_moderators_see_a_proposed_logo_that_the_public_cannot_fetch(
    client, organisation, make_staff
):
    change = services.propose_identity_change(organisation, logo=reencode_logo(image_file()))
    assert not change.logo.name.startswith("logos/")
    assert client.get(f"/media/{change.logo.name}").status_code == 404
    page = logged_in(make_staff(roles.MODERATOR)).get(
        f"/en/admin/coalition/organisationchange/{change.pk}/change/"
    )
    assert 'src="data:image/png;base64,' in page.text


def test_moderators_see_the_website_and_logo_an_approval_would_publish(
    client, campaign, make_staff, django_capture_on_commit_callbacks
):
    submit(client, django_capture_on_commit_callbacks, logo=image_file())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirmation_path(mail.outbox[-1]))
    endorsement = Endorsement.objects.get()
    page = logged_in(make_staff(roles.MODERATOR)).get(
        f"/en/admin/coalition/endorsement/{endorsement.pk}/change/"
    )
    assert "https://amal.example" in page.text and 'src="data:image/png;base64,' in page.text


def test_a_rejected_submission_leaves_no_website_or_logo_on_the_organisation(
    client, campaign, make_staff, django_capture_on_commit_callbacks
):
    """Review finding: the submitter confirmed from their own inbox, a moderator rejected it,
    and its website and logo stayed, to be published when the real organisation endorsed."""
    capture = django_capture_on_commit_callbacks
    before = stored_logos()
    submit(client, capture, website="https://impostor.example", logo=image_file())
    with capture(execute=True):
        client.post(confirmation_path(mail.outbox[-1]))
    moderator = make_staff(roles.MODERATOR)
    with capture(execute=True):
        services.moderate_endorsements(Endorsement.objects.all(), approve=False, by=moderator)
    organisation = Organisation.objects.get()
    assert organisation.website == "" and not organisation.logo
    assert stored_logos() == before


def test_a_rejection_leaves_a_vouched_organisation_as_it_is(make_endorsement, campaign, make_staff):
    approved = make_endorsement("Amal Relief Network", "FR", status="approved")
    organisation = approved.organisation
    Organisation.objects.filter(pk=organisation.pk).update(website="https://amal.example")
    from tadamun.coalition.models import Campaign

    other = Campaign.objects.create(slug="other", title="Other", status=Campaign.Status.ACTIVE)
    second = Endorsement.objects.create(
        campaign=other, organisation=organisation, status=Endorsement.Status.PENDING
    )
    services.moderate_endorsements(
        Endorsement.objects.filter(pk=second.pk), approve=False, by=make_staff(roles.MODERATOR)
    )
    organisation.refresh_from_db()
    assert organisation.website == "https://amal.example"
