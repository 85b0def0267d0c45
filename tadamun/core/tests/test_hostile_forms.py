"""Every form on every public page, sent the way a browser sends it but filled with hostile
values: markup, bidi controls, a huge string, NUL bytes, SQL, and choices the page never
offered. Whatever comes in, the answer is never a server error, never echoes markup
unescaped, and what the database keeps is only what the form's cleaning let through.

The pages are crawled (English and Arabic) and the forms sent once per module; each kind of
failure is one test naming every form, field and value that shows it. Every submission runs in
a savepoint rolled back afterwards, so each one meets the same demo site.
"""

import contextlib
import itertools
import json
import re
from dataclasses import dataclass
from dataclasses import field as attribute
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.db import connection, models, transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve
from django.utils import translation

from tadamun.core.tests.pages import LinkCollector, crawl
from tadamun.events.models import DayOfAction, Event
from tadamun.supporters.models import Supporter

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "ar"]
PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "attribute": '"><img src=x onerror=alert(1)>',
    "bidi": "Amal \u202egnp.exe \u2066Haddad\u2069",
    "huge": "x" * 100_000,
    "nul": "Amal\x00Haddad",
    "sql-or": "' OR 1=1 --",
    "sql-drop": "'; DROP TABLE x; --",
}
# The values also sent alone in each field that took them (in English; Arabic pages run the
# same checks).
ALONE = {"script", "attribute", "bidi", "nul", "sql-or"}
UNESCAPED = [b"<script>alert(1)", b"<img src=x onerror"]
# What no stored text may hold: NUL, and the bidi embeddings, overrides and isolates.
NOT_STORABLE = re.compile("[\x00\u202a-\u202e\u2066-\u2069]")
TEXT_LIKE = {"text", "email", "url", "search", "tel", "number", "date", "time", "password", ""}
# The gazetteer is reference data loaded by a command; no form writes to it.
NOT_WRITTEN_BY_FORMS = {"places"}


# --- Reading forms as a browser does --------------------------------------------------------


@dataclass
class Field:
    tag: str  # input, select, textarea
    type: str
    name: str
    value: str = ""
    checked: bool = False
    options: list = attribute(default_factory=list)  # (value, selected) of a select
    honeypot: bool = False

    @property
    def text_like(self) -> bool:
        return (self.tag == "input" and self.type in TEXT_LIKE) or self.tag == "textarea"

    @property
    def choice(self) -> bool:
        return self.tag == "select" or self.type in ("checkbox", "radio")


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: list


class FormCollector(HTMLParser):
    def __init__(self, page: str):
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            action = urljoin(self.page, attrs.get("action") or self.page)
            method = attrs.get("method", "get").lower()
            self.forms.append(Form(self.page, action, method, []))
            return
        if not self.forms or not attrs.get("name") and tag != "option":
            return
        fields = self.forms[-1].fields
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            fields.append(
                Field(
                    "input",
                    kind,
                    attrs["name"],
                    attrs.get("value", ""),
                    checked="checked" in attrs,
                    # Hidden by the stylesheet and out of the tab order: people leave it empty.
                    honeypot=attrs.get("tabindex") == "-1",
                )
            )
        elif tag == "textarea":
            self._textarea = Field("textarea", "textarea", attrs["name"])
            fields.append(self._textarea)
        elif tag == "select":
            self._select = Field("select", "select", attrs["name"])
            fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append((attrs.get("value", ""), "selected" in attrs))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data


def forms_on(page: str, html: str) -> list[Form]:
    collector = FormCollector(page)
    collector.feed(html)
    return collector.forms


# --- Filling them in ------------------------------------------------------------------------

serial = itertools.count()


def valid_value(field: Field, hints: dict) -> str | None:
    """What a person would send: the page's own value, else a plausible one; None: nothing."""
    if field.type == "hidden" or field.honeypot:
        return field.value
    if field.type in ("checkbox", "radio"):
        return field.value or "on"
    if field.tag == "select":
        chosen = [value for value, selected in field.options if selected and value]
        values = [value for value, _selected in field.options if value]
        if not chosen and hints.get(field.name) in values:
            return hints[field.name]
        return (chosen or values or [""])[0]
    if field.value.strip():
        return field.value
    if field.name in hints:
        return hints[field.name]
    if field.type == "email" or "email" in field.name:
        return f"reader{next(serial)}@example.org"
    if field.type == "url" or field.name.endswith("url"):
        return "https://example.org/"
    if field.type == "number":
        return "50"
    return "We stand with the people of Idlib." if field.tag == "textarea" else "Amal Haddad"


def fill(form: Form, hints: dict, **override) -> dict:
    data = {}
    for field in form.fields:
        value = override.get(field.name, valid_value(field, hints))
        if value is None:
            continue
        if field.type == "radio" and field.name in data:
            continue
        data[field.name] = value
    return data


