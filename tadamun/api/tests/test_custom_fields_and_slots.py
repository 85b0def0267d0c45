"""Custom fields everywhere an action goes out (issue 19): the OSDI outreaches (letters) take
and show them as signatures and attendances do, and the webhooks of signatures, attendances
and letters carry them with the person (forgotten with the person). An event's time slots are
in its OSDI representation (`tadamun:shifts`), and an attendance names its slots."""

from datetime import timedelta

import pytest
from django.test import Client

from tadamun.api.models import WebhookDelivery
from tadamun.api.tests import test_webhooks as hooks
from tadamun.api.tests.test_osdi import token_of
from tadamun.api.tests.test_webhook_storage import shared_with_lyon
from tadamun.events import organisers, rsvps
from tadamun.events.tests import conftest as event_fixtures
from tadamun.letters import services as letters
from tadamun.letters.models import Letter
from tadamun.letters.tests import conftest as letter_fixtures
from tadamun.questions.tests import conftest as question_fixtures
from tadamun.supporters import partners as partner_people
from tadamun.supporters import services as supporters
from tadamun.supporters.models import Supporter

receiver = hooks.receiver
partners = hooks.partners
day = event_fixtures.day
proposal = event_fixtures.proposal
sign_up_event = event_fixtures.sign_up_event
ministers = letter_fixtures.ministers
make_letter_campaign = letter_fixtures.make_letter_campaign
platform_campaign = letter_fixtures.platform_campaign
ask = question_fixtures.ask


@pytest.fixture
def api(partners):
    return Client(HTTP_OSDI_API_TOKEN=token_of(partners[0]))


def hugo(**custom_fields) -> dict:
    return {
        "person": {
            "given_name": "Hugo",
            "email_addresses": [{"address": "hugo@example.org"}],
            "postal_addresses": [{"country": "DE", "postal_code": "10115"}],
        },
        "custom_fields": custom_fields,
    }


def test_an_outreach_takes_and_shows_its_custom_fields(
    api,
    partners,
    platform_campaign,
    ask,
    django_capture_on_commit_callbacks,
):
    ask(platform_campaign, "yes_no", key="visit", required=True)
    path = f"/api/osdi/v1/advocacy_campaigns/{platform_campaign.slug}/outreaches"
    refused = api.post(path, hugo(), content_type="application/json")
    assert refused.status_code == 422 and "visit" in refused.json()["detail"]
    assert not Letter.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        sent = api.post(path, hugo(visit="Yes"), content_type="application/json")
    assert sent.status_code == 200, sent.content
    letter = Letter.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        letters.confirm(letter)
    partner_people.confirm_sharing(
        Supporter.objects.with_email("hugo@example.org").get().partner_people.get()
    )
    (shown,) = api.get(path).json()["_embedded"]["osdi:outreaches"]
    assert shown["custom_fields"] == {"visit": "yes"}
    assert api.get(f"{path}/{letter.pk}").json()["custom_fields"] == {"visit": "yes"}


