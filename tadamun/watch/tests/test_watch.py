import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.test import Client

from tadamun.staff import roles
from tadamun.watch.models import Source, WatchItem, WatchItemTranslation


@pytest.fixture
def make_item(db):
    def make(title, country="DE", status="enacted", on=date(2026, 10, 1), published=True):
        item = WatchItem.objects.create(
            title=title,
            slug=re.sub(r"\W+", "-", title.lower()).strip("-"),
            summary=f"About {title}.",
            actor="Ministry of the Interior",
            country=country,
            happened_on=on,
            status=status,
            published=published,
        )
        Source.objects.create(
            item=item,
            title="Report",
            url="https://news.example.org/report",
            archive_url="https://web.archive.org/web/2026/https://news.example.org/report",
        )
        return item

    return make


def titles(response):
    return re.findall(r'<h2[^>]*><a href="[^"]+">([^<]+)</a></h2>', response.content.decode())


def test_the_timeline_is_latest_first_and_filters_by_country_and_status(client, make_item):
    make_item("Return deal", country="DK", status="enacted", on=date(2026, 10, 1))
    make_item("Embassy reopens", country="IT", status="proposed", on=date(2026, 11, 1))
    make_item("Court stops deportation", country="DE", status="reversed", on=date(2026, 9, 1))
    make_item("Unpublished draft", published=False)
    assert titles(client.get("/en/watch/")) == [
        "Embassy reopens",
        "Return deal",
        "Court stops deportation",
    ]
    assert titles(client.get("/en/watch/", {"country": "DK"})) == ["Return deal"]
    assert titles(client.get("/en/watch/", {"status": "reversed"})) == ["Court stops deportation"]
    bad = client.get("/en/watch/", {"status": "<b>", "country": "XX"})
    assert bad.status_code == 200 and b'id="id_status_error"' in bad.content
    assert client.get("/en/watch/unpublished-draft/").status_code == 404


def test_an_item_shows_its_sources_with_archived_copies_in_the_readers_language(client, make_item):
    item = make_item("Return deal")
    WatchItemTranslation.objects.create(item=item, language="ar", title="اتفاق الإعادة")
    page = client.get("/ar/watch/return-deal/").content.decode()
    assert "اتفاق الإعادة" in page
    assert 'href="https://web.archive.org/web/2026/https://news.example.org/report"' in page
    assert 'rel="noopener noreferrer"' in page


def test_the_atom_feed_lists_published_items_in_the_readers_language(client, make_item):
    item = make_item("Return deal")
    make_item("Unpublished draft", published=False)
    WatchItemTranslation.objects.create(item=item, language="fr", title="Accord de retour")
    feed = client.get("/fr/watch/feed.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.fromstring(feed.content).findall("a:entry", ns)
    assert [e.find("a:title", ns).text for e in entries] == ["Accord de retour"]
    assert b'type="application/atom+xml"' in client.get("/fr/watch/").content


def test_source_links_must_be_web_addresses(make_staff):
    admin = Client()
    admin.force_login(make_staff(roles.COALITION_ADMIN))
    form = {
        "title": "Return deal",
        "slug": "return-deal",
        "actor": "Ministry",
        "country": "DK",
        "happened_on": "2026-10-01",
        "status": "enacted",
        "published": "on",
        "language": "en",
        "summary": "",
        "body": "",
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-0-title": "Report",
        "sources-0-url": "javascript:alert(1)",
        "sources-0-archive_url": "",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
    }
    refused = admin.post("/en/admin/watch/watchitem/add/", form)
    assert refused.status_code == 200 and not WatchItem.objects.exists()
    admin.post("/en/admin/watch/watchitem/add/", {**form, "sources-0-url": "https://r.example"})
    assert WatchItem.objects.get().sources.get().url == "https://r.example"


def test_translators_translate_items_and_cannot_change_or_publish_them(make_staff, make_item):
    item = make_item("Return deal", published=False)
    translator = Client()
    translator.force_login(make_staff(roles.TRANSLATOR))
    change = f"/en/admin/watch/watchitem/{item.pk}/change/"
    assert translator.get(change).status_code == 200  # reads the source
    assert translator.post(change, {"title": "Changed", "published": "on"}).status_code == 403
    added = translator.post(
        "/en/admin/watch/watchitemtranslation/add/",
        {"item": item.pk, "language": "ar", "title": "اتفاق الإعادة", "summary": "", "body": ""},
    )
    assert added.status_code == 302
    assert WatchItemTranslation.objects.get(item=item).title == "اتفاق الإعادة"
    item.refresh_from_db()
    assert (item.title, item.published) == ("Return deal", False)
    assert translator.get("/en/admin/watch/source/").status_code in (403, 404)
