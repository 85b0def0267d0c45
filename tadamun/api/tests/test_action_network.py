"""Action Network's dialect of OSDI (issue 14, item 1): one contract test per request and
response shape its API documentation gives (actionnetwork.org/docs/v2: people, tags and
taggings, the record-signature and record-attendance helpers, background requests), the
request bodies copied as shapes from it, and the round trip a client makes. The partner rule of
issue 12 holds throughout: a partner sees what it sent and what the person chose to share."""

import json

import pytest
from django.core import mail
from django.test import Client

from tadamun.api.tests.test_osdi import client_of, partners, person  # noqa: F401 - fixtures
from tadamun.letters.models import Letter
from tadamun.letters.tests.conftest import (  # noqa: F401 - fixtures
    make_letter_campaign,
    ministers,
    platform_campaign,
)
from tadamun.petitions.models import Signature
from tadamun.supporters import services as supporter_services
from tadamun.supporters.models import Consent, PartnerPerson, Supporter

BASE = "http://127.0.0.1:8000/api/osdi/v1/"
HOST = "http://127.0.0.1:8000"

# The documentation's "POST /people" example, as a shape (its phone_numbers field is one the
# site does not keep: ignored, as Action Network ignores fields it does not know).
DOCUMENTED_PERSON = {
    "person": {
        "family_name": "Smith",
        "given_name": "John",
        "postal_addresses": [{"postal_code": "69001", "country": "FR"}],
        "email_addresses": [{"address": "jsmith@example.org", "status": "subscribed"}],
        "phone_numbers": [{"number": "12024444444"}],
        "languages_spoken": ["fr"],
        "custom_fields": {"member_id": "ABC-12"},
    },
    "add_tags": ["volunteer", "member"],
}
PERSON_FIELDS = {
    "identifiers",
    "created_date",
    "modified_date",
    "given_name",
    "family_name",
    "email_addresses",
    "postal_addresses",
    "languages_spoken",
    "custom_fields",
    "_links",
}
COLLECTION_FIELDS = {"total_pages", "per_page", "page", "total_records", "_links", "_embedded"}


def path_of(href: str) -> str:
    return href.removeprefix(HOST)


def post(client, path, body, **query):
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return client.post(path, json.dumps(body), content_type="application/json")


