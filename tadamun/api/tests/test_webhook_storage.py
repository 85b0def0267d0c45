"""What the site keeps of a webhook: the person an event is about is sent as they gave
themselves for that action, kept apart from the log and only until the partner has it, and
erased with them."""

import json

from tadamun.api import webhooks
from tadamun.api.models import WebhookDelivery
from tadamun.api.tests import test_webhooks as hooks
from tadamun.events import rsvps
from tadamun.events.tests import conftest as event_fixtures
from tadamun.letters import services as letters
from tadamun.letters.tests import conftest as letter_fixtures
from tadamun.petitions.models import Petition
from tadamun.supporters import services as supporters
from tadamun.supporters.consents import SHARE_REQUEST
from tadamun.supporters.models import Consent

# Borrowed fixtures: a partner's server, partners, and an approved event.
receiver = hooks.receiver
partners = hooks.partners
day = event_fixtures.day
proposal = event_fixtures.proposal
sign_up_event = event_fixtures.sign_up_event
ministers = letter_fixtures.ministers
make_letter_campaign = letter_fixtures.make_letter_campaign
platform_campaign = letter_fixtures.platform_campaign


def shared_with_lyon(campaign, capture):
    """Hugo signs as "Hugo Petit" on a petition Lyon brought him to, sharing with Lyon, and
    answers "yes" to Lyon's "share with us?" email (what he does on the site too)."""
    petition = Petition.objects.create(
        campaign=campaign, slug="open", title="Open", target="Ministers", status="open"
    )
    signature = hooks.sign_through(petition, "lyon", "hugo@example.org", capture)
    supporters.give_consent(
        signature.supporter,
        Consent.Purpose.PARTNER,
        organisation=signature.partner,
        wording=SHARE_REQUEST,
    )
    return signature.supporter


def test_an_attendance_names_the_person_as_they_answered_and_the_log_keeps_no_copy(
    receiver, partners, campaign, sign_up_event, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    hooks.endpoint(partners[0], receiver.url, ["attendance.confirmed"])
    shared_with_lyon(campaign, capture)
    event = sign_up_event()
    with capture(execute=True):
        answer = rsvps.answer(event, rsvps.RsvpRequest(name="H. P.", email="hugo@example.org"))
        rsvps.confirm(answer)

    (sent,) = receiver.events()
    assert sent["data"]["person"] == {"email": "hugo@example.org", "name": "H. P.", "country": "FR"}
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered" and delivery.person == ""
    assert "person" not in delivery.payload and "hugo" not in json.dumps(delivery.payload)


def test_a_letter_names_the_writer_as_they_signed_it(
    receiver, partners, campaign, platform_campaign, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    hooks.endpoint(partners[0], receiver.url, ["letter.sent"])
    shared_with_lyon(campaign, capture)  # the record's name: "Hugo Petit"
    request = letters.LetterRequest(
        name="H. P.", country="DE", subject="Safe routes", text="Open them.",
        email="hugo@example.org",
    )  # fmt: skip
    with capture(execute=True):
        letter = letters.write(platform_campaign, request)
    with capture(execute=True):
        letters.confirm(letter)

    (sent,) = receiver.events()
    assert sent["event"] == "letter.sent" and sent["data"]["person"]["name"] == "H. P."


def test_a_delivery_given_up_forgets_the_person(partners, campaign, db):
    hook, _secret = hooks.endpoint(partners[0], "http://127.0.0.1:9/hooks", ["letter.sent"])
    supporter = supporters.find_or_create_supporter("hugo@example.org", name="Hugo Petit")
    webhooks.notify(
        "letter.sent", [partners[0].pk], {}, person=webhooks.Person(supporter, "Hugo Petit")
    )
    from tadamun.api.tasks import deliver_webhook

    deliver_webhook.call(WebhookDelivery.objects.get().pk)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.person == ""


def test_erasure_cancels_waiting_deliveries_and_unlinks_the_others(
    receiver, partners, campaign, django_capture_on_commit_callbacks
):
    hooks.endpoint(partners[0], receiver.url, ["signature.confirmed", "letter.sent"])
    supporter = shared_with_lyon(campaign, django_capture_on_commit_callbacks)
    # A letter's news is queued, not yet sent, when the person erases their data.
    webhooks.notify(
        "letter.sent", [partners[0].pk], {}, person=webhooks.Person(supporter, "Hugo Petit")
    )
    assert [d["partner"] for d in supporters.describe(supporter)["partner_deliveries"]] == [
        "Comité Lyon",
        "Comité Lyon",
    ]

    supporters.erase(supporter)

    (kept,) = WebhookDelivery.objects.all()
    assert (kept.event, kept.status, kept.supporter, kept.person) == (
        "signature.confirmed",
        "delivered",
        None,
        "",
    )
