"""OSDI v1 for partners over HTTP: tokens, scoping, paging as the standard defines it, the
helpers, and bad input."""

import json
from types import SimpleNamespace

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.test import Client

from tadamun.api.models import ApiToken, token_hash
from tadamun.coalition.models import Organisation
from tadamun.petitions import services as petitions
from tadamun.petitions.models import Petition, Signature
from tadamun.staff import roles
from tadamun.supporters import partners as partner_people
from tadamun.supporters import services as supporters
from tadamun.supporters.models import Consent, PartnerPerson, Supporter

BASE = "http://127.0.0.1:8000/api/osdi/v1/"
UNKNOWN_FIELD = json.dumps(
    {"person": {"email_addresses": [{"address": "a@b.org"}], "shoe_size": 42}}
).encode()
HUGE = json.dumps(
    {"person": {"given_name": "x" * 3_000_000, "email_addresses": [{"address": "a@b.org"}]}}
).encode()


@pytest.fixture
def partners(db):
    return tuple(
        Organisation.objects.create(name=name, country=country, kind="ngo", partner_code=code)
        for name, country, code in (("Comité Lyon", "FR", "lyon"), ("Other", "DE", "other"))
    )


def token_of(organisation) -> str:
    token = ApiToken(organisation=organisation, name="sync")
    key = token.issue()
    token.save()
    return key


def person(email, organisation=None, name="Amal Haddad"):
    supporter = supporters.find_or_create_supporter(email, name=name, country="FR", language="fr")
    if organisation:
        supporters.give_consent(supporter, Consent.Purpose.PARTNER, organisation=organisation)
    return supporter


@pytest.fixture
def client_of(partners):
    def make(organisation):
        return Client(HTTP_OSDI_API_TOKEN=token_of(organisation))

    return make


