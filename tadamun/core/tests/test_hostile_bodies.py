"""Every endpoint that reads a request's body, sent hostile bodies and headers: a length that is
not a number, a huge body, malformed or deeply nested JSON, invalid UTF-8. The answer is a 4xx
(413 for what is too large), never a server error.

The endpoints are walked, not listed by hand: every operation of the API that takes a body
(from its OpenAPI document) and every view exempt from CSRF (machines post to those). A new
one fails `test_every_endpoint_reading_a_body_is_sent_hostile_bodies` until it has a case here.
"""

import hashlib
import hmac
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLResolver, get_resolver

from tadamun.api.api import api
from tadamun.api.models import ApiToken
from tadamun.coalition.models import Organisation
from tadamun.events.models import Event
from tadamun.petitions.models import Petition
from tadamun.supporters import partners

pytestmark = pytest.mark.django_db

SECRET = "a-test-webhook-secret"
HUGE = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
BODIES = {
    "not json": b"{",
    "deep": b"[" * 3000,
    "deep object": b'{"a":' * 1500,
    "invalid utf-8": b'{"type": "bounce", "email": "\xff\xfe@x"}',
    "a list": b"[]",
    "a number": b"1e999999",
    "empty": b"",
}
HEADERS = {
    "length not a number": {"CONTENT_LENGTH": "abc"},
    "negative length": {"CONTENT_LENGTH": "-1"},
    "length with spaces": {"CONTENT_LENGTH": " 12 "},
    "huge length": {"CONTENT_LENGTH": str(10**30)},
}


@pytest.fixture
def endpoints(campaign, settings):
    """Route (as the URLconf or the OpenAPI document writes it) → (path, content type, headers
    a legitimate sender adds for that body[, method when not POST])."""
    settings.MAILING_WEBHOOK_SECRET = SECRET
    organisation = Organisation.objects.create(
        name="Comité Lyon", country="FR", kind="ngo", partner_code="lyon"
    )
    token = ApiToken(organisation=organisation, name="sync")
    key = token.issue()
    token.save()
    petition = Petition.objects.create(
        campaign=campaign, slug="open", title="Open", target="Ministers", status="open"
    )
    event = Event.objects.first()
    partner = {"HTTP_OSDI_API_TOKEN": key}
    known = partners.record_person(
        organisation, {"email": "a@example.org", "status": "unsubscribed"}
    )
    tag = partners.partner_tag(organisation, "volunteers")
    json, form = "application/json", "application/x-www-form-urlencoded"
    return {
        "/api/osdi/v1/people/person_signup": ("/api/osdi/v1/people/person_signup", json, partner),
        "/api/osdi/v1/people": ("/api/osdi/v1/people", json, partner),
        "/api/osdi/v1/people/{person_id}": (
            f"/api/osdi/v1/people/{known.pk}",
            json,
            partner,
            "PUT",
        ),
        "/api/osdi/v1/tags": ("/api/osdi/v1/tags", json, partner),
        "/api/osdi/v1/tags/{tag_id}/taggings": (
            f"/api/osdi/v1/tags/{tag.pk}/taggings",
            json,
            partner,
        ),
        "/api/osdi/v1/petitions/{slug}/signatures": (
            f"/api/osdi/v1/petitions/{petition.slug}/signatures",
            json,
            partner,
        ),
        "/api/osdi/v1/events/{event_id}/attendances": (
            f"/api/osdi/v1/events/{event.pk if event else 1}/attendances",
            json,
            partner,
        ),
        "/api/osdi/v1/advocacy_campaigns/{slug}/outreaches": (
            "/api/osdi/v1/advocacy_campaigns/no-such-campaign/outreaches",
            json,
            partner,
        ),
        "mailings/bounces": ("/mailings/bounces", json, "signed"),
        "^api/": ("/api/no-such-thing", json, {}),
        "en/petitions/<slug:slug>/sign/": (f"/en/petitions/{petition.slug}/sign/", form, {}),
        "en/unsubscribe/mailing/<str:token>/": ("/en/unsubscribe/mailing/nope/", form, {}),
    }


def body_routes():
    """The API's operations that take a body, and every route exempt from CSRF (outside the
    API, which the first already covers)."""
    schema = api.get_openapi_schema()
    routes = {
        path
        for path, operations in schema["paths"].items()
        for operation in operations.values()
        if "requestBody" in operation
    }
    for route, callback in walk(get_resolver().url_patterns):
        if getattr(callback, "csrf_exempt", False) and not callback.__module__.startswith("ninja"):
            routes.add(route)
    return routes


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


def send(endpoint, body, **headers):
    path, content_type, extra, *method = endpoint
    if extra == "signed":
        at = int(time.time())
        digest = hmac.new(SECRET.encode(), f"{at}.".encode() + body, hashlib.sha256)
        extra = {"HTTP_X_TADAMUN_SIGNATURE": f"t={at},v1={digest.hexdigest()}"}
    return Client().generic(
        method[0] if method else "POST", path, body, content_type=content_type, **extra, **headers
    )


def test_every_endpoint_reading_a_body_is_sent_hostile_bodies(endpoints):
    assert body_routes() == set(endpoints)


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_a_malformed_body_is_a_client_error(body, endpoints):
    """A form answers with its page and the errors beside the fields (200 or 4xx); what
    machines post to answers 4xx."""
    answers = {route: send(endpoint, body).status_code for route, endpoint in endpoints.items()}
    wrong = {
        route: code
        for route, code in answers.items()
        if code >= 500 or (endpoints[route][1] == "application/json" and code < 400)
    }
    assert wrong == {}


@pytest.mark.parametrize("headers", HEADERS.values(), ids=HEADERS.keys())
def test_a_malformed_length_is_never_a_server_error(headers, endpoints):
    answers = {
        route: send(endpoint, b'{"type": "bounce"}', **headers)
        for route, endpoint in endpoints.items()
    }
    assert {route: a.status_code for route, a in answers.items() if a.status_code >= 500} == {}
    api = [answer for route, answer in answers.items() if "api/" in route]
    assert all(answer["Content-Type"].startswith("application/json") for answer in api)


def test_a_huge_body_is_refused_as_too_large(endpoints):
    answers = {
        route: send(endpoint, b"x" * HUGE).status_code for route, endpoint in endpoints.items()
    }
    assert {route: code for route, code in answers.items() if code not in (400, 404, 413)} == {}
