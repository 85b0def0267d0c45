"""The rule "mail to typed addresses" (docs/security.md): every route, form or API, that makes
the site email an address someone typed goes through one per-address and per-network limit
(tadamun.core.limits).

Every URL pattern is declared below: a mail form (then sent here past its limits, with the
same address and its variants, and from one network), a link from our own mail, or a route
that sends no mail. A route nobody declared fails the test; so does a view that can reach a
mail-sending function (followed through the project's code) without being declared a mail
form or a link from our mail; the confirmation links send their mail once. Every write route
of the API is sent a valid request and watched for mail; those that send it are sent past
their limits too.
"""

import contextlib
import html
import inspect
import re
import types
from importlib import import_module

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import translation
from django_tasks.base import Task

from tadamun.core import limits
from tadamun.petitions.tests.helpers import sign_form

VICTIM = "victim@example.org"
# Forms whose valid POST makes the site email the address typed in it -> their name in
# FORM_RATES, passed to limits.hold_back.
MAIL_FORMS = {
    "petitions:sign": "sign",
    "coalition:endorse": "endorse",
    "supporters:my_data_request": "my-data",
    "events:rsvp": "rsvp",
    "events:propose": "propose-event",
    "events:manage_request": "manage-link",
    "letters:send": "letter",
}
# Links in a mail we sent: only the holder of the link can post them, and what they send
# goes to the address that link was mailed to (once: confirming again sends nothing), or, from
# the organiser's pages, to the event's attendees (messages within a daily allowance; a new
# time or place, or the cancellation).
LINKS_FROM_OUR_MAIL = {
    "petitions:confirm",
    "coalition:confirm",
    "events:confirm",
    "events:rsvp_confirm",
    "events:rsvp_cancel",
    "events:manage",
    "events:manage_edit",
    "events:manage_write",
    "events:manage_cancel",
    "events:manage_shift",  # a time slot: no mail
    "events:manage_shift_change",  # its people told of a new time: no address typed
    "events:manage_shift_remove",  # its people told: no address typed
    "events:manage_questions",  # the RSVP form's questions: no mail
    "events:attendees_csv",
    "letters:confirm",
    "supporters:my_data",
    "supporters:my_data_download",
    "supporters:erase",
    "supporters:share",
    "supporters:confirm_news",
    "supporters:unsubscribe",
    "mailings:unsubscribe",
    "mailings:link",  # counts the link and redirects (mailings.clicks)
}
# Pages and feeds that send no mail; the staff's admin (behind two-factor login) mails no
# address the public typed into it.
SENDS_NO_MAIL = {
    "robots.txt",
    "sitemap",
    "security_txt",
    "healthz",
    "theme",
    "metrics",
    "media/<path>",
    "mailing_bounces",
    "home",
    "admin:*",
    "api:*",
    "api/",  # any other address under /api/: a JSON 404
    *[f"front:{name}" for name in ("campaigns", "campaign", "organisation", "members")],
    *[f"coalition:{name}" for name in ("endorse_thanks", "endorsements")],
    *[f"publications:{name}" for name in ("index", "detail", "feed")],
    *[f"petitions:{name}" for name in ("list", "detail", "thanks", "confirmed", "embed", "json")],
    *[
        f"events:{name}"
        for name in (
            "days",
            "day",
            "proposed",
            "day_ics",
            "find",
            "event",
            "event_ics",
            "rsvp_thanks",
            "campaign_ics",
        )
    ],
    *[f"letters:{name}" for name in ("list", "detail", "compose", "check_email", "confirmed")],
    *[f"{app}:index" for app in ("aid", "watch", "rebuttals")],
    *[f"{app}:detail" for app in ("aid", "watch", "rebuttals")],
    *[f"{app}:feed" for app in ("watch", "rebuttals")],
    "rebuttals:card",
    "petitions:card",
    "events:card",
    "letters:card",
    "coalition:campaign_card",
    "coalition:site_card",
    "places:world",
    *[f"demo:{name}" for name in ("mail", "message")],  # a 404 unless settings.DEMO
}
# What sends mail in the project's code: the transactional helper, Django's messages, a backend.
MAIL_CALLS = re.compile(
    r"send_templated_mail|EmailMessage|EmailMultiAlternatives|send_mail\(|send_messages"
)