def test_the_entry_points_message_is_the_sites_in_the_callers_language(
    client_of, partners, coalition_identity
):
    lyon = client_of(partners[0])
    french = lyon.get("/api/osdi/v1/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert french["motd"] == "L’API de Solidarité Nord."
    assert lyon.get("/api/osdi/v1/", HTTP_ACCEPT_LANGUAGE="en").json()["motd"] == (
        "North Solidarity's API."
    )


def test_the_default_entry_point_message_names_the_site(client_of, partners):
    entry = client_of(partners[0]).get("/api/osdi/v1/", HTTP_ACCEPT_LANGUAGE="en")
    assert entry.json()["motd"] == "Tadamun: a coalition's campaign platform."


def test_the_entry_point_links_every_resource(client_of, partners):
    entry = client_of(partners[0]).get("/api/osdi/v1/")
    assert entry.status_code == 200
    links = entry.json()["_links"]
    assert links["osdi:people"]["href"] == BASE + "people"
    assert links["osdi:person_signup_helper"]["href"] == BASE + "people/person_signup"


@pytest.mark.parametrize("headers", [{}, {"HTTP_OSDI_API_TOKEN": "made-up"}])
def test_no_token_or_a_wrong_one_is_a_401(partners, headers):
    response = Client(**headers).get("/api/osdi/v1/people")
    assert response.status_code == 401 and "detail" in response.json()


def test_a_revoked_token_stops_working_and_only_its_hash_is_kept(partners):
    key = token_of(partners[0])
    token = ApiToken.objects.get()
    assert token.key_hash == token_hash(key) and key not in str(token.__dict__.values())
    assert Client(HTTP_OSDI_API_TOKEN=key).get("/api/osdi/v1/").status_code == 200
    token.revoke()
    assert Client(HTTP_OSDI_API_TOKEN=key).get("/api/osdi/v1/").status_code == 401


def test_a_partner_sees_only_the_people_who_share_with_it(client_of, partners):
    mine = person("mine@example.org", partners[0])
    person("theirs@example.org", partners[1])
    person("nobodys@example.org")
    body = client_of(partners[0]).get("/api/osdi/v1/people").json()
    emails = [p["email_addresses"][0]["address"] for p in body["_embedded"]["osdi:people"]]
    assert emails == ["mine@example.org"]
    theirs = PartnerPerson.objects.get(organisation=partners[1])
    mine = PartnerPerson.objects.get(organisation=partners[0], supporter=mine)
    assert client_of(partners[0]).get(f"/api/osdi/v1/people/{theirs.pk}").status_code == 404
    assert client_of(partners[0]).get(f"/api/osdi/v1/people/{mine.pk}").status_code == 200


def test_a_withdrawn_consent_hides_the_person_again(client_of, partners):
    supporter = person("mine@example.org", partners[0])
    supporters.withdraw_consents(supporter, purpose=Consent.Purpose.PARTNER)
    assert client_of(partners[0]).get("/api/osdi/v1/people").json()["total_records"] == 0


def test_an_osdi_client_pages_through_people_and_records_a_signature(
    client_of, partners, campaign, django_capture_on_commit_callbacks
):
    """The worked example: follow `next` links to the end, then sign someone up."""
    for number in range(7):
        person(f"p{number}@example.org", partners[0], name=f"Person {number}")
    client = client_of(partners[0])
    url, seen, pages = "/api/osdi/v1/people?per_page=3", [], 0
    while url:
        page = client.get(url).json()
        pages += 1
        assert (page["total_records"], page["total_pages"], page["per_page"]) == (7, 3, 3)
        seen += [p["identifiers"][0] for p in page["_embedded"]["osdi:people"]]
        assert len(page["_links"]["osdi:people"]) == len(page["_embedded"]["osdi:people"])
        following = page["_links"].get("next")
        url = following["href"].removeprefix("http://127.0.0.1:8000") if following else None
    assert pages == 3 and len(set(seen)) == 7

    Petition.objects.create(
        campaign=campaign, slug="open", title="Open", target="Ministers", status="open"
    )
    signup = {
        "person": {
            "given_name": "Hugo",
            "family_name": "Petit",
            "email_addresses": [{"address": "hugo@example.org"}],
            "postal_addresses": [{"country": "FR"}],
            "languages_spoken": ["fr"],
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/osdi/v1/petitions/open/signatures", signup, content_type="application/json"
        )
    with django_capture_on_commit_callbacks(execute=True):  # after the first link went
        again = client.post(
            "/api/osdi/v1/petitions/open/signatures", signup, content_type="application/json"
        )
    assert response.status_code == 200 and response.json()["person"]["given_name"] == "Hugo"
    assert again.json()["_links"] == response.json()["_links"]
    signature = Signature.objects.get()
    assert signature.petition.confirmed_count == 0  # counts once the signer confirms
    assert signature.partner == partners[0] and not signature.shares_with_partner
    # Each time: the signature's confirmation link, and the question whether to share.
    assert [m.to for m in mail.outbox] == [["hugo@example.org"]] * 4
    petitions.confirm(signature)
    listed = client.get("/api/osdi/v1/petitions/open/signatures").json()
    assert listed["total_records"] == 0  # the signer has not chosen to share with the partner
    hugo = Supporter.objects.with_email("hugo@example.org").get()
    partner_people.confirm_sharing(hugo.partner_people.get(organisation=partners[0]))
    listed = client.get("/api/osdi/v1/petitions/open/signatures").json()
    assert listed["total_records"] == 1


def test_the_signup_helper_grants_nothing_and_twice_is_one_person(client_of, partners):
    client = client_of(partners[0])
    body = {"person": {"given_name": "Amal", "email_addresses": [{"address": "Amal@Example.org"}]}}
    for _ in range(2):
        response = client.post(
            "/api/osdi/v1/people/person_signup", body, content_type="application/json"
        )
        assert response.status_code == 200
    supporter = Supporter.objects.get()
    assert not supporter.consents.exists()  # until they confirm it from their inbox
    assert client.get("/api/osdi/v1/people").json()["total_records"] == 1
    assert client_of(partners[1]).get("/api/osdi/v1/people").json()["total_records"] == 0
    known_as = PartnerPerson.objects.get(organisation=partners[0], supporter=supporter)
    written = LogEntry.objects.filter(additional_data__write__startswith="OSDI person_signup")
    assert [entry.additional_data["write"] for entry in written] == [
        f"OSDI person_signup: person {known_as.pk}"
    ] * 2  # on the partner's token, without the person's data
    assert {entry.object_pk for entry in written} == {
        str(ApiToken.objects.get(organisation=partners[0]).pk)
    }


def test_modified_date_filters(client_of, partners):
    person("mine@example.org", partners[0])
    client = client_of(partners[0])
    assert (
        client.get("/api/osdi/v1/people", {"filter": "modified_date gt '2000-01-01'"}).json()[
            "total_records"
        ]
        == 1
    )
    assert (
        client.get(
            "/api/osdi/v1/people", {"filter": "modified_date gt '2999-01-01T00:00:00Z'"}
        ).json()["total_records"]
        == 0
    )
    malformed = client.get("/api/osdi/v1/people", {"filter": "name eq 'x'"})
    assert malformed.status_code == 422 and "detail" in malformed.json()
    no_such_day = client.get("/api/osdi/v1/people", {"filter": "modified_date gt '2026-02-31'"})
    assert no_such_day.status_code == 400 and "detail" in no_such_day.json()


def test_the_next_page_keeps_the_filter(client_of, partners):
    for name in ("one", "two", "old"):
        person(f"{name}@example.org", partners[0])
    old = Supporter.objects.with_email("old@example.org")
    old.update(updated_at="1999-01-01T00:00:00Z")
    PartnerPerson.objects.filter(supporter__in=old).update(updated_at="1999-01-01T00:00:00Z")
    client = client_of(partners[0])
    since = "modified_date gt '2000-01-01'"
    first = client.get("/api/osdi/v1/people", {"filter": since, "per_page": 1}).json()
    assert (first["total_records"], first["total_pages"]) == (2, 2)
    second = client.get(first["_links"]["next"]["href"].removeprefix("http://127.0.0.1:8000"))
    assert second.json()["total_records"] == 2
    assert second.json()["_links"]["previous"] == first["_links"]["self"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        (b"[]", 422),
        (json.dumps({"person": {"email_addresses": []}}).encode(), 422),
        (json.dumps({"person": {"email_addresses": [{"address": "nope"}]}}).encode(), 422),
        (json.dumps({"person": {"email_addresses": [{"address": 5}]}}).encode(), 422),
        (
            json.dumps(
                {"person": {"given_name": "A\u202eB", "email_addresses": [{"address": "a@b.org"}]}}
            ).encode(),
            422,
        ),
        (
            json.dumps(
                {
                    "person": {
                        "email_addresses": [{"address": "a@b.org"}],
                        "postal_addresses": [{"country": "XX"}],
                    }
                }
            ).encode(),
            422,
        ),
        (
            json.dumps(
                {"person": {"given_name": "x" * 10000, "email_addresses": [{"address": "a@b.org"}]}}
            ).encode(),
            422,
        ),
        (HUGE, 413),
    ],
)
def test_bad_input_is_a_json_4xx_and_stores_nothing(client_of, partners, body, status):
    """Malformed JSON, wrong types, invalid values, hostile text, huge bodies."""
    response = client_of(partners[0]).post(
        "/api/osdi/v1/people/person_signup", body, content_type="application/json"
    )
    assert response.status_code == status and "detail" in response.json()
    assert not Supporter.objects.exists()


def test_unknown_fields_are_ignored_as_action_network_ignores_them(client_of, partners):
    response = client_of(partners[0]).post(
        "/api/osdi/v1/people/person_signup", UNKNOWN_FIELD, content_type="application/json"
    )
    assert response.status_code == 200 and "shoe_size" not in response.content.decode()


def test_pages_past_the_end_and_unknown_petitions(client_of, partners):
    client = client_of(partners[0])
    assert client.get("/api/osdi/v1/people", {"page": 2}).status_code == 404
    assert client.get("/api/osdi/v1/people", {"per_page": 500}).status_code == 422
    assert client.get("/api/osdi/v1/petitions/nothing").status_code == 404


def test_a_token_is_rate_limited(client_of, partners, settings, monkeypatch):
    settings.OSDI_RATE = "3/m"
    # The limiter counts in fixed windows: on a slow machine a window could end between the
    # four requests (a flaky test). Its clock stands still here.
    monkeypatch.setattr("django_ratelimit.core.time", SimpleNamespace(time=lambda: 1.8e9))
    client = client_of(partners[0])
    codes = [client.get("/api/osdi/v1/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_admins_make_tokens_and_see_the_secret_once(client, make_staff, partners):
    client.force_login(make_staff(roles.COALITION_ADMIN))
    response = client.post(
        "/en/admin/api/apitoken/add/",
        {"kind": "partner", "organisation": partners[0].pk, "name": "Action Network sync"},
        follow=True,
    )
    token = ApiToken.objects.get()
    shown = response.content.decode()
    assert "Copy it now" in shown and token.prefix in shown
    assert token.key_hash and len(token.key_hash) == 64
