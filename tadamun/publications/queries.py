"""Public reading functions other apps call (the home and campaign pages)."""

from django.db.models import Case, When

from tadamun.coalition.models import part_of
from tadamun.publications.models import Publication


def readable(language: str | None = None):
    """Published publications with only the translation a reader of `language` needs."""
    return Publication.objects.published().for_reader(language)


def published_for_campaign(campaign):
    """The campaign's publications, its statements first, then the newest."""
    statements_first = Case(When(kind=Publication.Kind.STATEMENT, then=0), default=1)
    return (
        readable()
        .filter(part_of(Publication, campaign))
        .order_by(statements_first, "-published_at")
    )


def statement_for(campaign) -> Publication | None:
    """The campaign's statement: its own earliest published publication of kind statement
    (one shared with it by another campaign is listed, but does not speak for it)."""
    return (
        readable()
        .filter(campaign=campaign, kind=Publication.Kind.STATEMENT)
        .order_by("published_at", "pk")
        .first()
    )
