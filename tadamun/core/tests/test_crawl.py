"""A crawl from the home page in every language: every internal link answers without error."""

from urllib.parse import urljoin, urlsplit

import pytest

from tadamun.core.tests.pages import LANGUAGES, collect


class LinkCollector:
    def __init__(self, html):
        from html.parser import HTMLParser

        self.links = []
        parser = HTMLParser()
        parser.handle_starttag = self._start
        parser.feed(html)

    def _start(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_internal_link_answers(client, demo, language):
    seen, queue = set(), [f"/{language}/"]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code in (200, 301, 302), f"{path} → {response.status_code}"
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        collect(html)  # parses cleanly
        for href in LinkCollector(html).links:
            url = urlsplit(urljoin(path, href))
            if url.netloc or url.scheme not in ("", "http") or "/admin/" in url.path:
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if url.path.startswith(f"/{language}/") and target not in seen:
                queue.append(target)
    assert len(seen) > 10
