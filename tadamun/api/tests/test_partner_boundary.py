"""The partner boundary (issue 12, High 1): a partner sees what it submitted about a person and
what that person, by their own confirmed choice, shares with it; nothing else. Walked over
every OSDI GET route and every webhook event, with a person who never shared with the partner.
"""

import inspect
import itertools
import json
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tadamun.api.models import ApiToken, WebhookDelivery, WebhookEndpoint
from tadamun.api.osdi import router
from tadamun.coalition.models import Organisation
from tadamun.core.privacy import email_hash
from tadamun.events import rsvps
from tadamun.events.models import Event
from tadamun.letters import delivery as letter_delivery
from tadamun.letters import services as letters
from tadamun.letters.models import LetterCampaign
from tadamun.mailings.audience import audience
from tadamun.mailings.models import Mailing
from tadamun.petitions import services as petitions
from tadamun.petitions.models import Petition, Signature
from tadamun.petitions.submissions import accept
from tadamun.staff import roles
from tadamun.supporters import services as supporters
from tadamun.supporters.consents import SHARE_REQUEST
from tadamun.supporters.models import Consent, PartnerPerson, Supporter, Tag

EMAIL = "rim.saleh@example.org"
NAME = "Rim Saleh"
BASE = "http://127.0.0.1:8000/api/osdi/v1/"
SHARE_LINK = re.compile(r"https?://[^\s/]+(/[a-z]{2}/share/[^\s/]+/)")


@pytest.fixture
def partner_b(demo, db):
    """The partner who tries to reach someone who shares only with another partner."""
    return Organisation.objects.get(partner_code="isn")


@pytest.fixture
def partner_a(demo, db):
    return Organisation.objects.exclude(partner_code="isn").exclude(partner_code=None).first()


def client_for(organisation) -> Client:
    token = ApiToken(organisation=organisation, name="sync")
    key = token.issue()
    token.save()
    return Client(HTTP_OSDI_API_TOKEN=key)


def hook_for(organisation):
    hook = WebhookEndpoint(
        organisation=organisation,
        url="https://hooks.example.org/tadamun",
        events=[choice.value for choice in WebhookEndpoint.Event],
    )
    hook.issue_secret()
    hook.save()
    return hook


@pytest.fixture(autouse=True)
def sent_webhooks(monkeypatch) -> dict[int, str]:
    """What each delivery sends, by its id: nothing leaves the machine, and the site forgets
    the person once a delivery is done, so the tests read what went out here."""
    sent = {}

    def deliver(delivery):
        sent[delivery.pk] = json.dumps(delivery.data)
        return True

    monkeypatch.setattr("tadamun.api.webhooks.deliver", deliver)
    return sent


def act_on_the_site(partner_a, capture):
    """Rim signs through partner A's link and shares with A, answers an event and writes a
    letter; a coalition admin tags her. Every action confirmed from her emails."""
    petition = Petition.objects.filter(status=Petition.Status.OPEN).first()
    event = next(e for e in Event.objects.public().filter(shifts=None) if e.takes_rsvps())
    campaign = LetterCampaign.objects.get(slug="write-to-your-minister")
    with capture(execute=True):
        signature = petitions.sign(
            petition,
            petitions.SignatureRequest(
                name=NAME, email=EMAIL, country="SY", language="ar",
                shares_with_partner=True, source=partner_a.partner_code,
            ),
        )  # fmt: skip
        rsvp = rsvps.answer(event, rsvps.RsvpRequest(name=NAME, email=EMAIL, language="ar"))
        letter = letters.write(
            campaign,
            letters.LetterRequest(
                name=NAME, email=EMAIL, country="DE", subject="Safe routes",
                text="Dear {target_name}, please open safe routes for the civilians of Idlib.",
            ),
        )  # fmt: skip
    # She answered "yes" to A's "share with us?" email: what she does is shared, not only
    # her name and address.
    share_activity(Supporter.objects.with_email(EMAIL).get(), partner_a)
    with capture(execute=True):
        petitions.confirm(signature)
        rsvps.confirm(rsvp)
        letters.confirm(letter)
    with capture(execute=True):
        letter_delivery.deliver_due()
    supporter = Supporter.objects.with_email(EMAIL).get()
    supporter.tags.add(Tag.objects.create(name="volunteers Idlib"))
    return supporter, petition, event, campaign


