"""Public reading functions other apps call (the home and campaign pages)."""

from django.db.models import Prefetch
from django.utils.translation import get_language

from tadamun.publications.models import Publication, PublicationTranslation


def readable(language: str | None = None):
    """Published publications with only the translation a reader of `language` needs."""
    language = language or get_language()
    return Publication.objects.published().prefetch_related(
        Prefetch("translations", PublicationTranslation.objects.filter(language=language))
    )


def published_for_campaign(campaign):
    return readable().filter(campaign=campaign)


def statement_for(campaign) -> Publication | None:
    """The campaign's statement: its earliest published publication of kind statement."""
    return (
        published_for_campaign(campaign)
        .filter(kind=Publication.Kind.STATEMENT)
        .order_by("published_at", "pk")
        .first()
    )
