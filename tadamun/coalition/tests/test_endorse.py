import re

import pytest
from django.core import mail

from tadamun.coalition.models import Endorsement, Organisation

ENDORSE = "/en/campaigns/open-borders/endorse/"


def form_data(**overrides):
    data = {
        "organisation_name": "Amal Relief Network",
        "country": "DE",
        "kind": "humanitarian",
        "website": "https://amal.example",
        "public_message": "We stand with Idlib.",
        "contact_name": "Rania Haddad",
        "contact_email": "rania@amal.example",
        "authorised": "on",
    }
    return data | overrides


def confirmation_path(message):
    return re.search(r"https?://[^/\s]+(/\S+/endorsements/confirm/\S+/)", message.body).group(1)


def test_endorsement_flow_from_form_to_public_list(
    client, campaign, make_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ENDORSE, form_data())
    assert response.status_code == 302
    assert response["Location"] == "/en/campaigns/open-borders/endorse/thanks/"
    endorsement = Endorsement.objects.get()
    assert endorsement.status == Endorsement.Status.UNCONFIRMED

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rania@amal.example"]
    assert "Hello Rania Haddad" in message.body
    path = confirmation_path(message)

    # Opening the link (as a mail scanner does) shows a button and changes nothing.
    page = client.get(path)
    assert page.status_code == 200
    assert b'method="post"' in page.content
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.UNCONFIRMED

    client.post(path)
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.PENDING
    assert endorsement.confirmed_at is not None

    public = client.get("/en/campaigns/open-borders/endorsements/").content.decode()
    assert "Amal Relief Network" not in public  # not before moderation

    admin = client_for(make_staff(is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(
            "/en/admin/coalition/endorsement/",
            {"action": "approve", "_selected_action": [endorsement.pk]},
        )
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.APPROVED
    assert mail.outbox[-1].subject == "Your organisation's endorsement is published"

    public = client.get("/en/campaigns/open-borders/endorsements/").content.decode()
    assert "Amal Relief Network" in public
    assert "We stand with Idlib." in public
    assert "rania@amal.example" not in public and "Rania Haddad" not in public


def client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_confirmation_email_is_in_the_language_of_the_form(
    client, campaign, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/fr/campaigns/open-borders/endorse/", form_data())
    message = mail.outbox[0]
    assert "/fr/endorsements/confirm/" in message.body
    assert "Bonjour" in message.body


def test_double_submission_makes_one_endorsement_and_resends_the_link(
    client, campaign, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ENDORSE, form_data())
    with django_capture_on_commit_callbacks(execute=True):  # after the first link went
        client.post(ENDORSE, form_data(organisation_name="amal  relief NETWORK"))
    assert Organisation.objects.count() == 0  # made only when the contact confirms
    assert Endorsement.objects.count() == 1
    assert len(mail.outbox) == 2


def test_resubmitting_after_confirmation_changes_nothing_and_sends_no_link(
    client, campaign, make_endorsement, django_capture_on_commit_callbacks
):
    existing = make_endorsement("Amal Relief Network", "DE", status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ENDORSE, form_data(contact_email="someone-else@example.org"))
    existing.refresh_from_db()
    assert existing.contact_email == "contact@amal.example"
    [message] = mail.outbox  # the address typed hears that nothing changed, and gets no link
    assert "already endorsed" in message.body and "/endorsements/confirm/" not in message.body


def test_errors_are_shown_beside_fields_and_input_is_kept(client, campaign):
    response = client.post(
        ENDORSE,
        form_data(contact_email="not-an-email", website="javascript:alert(1)", authorised=""),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_contact_email_error"' in html
    assert 'id="id_website_error"' in html
    assert "Please confirm that you may speak for your organisation." in html
    assert 'value="Amal Relief Network"' in html
    assert "We stand with Idlib." in html
    assert Endorsement.objects.count() == 0


def test_errors_are_translated(client, campaign):
    response = client.post("/ar/campaigns/open-borders/endorse/", form_data(contact_email="x"))
    assert "Enter a valid email address." not in response.content.decode()
    assert 'id="id_contact_email_error"' in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("organisation_name", "Amal \u202eNetwork"),
        ("organisation_name", "x" * 1_000),
        ("contact_name", "Rania\nHaddad"),
        ("public_message", "y" * 5_000),
        ("country", "ZZ"),
        ("kind", "army"),
        ("contact_email", "a@b.c\x00"),
    ],
)
def test_hostile_values_are_refused_with_an_error(client, campaign, field, value):
    response = client.post(ENDORSE, form_data(**{field: value}))
    assert response.status_code == 200
    assert f'id="id_{field}_error"'.encode() in response.content
    assert Endorsement.objects.count() == 0


def test_html_in_accepted_fields_is_shown_escaped(client, campaign, make_endorsement):
    make_endorsement("<b>Bold</b> Org", "FR", message="<script>alert(1)</script>")
    html = client.get("/en/campaigns/open-borders/endorsements/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; Org" in html


def test_expired_or_forged_links_explain_what_to_do(client, campaign, settings):
    response = client.get("/en/endorsements/confirm/forged-token/")
    assert response.status_code == 400
    assert b"Send the endorsement form again" in response.content


def test_expired_link_does_not_confirm(client, make_endorsement, settings):
    from tadamun.coalition.links import CONFIRM_ENDORSEMENT

    endorsement = make_endorsement(status="unconfirmed")
    token = CONFIRM_ENDORSEMENT.token(endorsement)
    settings.CONFIRMATION_LINK_MAX_AGE = -1
    response = client.post(f"/en/endorsements/confirm/{token}/")
    assert response.status_code == 400
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.UNCONFIRMED


def test_confirming_twice_is_harmless(client, make_endorsement):
    from tadamun.coalition.links import CONFIRM_ENDORSEMENT

    endorsement = make_endorsement(status="unconfirmed")
    path = f"/en/endorsements/confirm/{CONFIRM_ENDORSEMENT.token(endorsement)}/"
    client.post(path)
    second = client.post(path)
    assert second.status_code == 200
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.PENDING


def test_archived_campaigns_take_no_new_endorsements(client, campaign):
    campaign.status = "archived"
    campaign.save()
    assert client.get(ENDORSE).status_code == 404
