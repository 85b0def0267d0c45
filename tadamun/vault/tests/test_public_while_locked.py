"""While the vault is locked (and after its keys are destroyed), the public site serves:
every page a visitor reaches by links, every address in the sitemap, the feeds and the public
API. They read no personal data; a new page that does fails here."""

import xml.etree.ElementTree as ET

import pytest
from django.conf import settings

from tadamun import vault
from tadamun.core.tests.pages import crawl
from tadamun.supporters.models import Supporter

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SERVED = {200, 301, 302, 304}
PUBLIC_API = [
    "/api/openapi.json",
    "/api/campaigns",
    "/api/publications",
    "/api/events",
    "/api/aid",
    "/api/watch",
    "/api/rebuttals",
    "/api/petitions/open-the-borders",
]
FEEDS = ["/en/publications/feed.atom", "/ar/rebuttals/feed.atom", "/fr/watch/feed.atom"]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_page_reached_by_links_serves_while_locked(client, demo, locked, language):
    assert vault.state() == "locked"
    with pytest.raises(vault.Locked):  # the demo's supporters are there, unreadable
        list(Supporter.objects.all()[:1])
    responses = crawl(client, language)
    assert len(responses) > 20
    broken = {path: r.status_code for path, r in responses.items() if r.status_code not in SERVED}
    assert broken == {}


def test_the_sitemap_its_pages_the_feeds_and_the_public_api_serve_while_locked(
    client,
    demo,
    locked,
):
    sitemap = client.get("/sitemap.xml", headers={"host": "localhost"})
    assert sitemap.status_code == 200
    locations = [
        url.find("s:loc", NS).text.removeprefix(settings.SITE_URL)
        for url in ET.fromstring(sitemap.content).findall("s:url", NS)
    ]
    paths = [p for p in locations if p.startswith(("/en/", "/ar/", "/de/"))] + FEEDS + PUBLIC_API
    broken = {path: client.get(path).status_code for path in paths}
    assert {path: code for path, code in broken.items() if code not in SERVED} == {}