def share_activity(supporter, partner):
    """The person answers "yes" to the "share with <partner>?" email: what they do on the
    site is shared too, not only their name and address."""
    supporters.give_consent(
        supporter, Consent.Purpose.PARTNER, organisation=partner, wording=SHARE_REQUEST
    )


def partner_mailing_audience(partner):
    mailing = Mailing.objects.create(title="News", body="Hello", language="en", partner=partner)
    return lambda: audience(mailing)


def shows_rim(text: str) -> bool:
    return EMAIL in text or NAME in text or "Saleh" in text or '"SY"' in text


def person_links(document: dict) -> set[str]:
    return set(re.findall(r"/people/(\d+)\"", json.dumps(document)))


def test_a_partner_signing_up_someone_elses_signer_learns_nothing_until_they_confirm(
    partner_a, partner_b, make_staff, django_capture_on_commit_callbacks, sent_webhooks
):
    hook_for(partner_b)
    rim, petition, event, campaign = act_on_the_site(partner_a, django_capture_on_commit_callbacks)
    tag = rim.tags.get()
    b = client_for(partner_b)
    b_audience = partner_mailing_audience(partner_b)
    mail.outbox.clear()

    sent = {"given_name": "R.", "email_addresses": [{"address": EMAIL}]}
    with django_capture_on_commit_callbacks(execute=True):
        answer = b.post(
            "/api/osdi/v1/people/person_signup", {"person": sent}, content_type="application/json"
        )
    assert answer.status_code == 200
    echoed = answer.json()
    # The answer echoes what B sent, nothing the site holds (name, country, language, age).
    assert not shows_rim(json.dumps({k: v for k, v in echoed.items() if k != "email_addresses"}))
    assert echoed["given_name"] == "R." and echoed["email_addresses"][0]["address"] == EMAIL
    assert echoed["postal_addresses"] == [] and echoed["languages_spoken"] == []
    assert rim.created_at.isoformat() not in json.dumps(echoed)
    assert f"tadamun:{rim.pk}" not in echoed["identifiers"]
    (b_id,) = person_links(echoed)

    # What B reads of her is what B submitted; none of her actions on the site.
    def b_reads():
        return {
            "people": b.get("/api/osdi/v1/people?per_page=25").json(),
            "person": b.get(f"/api/osdi/v1/people/{b_id}").json(),
            "signatures": b.get(f"/api/osdi/v1/petitions/{petition.slug}/signatures").json(),
            "attendances": b.get(f"/api/osdi/v1/events/{event.pk}/attendances").json(),
            "outreaches": b.get(
                f"/api/osdi/v1/advocacy_campaigns/{campaign.slug}/outreaches"
            ).json(),
            "taggings": b.get(f"/api/osdi/v1/tags/{tag.pk}/taggings").json(),
            "tags": b.get("/api/osdi/v1/tags").json(),
        }

    before = b_reads()
    assert NAME not in json.dumps(before) and '"SY"' not in json.dumps(before)
    assert before["person"]["given_name"] == "R."
    for action in ("signatures", "attendances", "outreaches", "taggings"):
        assert b_id not in person_links(before[action]), action
    assert "volunteers Idlib" not in json.dumps(before["tags"])

    organiser = make_staff(roles.ORGANISER, username="b-organiser")
    partner_b.organisers.add(organiser)
    staff = Client()
    staff.force_login(organiser)
    export = staff.get(reverse("admin:petitions_petition_export", args=[petition.pk]))
    assert export.status_code == 200 and EMAIL not in b"".join(export.streaming_content).decode()
    assert rim not in b_audience()
    assert not [
        d for d in WebhookDelivery.objects.filter(endpoint__organisation=partner_b)
        if shows_rim(sent_webhooks[d.pk])
    ]  # fmt: skip

    # She got one email, in her language, asking whether to share with B.
    (request,) = [m for m in mail.outbox if m.to == [EMAIL]]
    assert partner_b.name in request.body and "هل تشارك بياناتك" in request.subject
    path = SHARE_LINK.search(request.body)[1]
    person_page = Client()
    shown = person_page.get(path)
    assert shown.status_code == 200 and partner_b.name in shown.content.decode()
    assert rim not in b_audience()  # a GET changes nothing
    assert person_page.post(path).status_code == 200

    after = b_reads()
    assert after["person"]["email_addresses"][0]["address"] == EMAIL
    assert (after["person"]["given_name"], after["person"]["family_name"]) == ("Rim", "Saleh")
    for action in ("signatures", "attendances", "outreaches", "taggings"):
        assert b_id in person_links(after[action]), action
    assert rim in b_audience()


