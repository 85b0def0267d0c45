"""Attacks and edge cases found in review: each must stay fixed."""

from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tadamun.coalition import services
from tadamun.coalition.models import Endorsement, Organisation
from tadamun.coalition.tests.test_endorse import ENDORSE, confirmation_path, form_data
from tadamun.staff import roles


def test_a_resubmission_by_someone_else_voids_the_first_link(
    client, campaign, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ENDORSE, form_data())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            ENDORSE,
            form_data(contact_email="evil@x.example", public_message="Something else entirely"),
        )
    genuine_link, intruder_link = (confirmation_path(m) for m in mail.outbox)
    assert client.get(genuine_link).status_code == 400  # the content it was sent for is gone
    client.post(genuine_link)
    assert Endorsement.objects.get().status == Endorsement.Status.UNCONFIRMED
    client.post(intruder_link)
    endorsement = Endorsement.objects.get()
    # The intruder can confirm only their own version, which then waits for a moderator.
    assert endorsement.status == Endorsement.Status.PENDING
    assert endorsement.contact_email == "evil@x.example"


def test_an_organisation_already_endorsing_is_told_so_by_email(
    client, make_endorsement, campaign, django_capture_on_commit_callbacks
):
    make_endorsement("Amal Relief Network", "DE", status="approved")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ENDORSE, form_data())
    assert response.status_code == 302  # the page answers as for any submission
    assert "already endorsed this campaign" in mail.outbox[-1].body


def test_a_rejected_organisation_may_submit_again(
    client, make_endorsement, campaign, django_capture_on_commit_callbacks
):
    rejected = make_endorsement("Amal Relief Network", "DE", status="rejected")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ENDORSE, form_data())
    assert response.status_code == 302
    rejected.refresh_from_db()
    assert rejected.status == Endorsement.Status.REJECTED  # until the new contact confirms
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirmation_path(mail.outbox[-1]))
    rejected.refresh_from_db()
    assert rejected.status == Endorsement.Status.PENDING
    assert rejected.contact_email == "rania@amal.example"
    assert Endorsement.objects.count() == 1


@pytest.mark.parametrize(
    "spelling", ["İNSAN HAKLARI DERNEĞİ", "insan haklari dernegi", "Insan  Hakları Derneği"]
)
def test_spellings_of_one_name_are_one_organisation(campaign, spelling):
    first = services.find_or_create_organisation(
        services.OrganisationDetails(name="İnsan Hakları Derneği", country="TR", kind="ngo")
    )
    second = services.find_or_create_organisation(
        services.OrganisationDetails(name=spelling, country="TR", kind="ngo")
    )
    assert first == second
    assert Organisation.objects.get().name == "İnsan Hakları Derneği"


def test_a_name_that_grows_under_normalisation_is_refused_not_a_500(client, campaign):
    # U+0958 decomposes under NFC into two characters: 200 of them become 400.
    response = client.post(ENDORSE, form_data(organisation_name="\u0958" * 200))
    assert response.status_code == 200
    assert b'id="id_organisation_name_error"' in response.content


def jpeg_bytes(size=(600, 400)):
    buffer = BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Camera maker with GPS"
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_a_truncated_jpeg_is_refused_not_a_500(client, campaign):
    truncated = SimpleUploadedFile("logo.jpg", jpeg_bytes()[:600], content_type="image/jpeg")
    response = client.post(ENDORSE, form_data(logo=truncated))
    assert response.status_code == 200
    assert b'id="id_logo_error"' in response.content


def test_logos_uploaded_in_the_admin_are_checked_and_re_encoded(make_staff):
    organisation = Organisation.objects.create(name="Amal", country="FR", kind="ngo")
    client = Client()
    client.force_login(make_staff(roles.COALITION_ADMIN))
    upload = SimpleUploadedFile("My_Home_Photo.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = client.post(
        f"/en/admin/coalition/organisation/{organisation.pk}/change/",
        {"name": "Amal", "country": "FR", "kind": "ngo", "logo": upload},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert "My_Home_Photo" not in organisation.logo.name
    assert b"Camera maker" not in organisation.logo.read()


def test_moderators_cannot_hand_out_organiser_access(make_staff, make_endorsement):
    endorsement = make_endorsement("Amal Network", "FR")
    client = Client()
    client.force_login(make_staff(roles.MODERATOR))
    page = client.get(f"/en/admin/coalition/organisation/{endorsement.organisation.pk}/change/")
    assert page.status_code == 200
    assert b'name="organisers"' not in page.content


@pytest.mark.parametrize("status", ["unconfirmed", "pending"])
def test_organisers_do_not_see_who_moderated(make_staff, make_endorsement, status):
    endorsement = make_endorsement("Amal Network", "FR", status=status)
    organiser = make_staff(roles.ORGANISER)
    endorsement.organisation.organisers.add(organiser)
    client = Client()
    client.force_login(organiser)
    page = client.get(f"/en/admin/coalition/endorsement/{endorsement.pk}/change/")
    assert b"moderated by" not in page.content.lower()


def test_campaigns_outside_their_dates_take_no_endorsements(client, campaign):
    from datetime import date

    campaign.starts_on = date(2020, 1, 1)
    campaign.ends_on = date(2020, 12, 31)
    campaign.save()
    assert client.get(ENDORSE).status_code == 404


def test_too_many_endorsements_for_one_address_are_refused(form_rate, client, campaign):
    form_rate("endorse", address="2/h")
    for name in ("One", "Two"):
        assert client.post(ENDORSE, form_data(organisation_name=name)).status_code == 302
    response = client.post(ENDORSE, form_data(organisation_name="Three"))
    assert response.status_code == 429
    assert b'id="id_contact_email_error"' in response.content
    assert 'value="Three"' in response.content.decode()  # nothing typed is lost
