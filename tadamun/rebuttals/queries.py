from tadamun.rebuttals.models import Claim
from tadamun.rebuttals.search import query_words, words


def library():
    """Published claims, latest first, with their translation into the reader's language."""
    return Claim.objects.published().for_reader().prefetch_related("tags")


def search(claims, query: str) -> list[Claim]:
    """The claims matching every word of `query`; those matching in their title first."""
    keys = query_words(query)
    for key in keys:
        claims = claims.filter(search_text__contains=f" {key}")
    found = list(claims[:200])
    title_words = {claim.pk: " " + " ".join(_title_words(claim)) for claim in found}
    return sorted(
        found,
        key=lambda claim: -sum(f" {key}" in title_words[claim.pk] for key in keys),
    )


def _title_words(claim) -> list[str]:
    return words(" ".join([claim.title, *(t.title for t in claim.translations.all())]))


def for_campaign(campaign):
    """The published claims a campaign's page lists."""
    return library().filter(campaigns=campaign)
