from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tadamun.core.identity import site_identity
from tadamun.publications.queries import readable


class PublicationsFeed(Feed):
    """An Atom feed per language: each entry in the reader's language where translated."""

    feed_type = Atom1Feed

    def title(self):
        return _("%(name)s: statements and publications") % {"name": site_identity().name}

    def subtitle(self):
        return _("Statements, articles and booklets of %(name)s.") % {"name": site_identity().name}

    def link(self):
        return reverse("publications:index")

    def feed_url(self):
        return reverse("publications:feed")

    def items(self):
        return readable().select_related("campaign")[:50]

    def item_title(self, item):
        return item.localized(get_language()).title

    def item_description(self, item):
        return item.localized(get_language()).body_html

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return site_identity().name