def text_fields(form: Form) -> list[Field]:
    return [f for f in form.fields if f.text_like and not f.honeypot and f.type != "hidden"]


def variants(form: Form, hints: dict):
    """(label, data): the form filled in as a person would; with each hostile value in every
    text field at once (Django checks each field on its own, so every field meets every
    value); with a choice the page never offered; with the honeypot filled in."""
    yield "valid", fill(form, hints)
    texts = text_fields(form)
    for label, payload in PAYLOADS.items() if texts else ():
        yield f"every field {label}", fill(form, hints, **{f.name: payload for f in texts})
    for f in form.fields:
        if f.choice:
            yield f"{f.name} not offered", fill(form, hints, **{f.name: PAYLOADS["script"]})
    if honeypots := [f.name for f in form.fields if f.honeypot]:
        yield "honeypot filled", fill(form, hints, **dict.fromkeys(honeypots, "https://x.example"))


def refused_fields(response) -> set[str]:
    """The fields shown again with an error of their own (core/field.html)."""
    return set(re.findall(r'class="errorlist" id="id_([\w-]+)_error"', response.content.decode()))


# --- What the database holds ----------------------------------------------------------------


def stored_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.app_label not in NOT_WRITTEN_BY_FORMS
    ]


def row_counts() -> dict:
    """Rows per table, in one query."""
    tables = [model._meta.db_table for model in stored_models()]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # The models' own table names, quoted: nothing from outside goes into this query.
        counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)  # noqa: S608
        cursor.execute(f"SELECT {counts}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def writes() -> int | None:
    """Rows written so far: by this connection (SQLite), in this transaction (PostgreSQL).
    When it has not moved, nothing was stored and there is nothing to read again."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT total_changes()")
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
                " FROM pg_stat_xact_all_tables"
            )
        else:
            return None
        return int(cursor.fetchone()[0])


def strings(value):
    """The texts in a stored value, also inside JSON (kept as text, as a sealed signature)."""
    if isinstance(value, str):
        yield value
        if value.startswith(("{", "[")):
            with contextlib.suppress(ValueError):
                yield from strings(json.loads(value))
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


def unstorable_text() -> list[str]:
    """Every stored text (read through the models, so decrypted) holding NUL or a bidi
    control: "table.column #pk"."""
    found = []
    for model in stored_models():
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not names:
            continue
        for pk, *values in model._base_manager.values_list("pk", *names):
            for name, value in zip(names, values, strict=True):
                if any(NOT_STORABLE.search(text) for text in strings(value)):
                    found.append(f"{model._meta.db_table}.{name} #{pk}")
    return found


# --- Sending them ---------------------------------------------------------------------------


@dataclass
class Sent:
    form: str
    variant: str
    status: int
    accepted: bool = False
    problems: dict = attribute(default_factory=dict)  # kind -> detail


def resolved(path: str):
    """The URL pattern `path` matches, in the language of its prefix; None for none (an
    email may link to another language than the visitor's: the supporter's own)."""
    language = urlsplit(path).path.strip("/").split("/")[0]
    with translation.override(language if language in dict(settings.LANGUAGES) else None):
        try:
            return resolve(urlsplit(path).path)
        except Resolver404:
            return None


def route(path: str) -> str:
    """One name for the forms of every event ("en/events/<int:pk>/rsvp/")."""
    return match.route if (match := resolved(path)) else urlsplit(path).path


def form_key(form: Form) -> tuple:
    return (form.method, route(form.action), tuple(sorted(f.name for f in form.fields)))


def send(client, form: Form, data: dict, address: str):
    """The form sent from `address` (a network of its own, so no rate limit is reached)."""
    extra = {"REMOTE_ADDR": address}
    if form.method == "post":
        # Browsers send the page's address along with a form.
        origin = "http://testserver"
        extra["headers"] = {"Origin": origin, "Referer": origin + form.page}
        return client.post(form.action, data, **extra)
    return client.get(form.action, data, **extra)


def demo_hints() -> dict:
    """Values the demo site accepts for fields whose page gives no value."""
    day = DayOfAction.objects.order_by("starts_on").first()
    return {
        "country": "FR",
        "city": "Lyon",
        "date": day.starts_on.isoformat(),
        "start_time": "18:00",
        "end_time": "20:00",
        "weeks": "4",  # a browser keeps it within the field's max
    }


def html(response) -> bytes:
    """The page a browser would render: HTML only (a CSV or calendar is not run)."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return b""
    return response.content


def html_forms(path: str, response) -> list[Form]:
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    return forms_on(path, response.content.decode())


class Visitor:
    """One person with one browser (one client, its cookies) sending every form they meet:
    on the pages the crawler reaches, on the pages those forms lead to, and on the pages
    linked from the emails they get back (confirmations, an organiser's page)."""

    def __init__(self, language: str, alone=ALONE):
        self.language, self.alone = language, alone
        self.client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        self.hints = demo_hints()
        self.results: list[Sent] = []
        self.seen: set = set()
        # What unstorable_text() finds before any form is sent: nothing, unless the demo
        # content itself has it.
        self.clean = set(unstorable_text())

    def run(self) -> list[Sent]:
        pages = crawl(self.client, self.language)
        for path in sorted(pages):  # the same forms first every time (/events/1/ before 8)
            for form in html_forms(path, pages[path]):
                self.explore(form)
        return self.results

    def hints_for(self, form: Form) -> dict:
        """Where only someone the site knows gets further (an organiser asking for their
        event's link, a supporter for their data), that person's address."""
        match = resolved(form.action)
        if match is None:
            return self.hints
        if match.view_name == "events:manage_request":
            return {**self.hints, "email": Event.objects.get(pk=match.kwargs["pk"]).organiser.email}
        if match.view_name == "supporters:my_data_request":
            return {**self.hints, "email": Supporter.objects.order_by("pk").first().email}
        return self.hints

    def explore(self, form: Form):
        if (key := form_key(form)) in self.seen:
            return
        self.seen.add(key)
        hints = self.hints_for(form)
        valid, marked = fill(form, hints), {}
        texts = text_fields(form)
        for label, data in variants(form, hints):
            sent, response = self.submit(form, label, data)
            payload = label.removeprefix("every field ")
            if payload not in self.alone or len(texts) < 2 or sent.status >= 500:
                continue
            # Each value a field took among the others, again alone, the others valid: the
            # form then gets past its checks to whatever happens next.
            for f in texts:
                if f.name in refused_fields(response):
                    continue
                # Added to what the page wrote there (a letter's text), else in its place.
                value = f"{f.value.strip()} {data[f.name]}" if f.value.strip() else data[f.name]
                alone, _response = self.submit(
                    form, f"{f.name} {payload}", {**valid, f.name: value}
                )
                if payload == "script" and alone.accepted:
                    marked[f.name] = value
        # Then as a person would, with markup in every field that took it alone, kept
        # (until the pages and emails it leads to are explored) so its links and tokens work.
        for label, data in (("accepted markup", {**valid, **marked}), ("valid", valid)):
            if label == "accepted markup" and not marked:
                continue
            with transaction.atomic():
                sent, response, following = self.submit_and_follow(form, label, data)
                if sent.accepted:
                    for next_form in following:
                        self.explore(next_form)
                transaction.set_rollback(True)
            if sent.accepted:
                return

    def submit_and_follow(self, form: Form, label: str, data: dict):
        """Send and keep; then what a person meets next: the forms on the page the answer
        shows (or redirects to), and the pages linked from the emails it sent."""
        outbox = len(mail.outbox)
        sent, response = self.submit(form, label, data, keep=True)
        if not sent.accepted:
            return sent, response, []
        page = form.action
        if response.status_code in (301, 302, 303):
            page = response["Location"]
            response = self.client.get(page)
        following = html_forms(page, response)
        for message in mail.outbox[outbox:]:
            for path in mailed_paths(message):
                following += self.visit_mailed(path, sent)
        return sent, response, following

    def visit_mailed(self, path: str, sent: Sent) -> list[Form]:
        """The page an email links to, and the pages under it (an organiser's page and its
        edit page), checked like answers to a form; their forms."""
        forms, queue, visited = [], [path], set()
        while queue:
            target = queue.pop()
            if target in visited:
                continue
            visited.add(target)
            response = self.client.get(target)
            if response.status_code >= 500:
                sent.problems["server error"] = f"mailed page {target} → {response.status_code}"
            if any(marker in html(response) for marker in UNESCAPED):
                sent.problems["unescaped"] = f"on the mailed page {target}"
            forms += html_forms(target, response)
            if page := html(response):
                links = LinkCollector()
                links.feed(page.decode())
                for href in links.links:
                    below = urlsplit(urljoin(target, href)).path
                    if below.startswith(path) and below != path and not urlsplit(href).netloc:
                        queue.append(below)
        return forms

    def submit(self, form: Form, label: str, data: dict, keep=False) -> tuple[Sent, object]:
        """Send one filling of `form`, check the answer and what was stored; rolled back
        unless `keep` (the caller's savepoint then rolls it back)."""
        number = next(serial)
        address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        where = "/" + route(form.action)
        sent = Sent(f"{form.method.upper()} {where}", label, 0)
        self.results.append(sent)
        with transaction.atomic():
            before, written = row_counts(), writes()
            callbacks = len(connection.run_on_commit)
            response = send(self.client, form, data, address)
            sent.status = response.status_code
            # What runs once the answer is committed (a worker recording a signature, then
            # the emails it sends), as far as it goes.
            while callbacks < len(connection.run_on_commit):
                _savepoints, callback, _robust = connection.run_on_commit[callbacks]
                callbacks += 1
                try:
                    callback()
                except Exception as error:  # noqa: BLE001 (reported with the form that caused it)
                    sent.problems["server error"] = f"after the commit: {error!r}"
            if response.status_code >= 500:
                exc = getattr(response, "exc_info", None)
                sent.problems["server error"] = repr(exc[1]) if exc else response.status_code
                transaction.set_rollback(True)
                return sent, response
            bodies = [html(response)]
            if response.status_code in (301, 302, 303) and form.method == "post":
                followed = self.client.get(response["Location"], REMOTE_ADDR=address)
                bodies.append(html(followed))
                if followed.status_code >= 500:
                    problem = f"{response['Location']} → {followed.status_code}"
                    sent.problems["server error"] = problem
            for marker in UNESCAPED:
                if any(marker in body for body in bodies):
                    sent.problems["unescaped"] = marker.decode()
            refused = response.status_code < 300 or response.status_code >= 400
            refused = refused and b'class="errorlist' in html(response)
            sent.accepted = not refused and response.status_code < 400
            if refused or form.method == "get":
                after = row_counts()
                grown = {t: after[t] - before[t] for t in after if after[t] > before[t]}
                if grown:
                    sent.problems["stored though refused"] = grown
            wrote = written is None or writes() != written
            if wrote and (found := sorted(set(unstorable_text()) - self.clean)):
                sent.problems["stored NUL or bidi control"] = found[:5]
            if not keep:
                transaction.set_rollback(True)
        return sent, response


def mailed_paths(message) -> list[str]:
    """The site's pages an email links to (its text and its HTML part)."""
    texts = [message.body] + [content for content, _type in getattr(message, "alternatives", [])]
    urls = re.findall(r"https?://[^\s\"'<>]+", "\n".join(texts))
    return sorted(
        {url.removeprefix(settings.SITE_URL) for url in urls if url.startswith(settings.SITE_URL)}
    )


# Rate limits are tested on their own; here they would only stop forms before their checks
# (the letter's second step carries the first step's email address, as the page gave it).
NO_LIMITS = {
    name: "100000/m"
    for name in dir(settings)
    if name.endswith("_RATE") and isinstance(getattr(settings, name), str)
} | {
    # The limit on mail to typed addresses: the valid filling sends one address (an event's
    # organiser, say) through a form once per language, more than its hourly allowance.
    "FORM_RATES": {
        form: dict.fromkeys(rates, "100000/m") for form, rates in settings.FORM_RATES.items()
    },
    # An organiser's emails to everyone coming (messages, and notices of a new time, which
    # the edit form's valid filling sends once per language).
    "ORGANISER_MESSAGES_PER_DAY": 100000,
}


@pytest.fixture(scope="module")
def sent(module_demo):
    with override_settings(**NO_LIMITS):
        return {
            # The forms and their checks are the same in every language: on Arabic pages
            # each hostile value goes in every field at once, not also in each field alone.
            language: Visitor(language, alone=ALONE if language == "en" else set()).run()
            for language in LANGUAGES
        }


def failures(results: list[Sent], kind: str) -> str:
    shown = [
        f"{sent.form} [{sent.variant}] → {sent.status}: {sent.problems[kind]}"
        for sent in results
        if kind in sent.problems
    ]
    return f"{len(shown)} submission(s):\n" + "\n".join(shown) if shown else ""


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_forms_are_found_and_sent_as_a_browser_sends_them(sent, language):
    results = sent[language]
    forms = {result.form for result in results}
    assert len([form for form in forms if form.startswith("POST")]) >= 8, sorted(forms)
    assert len([form for form in forms if form.startswith("GET")]) >= 5, sorted(forms)
    refused_by_csrf = [r.form for r in results if r.status == 403]
    assert not refused_by_csrf, refused_by_csrf
    # The valid filling passes every form's checks, so the hostile values reach them all.
    accepted = {r.form for r in results if r.variant == "valid" and r.accepted}
    assert sorted(forms - accepted) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_hostile_form_is_a_server_error(sent, language):
    assert not (shown := failures(sent[language], "server error")), shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_hostile_value_comes_back_unescaped(sent, language):
    assert not (shown := failures(sent[language], "unescaped")), shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_form_stores_nothing(sent, language):
    assert not (shown := failures(sent[language], "stored though refused")), shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_nothing_stored_holds_a_nul_or_bidi_control(sent, language):
    assert not (shown := failures(sent[language], "stored NUL or bidi control")), shown