def route_names(patterns, prefix="", namespace=""):
    """Every URL pattern by name (`namespace:name`), the language prefix collapsed; the admin
    and the API as one each (the API's routes are walked from its router below)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            space = pattern.namespace or namespace
            if space in ("admin", "api"):
                yield f"{space}:*"
                continue
            yield from route_names(pattern.url_patterns, prefix + str(pattern.pattern), space)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", str(pattern.pattern))
            yield f"{namespace}:{name}" if namespace and pattern.name else name.strip("^$")


def test_every_url_pattern_is_declared():
    found = set(route_names(get_resolver().url_patterns))
    declared = set(MAIL_FORMS) | LINKS_FROM_OUR_MAIL | SENDS_NO_MAIL
    assert found - declared == set(), "declare each new route in this test's lists"
    assert declared - found == set(), "a declared route is gone: take it out of the lists"


def route_views(patterns, namespace=""):
    """(name, view) of every URL pattern outside the admin and the API."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            space = pattern.namespace or namespace
            if space not in ("admin", "api"):
                yield from route_views(pattern.url_patterns, space)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name, pattern.callback


def code_objects(code):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from code_objects(const)


def project_scopes(function, names):
    """The namespaces `function`'s names may come from: its module, and the project's
    modules it uses (imported at the top of its module or inside the function)."""
    yield function.__globals__
    for name in names:
        used = function.__globals__.get(name)
        if isinstance(used, types.ModuleType) and used.__name__.startswith("tadamun."):
            yield vars(used)
        elif name.startswith("tadamun."):  # `from tadamun.x import y` inside the function
            yield vars(import_module(name))
            for submodule in names:
                with contextlib.suppress(ImportError):
                    yield vars(import_module(f"{name}.{submodule}"))


def callees(function):
    """The project's functions (and tasks' functions) `function` may call, by the names it
    uses: more than it calls, never fewer, except through methods of objects."""
    names = {name for code in code_objects(function.__code__) for name in code.co_names}
    for scope in project_scopes(function, names):
        for name in names & set(scope):
            called = scope[name]
            if isinstance(called, Task):
                yield called.func
            elif inspect.isfunction(called) and called.__module__.startswith("tadamun."):
                yield called


def can_send_mail(view, seen=None) -> bool:
    seen = set() if seen is None else seen
    function = inspect.unwrap(view)
    if function in seen or not inspect.isfunction(function):
        return False
    seen.add(function)
    if MAIL_CALLS.search(inspect.getsource(function)):
        return True
    return any(can_send_mail(callee, seen) for callee in callees(function))


def test_every_view_that_can_send_mail_is_a_mail_form_or_a_link_from_our_mail():
    sending = {
        name for name, view in route_views(get_resolver().url_patterns) if can_send_mail(view)
    }
    assert sending - (set(MAIL_FORMS) | LINKS_FROM_OUR_MAIL) == set()
    assert set(MAIL_FORMS) <= sending  # the walk does find mail


def test_every_mail_form_has_a_rate():
    from django.conf import settings

    for name in MAIL_FORMS.values():
        assert set(settings.FORM_RATES[name]) == {"address", "network"}


# Valid submissions of each mail form, in French, for the address given.


@pytest.fixture
def objects(demo):
    from tadamun.coalition.models import Campaign
    from tadamun.events.models import DayOfAction, Event
    from tadamun.letters.models import LetterCampaign
    from tadamun.petitions.models import Petition
    from tadamun.supporters import services

    for address in [VICTIM, *variants_of(VICTIM)]:
        services.find_or_create_supporter(address)  # "your data" mails known addresses only
    event = Event.objects.public().filter(organiser__isnull=False, shifts=None).first()
    return {
        "petition": Petition.objects.public().first(),
        "campaign": Campaign.objects.first(),
        "event": event,
        "organiser": event.organiser.email,
        "day": DayOfAction.objects.public().first(),
        "letters": LetterCampaign.objects.get(slug="write-to-your-minister"),
    }


def letter_form(client, objects, email):
    slug = objects["letters"].slug
    writer = {"name": "Amal", "email": email, "country": "DE", "city": "Köln"}
    page = client.post(f"/fr/letters/{slug}/compose", writer).content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    fields.pop("csrfmiddlewaretoken", None)
    fields["subject"] = re.search(r'name="subject" value="([^"]*)"', page)[1]
    fields["text"] = re.search(r'<textarea name="text"[^>]*>\n?(.*?)</textarea>', page, re.S)[1]
    return f"/fr/letters/{slug}/send", {key: html.unescape(value) for key, value in fields.items()}


def proposal(objects, email, n):
    day = objects["day"]
    return f"/fr/days/{day.slug}/propose/", {
        "title": f"Vigil {n}",
        "kind": "vigil",
        "description": "Bring a candle.",
        "date": day.starts_on.isoformat(),
        "start_time": "18:00",
        "end_time": "20:00",
        "time_zone": "Europe/Berlin",
        "venue_name": "Cathedral square",
        "address": "Domkloster 4",
        "city": "Cologne",
        "country": "DE",
        "organiser_name": "Lena",
        "organiser_email": email,
    }


