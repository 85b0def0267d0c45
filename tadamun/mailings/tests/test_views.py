"""One-click unsubscribe and the mail provider's bounce reports, over HTTP."""

import hashlib
import hmac
import json
import time

import pytest
from django.test import Client

from tadamun.coalition.models import Organisation
from tadamun.mailings import sending
from tadamun.mailings.models import Recipient, Suppression
from tadamun.mailings.rendering import unsubscribe_path
from tadamun.supporters.models import Consent

SECRET = "a-test-webhook-secret"


@pytest.fixture
def copy(make_supporter, make_mailing):
    make_supporter("hugo@example.org", language="fr")
    mailing = make_mailing()
    sending.start(mailing)
    return Recipient.objects.get()


def active(purpose, supporter):
    return supporter.consents.active().filter(purpose=purpose).exists()


def test_one_click_unsubscribe_works_with_a_bare_post(copy):
    client = Client(enforce_csrf_checks=True)  # a mail program: no cookie, no CSRF token
    path = unsubscribe_path(copy)
    assert path.startswith("/fr/unsubscribe/mailing/")
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not active(Consent.Purpose.UPDATES, copy.supporter)


def test_opening_the_link_does_not_unsubscribe(copy):
    response = Client().get(unsubscribe_path(copy))
    assert response.status_code == 200
    assert '<form method="post">' in response.content.decode()
    assert active(Consent.Purpose.UPDATES, copy.supporter)


def test_a_tampered_link_changes_nothing(copy):
    path = unsubscribe_path(copy)
    response = Client().post(path[:-3] + "xx/")
    assert response.status_code == 400
    assert active(Consent.Purpose.UPDATES, copy.supporter)


def test_unsubscribing_from_a_partner_mailing_withdraws_only_that_partner(
    make_supporter, make_mailing
):
    partner = Organisation.objects.create(name="Comité", country="FR", kind="community")
    supporter = make_supporter("hugo@example.org", partner=partner)
    mailing = make_mailing(partner=partner)
    sending.start(mailing)
    Client().post(unsubscribe_path(Recipient.objects.get()))
    assert not active(Consent.Purpose.PARTNER, supporter)
    assert active(Consent.Purpose.UPDATES, supporter)


def signed(body: bytes, secret=SECRET, at=None) -> dict:
    at = str(int(at or time.time()))
    digest = hmac.new(secret.encode(), at.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"HTTP_X_TADAMUN_SIGNATURE": f"t={at},v1={digest}"}


def report(client, payload, **headers):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return client.post(
        "/mailings/bounces", body, content_type="application/json", **(headers or signed(body))
    )


@pytest.fixture
def webhook(settings, db):
    settings.MAILING_WEBHOOK_SECRET = SECRET
    return Client(enforce_csrf_checks=True)


def test_a_signed_bounce_suppresses_the_address_and_keeps_only_its_hash(
    webhook, make_supporter, make_mailing
):
    hugo = make_supporter("hugo@example.org")
    response = report(webhook, {"type": "bounce", "email": "Hugo@example.org", "permanent": True})
    assert response.json() == {"recorded": True}
    (suppression,) = Suppression.objects.all()
    assert suppression.email_hash == hugo.email_hash and suppression.reason == "bounce"
    mailing = make_mailing()
    sending.start(mailing)
    assert not mailing.recipients.exists()


def test_a_complaint_also_withdraws_every_consent(webhook, make_supporter):
    hugo = make_supporter("hugo@example.org")
    report(webhook, {"type": "complaint", "email": "hugo@example.org"})
    assert Suppression.objects.get().reason == "complaint"
    assert not hugo.consents.active().exists()


def test_a_soft_bounce_is_not_recorded(webhook, make_supporter):
    make_supporter("hugo@example.org")
    response = report(webhook, {"type": "bounce", "email": "hugo@example.org", "permanent": False})
    assert response.json() == {"recorded": False}
    assert not Suppression.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_X_TADAMUN_SIGNATURE": "t=1,v1=00"},
        signed(b"{}", secret="wrong"),
        signed(b'{"type": "bounce", "email": "x@example.org"}', at=time.time() - 3600),
    ],
)
def test_an_unsigned_forged_or_old_report_is_refused(webhook, headers):
    body = b'{"type": "bounce", "email": "x@example.org"}'
    response = webhook.post(
        "/mailings/bounces",
        body,
        content_type="application/json",
        **(headers or {"HTTP_X_NOTHING": "1"}),
    )
    assert response.status_code == 403
    assert not Suppression.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [b"not json", b"[]", b'{"type": "bounce"}', b'{"type": "spam", "email": "a@b.c"}',
     b'{"type": "bounce", "email": 5}', b"\xff\xfe"],
)  # fmt: skip
def test_malformed_reports_get_a_json_error(webhook, payload):
    response = report(webhook, payload)
    assert response.status_code == 400
    assert "error" in response.json()


def test_a_huge_report_is_refused(webhook):
    response = report(webhook, b"x" * (65 * 1024))
    assert response.status_code == 413


def test_without_a_secret_configured_nothing_is_accepted(webhook, settings):
    settings.MAILING_WEBHOOK_SECRET = ""
    assert report(webhook, {"type": "bounce", "email": "a@example.org"}).status_code == 403
