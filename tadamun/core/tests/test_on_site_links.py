"""Every link the site builds from the path it was asked for stays on the site: a path such as
`/%2F%2Fevil.example` (which arrives as `//evil.example`) must not become a link, a form's
action, a redirect or a header that a browser reads as another host.

The pages are the public ones of every part of the site (and the 404, the admin's login),
asked for at hostile paths and with hostile query strings; whatever comes back is read
like a browser would read it. The one place that makes such links is
tadamun.core.paths.this_page; the code is also walked for anything else reading the path.
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tadamun.core.tests.pages import public_paths
from tadamun.publications.models import Publication

ROOT = Path(__file__).resolve().parents[3]
SITE = "https://testserver"
EVIL = "evil.example"
HOSTILE_PATHS = [
    "/%2F%2Fevil.example",
    "/%2F%2Fevil.example/",
    "/%2F%5Cevil.example",
    "/%5C%5Cevil.example",
    "/%5Cevil.example",
    "/%2F%09%2Fevil.example",
    "/en/%2F%2Fevil.example",
    "/ar/..%2F%2Fevil.example",
    "/en//evil.example",
    "/en/admin/login/%2F%2Fevil.example",
    "/en/admin/%2F%2Fevil.example/",
]


class Targets(HTMLParser):
    """Every URL in a page that a browser may go to or load."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction", "poster", "data") and value:
                self.urls.append(value)


def off_site(base: str, response) -> list[str]:
    """What in the response leads to evil.example once a browser resolves it."""
    targets = [response.get("Location", ""), response.get("Onion-Location", "")]
    if "text/html" in response.get("Content-Type", ""):
        parser = Targets()
        parser.feed(response.content.decode())
        targets += parser.urls
    return [target for target in filter(None, targets) if EVIL in host_for_browser(base, target)]


def host_for_browser(base: str, target: str) -> str:
    """The host a browser goes to for `target` on page `base` (WHATWG URL parsing of http(s)):
    tabs and newlines dropped, a backslash read as a slash, any run of two or more slashes at
    the start (or after `https:`) read as the start of a host."""
    target = re.sub(r"[\t\n\r]", "", target).replace("\\", "/")
    target = re.sub(r"^(https?:)?/{2,}", lambda m: (m.group(1) or "") + "//", target)
    return urlsplit(urljoin(base, target)).netloc


@pytest.fixture
def onion(settings):
    settings.ONION_ADDRESS = "http://tadamunexampleonion.onion"


def test_a_hostile_path_gives_no_link_to_another_site(client, demo, onion):
    found = {}
    for path in HOSTILE_PATHS:
        response = client.get(path, secure=True)
        if bad := off_site(SITE + path, response):
            found[path] = bad
    assert found == {}


def test_no_public_page_links_to_another_site_by_its_query_string(client, demo, onion):
    slugs = list(Publication.objects.values_list("slug", flat=True)[:2])
    found = {}
    for path in public_paths("en", "open-borders", slugs):
        hostile = path + ("&" if "?" in path else "?") + "next=//evil.example&original"
        response = client.get(hostile, secure=True)
        if bad := off_site(SITE + hostile, response):
            found[hostile] = bad
    assert found == {}


def test_the_language_switcher_of_a_hostile_404_stays_on_the_site(client, demo):
    """The finding: /%2F%2Fevil.example linked to ///evil.example in every language."""
    response = client.get("/%2F%2Fevil.example")
    assert response.status_code == 404
    assert b'href="///' not in response.content and b'href="//' not in response.content


# Only here may code read the path it was asked for to build something from it.
THE_ONE_PLACE = Path("tadamun/core/paths.py")
READS_THE_PATH = re.compile(r"get_full_path|request\.path\b(?!\.startswith)|\bpath_info\b")


def test_nothing_but_this_page_builds_from_the_requested_path():
    found = []
    for path in sorted((ROOT / "tadamun").rglob("*")):
        relative = path.relative_to(ROOT)
        if path.suffix not in (".py", ".html", ".txt") or "tests" in relative.parts:
            continue
        if relative == THE_ONE_PLACE:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if READS_THE_PATH.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == [], "use tadamun.core.paths.this_page (docs/security.md)"