def test_webhooks_carry_each_actions_custom_fields_and_forget_them_with_the_person(
    receiver, partners, campaign, sign_up_event, platform_campaign, ask,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    capture = django_capture_on_commit_callbacks
    hooks.endpoint(partners[0], receiver.url, ["attendance.confirmed", "letter.sent"])
    hugo_record = shared_with_lyon(campaign, capture)
    event = sign_up_event()
    banner = ask(event, "yes_no", key="banner")
    town = ask(platform_campaign, "text", key="town")
    slot = organisers.add_shift(event, event.starts_at, event.starts_at + timedelta(hours=1), 4)
    with capture(execute=True):
        answer = rsvps.answer(
            event,
            rsvps.RsvpRequest(
                name="H. P.",
                email="hugo@example.org",
                answers={str(banner.pk): "yes"},
                shifts=(slot.pk,),
            ),
        )
        rsvps.confirm(answer)
    request = letters.LetterRequest(
        name="H. P.", country="DE", subject="Safe routes", text="Open them.",
        email="hugo@example.org", answers={str(town.pk): "<b>Köln</b>"},
    )  # fmt: skip
    with capture(execute=True):
        letter = letters.write(platform_campaign, request)
    with capture(execute=True):
        letters.confirm(letter)

    sent = {hook["event"]: hook["data"] for hook in receiver.events()}
    assert sent["attendance.confirmed"]["custom_fields"] == {"banner": "yes"}
    assert sent["attendance.confirmed"]["shifts"] == [slot.pk]
    assert sent["letter.sent"]["custom_fields"] == {"town": "<b>Köln</b>"}  # JSON: as typed
    assert "custom_fields" not in sent["letter.sent"]["person"]
    # Delivered: the log keeps no answer (they were the person's, not the action's).
    for delivery in WebhookDelivery.objects.all():
        assert delivery.person == "" and "Köln" not in str(delivery.payload)
    # Waiting when the person erases their data: gone with them.
    hooks.endpoint(partners[0], "http://127.0.0.1:9/hooks", ["letter.sent"])
    from tadamun.api.receivers import letter_sent

    with capture(execute=False):
        letter_sent(None, delivery=letter.deliveries.first())
    assert WebhookDelivery.objects.filter(person__isnull=False, status="pending").exists()
    supporters.erase(hugo_record)
    assert not WebhookDelivery.objects.filter(status="pending").exists()


@pytest.mark.parametrize("owned", [True, False], ids=["the owner's", "a partner's link"])
def test_a_signatures_webhook_carries_its_custom_fields_to_the_petitions_owner_only(
    receiver,
    partners,
    campaign,
    ask,
    django_capture_on_commit_callbacks,
    owned,
):
    """The owner asked the questions; a partner whose link only brought the signer, on the
    consent its link asks (a name and an email address), gets the person without them."""
    from tadamun.petitions.models import Petition

    hooks.endpoint(partners[0], receiver.url, ["signature.confirmed"])
    petition = Petition.objects.create(
        campaign=campaign, slug="open", title="Open", target="Ministers", status="open",
        organisation=partners[0] if owned else None,
    )  # fmt: skip
    city = ask(petition, "text", key="city")
    from tadamun.petitions import services as petitions

    with django_capture_on_commit_callbacks(execute=True):
        signature = petitions.sign(
            petition,
            petitions.SignatureRequest(
                name="Hugo Petit", email="hugo@example.org", country="FR", source="lyon",
                shares_with_partner=True, answers={str(city.pk): "Lyon"},
            ),
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        petitions.confirm(signature)
    (sent,) = receiver.events()
    assert sent["data"]["custom_fields"] == ({"city": "Lyon"} if owned else {})
    assert sent["data"]["person"]["email"] == "hugo@example.org"  # the person goes, as agreed


def test_an_events_slots_and_an_attendances_slots_are_in_osdi(
    api, partners, sign_up_event, django_assert_max_num_queries
):
    event = sign_up_event()
    start = event.starts_at
    first = organisers.add_shift(event, start, start + timedelta(hours=1), 1)
    second = organisers.add_shift(
        event, start + timedelta(hours=1), start + timedelta(hours=2), None
    )
    for email in ("hugo@example.org", "rim@example.org"):
        rsvps.confirm(
            rsvps.answer(
                event, rsvps.RsvpRequest(name="H", email=email, shifts=(first.pk, second.pk))
            )
        )
    shown = api.get(f"/api/osdi/v1/events/{event.pk}").json()
    assert shown["tadamun:shifts"] == [
        {
            "identifiers": [f"tadamun:shift:{first.pk}"],
            "start_date": first.starts_at.isoformat().replace("+00:00", "Z"),
            "end_date": first.ends_at.isoformat().replace("+00:00", "Z"),
            "capacity": 1,
            "total_accepted": 1,
        },
        {
            "identifiers": [f"tadamun:shift:{second.pk}"],
            "start_date": second.starts_at.isoformat().replace("+00:00", "Z"),
            "end_date": second.ends_at.isoformat().replace("+00:00", "Z"),
            "total_accepted": 2,
        },
    ]
    listed = api.get("/api/osdi/v1/events").json()["_embedded"]["osdi:events"]
    assert next(e for e in listed if e["identifiers"] == shown["identifiers"]) == shown
    rim = Supporter.objects.with_email("rim@example.org").get()
    supporters.give_consent(rim, "partner", organisation=partners[0], wording="share")
    partner_people.confirm_sharing(rim.partner_people.get(organisation=partners[0]))
    with django_assert_max_num_queries(12):
        attendances = api.get(f"/api/osdi/v1/events/{event.pk}/attendances").json()
    (attendance,) = attendances["_embedded"]["osdi:attendances"]
    assert [(s["identifiers"][0], s["status"]) for s in attendance["tadamun:shifts"]] == [
        (f"tadamun:shift:{first.pk}", "waiting"),
        (f"tadamun:shift:{second.pk}", "accepted"),
    ]


def test_a_partner_whose_link_brought_a_signer_reads_the_signature_without_its_answers(
    api, partners, campaign, ask, django_capture_on_commit_callbacks
):
    from tadamun.petitions import services as petitions
    from tadamun.petitions.models import Petition

    petition = Petition.objects.create(
        campaign=campaign, slug="open", title="Open", target="Ministers", status="open"
    )
    city = ask(petition, "text", key="city")
    with django_capture_on_commit_callbacks(execute=True):
        signature = petitions.sign(
            petition,
            petitions.SignatureRequest(
                name="Hugo Petit", email="hugo@example.org", country="FR", source="lyon",
                shares_with_partner=True, answers={str(city.pk): "Lyon"},
            ),
        )  # fmt: skip
        petitions.confirm(signature)
    path = f"/api/osdi/v1/petitions/{petition.slug}/signatures"
    (shown,) = api.get(path).json()["_embedded"]["osdi:signatures"]
    assert shown["custom_fields"] == {}  # the narrow consent: a name and an address
    partner_people.confirm_sharing(signature.supporter.partner_people.get())
    assert api.get(f"{path}/{signature.pk}").json()["custom_fields"] == {"city": "Lyon"}