def submission(route, client, objects, email, n):
    """(path, data) of a valid submission of `route` for `email`; `n` makes it new."""
    match route:
        case "petitions:sign":
            return f"/fr/petitions/{objects['petition'].slug}/sign/", sign_form(email=email)
        case "coalition:endorse":
            return f"/fr/campaigns/{objects['campaign'].slug}/endorse/", {
                "organisation_name": f"Network {n}",
                "country": "DE",
                "kind": "humanitarian",
                "contact_name": "Rania",
                "contact_email": email,
                "authorised": "on",
            }
        case "supporters:my_data_request":
            return "/fr/my-data/", {"email": email}
        case "events:rsvp":
            return f"/fr/events/{objects['event'].pk}/rsvp/", {"name": "Amal", "email": email}
        case "events:propose":
            return proposal(objects, email, n)
        case "events:manage_request":
            return f"/fr/events/{objects['event'].pk}/organiser/", {"email": email}
        case "letters:send":
            return letter_form(client, objects, email)
    raise AssertionError(f"no valid submission of {route}")


def owner_of(route, objects):
    """The address whose owner gets the mail (the organiser's link goes to them only)."""
    return objects["organiser"] if route == "events:manage_request" else VICTIM


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isalpha() else c for c in text)


def variants_of(address):
    """What an attacker types to pass a per-address limit: case, tags, a fullwidth domain."""
    local, domain = address.split("@")
    return [
        f"{local.upper()}@{domain.upper()}",
        f"{local}+1@{domain}",
        f"{local}+2@{fullwidth(domain)}",
        f"{local.title()}+3@{domain}",
    ]


def in_language(language, message) -> str:
    with translation.override(language):
        return message()


def shows(response, message) -> bool:
    return message in html.unescape(response.content.decode())


@pytest.fixture
def send(objects, django_capture_on_commit_callbacks):
    """send(route, client, email, n): post a valid submission; its mail goes out at once."""

    def post(route, client, email, n):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(*submission(route, client, objects, email, n))

    return post


@pytest.mark.parametrize("route", sorted(MAIL_FORMS))
def test_one_address_and_its_variants_get_no_more_mail_past_the_limit(
    route, objects, send, form_rate, mailoutbox
):
    form_rate(MAIL_FORMS[route], address="2/h", network="1000/h")
    client = Client()
    address = owner_of(route, objects)
    first = send(route, client, address, 0)
    assert first.status_code in (200, 302)
    assert len(mailoutbox) == 1, "a valid submission sends mail"
    answers = [send(route, client, typed, n) for n, typed in enumerate(variants_of(address), 1)]
    assert len(mailoutbox) <= 2
    assert [answer.status_code for answer in answers[1:]] == [429] * 3
    french = in_language("fr", limits.email_limit_message)
    assert french != in_language("en", limits.email_limit_message)
    assert shows(answers[-1], french)


@pytest.mark.parametrize("route", sorted(MAIL_FORMS))
def test_one_network_is_asked_for_a_proof_past_its_limit(
    route, objects, send, form_rate, mailoutbox
):
    form_rate(MAIL_FORMS[route], network="2/h")
    client = Client()
    answers = [send(route, client, f"person{n}@example.net", n) for n in range(3)]
    held = answers[-1]
    assert held.status_code == 429
    assert 'name="pow_challenge"' in held.content.decode()
    assert not any("person2@example.net" in message.to for message in mailoutbox)


# The API: every write route is sent a valid request and watched for mail.

# Routes that make the site email the address in the request -> their name in FORM_RATES,
# passed to limits.mail_refused.
API_MAIL_ROUTES = {
    "POST /api/osdi/v1/people": "osdi-person",
    "POST /api/osdi/v1/people/person_signup": "osdi-person",
    "POST /api/osdi/v1/petitions/{slug:slug}/signatures": "osdi-signature",
    "POST /api/osdi/v1/events/{int:event_id}/attendances": "osdi-attendance",
    "POST /api/osdi/v1/advocacy_campaigns/{slug:slug}/outreaches": "osdi-outreach",
}
API_ROUTES_SENDING_NO_MAIL = {
    "PUT /api/osdi/v1/people/{int:person_id}",
    "POST /api/osdi/v1/tags",
    "POST /api/osdi/v1/tags/{int:tag_id}/taggings",
    "DELETE /api/osdi/v1/tags/{int:tag_id}/taggings/{int:person_id}",
}


def api_write_routes():
    from tadamun.api.api import api

    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in set(operation.methods) - {"GET", "HEAD", "OPTIONS"}:
                    yield f"{method} " + re.sub("/+", "/", f"/api/{prefix}/{path}")


def test_every_api_write_route_is_declared():
    assert set(api_write_routes()) == set(API_MAIL_ROUTES) | API_ROUTES_SENDING_NO_MAIL


