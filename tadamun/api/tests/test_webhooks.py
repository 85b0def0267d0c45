"""Webhooks over real HTTP: signed, scoped to the partners a person shares with, retried."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tadamun.api import webhooks
from tadamun.api.models import WebhookDelivery, WebhookEndpoint
from tadamun.coalition.models import Organisation
from tadamun.core import roles
from tadamun.petitions import services as petitions
from tadamun.petitions.models import Petition


class Receiver:
    """A partner's server: records what it gets; answers each request with the next code."""

    def __init__(self):
        self.received = []
        self.codes = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.codes.pop(0) if receiver.codes else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self):
        return [json.loads(body) for _headers, body in self.received]


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()


@pytest.fixture
def partners(db):
    return tuple(
        Organisation.objects.create(name=name, country="FR", kind="ngo", partner_code=code)
        for name, code in (("Comité Lyon", "lyon"), ("Other", "other"))
    )


def endpoint(organisation, url, events):
    hook = WebhookEndpoint(organisation=organisation, url=url, events=events)
    secret = hook.issue_secret()
    hook.save()
    return hook, secret


def sign_through(petition, source, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signature = petitions.sign(
            petition,
            petitions.SignatureRequest(
                name="Hugo Petit", email=email, country="FR", source=source,
                shares_with_partner=True,
            ),
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        petitions.confirm(signature)
    return signature


def test_a_confirmed_signature_reaches_only_the_partner_who_brought_it_signed(
    receiver, partners, campaign, django_capture_on_commit_callbacks
):
    other = Receiver()
    _hook, secret = endpoint(partners[0], receiver.url, ["signature.confirmed"])
    endpoint(partners[1], other.url, ["signature.confirmed"])
    petition = Petition.objects.create(
        campaign=campaign, slug="open", title="Open", target="Ministers", status="open"
    )
    sign_through(petition, "lyon", "hugo@example.org", django_capture_on_commit_callbacks)
    ((headers, body),) = receiver.received
    assert other.received == []
    other.server.shutdown()
    event = json.loads(body)
    assert event["event"] == "signature.confirmed"
    assert event["data"]["person"]["email"] == "hugo@example.org"
    # The partner checks the signature with its secret.
    stamp, digest = (part.split("=", 1)[1] for part in headers["Tadamun-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256)
    assert hmac.compare_digest(digest, expected.hexdigest())
    assert WebhookDelivery.objects.get(endpoint__organisation=partners[0]).status == "delivered"


def test_a_signature_without_consent_to_share_reaches_nobody(
    receiver, partners, campaign, django_capture_on_commit_callbacks
):
    endpoint(partners[0], receiver.url, ["signature.confirmed"])
    petition = Petition.objects.create(
        campaign=campaign, slug="open", title="Open", target="Ministers", status="open"
    )
    with django_capture_on_commit_callbacks(execute=True):
        signature = petitions.sign(
            petition,
            petitions.SignatureRequest(
                name="A", email="a@example.org", country="FR", source="lyon"
            ),
        )
    with django_capture_on_commit_callbacks(execute=True):
        petitions.confirm(signature)
    assert receiver.received == [] and not WebhookDelivery.objects.exists()


def test_a_failing_endpoint_is_retried_then_delivered(receiver, partners, db):
    receiver.codes = [500, 503]
    hook, _secret = endpoint(partners[0], receiver.url, ["endorsement.approved"])
    delivery = WebhookDelivery.objects.create(
        endpoint=hook, event="endorsement.approved", payload={}
    )
    from tadamun.api.tasks import deliver_webhook

    deliver_webhook.call(delivery.pk)  # tasks run at once here: the retries follow at once
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 200)
    assert len(receiver.received) == 3


def test_an_endpoint_that_never_answers_fails_after_the_last_attempt(partners, db):
    hook, _secret = endpoint(partners[0], "http://127.0.0.1:9/hooks", ["endorsement.approved"])
    delivery = WebhookDelivery.objects.create(
        endpoint=hook, event="endorsement.approved", payload={}
    )
    from tadamun.api.tasks import deliver_webhook

    deliver_webhook.call(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", webhooks.MAX_ATTEMPTS)
    assert delivery.last_error and delivery.last_status_code is None
    assert [webhooks.retry_delay(n).seconds for n in (1, 2, 3)] == [30, 60, 120]


def test_an_approved_endorsement_goes_to_everyone_who_asked_without_its_contact(
    receiver, partners, make_endorsement, make_staff, django_capture_on_commit_callbacks
):
    from tadamun.coalition import services as coalition
    from tadamun.coalition.models import Endorsement

    endpoint(partners[1], receiver.url, ["endorsement.approved"])
    endorsement = make_endorsement("Amal Network", "FR", status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        coalition.moderate_endorsements(
            Endorsement.objects.filter(pk=endorsement.pk), approve=True, by=make_staff()
        )
    (event,) = receiver.events()
    assert event["data"] == {
        "campaign": "open-borders",
        "organisation": "Amal Network",
        "country": "FR",
    }
    assert b"@" not in receiver.received[0][1]


def test_admins_register_an_endpoint_and_see_its_secret_once(client, make_staff, partners):
    client.force_login(make_staff(roles.COALITION_ADMIN))
    response = client.post(
        "/en/admin/api/webhookendpoint/add/",
        {"organisation": partners[0].pk, "url": "https://partner.example/hooks",
         "events": ["signature.confirmed", "letter.sent"], "active": "on"},
        follow=True,
    )  # fmt: skip
    hook = WebhookEndpoint.objects.get()
    assert hook.events == ["signature.confirmed", "letter.sent"]
    assert hook.secret in response.content.decode()
    refused = client.post(
        "/en/admin/api/webhookendpoint/add/",
        {"organisation": partners[0].pk, "url": "javascript:alert(1)", "events": ["letter.sent"]},
    )
    assert refused.status_code == 200 and WebhookEndpoint.objects.count() == 1
