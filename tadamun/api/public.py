"""The public read API: what the site shows, as JSON, for partners' tools and sites.

Only what is public on the site, and only public fields: no supporter, signer, writer or
organiser is ever named here. Lists are paged (`page`, `page_size`); a page past the end is a
404, as is an unknown slug.
"""

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from tadamun.aid.models import AidOrganisation
from tadamun.api import schemas
from tadamun.api.paging import Mapped, Pages
from tadamun.coalition.models import Campaign
from tadamun.events.models import DayOfAction, Event
from tadamun.events.queries import public_days
from tadamun.letters import services as letters
from tadamun.letters.models import LetterCampaign
from tadamun.petitions import queries as petitions
from tadamun.petitions.models import Petition
from tadamun.publications.models import Publication
from tadamun.rebuttals.models import Claim
from tadamun.rebuttals.queries import search as search_claims
from tadamun.rebuttals.search import MAX_QUERY_LENGTH
from tadamun.watch.models import WatchItem
from tadamun.watch.queries import answering_campaign

router = Router(tags=["public"])


def answers(ok) -> dict:
    """The answers an operation documents: its result, or an error with a `detail`."""
    return {200: ok, 404: schemas.Error, 422: schemas.Error}


def _text(text, outdated=False) -> dict:
    return {
        "title": text.title,
        "summary": text.summary,
        "body_html": text.body_html,
        "outdated": outdated,
    }


