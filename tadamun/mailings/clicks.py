"""Counting the links followed in a mailing, when `settings.MAILING_COUNT_CLICKS` is on (off
by default): when sending starts, each web link of each language's copy becomes a link to this
site that adds one to that link's count and redirects to it. The count is per link and
language (`CountedLink`), the same address for every reader: it says how many times a link was
followed, never by whom. No image is ever added to count openings.

Mail programs and security scanners that open links ahead of the reader add to the counts:
they are an upper bound.
"""

import re

from django.conf import settings
from django.db.models import F, Sum
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from tadamun.core.confirmation import ConfirmLink, InvalidLink, link_view
from tadamun.core.privacy import keyed_hash
from tadamun.mailings.models import CountedLink

WEB_LINK = re.compile(r'href="(https?://[^"\s<>]+)"')

COUNTED_LINK = ConfirmLink(
    salt="tadamun.mailings.link",
    url_name="mailings:link",
    objects=lambda: CountedLink.objects.all(),
    fingerprint=lambda link: keyed_hash("mailing-link", link.url)[:16],
    max_age=None,
    invalid=InvalidLink(
        _("This link from one of our emails was copied incompletely. Open it from the email."),
        "home",
        _("Home"),
    ),
)


def counted(mailing, language: str, html: str, text: str) -> tuple[str, str]:
    """The copy's HTML and text with each web link of the HTML (as written in the text too)
    going through its counting address."""
    for written in dict.fromkeys(WEB_LINK.findall(html)):
        url = written.replace("&amp;", "&")
        link, _created = CountedLink.objects.get_or_create(
            mailing=mailing, language=language, url=url
        )
        with translation.override(language):
            address = settings.SITE_URL + COUNTED_LINK.path(link)
        html = html.replace(f'href="{written}"', f'href="{escape(address)}"')
        text = text.replace(url, address)
    return html, text


@link_view(COUNTED_LINK)
def follow(request, link, token):
    """Add one to the link's count and go there."""
    CountedLink.objects.filter(pk=link.pk).update(clicks=F("clicks") + 1)
    return HttpResponseRedirect(link.url)


def totals(mailing) -> list[dict]:
    """Each counted link of the mailing with the times it was followed, all languages."""
    return list(
        CountedLink.objects.filter(mailing=mailing)
        .values("url")
        .annotate(clicks=Sum("clicks"))
        .order_by("-clicks", "url")
    )
