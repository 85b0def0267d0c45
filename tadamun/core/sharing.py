"""Link previews and share links, with nothing loaded from another host.

A page with something of its own to show in a preview calls `{% share_meta %}` in its `meta`
block with its title, description and card; base.html calls it for the others, which show
the site's card. Every URL in the tags is absolute, built from SITE_URL. Share links are plain
`<a>`s to each service's share address: nothing of theirs loads until someone clicks.
"""

from urllib.parse import quote, urlencode

from django.conf import settings

DEFAULT_IMAGE = "card.png"  # the site's card, under the language's prefix (coalition.urls)


def absolute(path: str) -> str:
    """`path` on this site as an absolute URL, from SITE_URL (never from the Host header)."""
    return settings.SITE_URL + "/" + path.lstrip("/\\")


# Services that take a link by URL. Signal has no share address (signal.me only opens chats
# with a known contact or group), so a Signal user copies the link from the field instead.
SERVICES = (
    ("WhatsApp", "https://wa.me/?{}", lambda url, text: {"text": f"{text} {url}"}),
    ("Telegram", "https://t.me/share/url?{}", lambda url, text: {"url": url, "text": text}),
    ("X", "https://x.com/intent/post?{}", lambda url, text: {"text": text, "url": url}),
    ("Bluesky", "https://bsky.app/intent/compose?{}", lambda url, text: {"text": f"{text} {url}"}),
    ("Facebook", "https://www.facebook.com/sharer/sharer.php?{}", lambda url, text: {"u": url}),
)


def share_links(url: str, text: str) -> list[tuple[str, str]]:
    """(service, href) for each way of sharing `url` with `text`; email first."""
    links = [("email", "mailto:?" + urlencode({"subject": text, "body": url}, quote_via=quote))]
    for name, address, query in SERVICES:
        links.append((name, address.format(urlencode(query(url, text), quote_via=quote))))
    return links
