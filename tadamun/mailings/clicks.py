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
from django.core import signing
from django.db.models import F, Sum
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import escape

from tadamun.mailings.models import CountedLink

SALT = "tadamun.mailings.link"
WEB_LINK = re.compile(r'href="(https?://[^"\s<>]+)"')


def counted(mailing, language: str, html: str, text: str) -> tuple[str, str]:
    """The copy's HTML and text with each web link of the HTML (as written in the text too)
    going through its counting address."""
    for written in dict.fromkeys(WEB_LINK.findall(html)):
        url = written.replace("&amp;", "&")
        link, _created = CountedLink.objects.get_or_create(
            mailing=mailing, language=language, url=url
        )
        address = settings.SITE_URL + reverse(
            "mailing_link", args=[signing.Signer(salt=SALT).sign(str(link.pk))]
        )
        html = html.replace(f'href="{written}"', f'href="{escape(address)}"')
        text = text.replace(url, address)
    return html, text


def follow(request, token: str):
    """Add one to the link's count and go there. A token not made here finds nothing."""
    try:
        pk = int(signing.Signer(salt=SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        raise Http404 from None
    link = CountedLink.objects.filter(pk=pk).first()
    if link is None:
        raise Http404
    CountedLink.objects.filter(pk=pk).update(clicks=F("clicks") + 1)
    return HttpResponseRedirect(link.url)


def totals(mailing) -> list[dict]:
    """Each counted link of the mailing with the times it was followed, all languages."""
    return list(
        CountedLink.objects.filter(mailing=mailing)
        .values("url")
        .annotate(clicks=Sum("clicks"))
        .order_by("-clicks", "url")
    )