@pytest.fixture
def partner(objects):
    from tadamun.api.models import ApiToken
    from tadamun.coalition.models import Organisation

    token = ApiToken(organisation=Organisation.objects.exclude(partner_code="").first(), name="t")
    key = token.issue()
    token.save()
    client = Client(HTTP_OSDI_API_TOKEN=key)
    client.organisation = token.organisation
    return client


def api_request(route, objects, email, known):
    """(path, body) of a valid request to `route` for `email`; `known` holds the ids of a
    person the partner knows (with `email`) and of the partner's own tag on them."""
    person = {"email_addresses": [{"address": email}], "postal_addresses": [{"country": "FR"}]}
    path = route.split(" ", 1)[1]
    if "/advocacy_campaigns/" in path:
        path = path.replace("{slug:slug}", objects["letters"].slug)
    path = path.replace("{slug:slug}", objects["petition"].slug)
    path = path.replace("{int:event_id}", str(objects["event"].pk))
    path = path.replace("{int:person_id}", str(known["person"]))
    path = path.replace("{int:tag_id}", str(known["tag"]))
    bodies = {
        "/api/osdi/v1/tags": {"name": "volunteers"},
        f"/api/osdi/v1/tags/{known['tag']}/taggings": {
            "_links": {
                "osdi:person": {
                    "href": f"http://127.0.0.1:8000/api/osdi/v1/people/{known['person']}"
                }
            }
        },
        f"/api/osdi/v1/people/{known['person']}": {"family_name": "Haddad"},
    }
    return path, bodies.get(path, {"person": person})


def person_known_to(partner, email) -> dict:
    """A person the partner's token submitted (without mail) and a tag of its own on them."""
    from tadamun.supporters import partners as partner_people

    organisation = partner.organisation
    known = partner_people.record_person(organisation, {"email": email, "status": "unsubscribed"})
    partner_people.tag_person(known, add=["volunteers"])
    return {"person": known.pk, "tag": known.tags.get().pk}


@pytest.fixture
def call(objects, partner, django_capture_on_commit_callbacks):
    def send(route, email):
        known = person_known_to(partner, email)
        path, body = api_request(route, objects, email, known)
        method = route.split(" ", 1)[0].lower()
        with django_capture_on_commit_callbacks(execute=True):
            return getattr(partner, method)(path, body, content_type="application/json")

    return send


def test_api_routes_declared_without_mail_send_none(call, mailoutbox):
    for route in sorted(API_ROUTES_SENDING_NO_MAIL):
        assert call(route, VICTIM).status_code == 200
        assert mailoutbox == [], route


API_MAIL_CASES = sorted(API_MAIL_ROUTES)


@pytest.mark.parametrize("route", API_MAIL_CASES)
def test_api_routes_send_one_address_no_more_mail_past_the_limit(
    route, call, form_rate, mailoutbox
):
    form_rate(API_MAIL_ROUTES[route], address="2/h", network="1000/h")
    assert call(route, VICTIM).status_code == 200
    per_request = len(mailoutbox)  # a confirmation, and the partner's "share?" question
    assert per_request >= 1, "a valid request sends mail"
    answers = [call(route, typed) for typed in variants_of(VICTIM)]
    assert len(mailoutbox) <= 2 * per_request
    assert [answer.status_code for answer in answers[1:]] == [429] * 3
    assert answers[-1].json()["detail"]


@pytest.mark.parametrize("route", API_MAIL_CASES)
def test_api_routes_refuse_a_network_past_its_limit(route, call, form_rate, mailoutbox):
    form_rate(API_MAIL_ROUTES[route], network="2/h")
    answers = [call(route, f"person{n}@example.net") for n in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert not any("person2@example.net" in message.to for message in mailoutbox)


# The links in the mail a form sends: confirming again sends nothing more.
CONFIRMED_BY = {
    "petitions:sign": "petitions:confirm",
    "coalition:endorse": "coalition:confirm",
    "events:propose": "events:confirm",
    "events:rsvp": "events:rsvp_confirm",
    "letters:send": "letters:confirm",
}


def link_in(message, route) -> str:
    for path in re.findall(r"https?://[^/\s]+(/\S+)", message.body):
        if resolve(path).view_name == route:
            return path
    raise AssertionError(f"no {route} link in the mail")


@pytest.mark.parametrize("form", sorted(CONFIRMED_BY))
def test_a_link_from_our_mail_sends_its_mail_once(
    form, objects, send, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()
    send(form, client, "someone@example.net", 0)
    link = link_in(mailoutbox[-1], CONFIRMED_BY[form])
    sent = []
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(link).status_code in (200, 302)
        sent.append(len(mailoutbox))
    assert sent[1] == sent[0]
