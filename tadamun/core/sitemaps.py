"""sitemap.xml: every public page in every language, with its hreflang alternates.

Each kind lists only what its model's public queryset lets readers see (the moderation rule,
docs/security.md), and every address is absolute from SITE_URL, never from the Host header.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from tadamun.aid.models import AidOrganisation
from tadamun.coalition.models import Campaign
from tadamun.coalition.queries import public_organisations
from tadamun.events.models import DayOfAction, Event
from tadamun.letters.models import LetterCampaign
from tadamun.petitions.models import Petition
from tadamun.publications.models import Publication
from tadamun.rebuttals.models import Claim
from tadamun.watch.models import WatchItem


class _SiteSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class _PublicObjects(_SiteSitemap):
    def __init__(self, queryset):
        self.queryset = queryset

    def items(self):
        return self.queryset().order_by("pk")


class _Indexes(_SiteSitemap):
    """The pages that list a kind, and the pages that ask for nothing but a visit."""

    NAMES = [
        "home",
        "front:campaigns",
        "petitions:list",
        "letters:list",
        "events:days",
        "events:find",
        "aid:index",
        "rebuttals:index",
        "watch:index",
        "publications:index",
        "supporters:my_data_request",
    ]

    def items(self):
        return self.NAMES

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": _Indexes(),
    "campaigns": _PublicObjects(Campaign.objects.public),
    "organisations": _PublicObjects(public_organisations),
    "petitions": _PublicObjects(Petition.objects.public),
    "letters": _PublicObjects(LetterCampaign.objects.public),
    "days": _PublicObjects(DayOfAction.objects.public),
    "events": _PublicObjects(Event.objects.visible),
    "aid": _PublicObjects(AidOrganisation.objects.public),
    "rebuttals": _PublicObjects(Claim.objects.published),
    "publications": _PublicObjects(Publication.objects.published),
    "watch": _PublicObjects(WatchItem.objects.published),
}
