"""OSDI tags, events and advocacy campaigns on the demo site, scoped to the partner."""

import re

import pytest
from django.test import Client

from tadamun.api.models import ApiToken
from tadamun.coalition.models import Organisation
from tadamun.events.models import Event, Rsvp
from tadamun.supporters import services as supporters
from tadamun.supporters.consents import SHARE_REQUEST
from tadamun.supporters.models import Consent, PartnerPerson, Supporter, Tag


@pytest.fixture
def partner(demo, db):
    return Organisation.objects.get(partner_code="isn")


@pytest.fixture
def client(partner):
    token = ApiToken(organisation=partner, name="sync")
    key = token.issue()
    token.save()
    return Client(HTTP_OSDI_API_TOKEN=key)


def share_activity(supporter, partner):
    """The person answered "yes" to the "share with <partner>?" email: the wording that shares
    what they do on the site, not only their name and address."""
    supporters.give_consent(
        supporter, Consent.Purpose.PARTNER, organisation=partner, wording=SHARE_REQUEST
    )


def sharing(partner, email):
    supporter = supporters.find_or_create_supporter(email, name="Rim Saleh", language="ar")
    share_activity(supporter, partner)
    return supporter


def test_the_entry_point_links_tags_events_and_advocacy_campaigns(client):
    links = client.get("/api/osdi/v1/").json()["_links"]
    for name in ("osdi:tags", "osdi:events", "osdi:advocacy_campaigns"):
        assert client.get(links[name]["href"].split("8000", 1)[1]).status_code == 200


def test_taggings_show_only_people_who_share_with_the_partner(client, partner):
    tag = Tag.objects.create(name="volunteers")
    sharing(partner, "rim@example.org").tags.add(tag)
    Supporter.objects.create(email="other@example.org", language="en").tags.add(tag)
    taggings = client.get(f"/api/osdi/v1/tags/{tag.pk}/taggings").json()
    assert taggings["total_records"] == 1