# The class: every OSDI GET route and every webhook, for people who never shared with B.

PARAMETER = re.compile(r"\{(?:\w+:)?(\w+)\}")


def get_routes() -> list[str]:
    """Every GET route of the OSDI router, as declared (new routes are walked too)."""
    return [
        path
        for path, view in router.path_operations.items()
        if any("GET" in operation.methods for operation in view.operations)
    ]


def candidates(people) -> dict[str, set]:
    """For each path parameter, every value that names one of `people` or their actions,
    under any identifier (the site's own ids included)."""
    supporters = list(people)
    signatures = [s for p in supporters for s in p.signatures.all()]
    answers = [r for p in supporters for r in p.rsvps.all()]
    letters_ = [letter for p in supporters for letter in p.letters.all()]
    return {
        "person_id": {p.pk for p in supporters}
        | {known.pk for p in supporters for known in p.partner_people.all()},
        "slug": {s.petition.slug for s in signatures} | {w.campaign.slug for w in letters_},
        "signature_id": {s.pk for s in signatures},
        "event_id": {r.event_id for r in answers},
        "attendance_id": {r.pk for r in answers},
        "outreach_id": {w.pk for w in letters_},
        "tag_id": {t.pk for p in supporters for t in p.tags.all()},
    }


def paths_for(route: str, values: dict[str, set]):
    names = PARAMETER.findall(route)
    for combination in itertools.product(*(sorted(values[name]) for name in names)):
        chosen = dict(zip(names, combination, strict=True))
        yield "/api/osdi/v1" + PARAMETER.sub(
            lambda match, chosen=chosen: str(chosen[match[1]]), route
        )


def every_page(client, path):
    """The route's answer, and every following page of it."""
    while path:
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        yield response.content.decode()
        following = (
            response.json().get("_links", {}).get("next") if response.status_code == 200 else None
        )
        path = following["href"].removeprefix("http://127.0.0.1:8000") if following else None


