"""Reads for petition pages. Each costs the same with ten signatures or a million: they read
the counters and a few indexed rows, never count signatures."""

from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Window
from django.utils import timezone
from django_countries.fields import Country

from tadamun.coalition.models import Organisation, part_of
from tadamun.core.models import first_for_reader, related_reader
from tadamun.core.prepared import PreparedRead
from tadamun.petitions.models import CountryCount, DailyCount, Petition, Signature
from tadamun.questions.queries import read_asked

TOP_COUNTRIES = 10
TIMELINE_DAYS = 30
RECENT_SIGNERS = 10


def public_petitions():
    """Public petitions with their campaign; pages add `.for_reader()`, the API every
    translation."""
    return Petition.objects.public().select_related("campaign", "organisation").with_goal()


# The petition page's reads, their SQL built once per process (core/prepared.py): from
# scratch, building the queries cost the page more than running them.
_public_by_slug = PreparedRead(lambda slug: public_petitions().filter(slug=slug), str)


_campaign_text = related_reader("campaign")  # its title is in the page's header


def public_petition(slug: str, language: str, *, questions: bool = True) -> Petition | None:
    """The public petition at `slug`, read for a reader of `language` (with its campaign,
    goal, translation and, for its sign form, custom questions), or None."""
    wanted = [read_asked] if questions else []
    return first_for_reader(_public_by_slug(slug), language, _campaign_text, *wanted)


def _to_sign_key(language: str, slug: str) -> str:
    return f"petition-to-sign:{language}:{slug}"


def petition_to_sign(slug: str, language: str) -> Petition | None:
    """The public petition a signature is for, read as its page reads it, from the cache
    when it was looked up in the last few seconds: under a rush of signers the form then
    reads nothing from the database, and the page shown again with a sign error reads the
    petition once at most."""
    if not settings.PETITION_PAGE_CACHE_SECONDS:  # the page cache off: nothing to keep
        return public_petition(slug, language)
    key = _to_sign_key(language, slug)
    petition = cache.get(key)
    if petition is None:
        petition = public_petition(slug, language) or False
        cache.set(key, petition, settings.PETITION_PAGE_CACHE_SECONDS)
    return petition or None


def known_partner_code(code: str) -> str:
    """`code` if an organisation uses it as its partner code, else "" (cached briefly)."""
    if not code:
        return ""
    codes = cache.get("partner-codes")
    if codes is None:
        codes = set(
            Organisation.objects.exclude(partner_code=None).values_list("partner_code", flat=True)
        )
        cache.set("partner-codes", codes, 60)
    return code if code in codes else ""


def page_cache_key(language: str, slug: str, source: str) -> str:
    """Where the petition page is kept rendered, per language and partner link."""
    return f"petition-page:{language}:{slug}:{source}"


def forget_rendered_pages(slugs) -> None:
    """Drop every kept rendering of these petitions' pages (every language, every partner's
    link): a signer who erased their data must not stay among the recent signers of a copy
    kept for a few seconds."""
    sources = [
        "",
        *Organisation.objects.exclude(partner_code=None).values_list("partner_code", flat=True),
    ]
    cache.delete_many(
        [
            page_cache_key(language, slug, source)
            for slug in slugs
            for language, _name in settings.LANGUAGES
            for source in sources
        ]
    )


def forget_petition(petition_id: int) -> None:
    """Drop what is kept of a petition whose sign form changed (its questions did)."""
    slug = Petition.objects.filter(pk=petition_id).values_list("slug", flat=True).first()
    if slug:
        cache.delete_many([_to_sign_key(language, slug) for language, _ in settings.LANGUAGES])
        forget_rendered_pages([slug])


def open_for_campaign(campaign):
    return (
        public_petitions()
        .for_reader()
        .filter(part_of(Petition, campaign), status=Petition.Status.OPEN)
    )


def public_by(organisation):
    """The organisation's petitions the public may see (open ones first), for its page."""
    return (
        public_petitions()
        .for_reader()
        .filter(organisation=organisation)
        .order_by("-status", "-created_at")
    )


def by_country(petition: Petition, limit: int | None = TOP_COUNTRIES):
    rows = CountryCount.objects.filter(petition=petition, count__gt=0).order_by("-count", "country")
    return [(row.country, row.count) for row in (rows[:limit] if limit else rows)]


_top_countries = PreparedRead(
    lambda petition: (
        CountryCount.objects.filter(petition_id=petition, count__gt=0)
        .annotate(countries=Window(Count("pk")))
        .order_by("-count", "country")
        .values_list("country", "count", "countries")[:TOP_COUNTRIES]
    ),
    int,
)


def top_countries(petition: Petition) -> tuple[list, int]:
    """The TOP_COUNTRIES countries with most signatures, and how many countries have any:
    one query (the number rides on each row as a window over all of them), read as values
    (no model built per row)."""
    rows = _top_countries(petition.pk)
    return [(Country(code), count) for code, count, _n in rows], (rows[0][2] if rows else 0)


def daily(petition: Petition, days: int | None = TIMELINE_DAYS) -> dict:
    rows = DailyCount.objects.filter(petition=petition)
    if days:
        rows = rows.filter(day__gt=timezone.now().date() - timedelta(days=days))
    return dict(rows.order_by("day").values_list("day", "count"))


_last_days = PreparedRead(
    lambda petition: (
        DailyCount.objects.filter(petition_id=petition)
        .order_by("-day")
        .values_list("day", "count")[:TIMELINE_DAYS]
    ),
    int,
)


def timeline(petition: Petition) -> dict:
    """`daily(petition)` for the page: the last TIMELINE_DAYS days' counts (a day has one
    row at most, so those are among the last TIMELINE_DAYS rows)."""
    since = timezone.now().date() - timedelta(days=TIMELINE_DAYS)
    return {day: n for day, n in reversed(_last_days(petition.pk)) if day > since}


class PublicSigner(NamedTuple):
    """What the page shows of a recent signer who chose to be shown."""

    public_name: str
    country: Country


_recent_public_signers = PreparedRead(
    lambda petition: (
        Signature.objects.filter(petition_id=petition)
        .confirmed()
        .exclude(public_name="")
        .order_by("-confirmed_at")
        .values_list("public_name", "country")[:RECENT_SIGNERS]
    ),
    int,
)


def recent_public_signers(petition: Petition) -> list[PublicSigner]:
    """The last RECENT_SIGNERS confirmed signers who gave a public name, read as values (a
    model with deferred fields built per row cost more than the query)."""
    return [PublicSigner(name, Country(code)) for name, code in _recent_public_signers(petition.pk)]
