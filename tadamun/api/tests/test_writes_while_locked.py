"""The partner API while the vault is locked (issue 15): every write route of OSDI, found on
its router (a new route is walked too), answers a JSON 503 saying so and leaves the database
as it was, also when the lock comes midway; after the unlock the same requests are recorded.
A route taking the sealed intake instead would answer otherwise here, and these tests would
have to say so."""

import json
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from tadamun import vault
from tadamun.api.osdi import router
from tadamun.api.tests import test_webhooks as hooks
from tadamun.api.tests.test_osdi import token_of
from tadamun.events.tests import conftest as event_fixtures
from tadamun.letters.tests import conftest as letter_fixtures
from tadamun.petitions.models import Petition
from tadamun.supporters import partners as partner_people
from tadamun.vault import holder, keyring, store
from tadamun.vault.tests import conftest as vault_fixtures

sealed = vault_fixtures.sealed
partners = hooks.partners
day = event_fixtures.day
proposal = event_fixtures.proposal
sign_up_event = event_fixtures.sign_up_event
ministers = letter_fixtures.ministers
make_letter_campaign = letter_fixtures.make_letter_campaign
platform_campaign = letter_fixtures.platform_campaign

PREFIX = "/api/osdi/v1"
PARAMETER = re.compile(r"\{(?:\w+:)?(\w+)\}")


def write_routes() -> list[tuple[str, str]]:
    """(method, path) of every OSDI operation that is not a read, from the router itself."""
    return [
        (method, path)
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
        if method != "GET"
    ]


def every_row(but: str = "") -> dict[str, list[str]]:
    """Every row of every table but `but`, as stored (ciphertext stays ciphertext: nothing to
    unlock)."""
    rows = {}
    with connection.cursor() as cursor:
        for table in set(connection.introspection.table_names(cursor)) - {but}:
            quoted = connection.ops.quote_name(table)  # a name the database gave
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608
            rows[table] = sorted(map(repr, cursor.fetchall()))
    return rows


@pytest.fixture
def partner_api(sealed, partners, campaign, sign_up_event, platform_campaign):
    """A partner's client, and a request for each write route: its address with the
    partner's own objects in it, and one body every route reads what it needs from (the
    schemas ignore the fields they do not name)."""
    lyon = partners[0]
    known = partner_people.record_person(lyon, {"email": "amal@example.org", "country": "FR"})
    partner_people.tag_person(known, add=["volunteers"])
    petition = Petition.objects.create(
        campaign=campaign, slug="open", title="Open", target="Ministers", status="open"
    )
    values = {
        "person_id": known.pk,
        "tag_id": known.tags.get().pk,
        "event_id": sign_up_event().pk,
        "slug": {"petitions": petition.slug, "advocacy_campaigns": platform_campaign.slug},
    }

    def address(path: str) -> str:
        def value(match):
            found = values[match[1]]
            return str(found[path.split("/")[1]] if isinstance(found, dict) else found)

        return PREFIX + PARAMETER.sub(value, path)

    person_href = f"http://127.0.0.1:8000{PREFIX}/people/{known.pk}"
    body = {
        "person": {
            "given_name": "Rim",
            "email_addresses": [{"address": "rim@example.org"}],
            "postal_addresses": [{"country": "FR", "postal_code": "69001"}],
        },
        "given_name": "Amal",  # PUT /people/{id}
        "name": "volunteers",  # POST /tags
        "_links": {"osdi:person": {"href": person_href}},  # POST /tags/{id}/taggings
    }
    client = Client(HTTP_OSDI_API_TOKEN=token_of(lyon))

    def send(method: str, path: str):
        data = json.dumps(body)
        return client.generic(method, address(path), data, content_type="application/json")

    return send, client


def test_every_partner_write_while_locked_is_a_json_503_and_writes_nothing(
    sealed, partner_api, django_capture_on_commit_callbacks
):
    send, client = partner_api
    routes = write_routes()
    assert {method for method, _path in routes} == {"POST", "PUT", "DELETE"}
    holder._memory.lock()
    before = every_row()
    with django_capture_on_commit_callbacks(execute=True):
        refused = {(method, path): send(method, path) for method, path in routes}
    for route, response in refused.items():
        assert response.status_code == 503, (route, response.content)
        assert response["Content-Type"].startswith("application/json"), route
        assert response["Retry-After"] and "locked" in response.json()["detail"], route
    assert every_row() == before  # not a row, not a last-used date
    assert mail.outbox == []

    holder._memory.put(keyring.unwrap(store.wrapped(), sealed[:2]))
    with django_capture_on_commit_callbacks(execute=True):
        for method, path in routes:
            response = send(method, path)
            assert response.status_code == 200, (method, path, response.content)
    found = client.get(f"{PREFIX}/people", {"filter": "email_address eq 'rim@example.org'"})
    assert found.json()["total_records"] == 1
    assert any(message.to == ["rim@example.org"] for message in mail.outbox)


def test_a_write_meeting_the_lock_midway_leaves_nothing_behind(
    sealed, partner_api, monkeypatch, django_capture_on_commit_callbacks
):
    """The lock comes after a write began: its last step (the audit note, after the person,
    the tags and the action are written) finds the vault locked. Nothing of it stays."""
    send, _client = partner_api

    def locked_now(*args, **kwargs):
        raise vault.Locked

    monkeypatch.setattr("tadamun.core.audit._record", locked_now)
    before = every_row(but="api_apitoken")  # the token was used: its last-used date moves
    with django_capture_on_commit_callbacks(execute=True):
        for method, path in write_routes():
            response = send(method, path)
            assert response.status_code == 503, (method, path, response.content)
    assert every_row(but="api_apitoken") == before
    assert mail.outbox == []


def test_a_locked_vault_is_a_json_503_with_debug_on_too(sealed, partner_api, settings):
    """Ninja answers an exception it has no handler for with a traceback when DEBUG is on."""
    _send, client = partner_api
    settings.DEBUG = True
    holder._memory.lock()
    response = client.get(f"{PREFIX}/people")
    assert response.status_code == 503 and "locked" in response.json()["detail"]