def test_no_osdi_route_and_no_webhook_shows_a_partner_anyone_who_did_not_share_with_it(
    partner_a, partner_b, django_capture_on_commit_callbacks, sent_webhooks
):
    hook_for(partner_a), hook_for(partner_b)
    rim, *_ = act_on_the_site(partner_a, django_capture_on_commit_callbacks)
    b = client_for(partner_b)
    # B submits Rim under another name; a second sharer of A, Omar, B never heard of.
    sent = {"given_name": "R.", "email_addresses": [{"address": EMAIL}]}
    b.post("/api/osdi/v1/people/person_signup", {"person": sent}, content_type="application/json")
    petition = rim.signatures.get().petition
    with django_capture_on_commit_callbacks(execute=True):
        signature = petitions.sign(
            petition,
            petitions.SignatureRequest(
                name="Omar Xylander", email="omar.x@example.org", country="SY",
                shares_with_partner=True, source=partner_a.partner_code,
            ),
        )  # fmt: skip
    petitions.confirm(signature)
    omar = signature.supporter
    omar.tags.add(rim.tags.get())

    never_shown = ["Saleh", "Rim ", '"SY"', "omar.x@example.org", "Xylander"]
    routes, values, walked = get_routes(), candidates([rim, omar]), set()
    for route in routes:
        for path in paths_for(route, values):
            for body in every_page(b, path):
                walked.add(route)
                assert not [word for word in never_shown if word in body], path
    assert walked == set(routes)

    # The same people, through a client of A (with whom they share), are there: the walk
    # looks where they would be.
    a = client_for(partner_a)
    seen_by_a = "".join(
        body
        for route in routes
        for path in paths_for(route, values)
        for body in every_page(a, path)
    )
    assert "omar.x@example.org" in seen_by_a and EMAIL in seen_by_a

    deliveries = {
        organisation: [
            (d.event, sent_webhooks[d.pk])
            for d in WebhookDelivery.objects.filter(endpoint__organisation=organisation)
        ]
        for organisation in (partner_a, partner_b)
    }
    about_people = {e.value for e in WebhookEndpoint.Event} - {"endorsement.approved"}
    assert {event for event, payload in deliveries[partner_a] if EMAIL in payload} == about_people
    assert not [
        event for event, payload in deliveries[partner_b]
        if any(word in payload for word in [*never_shown, EMAIL])
    ]  # fmt: skip


# Around the rule: the mail limit, the link, and the partner fixed when a signature is made.


@pytest.fixture
def two_partners(db):
    return [
        Organisation.objects.create(name=name, country="FR", kind="ngo", partner_code=code)
        for name, code in (("Comité Lyon", "lyon"), ("Other", "other"))
    ]


def signup(client, email, **person):
    body = {"person": {"email_addresses": [{"address": email}], **person}}
    return client.post("/api/osdi/v1/people/person_signup", body, content_type="application/json")


def test_the_api_mails_an_address_and_from_a_token_only_so_often(two_partners, form_rate):
    form_rate("osdi-person", address="2/h", network="3/h")
    client = client_for(two_partners[0])
    assert [signup(client, "amal@example.org").status_code for _ in range(3)] == [200, 200, 429]
    assert signup(client, "other@example.org").status_code == 200
    refused = signup(client, "third@example.org")  # the token's fourth mail this hour
    assert refused.status_code == 429 and refused.json()["detail"]
    assert not Supporter.objects.with_email("third@example.org").exists()


def test_a_share_link_shows_a_button_and_a_wrong_one_a_clear_page(
    two_partners, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client_for(two_partners[0]), "amal@example.org", given_name="Amal")
    (path,) = SHARE_LINK.findall(mail.outbox[-1].body)
    assert "<form" in Client().get(path).content.decode()
    amal = Supporter.objects.with_email("amal@example.org").get()
    # A new person the partner created: no partner mail, nothing shared, until they say so.
    lyon_mailing = partner_mailing_audience(two_partners[0])
    assert not amal.consents.exists() and amal not in lyon_mailing()
    assert Client().get(path[:-3] + "xx/").status_code == 400
    assert Client().post(path).status_code == 200
    assert list(amal.consents.values_list("organisation", flat=True)) == [two_partners[0].pk]
    assert amal in lyon_mailing()


