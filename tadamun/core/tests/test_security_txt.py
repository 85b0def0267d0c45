from datetime import datetime, timedelta

from django.test import Client, override_settings
from django.utils import timezone


def test_security_txt_names_a_contact_and_expires_within_a_year(client, db, settings):
    settings.SECURITY_CONTACT = "mailto:security@tadamun.example"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == "mailto:security@tadamun.example"
    expires = datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    assert timezone.now() < expires < timezone.now() + timedelta(days=365)


def test_onion_location_only_when_an_onion_address_is_set(db):
    assert "Onion-Location" not in Client().get("/en/")
    with override_settings(ONION_ADDRESS="http://tadamunexample.onion"):
        page = Client().get("/en/petitions/?a=1")
        assert page["Onion-Location"] == "http://tadamunexample.onion/en/petitions/?a=1"
        assert "Onion-Location" not in Client().get("/healthz")
