"""The public pages, for tests that visit all of them (crawl, third-party hosts, languages,
security headers, hostile forms)."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

LANGUAGES = ["en", "ar", "fr", "de", "es", "tr"]


def public_paths(language: str, campaign_slug: str, publication_slugs: list[str]) -> list[str]:
    base = f"/{language}"
    paths = [
        f"{base}/",
        f"{base}/campaigns/",
        f"{base}/campaigns/{campaign_slug}/",
        f"{base}/campaigns/{campaign_slug}/endorse/",
        f"{base}/campaigns/{campaign_slug}/endorse/thanks/",
        f"{base}/campaigns/{campaign_slug}/endorsements/",
        f"{base}/campaigns/{campaign_slug}/endorsements/?q=a&country=FR",
        f"{base}/publications/",
        f"{base}/petitions/",
        f"{base}/petitions/open-the-borders/",
        f"{base}/petitions/open-the-borders/thanks/",
        f"{base}/petitions/open-the-borders/embed/",
        f"{base}/my-data/",
        f"{base}/days/",
        f"{base}/days/global-day-of-solidarity/",
        f"{base}/days/global-day-of-solidarity/?q=lyon&kind=rally",
        f"{base}/days/global-day-of-solidarity/propose/",
        f"{base}/events/",
        f"{base}/events/?city=كولونيا&kind=vigil&date=2030-01-01",
        f"{base}/events/manage/not-a-token/",
        f"{base}/aid/",
        f"{base}/aid/?sector=winter&country=SY",
        f"{base}/aid/field-clinics/",
        f"{base}/aid/warm-winter/",
        f"{base}/watch/",
        f"{base}/watch/?country=DE&status=reversed",
        f"{base}/watch/return-agreement/",
        f"{base}/endorsements/confirm/not-a-token/",
    ]
    paths += [f"{base}/publications/{slug}/" for slug in publication_slugs]
    paths += [f"{base}/publications/{slug}/?original" for slug in publication_slugs]
    return paths


class ResourceCollector(HTMLParser):
    """Every URL an HTML page makes a browser fetch (or submit to)."""

    FETCHING = {
        "script": ["src"],
        "link": ["href"],
        "img": ["src", "srcset"],
        "iframe": ["src"],
        "frame": ["src"],
        "source": ["src", "srcset"],
        "video": ["src", "poster"],
        "audio": ["src"],
        "embed": ["src"],
        "object": ["data"],
        "form": ["action"],
        "input": ["src"],
        "image": ["href", "xlink:href"],  # inside inline SVG: the events map
        "use": ["href", "xlink:href"],
    }

    def __init__(self):
        super().__init__()
        self.urls = []
        self.inline_scripts = 0
        self.inline_styles = 0
        self.html_attrs = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_attrs = attrs
        if tag == "link" and attrs.get("rel") in ("alternate", "canonical"):
            return  # a link to another page, not a resource the browser loads
        for name in self.FETCHING.get(tag, []):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "script" and not attrs.get("src"):
            self.inline_scripts += 1
        if tag == "style" or "style" in attrs or any(n.startswith("on") for n in attrs):
            self.inline_styles += 1


def collect(html: str) -> ResourceCollector:
    collector = ResourceCollector()
    collector.feed(html)
    return collector


class LinkCollector(HTMLParser):
    """The targets of a page's links (<a href>)."""

    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def crawl(client, language: str, **request) -> dict:
    """Every page reached by following links from /<language>/ without leaving that language
    (nor entering the admin): {path: response}. Redirects are recorded, not followed.
    `request` goes to every client.get (secure=True, headers)."""
    responses, queue = {}, [f"/{language}/"]
    while queue:
        path = queue.pop()
        if path in responses:
            continue
        response = responses[path] = client.get(path, **request)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        collect(html)  # parses cleanly
        links = LinkCollector()
        links.feed(html)
        for href in links.links:
            url = urlsplit(urljoin(path, href))
            if url.netloc or url.scheme not in ("", "http", "https") or "/admin/" in url.path:
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if url.path.startswith(f"/{language}/") and target not in responses:
                queue.append(target)
    return responses
