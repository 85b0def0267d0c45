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
from tadamun.petitions import services as petitions
from tadamun.petitions.models import Petition
from tadamun.staff import roles


class Receiver:
    """A partner's server: records what it gets; answers each request with the next code."""

    def __init__(self):
        self.received = []
        self.codes = []
        self.location = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.codes.pop(0) if receiver.codes else 200)
                if receiver.location:
                    self.send_header("Location", receiver.location)
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


def deliver_now(hook):
    from tadamun.api.tasks import deliver_webhook

    delivery = WebhookDelivery.objects.create(
        endpoint=hook, event="endorsement.approved", payload={}
    )
    deliver_webhook.call(delivery.pk)
    delivery.refresh_from_db()
    return delivery


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:9001/",
        "http://10.0.0.5:6379/",
        "http://[::1]/hooks",
        "http://2130706433/hooks",
    ],
)
def test_an_endpoint_inside_the_network_gets_nothing_and_the_delivery_fails(
    url, partners, settings
):
    settings.OUTGOING_ALLOW_LOOPBACK = False
    hook, _secret = endpoint(partners[0], url, ["endorsement.approved"])
    delivery = deliver_now(hook)
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert delivery.last_error == "address not public" and delivery.delivered_at is None


def test_a_local_receiver_is_refused_without_the_tests_loopback_allowance(
    receiver, partners, settings
):
    settings.OUTGOING_ALLOW_LOOPBACK = False
    hook, _secret = endpoint(partners[0], receiver.url, ["endorsement.approved"])
    assert deliver_now(hook).status == "failed"
    assert receiver.received == []


def test_a_redirect_is_not_followed_and_the_delivery_fails(receiver, partners):
    target = Receiver()
    redirector = Receiver()
    redirector.codes = [302]
    redirector.location = target.url
    hook, _secret = endpoint(partners[0], redirector.url, ["endorsement.approved"])
    delivery = deliver_now(hook)
    target.server.shutdown()
    redirector.server.shutdown()
    assert len(redirector.received) == 1 and target.received == []
    assert (delivery.status, delivery.last_status_code) == ("failed", 302)
    assert delivery.last_error == "redirect not followed"


def test_an_endpoint_must_be_https_unless_development_allows_http(receiver, partners, settings):
    settings.OUTGOING_ALLOW_HTTP = False
    hook, _secret = endpoint(partners[0], receiver.url, ["endorsement.approved"])
    delivery = deliver_now(hook)
    assert (delivery.status, delivery.last_error) == ("failed", "https required")
    assert receiver.received == []


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://partner.example/hooks", "Use an https:// address."),
        ("https://169.254.169.254/latest/", "inside a private network"),
        ("https://127.0.0.1:9001/", "inside a private network"),
        ("https://10.0.0.5:6379/", "inside a private network"),
        ("https://[::1]/hooks", "inside a private network"),
        ("https://[::ffff:127.0.0.1]/hooks", "inside a private network"),
        ("https://2130706433/hooks", "Enter a valid URL"),  # Django refuses it first
    ],
)
def test_admins_cannot_save_an_endpoint_inside_the_network(
    url, error, client, make_staff, partners, settings
):
    settings.OUTGOING_ALLOW_HTTP = False
    settings.OUTGOING_ALLOW_LOOPBACK = False
    client.force_login(make_staff(roles.COALITION_ADMIN))
    response = client.post(
        "/en/admin/api/webhookendpoint/add/",
        {"organisation": partners[0].pk, "url": url, "events": ["letter.sent"], "active": "on"},
    )
    assert response.status_code == 200 and not WebhookEndpoint.objects.exists()
    assert error in response.content.decode()
