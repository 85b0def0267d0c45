"""Text reads right in every direction (DESIGN principle 9): every piece of user or organiser
content on a public page sits in an isolated element (`<bdi>` or an element with `dir`).

The test gives every plain text column of the demo a mixed-direction value carrying a marker,
walks the site in English and Arabic, and fails on any marker printed outside isolation: a new
template (or a new model field) that prints content bare fails it without being listed here.
"""

from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat

from tadamun.core.tests.pages import crawl

MARKER = "ZQX"
# Text whose browser rendering is not bidi-isolable markup, or not shown as a run of text.
NOT_RENDERED_AS_TEXT = {"title", "option", "textarea", "script", "style"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr", "circle", "path", "rect", "line", "polyline", "polygon", "use"}
# Columns that are keys, codes or addresses, not text a person reads in a sentence.
NOT_CONTENT = ("slug", "key", "token", "hash", "language", "time_zone", "code", "email", "url")
NOT_CONTENT += ("sectors", "areas")  # lists of codes
PROJECT_APPS = {"coalition", "publications", "petitions", "letters", "events", "aid"}
PROJECT_APPS |= {"rebuttals", "watch", "supporters", "places"}


class Isolation(HTMLParser):
    """Text runs containing the marker, and whether an ancestor below <html> isolates them."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.bare: list[str] = []
        self.isolated = 0

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        isolating = tag == "bdi" or (tag != "html" and "dir" in dict(attrs))
        self.stack.append((tag, isolating))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if MARKER not in data or any(tag in NOT_RENDERED_AS_TEXT for tag, _ in self.stack):
            return
        if any(isolating for _, isolating in self.stack):
            self.isolated += 1
        else:
            where = " > ".join(tag for tag, _ in self.stack[-4:])
            self.bare.append(f"{where}: {data.strip()[:60]!r}")


def content_columns():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            plain = type(field) in (models.CharField, models.TextField)
            if not plain or field.choices or field.unique or field.name.endswith("_html"):
                continue
            if any(part in field.name for part in NOT_CONTENT):
                continue
            yield model, field


def mark_all_content():
    """Prefix every content column with the marker and an Arabic word, so each value mixes
    directions (Latin letters, then Arabic) whatever its own language."""
    for model, field in content_columns():
        model._base_manager.exclude(**{field.name: ""}).update(
            **{field.name: Concat(Value(f"{MARKER} نص "), field.name)}
        )


@pytest.fixture(scope="module")
def marked_site(module_demo, django_db_blocker):
    with django_db_blocker.unblock():
        mark_all_content()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_content_is_isolated_on_every_public_page(client, db, marked_site, language):
    responses = crawl(client, language)
    bare, isolated = {}, 0
    for path, response in responses.items():
        if "text/html" not in response.get("Content-Type", "") or response.status_code != 200:
            continue
        parser = Isolation()
        parser.feed(response.content.decode())
        isolated += parser.isolated
        if parser.bare:
            bare[path] = parser.bare
    report = "\n".join(f"{path}\n  " + "\n  ".join(runs) for path, runs in bare.items())
    assert not bare, f"content printed without isolation:\n{report}"
    assert isolated > 50  # the marker reached the pages: the test looks at real content