def test_recording_an_attendance_follows_the_web_forms_rules(
    client, partner, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tadamun.events import rsvps

    event = next(e for e in Event.objects.public().filter(shifts=None) if e.takes_rsvps())
    body = {"person": {"given_name": "Rim", "email_addresses": [{"address": "rim@example.org"}]}}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(
            f"/api/osdi/v1/events/{event.pk}/attendances", body, content_type="application/json"
        )
        again = client.post(
            f"/api/osdi/v1/events/{event.pk}/attendances", body, content_type="application/json"
        )
    assert first.status_code == 200 and first.json()["person"]["given_name"] == "Rim"
    assert again.json()["_links"] == first.json()["_links"]
    assert any(m.to == ["rim@example.org"] for m in mail.outbox)  # they confirm it themselves
    rim = Supporter.objects.with_email("rim@example.org").get()
    rsvp = Rsvp.objects.get(event=event, supporter=rim)
    rsvps.confirm(rsvp)
    share_activity(rsvp.supporter, partner)
    listed = client.get(f"/api/osdi/v1/events/{event.pk}/attendances").json()
    assert f"tadamun:attendance:{rsvp.pk}" in [
        a["identifiers"][0] for a in listed["_embedded"]["osdi:attendances"]
    ]


def test_outreaches_are_the_letters_of_people_who_share(client, partner):
    from tadamun.letters.models import Letter

    campaign = client.get("/api/osdi/v1/advocacy_campaigns/write-to-your-minister").json()
    assert campaign["total_outreaches"] >= 1
    assert (
        client.get("/api/osdi/v1/advocacy_campaigns/write-to-your-minister/outreaches").json()[
            "total_records"
        ]
        == 0
    )
    letter = Letter.objects.filter(
        campaign__slug="write-to-your-minister", status="confirmed"
    ).first()
    share_activity(letter.supporter, partner)
    outreaches = client.get(
        "/api/osdi/v1/advocacy_campaigns/write-to-your-minister/outreaches"
    ).json()
    (outreach,) = outreaches["_embedded"]["osdi:outreaches"]
    known_as = PartnerPerson.objects.get(organisation=partner, supporter=letter.supporter)
    assert outreach["targets"] and outreach["_links"]["osdi:person"]["href"].endswith(
        f"/people/{known_as.pk}"
    )


@pytest.fixture
def hooks(partner):
    from tadamun.api.tests.test_webhooks import Receiver, endpoint

    receiver = Receiver()
    endpoint(partner, receiver.url, ["attendance.confirmed", "letter.sent"])
    yield receiver
    receiver.server.shutdown()


def test_attendances_and_letters_reach_the_partners_their_people_share_with(
    hooks, partner, django_capture_on_commit_callbacks
):
    from tadamun.events import rsvps
    from tadamun.letters import delivery, services

    event = next(e for e in Event.objects.public().filter(shifts=None) if e.takes_rsvps())
    rim = sharing(partner, "rim@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        rsvp = rsvps.answer(event, rsvps.RsvpRequest(name="Rim", email="rim@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        rsvps.confirm(rsvp)
    stranger = "stranger@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        other = rsvps.answer(event, rsvps.RsvpRequest(name="S", email=stranger))
    with django_capture_on_commit_callbacks(execute=True):
        rsvps.confirm(other)
    assert [e["event"] for e in hooks.events()] == ["attendance.confirmed"]
    assert hooks.events()[0]["data"]["person"]["email"] == rim.email

    from tadamun.letters.models import LetterCampaign

    campaign = LetterCampaign.objects.get(slug="write-to-your-minister")
    request = services.LetterRequest(
        name="Rim Saleh", email="rim@example.org", country="DE", subject="Safe routes",
        text="Dear {target_name}, please open safe routes for the civilians of Idlib now.",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.write(campaign, request)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm(letter)
    delivery.deliver_due()
    sent = [e for e in hooks.events() if e["event"] == "letter.sent"]
    assert sent and {e["data"]["person"]["email"] for e in sent} == {"rim@example.org"}


def hrefs(document):
    """Every link in a HAL document, but the helpers' (they take POSTs)."""
    if isinstance(document, list):
        for value in document:
            yield from hrefs(value)
    elif isinstance(document, dict):
        for name, value in document.items():
            if name == "href":
                yield value
            elif not name.endswith("_helper"):
                yield from hrefs(value)


def test_every_link_a_partner_is_given_leads_somewhere_and_only_for_it(client, partner):
    from tadamun.letters.models import Letter
    from tadamun.petitions.models import Signature

    tag = Tag.objects.create(name="volunteers")
    for sharer in (
        Signature.objects.confirmed().first().supporter,
        Letter.objects.filter(status=Letter.Status.CONFIRMED).first().supporter,
        Rsvp.objects.filter(status=Rsvp.Status.GOING).first().supporter,
    ):
        share_activity(sharer, partner)
        sharer.tags.add(tag)

    seen, to_visit = set(), ["/api/osdi/v1/"]
    while to_visit:
        path = to_visit.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code == 200, path
        for href in hrefs(response.json()):
            assert href.startswith("http://127.0.0.1:8000/api/osdi/v1/")
            to_visit.append(href.removeprefix("http://127.0.0.1:8000"))

    items = (
        r"/api/osdi/v1/(people|petitions/[\w-]+/signatures|tags/\d+/taggings"
        r"|events/\d+/attendances|advocacy_campaigns/[\w-]+/outreaches)/\d+$"
    )
    reached = {re.match(items, path)[1].split("/")[-1] for path in seen if re.match(items, path)}
    assert reached == {"people", "signatures", "taggings", "attendances", "outreaches"}

    stranger = Organisation.objects.create(name="Stranger", country="DE", kind="ngo")
    token = ApiToken(organisation=stranger, name="sync")
    other = Client(HTTP_OSDI_API_TOKEN=token.issue())
    token.save()
    for path in seen:
        if re.match(items, path):
            assert other.get(path).status_code == 404, path


@pytest.mark.parametrize("collection", ["petitions", "events", "advocacy_campaigns"])
def test_collections_filter_on_modified_date(client, collection):
    url = f"/api/osdi/v1/{collection}"
    assert client.get(url, {"filter": "modified_date gt '2000-01-01'"}).json()["total_records"]
    assert not client.get(url, {"filter": "modified_date gt '2999-01-01'"}).json()["total_records"]
    item = client.get(url).json()["_embedded"][f"osdi:{collection}"][0]
    assert item["modified_date"]


def test_collections_without_dates_refuse_a_filter(client):
    refused = client.get("/api/osdi/v1/tags", {"filter": "modified_date gt '2000-01-01'"})
    assert refused.status_code == 400 and refused.json()["detail"]