def put(client, path, body):
    return client.put(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def lyon(client_of, partners):  # noqa: F811
    return client_of(partners[0])


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


# The entry point


def test_the_entry_point_has_the_documented_fields_and_links(lyon):
    entry = lyon.get("/api/osdi/v1/")
    assert entry.status_code == 200
    body = entry.json()
    assert {"motd", "vendor_name", "product_name", "osdi_version", "max_pagesize"} <= set(body)
    for name in ("self", "osdi:people", "osdi:tags", "osdi:petitions", "osdi:events"):
        assert body["_links"][name]["href"].startswith(BASE), name
    assert body["_links"]["osdi:person_signup_helper"]["href"] == BASE + "people/person_signup"


# People


def test_post_people_creates_a_person_with_the_documented_body(lyon, partners, capture):  # noqa: F811
    with capture():
        answer = post(lyon, "/api/osdi/v1/people", DOCUMENTED_PERSON)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == PERSON_FIELDS
    assert (body["given_name"], body["family_name"]) == ("John", "Smith")
    assert body["email_addresses"] == [
        {"address": "jsmith@example.org", "primary": True, "status": "subscribed"}
    ]
    assert body["postal_addresses"] == [{"postal_code": "69001", "country": "FR", "primary": True}]
    assert body["languages_spoken"] == ["fr"]
    assert body["custom_fields"] == {"member_id": "ABC-12"}
    assert body["_links"]["self"]["href"].startswith(BASE + "people/")
    assert "phone_numbers" not in answer.content.decode()
    # Nothing granted: the person is asked, by email, whether to share with the partner.
    supporter = Supporter.objects.with_email("jsmith@example.org").get()
    assert not supporter.consents.exists()
    assert [message.to for message in mail.outbox] == [["jsmith@example.org"]]


def test_the_person_sees_the_postal_code_fields_and_tags_a_partner_sent(lyon, capture):
    with capture():
        post(lyon, "/api/osdi/v1/people", DOCUMENTED_PERSON)
    supporter = Supporter.objects.with_email("jsmith@example.org").get()
    [sent] = supporter_services.describe(supporter)["partner_submissions"]
    assert (sent["postal_code"], sent["custom_fields"]) == ("69001", "member_id: ABC-12")
    assert sent["tags"] == "member, volunteer"


def test_post_people_for_a_known_address_echoes_only_what_was_sent(lyon, capture):
    known = person("amal@example.org")  # Amal Haddad, FR, fr: told the site herself
    with capture():
        answer = post(lyon, "/api/osdi/v1/people", {"person": {
            "email_addresses": [{"address": "amal@example.org"}],
        }})  # fmt: skip
    body = answer.json()
    assert answer.status_code == 200
    assert (body["given_name"], body["family_name"], body["postal_addresses"]) == ("", "", [])
    assert body["languages_spoken"] == [] and "Haddad" not in answer.content.decode()
    assert not known.consents.exists()


def test_subscribed_grants_nothing_and_unsubscribed_withdraws_the_partners_consent(
    lyon,
    partners,  # noqa: F811
    capture,
):
    supporter = person("amal@example.org", partners[0])  # shares with Lyon
    email = {"address": "amal@example.org", "status": "subscribed"}
    with capture():
        post(lyon, "/api/osdi/v1/people", {"person": {"email_addresses": [email]}})
    assert supporter.consents.active().count() == 1  # subscribed: nothing more
    newcomer = {"address": "new@example.org", "status": "subscribed"}
    with capture():
        post(lyon, "/api/osdi/v1/people", {"person": {"email_addresses": [newcomer]}})
    assert not Consent.objects.filter(supporter__in=Supporter.objects.with_email("new@example.org"))
    with capture():
        answer = post(lyon, "/api/osdi/v1/people", {"person": {"email_addresses": [
            {"address": "amal@example.org", "status": "unsubscribed"},
        ]}})  # fmt: skip
    assert answer.status_code == 200
    assert not supporter.consents.active().exists()
    assert answer.json()["email_addresses"][0]["status"] == "unsubscribed"


def test_the_email_filter_finds_one_person_and_only_among_the_partners_people(
    lyon,
    client_of,  # noqa: F811
    partners,  # noqa: F811
):
    person("amal@example.org", partners[0])
    person("omar@example.org", partners[0])
    person("theirs@example.org", partners[1])
    found = lyon.get("/api/osdi/v1/people", {"filter": "email_address eq 'Amal@example.org'"})
    assert found.status_code == 200
    assert set(found.json()) == COLLECTION_FIELDS
    people = found.json()["_embedded"]["osdi:people"]
    assert [p["email_addresses"][0]["address"] for p in people] == ["amal@example.org"]
    theirs = lyon.get("/api/osdi/v1/people", {"filter": "email_address eq 'theirs@example.org'"})
    assert theirs.json()["total_records"] == 0
    bad = lyon.get("/api/osdi/v1/people", {"filter": "email_address eq 'not an address'"})
    assert bad.status_code in (400, 422) and bad.json()["detail"]


def test_put_people_updates_what_the_partner_sent(lyon, client_of, partners, capture):  # noqa: F811
    with capture():
        created = post(lyon, "/api/osdi/v1/people", DOCUMENTED_PERSON).json()
    path = path_of(created["_links"]["self"]["href"])
    # The documentation's PUT body: the person's fields, not wrapped.
    answer = put(lyon, path, {
        "family_name": "Smithers",
        "custom_fields": {"member_id": "ABC-13"},
        "postal_addresses": [{"postal_code": "69002"}],
        "favourite_colour": "blue",
    })  # fmt: skip
    assert answer.status_code == 200
    body = answer.json()
    assert (body["given_name"], body["family_name"]) == ("John", "Smithers")
    assert body["custom_fields"] == {"member_id": "ABC-13"}
    assert body["postal_addresses"][0]["postal_code"] == "69002"
    assert lyon.get(path).json()["family_name"] == "Smithers"
    # Another partner cannot reach the person; an address is not changed by PUT.
    assert put(client_of(partners[1]), path, {"family_name": "X"}).status_code == 404
    moved = put(lyon, path, {"email_addresses": [{"address": "other@example.org"}]})
    assert moved.status_code == 422 and moved.json()["detail"]
    assert put(lyon, "/api/osdi/v1/people/999999", {"family_name": "X"}).status_code == 404


def test_put_with_unsubscribed_withdraws_and_subscribed_grants_nothing(
    lyon,
    partners,  # noqa: F811
):
    supporter = person("amal@example.org", partners[0])  # shares with Lyon
    known = PartnerPerson.objects.get(organisation=partners[0], supporter=supporter)
    path = f"/api/osdi/v1/people/{known.pk}"
    left = {"email_addresses": [{"address": "amal@example.org", "status": "unsubscribed"}]}
    assert put(lyon, path, left).json()["email_addresses"][0]["status"] == "unsubscribed"
    assert not supporter.consents.active().exists()
    back = {"email_addresses": [{"address": "amal@example.org", "status": "subscribed"}]}
    assert put(lyon, path, back).status_code == 200
    assert not supporter.consents.active().exists()
    # What the partner reads now is what it sent: not her name, which she told the site.
    assert "Haddad" not in lyon.get(path).content.decode()


def test_a_person_and_a_page_of_people_have_the_documented_fields(lyon, partners):  # noqa: F811
    supporter = person("amal@example.org", partners[0])
    known = PartnerPerson.objects.get(supporter=supporter)
    one = lyon.get(f"/api/osdi/v1/people/{known.pk}").json()
    assert set(one) == PERSON_FIELDS
    assert one["email_addresses"] == [
        {"address": "amal@example.org", "primary": True, "status": "subscribed"}
    ]
    page = lyon.get("/api/osdi/v1/people", {"per_page": 1}).json()
    assert set(page) == COLLECTION_FIELDS
    assert (page["page"], page["per_page"], page["total_pages"], page["total_records"]) == (
        1,
        1,
        1,
        1,
    )
    assert set(page["_embedded"]) == {"osdi:people"} and "next" not in page["_links"]
    assert page["_links"]["osdi:people"] == [one["_links"]["self"]]


# Tags and taggings


def test_post_tags_and_taggings_with_the_documented_bodies(lyon, client_of, partners, capture):  # noqa: F811
    with capture():
        someone = post(lyon, "/api/osdi/v1/people", {"person": {
            "email_addresses": [{"address": "amal@example.org"}],
        }}).json()  # fmt: skip
    tag = post(lyon, "/api/osdi/v1/tags", {"name": "Volunteers"})
    assert tag.status_code == 200
    assert set(tag.json()) == {"identifiers", "name", "created_date", "modified_date", "_links"}
    taggings = path_of(tag.json()["_links"]["osdi:taggings"]["href"])
    tagging = post(lyon, taggings, {"_links": {"osdi:person": someone["_links"]["self"]}})
    assert tagging.status_code == 200
    assert set(tagging.json()["_links"]) == {"self", "osdi:tag", "osdi:person"}
    assert tagging.json()["_links"]["osdi:person"] == someone["_links"]["self"]
    listed = lyon.get(taggings).json()
    assert listed["total_records"] == 1 and set(listed["_embedded"]) == {"osdi:taggings"}
    # Posting the same tag again gives the same tag; another partner sees neither.
    again = post(lyon, "/api/osdi/v1/tags", {"name": "Volunteers"}).json()
    assert again["identifiers"] == tag.json()["identifiers"]
    other = client_of(partners[1])
    assert other.get(path_of(tag.json()["_links"]["self"]["href"])).status_code == 404
    assert (
        post(other, taggings, {"_links": {"osdi:person": someone["_links"]["self"]}}).status_code
        == 404
    )
    deleted = lyon.delete(path_of(tagging.json()["_links"]["self"]["href"]))
    assert deleted.status_code == 200 and deleted.json()["notice"]
    assert lyon.get(taggings).json()["total_records"] == 0


def test_a_tagging_of_someone_the_partner_does_not_know_is_a_404(lyon, partners):  # noqa: F811
    tag = post(lyon, "/api/osdi/v1/tags", {"name": "Volunteers"}).json()
    person("theirs@example.org", partners[1])
    theirs = PartnerPerson.objects.get(organisation=partners[1])
    body = {"_links": {"osdi:person": {"href": f"{BASE}people/{theirs.pk}"}}}
    taggings = path_of(tag["_links"]["osdi:taggings"]["href"])
    assert post(lyon, taggings, body).status_code == 404
    wrong = post(lyon, taggings, {"_links": {"osdi:person": {"href": "https://evil.example/x"}}})
    assert wrong.status_code == 422


def test_add_tags_and_remove_tags_on_post_people(lyon, capture):
    with capture():
        post(lyon, "/api/osdi/v1/people", DOCUMENTED_PERSON)
        post(lyon, "/api/osdi/v1/people", {
            "person": {"email_addresses": [{"address": "jsmith@example.org"}]},
            "remove_tags": ["member"],
        })  # fmt: skip
    tags = lyon.get("/api/osdi/v1/tags").json()["_embedded"]["osdi:tags"]
    counts = {
        tag["name"]: lyon.get(path_of(tag["_links"]["osdi:taggings"]["href"])).json()[
            "total_records"
        ]
        for tag in tags
    }
    assert counts == {"member": 0, "volunteer": 1}


def test_a_bad_tag_name_is_a_422_before_anything_is_written(lyon, capture):
    body = {**DOCUMENTED_PERSON, "add_tags": ["fine", "line\nbreak"]}
    with capture():
        answer = post(lyon, "/api/osdi/v1/people", body)
    assert answer.status_code == 422 and answer.json()["detail"]
    assert not Supporter.objects.exists() and mail.outbox == []
    assert post(lyon, "/api/osdi/v1/tags", {"name": "a\u202eb"}).status_code == 422
    assert post(lyon, "/api/osdi/v1/tags", {"name": "   "}).status_code == 422


# The helpers, with Action Network's wrapper


def test_record_signature_helper_with_the_documented_body(lyon, petition, capture):
    body = {
        "person": {
            "family_name": "Smith",
            "given_name": "John",
            "postal_addresses": [{"postal_code": "69001", "country": "FR"}],
            "email_addresses": [{"address": "jsmith@example.org"}],
        },
        "add_tags": ["signed"],
        "comments": "For the families of Idlib.",
        "referrer_data": {"source": "email"},
    }
    with capture():
        answer = post(lyon, f"/api/osdi/v1/petitions/{petition.slug}/signatures", body)
    assert answer.status_code == 200
    assert {"osdi:person", "osdi:petition"} <= set(answer.json()["_links"])
    assert Signature.objects.get().confirmed_at is None  # counts once the signer confirms


def test_record_outreach_helper_with_the_documented_body(lyon, platform_campaign, capture):  # noqa: F811
    body = {
        "person": {
            "given_name": "Jean",
            "family_name": "Dupont",
            "postal_addresses": [{"postal_code": "69001", "country": "FR"}],
            "email_addresses": [{"address": "jdupont@example.org"}],
            "languages_spoken": ["fr"],
        },
        "add_tags": ["wrote"],
        "targets": [{"given_name": "Claire", "family_name": "Martin"}],
    }
    path = f"/api/osdi/v1/advocacy_campaigns/{platform_campaign.slug}/outreaches"
    with capture():
        answer = post(lyon, path, body)
    assert answer.status_code == 200
    assert {"osdi:person", "osdi:advocacy_campaign"} <= set(answer.json()["_links"])
    letter = Letter.objects.get()
    # The campaign's letter in the writer's language, waiting for them to confirm it.
    assert letter.status == Letter.Status.UNCONFIRMED
    assert letter.subject == "Des voies sûres pour Idlib" and "Jean Dupont" in letter.text
    assert [message.to for message in mail.outbox].count(["jdupont@example.org"]) == 2
    own = dict(body, message="Dear {target_name}, please open safe routes now for Idlib's people.")
    with capture():
        assert post(lyon, path, own).status_code == 200
    assert "please open safe routes now" in Letter.objects.get().text
    hostile = dict(body, subject="Line one\nLine two")
    assert post(lyon, path, hostile).status_code == 422


def test_background_request_is_accepted(lyon, petition, capture):
    with capture():
        answer = post(lyon, "/api/osdi/v1/people", DOCUMENTED_PERSON, background_request="true")
    assert answer.status_code == 200
    assert Supporter.objects.with_email("jsmith@example.org").exists()


# Bad input


def test_malformed_json_is_a_400_and_an_oversize_body_a_413(lyon):
    broken = lyon.post("/api/osdi/v1/people", b"{not json", content_type="application/json")
    assert broken.status_code == 400 and broken.json()["detail"]
    huge = {"person": {"given_name": "x" * 3_000_000, "email_addresses": [{"address": "a@b.org"}]}}
    too_big = post(lyon, "/api/osdi/v1/people", huge)
    assert too_big.status_code == 413 and too_big.json()["detail"]
    assert not Supporter.objects.exists()


# The round trip


def test_the_round_trip_of_an_action_network_client(
    lyon,
    partners,  # noqa: F811
    petition,
    capture,
):
    """Create with POST /people and tags, find by the email filter, page every person, update
    with PUT, tag and untag, record a signature with the helper, read it back."""
    for number in range(3):
        person(f"p{number}@example.org", partners[0])
    with capture():
        created = post(lyon, "/api/osdi/v1/people", DOCUMENTED_PERSON).json()
    found = lyon.get("/api/osdi/v1/people", {"filter": "email_address eq 'jsmith@example.org'"})
    [match] = found.json()["_embedded"]["osdi:people"]
    assert match["identifiers"] == created["identifiers"]

    url, seen = "/api/osdi/v1/people?per_page=2", []
    while url:
        page = lyon.get(url).json()
        assert (page["per_page"], page["total_records"], page["total_pages"]) == (2, 4, 2)
        seen += [p["identifiers"][0] for p in page["_embedded"]["osdi:people"]]
        url = path_of(page["_links"]["next"]["href"]) if "next" in page["_links"] else None
    assert created["identifiers"][0] in seen and len(set(seen)) == 4

    self_path = path_of(created["_links"]["self"]["href"])
    assert put(lyon, self_path, {"given_name": "Johnny"}).json()["given_name"] == "Johnny"

    tag = post(lyon, "/api/osdi/v1/tags", {"name": "vigil team"}).json()
    taggings = path_of(tag["_links"]["osdi:taggings"]["href"])
    tagging = post(lyon, taggings, {"_links": {"osdi:person": created["_links"]["self"]}}).json()
    assert lyon.get(taggings).json()["total_records"] == 1
    assert lyon.delete(path_of(tagging["_links"]["self"]["href"])).status_code == 200
    assert lyon.get(taggings).json()["total_records"] == 0

    with capture():
        signed = post(lyon, f"/api/osdi/v1/petitions/{petition.slug}/signatures", {
            "person": {"email_addresses": [{"address": "jsmith@example.org"}],
                       "postal_addresses": [{"country": "FR"}]},
            "add_tags": ["signed"],
        })  # fmt: skip
    assert signed.status_code == 200
    # The signer confirms it from our email, and shares with Lyon: the partner reads it back.
    signature = Signature.objects.get()
    from tadamun.petitions import services as petitions
    from tadamun.supporters import services as supporters

    petitions.confirm(signature)
    supporters.give_consent(
        signature.supporter,
        Consent.Purpose.PARTNER,
        organisation=partners[0],
        wording="share-request",
    )
    listed = lyon.get(path_of(signed.json()["_links"]["osdi:petition"]["href"]) + "/signatures")
    [read_back] = listed.json()["_embedded"]["osdi:signatures"]
    assert read_back["_links"]["osdi:person"] == created["_links"]["self"]


# The OpenAPI document


def test_openapi_describes_osdi_answers_with_real_schemas():
    document = Client().get("/api/openapi.json").json()
    schemas = document["components"]["schemas"]

    def answer(path, method="get"):
        content = document["paths"][path][method]["responses"]["200"]["content"]
        ref = content["application/json"]["schema"]["$ref"]
        return schemas[ref.rsplit("/", 1)[1]]

    people = answer("/api/osdi/v1/people")
    assert set(people["properties"]) >= COLLECTION_FIELDS
    person_schema = answer("/api/osdi/v1/people/{person_id}")
    assert set(person_schema["properties"]) >= PERSON_FIELDS
    assert "_links" in answer("/api/osdi/v1/")["properties"]
    for path, operations in document["paths"].items():
        if path.startswith("/api/osdi/v1/"):
            for method, operation in operations.items():
                ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
                assert "$ref" in ok, (method, path)


def test_osdi_operation_ids_are_stable_wherever_their_views_live():
    """A partner's generated client names each operation by its id: they stay those of the
    one-module API (`tadamun_api_osdi_<view>`), in the same order, whichever module of
    tadamun.api.osdi now holds the view."""
    document = Client().get("/api/openapi.json").json()
    ids = [
        operation["operationId"]
        for path, operations in document["paths"].items()
        if path.startswith("/api/osdi/v1/")
        for operation in operations.values()
    ]
    views = (
        "entry_point people create_person person update_person person_signup_helper "
        "petition_list petition signatures record_signature_helper signature "
        "tags create_tag tag create_tagging taggings delete_tagging tagging "
        "events event attendances record_attendance_helper attendance "
        "advocacy_campaigns advocacy_campaign record_outreach_helper outreaches outreach"
    )
    assert ids == [f"tadamun_api_osdi_{view}" for view in views.split()]
