from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tadamun.core.identity import site_identity
from tadamun.watch.queries import timeline


class WatchFeed(Feed):
    """The watch list as an Atom feed, each entry in the reader's language where translated."""

    feed_type = Atom1Feed
    subtitle = _("Moves by governments and institutions that the campaign tracks.")

    def title(self):
        return _("%(name)s: watch list") % {"name": site_identity().name}

    def link(self):
        return reverse("watch:index")

    def feed_url(self):
        return reverse("watch:feed")

    def items(self):
        return timeline()[:50]

    def item_title(self, item):
        return item.localized(get_language()).title

    def item_description(self, item):
        text = item.localized(get_language())
        return text.body_html or text.summary

    def item_pubdate(self, item):
        return item.updated_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return site_identity().name