def translated(obj) -> dict:
    """An object's text in its source language and in every translation."""
    return {
        "language": obj.language,
        "text": _text(obj),
        "translations": {
            translation.language: _text(translation, translation.is_outdated)
            for translation in obj.translations.all()
        },
    }


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def with_translations(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related("translations")


SLUG = r"^[-a-zA-Z0-9_]{1,80}$"


class CountryFilter(Schema):
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$", description="ISO 3166 code")


# Campaigns and publications


def campaign_out(campaign: Campaign) -> dict:
    return {
        "slug": campaign.slug,
        "status": campaign.status,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "url": absolute(campaign.get_absolute_url()),
        "content": translated(campaign),
    }


@router.get("/campaigns", response=answers(list[schemas.Campaign]))
@paginate(Pages)
def campaigns(request):
    return Mapped(with_translations(Campaign.objects.public()), campaign_out)


@router.get("/campaigns/{slug:slug}", response=answers(schemas.Campaign))
def campaign(request, slug: str):
    return campaign_out(get_object_or_404(with_translations(Campaign.objects.public()), slug=slug))


def publication_out(publication: Publication) -> dict:
    return {
        "slug": publication.slug,
        "kind": publication.kind,
        "campaign": publication.campaign.slug,
        "published_at": publication.published_at,
        "url": absolute(publication.get_absolute_url()),
        "content": translated(publication),
    }


def public_publications():
    return with_translations(Publication.objects.published().select_related("campaign"))


@router.get("/publications", response=answers(list[schemas.Publication]))
@paginate(Pages)
def publications(request, kind: str | None = Query(None, pattern=SLUG)):
    found = public_publications()
    if kind:
        found = found.filter(kind=kind)
    return Mapped(found, publication_out)


@router.get("/publications/{slug:slug}", response=answers(schemas.Publication))
def publication(request, slug: str):
    return publication_out(get_object_or_404(public_publications(), slug=slug))


# Petitions


def petition_out(petition: Petition) -> dict:
    return {
        "slug": petition.slug,
        "campaign": petition.campaign.slug,
        "status": petition.status,
        "opens_at": petition.opens_at,
        "closes_at": petition.closes_at,
        "confirmed": petition.confirmed_count,
        "goal": petition.goal,
        "url": absolute(petition.get_absolute_url()),
        "content": translated(petition),
    }


@router.get("/petitions", response=answers(list[schemas.Petition]))
@paginate(Pages)
def petition_list(request):
    return Mapped(with_translations(petitions.public_petitions()), petition_out)


@router.get("/petitions/{slug:slug}", response=answers(schemas.PetitionDetail))
def petition_detail(request, slug: str):
    petition = get_object_or_404(with_translations(petitions.public_petitions()), slug=slug)
    by_country = [
        {"country": country.code, "count": count}
        for country, count in petitions.by_country(petition, limit=None)
    ]
    return {**petition_out(petition), "by_country": by_country}


# Days of action and events


def day_out(day: DayOfAction) -> dict:
    return {
        "slug": day.slug,
        "campaign": day.campaign.slug,
        "starts_on": day.starts_on,
        "ends_on": day.ends_on,
        "url": absolute(day.get_absolute_url()),
        "content": translated(day),
    }


@router.get("/days", response=answers(list[schemas.DayOfAction]))
@paginate(Pages)
def days(request):
    return Mapped(with_translations(public_days()), day_out)


@router.get("/days/{slug:slug}", response=answers(schemas.DayOfAction))
def day(request, slug: str):
    return day_out(get_object_or_404(with_translations(public_days()), slug=slug))


def event_out(event: Event) -> dict:
    return {
        "id": event.pk,
        "day": event.day.slug,
        "title": event.title,
        "kind": event.kind,
        "description_html": event.description_html,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "time_zone": event.time_zone,
        "venue_name": event.venue_name,
        "address": event.address if event.address_public else "",
        "city": event.city,
        "country": event.country.code,
        "online_url": event.online_url,
        "on_behalf_of": event.on_behalf_of,
        "cancelled": event.status == Event.Status.CANCELLED,
        "url": absolute(event.get_absolute_url()),
    }


class EventFilter(CountryFilter):
    day: str | None = Field(None, pattern=SLUG)


@router.get("/events", response=answers(list[schemas.Event]))
@paginate(Pages)
def events(request, filters: Query[EventFilter]):
    found = Event.objects.visible().select_related("day").order_by("starts_at", "pk")
    if filters.day:
        found = found.filter(day__slug=filters.day)
    if filters.country:
        found = found.filter(country=filters.country.upper())
    return Mapped(found, event_out)


@router.get("/events/{int:event_id}", response=answers(schemas.Event))
def event(request, event_id: int):
    return event_out(get_object_or_404(Event.objects.visible().select_related("day"), pk=event_id))


# Letters to decision makers


def letter_campaign_out(campaign: LetterCampaign) -> dict:
    return {
        "slug": campaign.slug,
        "campaign": campaign.campaign.slug,
        "status": campaign.status,
        "delivery": campaign.delivery,
        "writes_to": campaign.choice,
        "letters": letters.letter_count(campaign),
        "url": absolute(campaign.get_absolute_url()),
        "content": translated(campaign),
    }


def public_letter_campaigns():
    return with_translations(LetterCampaign.objects.public().select_related("campaign"))


@router.get("/letter-campaigns", response=answers(list[schemas.LetterCampaign]))
@paginate(Pages)
def letter_campaigns(request):
    return Mapped(public_letter_campaigns(), letter_campaign_out)


@router.get("/letter-campaigns/{slug:slug}", response=answers(schemas.LetterCampaignDetail))
def letter_campaign(request, slug: str):
    campaign = get_object_or_404(public_letter_campaigns(), slug=slug)
    by_official = [
        {
            "reference": target.reference,
            "name": target.name,
            "title": target.role,
            "institution": target.institution,
            "country": target.country.code,
            "letters": count,
        }
        for target, count in letters.counts_by_target(campaign)
    ]
    by_country = [
        {"country": country.code, "count": count}
        for country, count in letters.counts_by_country(campaign)
    ]
    return {**letter_campaign_out(campaign), "by_official": by_official, "by_country": by_country}


# The watch list, the aid directory and the rebuttals


def sources_out(obj) -> list[dict]:
    return [
        {
            "title": source.title,
            "url": source.url,
            "archive_url": source.archive_url,
            "published_on": source.published_on,
        }
        for source in obj.sources.all()
    ]


def watch_item_out(item: WatchItem) -> dict:
    answer = answering_campaign(item)
    return {
        "slug": item.slug,
        "actor": item.actor,
        "actor_translations": {
            translation.language: translation.actor
            for translation in item.translations.all()
            if translation.actor
        },
        "country": item.country.code,
        "happened_on": item.happened_on,
        "status": item.status,
        "letter_campaign": answer.slug if answer else None,
        "sources": sources_out(item),
        "url": absolute(item.get_absolute_url()),
        "content": translated(item),
    }


class WatchFilter(CountryFilter):
    status: str | None = Field(None, pattern=SLUG)


def public_watch_items():
    return with_translations(WatchItem.objects.published().prefetch_related("sources"))


@router.get("/watch", response=answers(list[schemas.WatchItem]))
@paginate(Pages)
def watch_items(request, filters: Query[WatchFilter]):
    found = public_watch_items()
    if filters.country:
        found = found.filter(country=filters.country.upper())
    if filters.status:
        found = found.filter(status=filters.status)
    return Mapped(found, watch_item_out)


@router.get("/watch/{slug:slug}", response=answers(schemas.WatchItem))
def watch_item(request, slug: str):
    return watch_item_out(get_object_or_404(public_watch_items(), slug=slug))


def aid_out(organisation: AidOrganisation) -> dict:
    return {
        "slug": organisation.slug,
        "sectors": organisation.sector_list,
        "countries_served": [country.code for country in organisation.countries_served],
        "areas_served": organisation.areas_served,
        "registration_country": organisation.registration_country.code or "",
        "registration_number": organisation.registration_number,
        "website": organisation.website,
        "donation_url": organisation.donation_url,
        "verified_on": organisation.verified_on,
        "needs_reverification": organisation.needs_reverification(),
        "url": absolute(organisation.get_absolute_url()),
        "content": translated(organisation),
    }


class AidFilter(CountryFilter):
    sector: str | None = Field(None, pattern=SLUG)


@router.get("/aid", response=answers(list[schemas.AidOrganisation]))
@paginate(Pages)
def aid_organisations(request, filters: Query[AidFilter]):
    found = with_translations(AidOrganisation.objects.public())
    if filters.sector:
        found = found.in_sector(filters.sector)
    if filters.country:
        found = found.filter(countries_served__contains=filters.country.upper())
    return Mapped(found, aid_out)


@router.get("/aid/{slug:slug}", response=answers(schemas.AidOrganisation))
def aid_organisation(request, slug: str):
    found = with_translations(AidOrganisation.objects.public())
    return aid_out(get_object_or_404(found, slug=slug))


def claim_out(claim: Claim) -> dict:
    url = claim.get_absolute_url()
    return {
        "slug": claim.slug,
        "verdict": claim.verdict,
        "tags": [tag.slug for tag in claim.tags.all()],
        "published_at": claim.published_at,
        "updated_at": claim.updated_at,
        "sources": sources_out(claim),
        "url": absolute(url),
        "card_url": absolute(f"{url}card.png"),
        "content": translated(claim),
    }


def public_claims():
    return with_translations(Claim.objects.published().prefetch_related("tags", "sources"))


class ClaimFilter(Schema):
    q: str | None = Field(None, max_length=MAX_QUERY_LENGTH)
    verdict: str | None = Field(None, pattern=SLUG)
    tag: str | None = Field(None, pattern=SLUG)


@router.get("/rebuttals", response=answers(list[schemas.Claim]))
@paginate(Pages)
def claims(request, filters: Query[ClaimFilter]):
    found = public_claims()
    if filters.verdict:
        found = found.filter(verdict=filters.verdict)
    if filters.tag:
        found = found.filter(tags__slug=filters.tag)
    found = search_claims(found, filters.q) if filters.q else found
    return Mapped(found, claim_out)


@router.get("/rebuttals/{slug:slug}", response=answers(schemas.Claim))
def claim(request, slug: str):
    return claim_out(get_object_or_404(public_claims(), slug=slug))
