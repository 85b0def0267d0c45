"""A static mirror of the public site: plain files any static host can serve, for when the
site itself is blocked or down (`manage.py export_static DIR`).

Pages are rendered by the site itself (Django's test client, no network), in every language,
by following the links of the public pages from each language's home. Forms cannot work on a
static host: each is replaced by a link to the same page on the live site. Static files are
copied beside the pages. Every internal link of the export points at a file of the export.
"""

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

# The parts of the site the mirror holds (under each language prefix).
PUBLIC_SECTIONS = (
    "campaigns/",
    "publications/",
    "petitions/",
    "days/",
    "events/",
    "letters/",
    "watch/",
    "aid/",
    "rebuttals/",
    "endorsements/",
    "organisations/",
    "coalition/",
)
# Pages that act (forms' targets, links from emails) rather than show: not mirrored.
NOT_MIRRORED = re.compile(
    r"/(confirm|manage|my-data|unsubscribe|sign|rsvp|compose|send|endorse|propose|proposed"
    r"|thanks|confirmed|organiser|embed|check-your-email|sent)(/|$)"
)
HREF = re.compile(r'(?:href|src)="(/[^"#?]*)(?:[#?][^"]*)?"')
LINK_ATTRIBUTE = re.compile(r'(href|src)="(/[^"#?]*)([#?][^"]*)?"')
FORM = re.compile(r"<form\b.*?</form>", re.S)
MAX_PAGES = 5000


def mirrored(path: str) -> bool:
    parts = path.strip("/").split("/", 1)
    if parts[0] not in dict(settings.LANGUAGES):
        return False
    rest = (parts[1] + "/") if len(parts) > 1 and parts[1] else ""
    return not rest or rest.startswith(PUBLIC_SECTIONS)


def file_for(root: Path, path: str) -> Path:
    """Where the page at `path` is written: `path/index.html`, or the file itself when the
    path names one (a feed, an image)."""
    target = root / path.lstrip("/")
    return target if Path(path).suffix else target / "index.html"


def live_link(html: str, path: str) -> str:
    """Forms replaced by a link to the same page on the live site, in the page's language."""
    with translation.override(path.strip("/").split("/", 1)[0]):
        words = escape(_("This form works on the live site: open this page there."))
    link = f'<p class="note"><a href="{settings.SITE_URL}{path}">{words}</a></p>'
    return FORM.sub(link, html)


def export(root: Path, progress: Callable[[int, int], None] | None = None) -> int:
    """Write the mirror into `root`; returns how many pages were written."""
    client = Client(HTTP_HOST=urlsplit(settings.SITE_URL).hostname or "localhost")
    queue = [f"/{code}/" for code, _name in settings.LANGUAGES]
    seen = set(queue)
    written = 0
    pages = set()
    while queue and written < MAX_PAGES:
        path = queue.pop(0)
        response = client.get(path, secure=True)  # as the site is read: over https
        if response.status_code != 200:
            continue
        body = response.content
        if response["Content-Type"].startswith("text/html"):
            html = live_link(body.decode(), path)
            for link in HREF.findall(html):
                link = urldefrag(link)[0]
                if link.startswith(settings.STATIC_URL):
                    continue
                if link not in seen and mirrored(link) and not NOT_MIRRORED.search(link):
                    seen.add(link)
                    queue.append(link)
            body = html.encode()
        target = file_for(root, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        pages.add(path)
        written += 1
        if progress:
            progress(written, written + len(queue))
    _link_the_rest_to_the_live_site(root, pages)
    _copy_static(root)
    return written


def _link_the_rest_to_the_live_site(root: Path, pages: set[str]) -> None:
    """Links to pages the mirror does not hold (forms' pages, the admin) go to the live site."""

    def point(match):
        attribute, path, rest = match[1], match[2], match[3]
        if path.startswith(settings.STATIC_URL) or path in pages:
            return match[0]
        return f'{attribute}="{settings.SITE_URL}{path}{rest or ""}"'

    for page in root.rglob("*.html"):
        html = page.read_text()
        page.write_text(LINK_ATTRIBUTE.sub(point, html))


def _copy_static(root: Path) -> None:
    """The stylesheets, scripts and images the pages name, under the same /static/ paths."""
    for page in root.rglob("*.html"):
        for link in HREF.findall(page.read_text()):
            if not link.startswith(settings.STATIC_URL):
                continue
            name = link.removeprefix(settings.STATIC_URL)
            target = root / link.lstrip("/")
            if target.exists():
                continue
            source = finders.find(name) or _hashed_original(name)
            if source:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)


def _hashed_original(name: str) -> str | None:
    """The source of a name with a content hash (site.1a2b3c.css), as collectstatic made it."""
    original = re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", name)
    return finders.find(original)