def test_consent_goes_to_the_partner_named_when_signing_whatever_its_code_becomes(
    partner_a, partner_b, django_capture_on_commit_callbacks
):
    petition = Petition.objects.filter(status=Petition.Status.OPEN).first()
    code = partner_a.partner_code
    with django_capture_on_commit_callbacks(execute=True):
        intake = accept(
            petition,
            petitions.SignatureRequest(
                name="Amal Haddad", email="amal@example.org", country="FR",
                shares_with_partner=True, source=code,
            ),
        )  # fmt: skip
    # Before the signer confirms, the code moves to another organisation.
    Organisation.objects.filter(pk=partner_a.pk).update(partner_code=f"{code}-old")
    Organisation.objects.filter(pk=partner_b.pk).update(partner_code=code)
    signature = petitions.record_intake(intake) or Signature.objects.get(
        petition=petition, supporter__email_hash=email_hash("amal@example.org")
    )
    petitions.confirm(signature)
    amal = Supporter.objects.with_email("amal@example.org").get()
    assert list(amal.consents.values_list("organisation", flat=True)) == [partner_a.pk]


def test_the_person_sees_what_a_partner_sent_about_them_and_erasure_takes_it(two_partners):
    from tadamun.supporters import services as supporters
    from tadamun.supporters.models import PartnerPerson

    signup(client_for(two_partners[0]), "amal@example.org", given_name="A.", family_name="H.")
    amal = Supporter.objects.with_email("amal@example.org").get()
    (sent,) = supporters.describe(amal)["partner_submissions"]
    assert (sent["partner"], sent["name"]) == ("Comité Lyon", "A. H.")
    supporters.erase(amal)
    assert not PartnerPerson.objects.filter(organisation=two_partners[0]).exists()


def test_every_osdi_helper_answers_with_only_what_the_partner_sent(
    partner_a, partner_b, django_capture_on_commit_callbacks
):
    rim, petition, event, campaign = act_on_the_site(partner_a, django_capture_on_commit_callbacks)
    b = client_for(partner_b)
    person = {
        "given_name": "R.",
        "email_addresses": [{"address": EMAIL}],
        "postal_addresses": [{"country": "FR"}],
    }
    helpers = person_helpers()
    for route in helpers:
        slug = campaign.slug if route.startswith("/advocacy_campaigns/") else petition.slug
        for path in paths_for(route, {"slug": {slug}, "event_id": {event.pk}}):
            answer = b.post(path, {"person": person}, content_type="application/json")
            assert answer.status_code == 200, path
            body = answer.content.decode()
            assert not [
                w for w in ("Saleh", '"SY"', '"ar"', rim.created_at.isoformat()) if w in body
            ]
            assert '"R."' in body and '"FR"' in body
    assert len(helpers) == 5  # POST /people, person_signup, signatures, attendances, outreaches


def person_helpers() -> list[str]:
    """Every POST route whose body carries a person (the helpers and POST /people)."""
    return [
        path
        for path, view in router.path_operations.items()
        for operation in view.operations
        if "POST" in operation.methods and "person" in body_fields(operation)
    ]


def body_fields(operation) -> set[str]:
    payload = inspect.signature(operation.view_func).parameters.get("payload")
    return set(getattr(payload and payload.annotation, "model_fields", {}))


