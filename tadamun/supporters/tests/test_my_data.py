import json
import re

import pytest
from django.core import mail

from tadamun.petitions.models import Signature
from tadamun.supporters import services
from tadamun.supporters.links import MY_DATA, UNSUBSCRIBE
from tadamun.supporters.models import Consent, Supporter


def link_in(message):
    return re.search(r"https?://[^/\s]+(/\S+/my-data/\S+/)", message.body).group(1)


@pytest.fixture
def signer(sign, make_endorsement):
    partner = make_endorsement("Amal Network", "FR").organisation
    partner.partner_code = "amal"
    partner.save()
    signature = sign(
        "rania@example.org",
        "LB",
        name="Rania Haddad",
        show_name=True,
        comment="For my cousins in Idlib",
        wants_updates=True,
        shares_with_partner=True,
        source="amal",
        confirm=True,
    )
    return signature.supporter


def my_data_link(client, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/my-data/", {"email": email})
    assert response.status_code == 200
    return response


def test_the_link_is_sent_only_to_a_known_address_and_the_page_says_the_same(
    client, signer, django_capture_on_commit_callbacks
):
    known = my_data_link(client, "rania@example.org", django_capture_on_commit_callbacks)
    unknown = my_data_link(client, "nobody@example.org", django_capture_on_commit_callbacks)
    assert known.content == unknown.content  # nobody can learn who is in the database
    assert [m.to for m in mail.outbox] == [["rania@example.org"]]


def test_my_data_shows_downloads_and_withdraws(client, signer, django_capture_on_commit_callbacks):
    my_data_link(client, "rania@example.org", django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    page = client.get(link).content.decode()
    assert "rania@example.org" in page and "Rania Haddad" in page
    assert "For my cousins in Idlib" in page and "Open the borders" in page
    assert "Amal Network" in page  # the partner they agreed to share with

    download = client.post(link + "download/")
    assert download["Content-Disposition"].startswith("attachment")
    data = json.loads(download.content)
    assert data["supporter"]["email"] == "rania@example.org"
    assert data["signatures"][0]["comment"] == "For my cousins in Idlib"
    assert {c["purpose"] for c in data["consents"]} == {"updates", "partner"}

    partner_consent = Consent.objects.get(purpose="partner")
    client.post(link, {"withdraw": "1", "consent": [partner_consent.pk]})
    partner_consent.refresh_from_db()
    assert partner_consent.withdrawn_at is not None
    assert Consent.objects.get(purpose="updates").withdrawn_at is None


def test_erasure_anonymises_signatures_and_keeps_counts(client, signer, petition):
    link = f"/en/my-data/{MY_DATA.token(signer)}/"
    refused = client.post(link + "erase/", {})
    assert b'id="id_confirm_error"' in refused.content
    assert Supporter.objects.exists()

    client.post(link + "erase/", {"confirm": "on"})
    assert not Supporter.objects.exists() and not Consent.objects.exists()
    signature = Signature.objects.get()
    assert signature.supporter is None
    assert signature.public_name == "" and signature.comment == "" and signature.ip_hash == ""
    assert signature.status == Signature.Status.CONFIRMED and signature.country == "LB"
    petition.refresh_from_db()
    assert petition.confirmed_count == 1
    assert petition.country_counts.get().count == 1
    assert client.get(link).status_code == 400  # the link died with the data


def test_links_expire_and_cannot_be_forged(client, signer, settings, monkeypatch):
    link = f"/en/my-data/{MY_DATA.token(signer)}/"
    assert client.get("/en/my-data/forged/").status_code == 400
    settings.MY_DATA_LINK_MAX_AGE = -1
    assert client.get(link).status_code == 400


def test_unsubscribe_asks_first_and_a_get_changes_nothing(client, signer):
    link = f"/en/unsubscribe/{UNSUBSCRIBE.token(signer)}/"
    assert b'method="post"' in client.get(link).content
    assert Consent.objects.get(purpose="updates").withdrawn_at is None
    client.post(link)
    assert Consent.objects.get(purpose="updates").withdrawn_at is not None
    assert Consent.objects.get(purpose="partner").withdrawn_at is None


def test_requests_for_links_are_rate_limited_per_address(form_rate, client, db):
    form_rate("my-data", address="3/h")
    for _ in range(3):
        assert client.post("/en/my-data/", {"email": "x@example.org"}).status_code == 200
    response = client.post("/en/my-data/", {"email": "x@example.org"})
    assert response.status_code == 429
    assert b'id="id_email_error"' in response.content


def test_bad_consent_ids_are_ignored_not_a_500(client, signer):
    link = f"/en/my-data/{MY_DATA.token(signer)}/"
    response = client.post(link, {"withdraw": "1", "consent": ["abc", "1 OR 1=1"]})
    assert response.status_code == 302
    assert Consent.objects.active().count() == 2


def test_erasure_also_drops_a_submission_still_waiting(client, signer, petition):
    from tadamun.petitions.models import SignatureIntake

    client.post(
        "/en/petitions/open-the-borders/sign/",
        {"name": "Rania", "email": "rania@example.org", "country": "LB"},
    )
    assert SignatureIntake.objects.count() == 1
    services.erase(signer)
    assert not SignatureIntake.objects.exists()


@pytest.mark.parametrize(
    ("language", "status", "country", "month"),
    [("en", "Confirmed", "Lebanon", "Dec"), ("ar", "مؤكَّد", "لبنان", "ديسمبر")],
)
def test_my_data_reads_as_words_in_the_readers_language(
    client, signer, language, status, country, month
):
    Signature.objects.update(created_at="2026-12-02T17:17:11Z")
    page = client.get(f"/{language}/my-data/{MY_DATA.token(signer)}/").content.decode()
    signatures = page[page.index(str(_petitions_title(language))) :]
    assert status in signatures and country in signatures and month in signatures
    assert "2026-12-02T" not in page and ": confirmed" not in page and ": LB" not in page
    # ...while the download keeps the values a program reads.
    data = json.loads(client.post(f"/{language}/my-data/{MY_DATA.token(signer)}/download/").content)
    assert data["signatures"][0]["status"] == "confirmed"
    assert data["signatures"][0]["country"] == "LB"


def _petitions_title(language):
    from django.utils import translation

    from tadamun.petitions.personal_data import DECLARATION

    with translation.override(language):
        return str(DECLARATION.providers[0].title)
