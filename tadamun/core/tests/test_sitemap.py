"""sitemap.xml and robots.txt: every public page in every language, absolute from SITE_URL.

That drafts and unapproved content stay out of the sitemap is tested with every other public
reader in test_moderation.py.
"""

import xml.etree.ElementTree as ET

from django.conf import settings

from tadamun.core.tests.pages import LANGUAGES

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def test_sitemap_lists_each_public_page_in_every_language_with_its_alternates(client, demo):
    response = client.get("/sitemap.xml", headers={"host": "localhost"})
    assert response.status_code == 200
    urls = ET.fromstring(response.content).findall("s:url", NS)
    locations = [url.find("s:loc", NS).text for url in urls]
    assert all(location.startswith(settings.SITE_URL + "/") for location in locations)
    for language in LANGUAGES:
        assert f"{settings.SITE_URL}/{language}/petitions/open-the-borders/" in locations
        assert f"{settings.SITE_URL}/{language}/rebuttals/" in locations
    petition = urls[locations.index(f"{settings.SITE_URL}/ar/petitions/open-the-borders/")]
    alternates = {link.get("hreflang"): link.get("href") for link in petition.findall("x:link", NS)}
    assert alternates["en"] == f"{settings.SITE_URL}/en/petitions/open-the-borders/"
    assert set(alternates) == {*LANGUAGES, "x-default"}
    for location in locations[:: max(1, len(locations) // 40)]:  # a sample answers 200
        assert client.get(location.removeprefix(settings.SITE_URL)).status_code == 200, location


def test_robots_txt_names_the_sitemap(client, db):
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in client.get("/robots.txt").text