def test_no_write_route_reaches_a_person_or_tag_of_another_partner(
    partner_a, partner_b, django_capture_on_commit_callbacks
):
    """Every write route naming a person or a tag: B, with A's ids (and A's person's href),
    gets a 404 and changes nothing A reads."""
    rim, *_ = act_on_the_site(partner_a, django_capture_on_commit_callbacks)
    a, b = client_for(partner_a), client_for(partner_b)
    a_tag = a.post("/api/osdi/v1/tags", {"name": "A's"}, content_type="application/json").json()
    a_tag_id = a_tag["identifiers"][0].rsplit(":", 1)[1]
    b_tag = b.post("/api/osdi/v1/tags", {"name": "B's"}, content_type="application/json").json()
    rim_at_a = PartnerPerson.objects.get(organisation=partner_a, supporter=rim)
    href = {"_links": {"osdi:person": {"href": f"{BASE}people/{rim_at_a.pk}"}}}
    a.post(f"/api/osdi/v1/tags/{a_tag_id}/taggings", href, content_type="application/json")
    before = a.get(f"/api/osdi/v1/people/{rim_at_a.pk}").content
    attempts = {
        ("PUT", "/people/{int:person_id}"): lambda: b.put(
            f"/api/osdi/v1/people/{rim_at_a.pk}",
            {"family_name": "X"},
            content_type="application/json",
        ),
        ("POST", "/tags/{int:tag_id}/taggings"): lambda: [
            b.post(f"/api/osdi/v1/tags/{tag}/taggings", href, content_type="application/json")
            for tag in (a_tag_id, b_tag["identifiers"][0].rsplit(":", 1)[1])
        ],
        ("DELETE", "/tags/{int:tag_id}/taggings/{int:person_id}"): lambda: b.delete(
            f"/api/osdi/v1/tags/{a_tag_id}/taggings/{rim_at_a.pk}"
        ),
    }
    named = {
        (method, path)
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
        if method != "GET" and ("person_id" in path or "tag_id" in path)
    }
    assert set(attempts) == named
    for attempt in attempts.values():
        answers = attempt()
        for answer in answers if isinstance(answers, list) else [answers]:
            assert answer.status_code == 404 and "Saleh" not in answer.content.decode()
    assert a.get(f"/api/osdi/v1/people/{rim_at_a.pk}").content == before
    assert rim_at_a.tags.get().name == "A's"
    assert not PartnerPerson.objects.filter(organisation=partner_b, supporter=rim).exists()


def test_a_form_s_consent_shares_the_person_and_what_the_partner_brought_nothing_more(
    partner_a, django_capture_on_commit_callbacks, sent_webhooks
):
    """Ticking "share my name and email address with A, who brought me here" on A's petition
    link shares her and that signature with A; her answers, letters and the staff's tags on her
    stay hers until she says yes to sharing what she does on the site (review finding)."""
    hook_for(partner_a)
    capture = django_capture_on_commit_callbacks
    petition = Petition.objects.filter(status=Petition.Status.OPEN).first()
    event = next(e for e in Event.objects.public().filter(shifts=None) if e.takes_rsvps())
    with capture(execute=True):
        signature = petitions.sign(
            petition,
            petitions.SignatureRequest(
                name=NAME, email=EMAIL, country="SY", language="ar",
                shares_with_partner=True, source=partner_a.partner_code,
            ),
        )  # fmt: skip
        rsvp = rsvps.answer(event, rsvps.RsvpRequest(name=NAME, email=EMAIL, language="ar"))
    with capture(execute=True):
        petitions.confirm(signature)
        rsvps.confirm(rsvp)
    Supporter.objects.with_email(EMAIL).get().tags.add(Tag.objects.create(name="vigil team"))

    a = client_for(partner_a)
    people = json.dumps(a.get("/api/osdi/v1/people").json())
    assert EMAIL in people
    signed = a.get(f"/api/osdi/v1/petitions/{petition.slug}/signatures").json()
    assert signed["total_records"] >= 1
    attendances = a.get(f"/api/osdi/v1/events/{event.pk}/attendances").json()
    assert attendances["total_records"] == 0
    assert "vigil team" not in json.dumps(a.get("/api/osdi/v1/tags").json())
    events_sent = {
        d.event for d in WebhookDelivery.objects.filter(endpoint__organisation=partner_a)
    }
    assert events_sent == {"signature.confirmed"}


# The coalition's own token (issue 14, item 2): through the same routes and the same rule
# (supporters.partners.reader), it reads everyone who asked to hear from the coalition, and
# no one else; partners still read only what is theirs.


def coalition_client() -> Client:
    token = ApiToken(kind=ApiToken.Kind.COALITION, name="our CRM")
    key = token.issue()
    token.save()
    return Client(HTTP_OSDI_API_TOKEN=key)


def coalition_hook():
    return hook_for(None)


