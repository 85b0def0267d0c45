from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tadamun.core.identity import site_identity
from tadamun.rebuttals.queries import library


class RebuttalsFeed(Feed):
    """Claims and their answers as an Atom feed, in the reader's language where translated."""

    feed_type = Atom1Feed
    subtitle = _("Claims that circulate about the campaign's cause, and what the sources say.")

    def title(self):
        return _("%(name)s: claims and rebuttals") % {"name": site_identity().name}

    def link(self):
        return reverse("rebuttals:index")

    def feed_url(self):
        return reverse("rebuttals:feed")

    def items(self):
        return library()[:50]

    def item_title(self, claim):
        text = claim.localized(get_language())
        return f"{claim.get_verdict_display()}: {text.title}"

    def item_description(self, claim):
        text = claim.localized(get_language())
        return text.body_html or text.summary

    def item_pubdate(self, claim):
        return claim.published_at

    def item_updateddate(self, claim):
        return claim.updated_at

    def item_author_name(self, claim):
        return site_identity().name
