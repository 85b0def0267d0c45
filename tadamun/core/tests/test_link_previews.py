"""Every public page carries link-preview tags (Open Graph, Twitter card) and canonical and
hreflang links, every URL in them absolute from SITE_URL; the pages people share most show a
picture of their own, which answers as a PNG. A page that overrides the `meta` block without
calling `share_meta` fails here, as does a new kind of page without its tags."""

from html.parser import HTMLParser
from io import BytesIO
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.urls import resolve
from django.utils import translation
from PIL import Image

from tadamun.core.tests.pages import LANGUAGES, crawl

REQUIRED = ("og:title", "og:description", "og:url", "og:image", "og:type", "twitter:card")
REQUIRED += ("description",)
ABSOLUTE = ("og:url", "og:image", "twitter:image")
# Pages whose picture is their own card: what people share, and what the issue asked for.
OWN_CARD = {
    "petitions:detail",
    "events:event",
    "letters:detail",
    "front:campaign",
    "rebuttals:detail",
}


class Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical: list[str] = []
        self.hreflang: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (key := attrs.get("property") or attrs.get("name")):
            self.meta[key] = attrs.get("content", "")
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "link" and attrs.get("rel") == "alternate" and attrs.get("hreflang"):
            self.hreflang[attrs["hreflang"]] = attrs["href"]


def head_of(response) -> Head:
    head = Head()
    head.feed(response.content.decode())
    return head


@pytest.fixture(scope="module")
def pages(module_demo, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        return {language: crawl(Client(), language) for language in ("en", "ar")}


def html_pages(responses):
    for path, response in responses.items():
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            yield path, response


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_page_has_absolute_preview_canonical_and_hreflang(db, pages, language):
    missing, seen = [], 0
    for path, response in html_pages(pages[language]):
        seen += 1
        head = head_of(response)
        lacking = [key for key in REQUIRED if not head.meta.get(key)]
        relative = [key for key in ABSOLUTE if not head.meta.get(key, "").startswith("http")]
        relative += [lang for lang, href in head.hreflang.items() if not href.startswith("http")]
        canonical = settings.SITE_URL + path.split("?")[0]
        if head.canonical != [canonical] or head.meta.get("og:url") != canonical:
            lacking.append(f"canonical {head.canonical} / og:url, not {canonical}")
        if set(head.hreflang) != {*LANGUAGES, "x-default"}:
            lacking.append(f"hreflang {sorted(head.hreflang)}")
        if lacking or relative:
            missing.append(f"{path}: lacks {lacking}, relative {relative}")
    assert not missing, "\n".join(missing)
    assert seen > 30


@pytest.mark.parametrize("language", ["en", "ar"])
def test_shared_pages_show_their_own_card_and_it_is_a_png(client, db, pages, language):
    kinds = set()
    for path, response in html_pages(pages[language]):
        with translation.override(language):  # the prefix resolves in its own language
            view = resolve(unquote(path.split("?")[0])).view_name
        if view not in OWN_CARD:
            continue
        kinds.add(view)
        image = head_of(response).meta["og:image"]
        assert image == settings.SITE_URL + path.split("?")[0] + "card.png", path
        card = client.get(image.removeprefix(settings.SITE_URL))
        assert card.status_code == 200 and card["Content-Type"] == "image/png", path
        assert Image.open(BytesIO(card.content)).size == (1200, 630)
    assert kinds == OWN_CARD  # the crawl reached one of each


def test_the_site_card_stands_for_pages_without_their_own(client, db, pages):
    home = head_of(pages["en"]["/en/"])
    assert home.meta["og:image"] == settings.SITE_URL + "/en/card.png"
    card = client.get("/en/card.png")
    assert card.status_code == 200 and card["Content-Type"] == "image/png"


def test_preview_tags_and_share_links_kept_per_process_depend_on_all_they_show(db, rf, settings):
    """`share_meta` and `share_links` are written once per process for the same inputs: a
    title marked safe and the same characters unmarked, another language or another site
    address each write their own (the memo never hands one reader another's words)."""
    from django.template import Context, Template
    from django.utils import translation
    from django.utils.safestring import mark_safe

    from tadamun.core.templatetags import tadamun

    tadamun._share_meta.cache_clear()
    tadamun._share_box.cache_clear()
    meta = Template("{% load tadamun %}{% share_meta title=title description=about %}")
    links = Template("{% load tadamun %}{% share_links '/en/petitions/x/' title %}")

    def draw(template, title, about=None):
        context = {"request": rf.get("/en/petitions/x/"), "title": title, "about": about}
        return template.render(Context(context))

    plain, safe = draw(meta, "<b>Open</b>"), draw(meta, mark_safe("<b>Open</b>"))
    assert "&lt;b&gt;Open&lt;/b&gt;" in plain and 'content="<b>Open</b>"' in safe
    assert draw(meta, "<b>Open</b>") == plain  # kept: the same inputs, the same tags
    assert tadamun._share_meta.cache_info().hits == 1
    assert 'content="None"' not in draw(meta, "T", None)  # no description: the site's
    english = draw(links, "Open")
    with translation.override("fr"):
        french = draw(links, "Open")
    assert "Copy the link" in english and "Copy the link" not in french
    settings.SITE_URL = "https://other.example"
    assert "https://other.example/en/petitions/x/" in draw(links, "Open")
    assert "https://other.example/en/petitions/x/" in draw(meta, "Open")