def test_the_coalition_token_reads_on_every_route_who_asked_to_hear_from_it_and_no_one_else(
    partner_a, partner_b, django_capture_on_commit_callbacks, sent_webhooks
):
    hook_for(partner_b), coalition_hook()
    # Rim asked for the coalition's news; Omar, a sharer of A, did not.
    asked = supporters.find_or_create_supporter(EMAIL, name=NAME, country="SY", language="ar")
    supporters.give_consent(asked, Consent.Purpose.UPDATES, source="petition")
    rim, petition, *_ = act_on_the_site(partner_a, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        signature = petitions.sign(
            petition,
            petitions.SignatureRequest(
                name="Omar Xylander", email="omar.x@example.org", country="SY",
                shares_with_partner=True, source=partner_a.partner_code,
            ),
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        petitions.confirm(signature)
    omar = signature.supporter
    omar.tags.add(rim.tags.get())

    coalition, b = coalition_client(), client_for(partner_b)
    routes, values = get_routes(), candidates([rim, omar])
    read = dict.fromkeys(routes, "")
    for route in routes:
        for path in paths_for(route, values):
            for body in every_page(coalition, path):
                assert "omar.x@example.org" not in body and "Xylander" not in body, path
                read[route] += body
            for body in every_page(b, path):  # partner B still reads neither of them
                assert not [w for w in ("Saleh", EMAIL, "omar.x@example.org") if w in body], path
    # Rim, her consents, her signature, answer, letter and tag are each read by the coalition.
    rim_is_linked = f"/people/{rim.pk}"
    for route in routes:
        if route.startswith(("/people", "/tags/{int:tag_id}/taggings")) or route.count("/") == 3:
            assert rim_is_linked in read[route], route
    person = coalition.get(f"/api/osdi/v1/people/{rim.pk}").json()
    assert person["email_addresses"][0]["address"] == EMAIL and person["given_name"] == "Rim"
    assert {c["purpose"] for c in person["tadamun:consents"]} == {"updates", "partner"}
    assert "volunteers Idlib" in read["/tags"]
    found = coalition.get(f"/api/osdi/v1/people?filter=email_address eq '{EMAIL}'").json()
    assert found["total_records"] == 1
    assert coalition.get(f"/api/osdi/v1/people/{omar.pk}").status_code == 404
    # Partners' own people and tags are theirs: the coalition reads none of their ids.
    a_tag = client_for(partner_a).post(
        "/api/osdi/v1/tags", {"name": "A's list"}, content_type="application/json"
    )
    assert "A's list" not in coalition.get("/api/osdi/v1/tags").content.decode()
    assert (
        coalition.get(f"/api/osdi/v1/tags/{a_tag.json()['identifiers'][0][12:]}").status_code == 404
    )

    # Its webhooks hear of Rim's actions, never of Omar's.
    heard = [
        sent_webhooks[d.pk] for d in WebhookDelivery.objects.filter(endpoint__organisation=None)
    ]
    about_people = {e.value for e in WebhookEndpoint.Event} - {"endorsement.approved"}
    events = {d.event for d in WebhookDelivery.objects.filter(endpoint__organisation=None)}
    assert events == about_people
    assert not [payload for payload in heard if "omar.x@example.org" in payload]
    assert [payload for payload in heard if EMAIL in payload]


def test_the_coalition_token_writes_nothing_on_any_route(db):
    coalition = coalition_client()
    before = (PartnerPerson.objects.count(), Tag.objects.count(), Supporter.objects.count())
    writes = {
        (method, PARAMETER.sub("1", path))
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
        if method != "GET"
    }
    assert len(writes) >= 9
    for method, path in writes:
        answer = coalition.generic(
            method, f"/api/osdi/v1{path}", json.dumps({"person": {}}), "application/json"
        )
        assert answer.status_code == 403 and answer.json()["detail"], (method, path)
    after = (PartnerPerson.objects.count(), Tag.objects.count(), Supporter.objects.count())
    assert after == before
