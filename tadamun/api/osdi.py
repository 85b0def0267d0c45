"""OSDI v1 (the Open Supporter Data Interface that Action Network speaks) for partners, under
/api/osdi/v1/, in HAL+JSON.

A partner authenticates with its token in the `OSDI-API-Token` header and sees only the
supporters who agreed to share their data with it. Writes go through the helpers and follow
the web forms' rules: a person signed up by a partner is shared with that partner only (never
subscribed to the coalition's updates), and a signature recorded by a partner counts once
its signer confirms it from the email we send, exactly as one made on the site.
"""

import math
import re
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import urlencode
from django_countries import countries
from django_ratelimit.core import is_ratelimited
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import APIKeyHeader
from pydantic import ConfigDict

from tadamun.api.models import token_for
from tadamun.api.schemas import Error
from tadamun.core.audit import record_export, record_partner_write
from tadamun.core.text import validate_single_line
from tadamun.events import rsvps
from tadamun.events.models import Event, Rsvp
from tadamun.letters import services as letters
from tadamun.letters.models import Letter, LetterCampaign
from tadamun.petitions import services as petitions
from tadamun.petitions.models import Petition, Signature
from tadamun.supporters import services as supporters
from tadamun.supporters.models import Consent, Supporter, Tag

MAX_PER_PAGE = 25
# What a helper is sent must hold only what the standard's fields name: an unknown field is a
# 422, not silently dropped.
STRICT = ConfigDict(extra="forbid")
# `modified_date gt '2026-11-01'`, or with a time: '2026-11-01T12:00:00Z'.
FILTER = re.compile(
    r"^modified_date (gt|ge|lt|le) "
    r"'(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?)?)'$"
)
LOOKUPS = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}


class PartnerToken(APIKeyHeader):
    param_name = "OSDI-API-Token"

    def authenticate(self, request, key):
        token = token_for(key or "")
        if token is None:
            return None
        if is_ratelimited(
            request,
            group="osdi",
            key=lambda _group, _request: token.key_hash,
            rate=settings.OSDI_RATE,
            increment=True,
        ):
            raise HttpError(429, "Too many requests for this token; slow down.")
        type(token).objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token


router = Router(tags=["osdi"], auth=PartnerToken())
# HAL+JSON documents on success; an error with a `detail` otherwise.
HAL = {200: dict, **dict.fromkeys((400, 401, 404, 409, 413, 422, 429), Error)}


def base() -> str:
    return settings.SITE_URL + reverse("api:osdi_entry")


def link(path: str = "") -> dict:
    return {"href": base() + path}


@router.get("/", response=HAL, url_name="osdi_entry")
def entry_point(request):
    return {
        "motd": "Tadamun: international solidarity with the civilians of Idlib.",
        "vendor_name": "Tadamun",
        "product_name": "Tadamun",
        "osdi_version": "1.1",
        "max_pagesize": MAX_PER_PAGE,
        "_links": {
            "self": link(),
            "osdi:people": link("people"),
            "osdi:petitions": link("petitions"),
            "osdi:person_signup_helper": link("people/person_signup"),
            "osdi:tags": link("tags"),
            "osdi:events": link("events"),
            "osdi:advocacy_campaigns": link("advocacy_campaigns"),
        },
    }


# Paging as the standard defines it


class Paging(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(MAX_PER_PAGE, ge=1, le=MAX_PER_PAGE)


class FilteredPaging(Paging):
    """Paging of a collection whose items carry a modified_date."""

    filter: str | None = Field(None, max_length=100, pattern=FILTER.pattern)


def modified_since(queryset, expression: str | None, field: str):
    """`modified_date gt '2026-11-01'` (gt, ge, lt, le; a date or an ISO date and time)."""
    if not expression:
        return queryset
    match = FILTER.match(expression)
    try:
        when = match and (parse_datetime(match[2]) or parse_date(match[2]))
    except ValueError:  # well formed, but no such day or hour ('2026-02-31')
        when = None
    if not when:
        raise HttpError(400, "Filter as: modified_date gt '2026-11-01T00:00:00Z'.")
    if not isinstance(when, datetime):
        when = datetime.combine(when, datetime.min.time())
    if timezone.is_naive(when):
        when = when.replace(tzinfo=UTC)
    return queryset.filter(**{f"{field}__{LOOKUPS[match[1]]}": when})


def no_filter(request) -> None:
    """Collections whose items carry no modified_date refuse a filter rather than ignore it
    (it is not among their documented parameters)."""
    if "filter" in request.GET:
        raise HttpError(400, "This collection takes no filter.")


def exported(request, what: str) -> None:
    """Note in the audit trail what the partner's token read."""
    record_export(request.auth, what, by="partner API token")


def one_or_404(queryset, **lookup):
    """The one row of `queryset` matching `lookup`, else a JSON 404."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise HttpError(404, "Not found.")
    return found


def page_of(queryset, paging: Paging, name: str, path: str, out) -> dict:
    total = queryset.count()
    pages = max(1, math.ceil(total / paging.per_page))
    if paging.page > pages:
        raise HttpError(404, f"There are {pages} pages.")
    start = (paging.page - 1) * paging.per_page
    items = [out(item) for item in queryset[start : start + paging.per_page]]

    def page_link(page):
        query = {"page": page, "per_page": paging.per_page}
        if getattr(paging, "filter", None):
            query["filter"] = paging.filter  # the next page of the same selection
        return link(f"{path}?{urlencode(query)}")

    links = {
        "self": page_link(paging.page),
        f"osdi:{name}": [item["_links"]["self"] for item in items],
    }
    if paging.page < pages:
        links["next"] = page_link(paging.page + 1)
    if paging.page > 1:
        links["previous"] = page_link(paging.page - 1)
    return {
        "total_pages": pages,
        "per_page": paging.per_page,
        "page": paging.page,
        "total_records": total,
        "_links": links,
        "_embedded": {f"osdi:{name}": items},
    }


# People


def shared_with(token):
    """The supporters who agreed to share their data with the token's organisation."""
    consents = Consent.objects.active().filter(
        supporter=OuterRef("pk"),
        purpose=Consent.Purpose.PARTNER,
        organisation=token.organisation_id,
    )
    return Supporter.objects.filter(Exists(consents)).order_by("pk")


def person_out(supporter: Supporter) -> dict:
    given, _space, family = supporter.name.partition(" ")
    return {
        "identifiers": [f"tadamun:{supporter.pk}"],
        "created_date": supporter.created_at.isoformat(),
        "modified_date": supporter.updated_at.isoformat(),
        "given_name": given,
        "family_name": family,
        "email_addresses": [{"address": supporter.email, "primary": True}],
        "postal_addresses": (
            [{"country": supporter.country.code, "primary": True}] if supporter.country else []
        ),
        "languages_spoken": [supporter.language],
        "_links": {"self": link(f"people/{supporter.pk}")},
    }


@router.get("/people", response=HAL)
def people(request, paging: Query[FilteredPaging]):
    found = modified_since(shared_with(request.auth), paging.filter, "updated_at")
    exported(request, "OSDI people")
    return page_of(found, paging, "people", "people", person_out)


@router.get("/people/{int:person_id}", response=HAL)
def person(request, person_id: int):
    found = one_or_404(shared_with(request.auth), pk=person_id)
    exported(request, f"OSDI person {person_id}")
    return person_out(found)


class EmailAddress(Schema):
    model_config = STRICT

    address: str = Field(..., max_length=254)


class PostalAddress(Schema):
    model_config = STRICT

    country: str | None = Field(None, max_length=2)


class PersonIn(Schema):
    model_config = STRICT

    given_name: str = Field("", max_length=60)
    family_name: str = Field("", max_length=60)
    email_addresses: list[EmailAddress] = Field(..., min_length=1, max_length=5)
    postal_addresses: list[PostalAddress] = Field(default_factory=list, max_length=5)
    languages_spoken: list[str] = Field(default_factory=list, max_length=10)


class Signup(Schema):
    model_config = STRICT

    person: PersonIn


def checked(person: PersonIn) -> dict:
    """The person's email, name, country and language, or a 422 saying what is wrong."""
    email = person.email_addresses[0].address.strip()
    name = " ".join(part for part in (person.given_name, person.family_name) if part).strip()
    country = next((a.country.upper() for a in person.postal_addresses if a.country), "")
    language = next(
        (code for code in person.languages_spoken if code in dict(settings.LANGUAGES)),
        settings.LANGUAGE_CODE,
    )
    try:
        validate_email(email)
        validate_single_line(name)
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from None
    if country and country not in countries:
        raise HttpError(422, f"Unknown country code {country!r}.")
    return {"email": email, "name": name, "country": country, "language": language}


@router.post("/people/person_signup", response=HAL)
def person_signup_helper(request, payload: Signup):
    """Add or update a person the partner signed up; they are shared with that partner."""
    person = checked(payload.person)
    supporter = supporters.find_or_create_supporter(
        person["email"],
        name=person["name"],
        country=person["country"],
        language=person["language"],
        source=request.auth.organisation.partner_code or "",
    )
    supporters.give_consent(
        supporter,
        Consent.Purpose.PARTNER,
        organisation=request.auth.organisation,
        source=f"osdi:{request.auth.pk}",
    )
    record_partner_write(request.auth, f"OSDI person_signup: supporter {supporter.pk}")
    return person_out(supporter)


# Petitions and signatures


def petition_out(petition: Petition) -> dict:
    return {
        "identifiers": [f"tadamun:{petition.slug}"],
        "title": petition.title,
        "description": petition.body_html,
        "petition_text": petition.summary,
        "target": [{"name": petition.target}],
        "total_signatures": petition.confirmed_count,
        "created_date": petition.created_at.isoformat(),
        "modified_date": petition.updated_at.isoformat(),
        "browser_url": settings.SITE_URL + petition.get_absolute_url(),
        "_links": {
            "self": link(f"petitions/{petition.slug}"),
            "osdi:signatures": link(f"petitions/{petition.slug}/signatures"),
            "osdi:record_signature_helper": link(f"petitions/{petition.slug}/signatures"),
        },
    }


@router.get("/petitions", response=HAL)
def petition_list(request, paging: Query[FilteredPaging]):
    found = modified_since(Petition.objects.public().order_by("pk"), paging.filter, "updated_at")
    return page_of(found, paging, "petitions", "petitions", petition_out)


@router.get("/petitions/{slug:slug}", response=HAL)
def petition(request, slug: str):
    return petition_out(one_or_404(Petition.objects.public(), slug=slug))


def signature_out(signature: Signature) -> dict:
    return {
        "identifiers": [f"tadamun:signature:{signature.pk}"],
        "created_date": signature.created_at.isoformat(),
        "modified_date": (signature.confirmed_at or signature.created_at).isoformat(),
        "status": signature.status,
        "_links": {
            "self": link(f"petitions/{signature.petition.slug}/signatures/{signature.pk}"),
            "osdi:person": link(f"people/{signature.supporter_id}"),
            "osdi:petition": link(f"petitions/{signature.petition.slug}"),
        },
    }


def shared_signatures(token, slug: str):
    """Confirmed signatures of the people who share their data with the partner."""
    petition = one_or_404(Petition.objects.public(), slug=slug)
    return (
        Signature.objects.confirmed()
        .filter(petition=petition, supporter__in=shared_with(token))
        .select_related("petition")
        .order_by("pk")
    )


@router.get("/petitions/{slug:slug}/signatures", response=HAL)
def signatures(request, slug: str, paging: Query[FilteredPaging]):
    found = modified_since(shared_signatures(request.auth, slug), paging.filter, "confirmed_at")
    exported(request, f"OSDI signatures of {slug}")
    return page_of(found, paging, "signatures", f"petitions/{slug}/signatures", signature_out)


@router.get("/petitions/{slug:slug}/signatures/{int:signature_id}", response=HAL)
def signature(request, slug: str, signature_id: int):
    found = one_or_404(shared_signatures(request.auth, slug), pk=signature_id)
    exported(request, f"OSDI signature {signature_id}")
    return signature_out(found)


class SignatureIn(Schema):
    model_config = STRICT

    person: PersonIn
    comments: str = Field("", max_length=1000)


@router.post("/petitions/{slug:slug}/signatures", response=HAL)
def record_signature_helper(request, slug: str, payload: SignatureIn):
    """Record a signature the partner collected. As on the site, it counts once the signer
    confirms it from the email we send them; recording it again changes nothing."""
    petition = one_or_404(Petition.objects.public(), slug=slug)
    if not petition.is_open():
        raise HttpError(409, "This petition is closed.")
    person = checked(payload.person)
    if not person["country"]:
        raise HttpError(422, "A signature needs the signer's country (postal_addresses).")
    signature = petitions.sign(
        petition,
        petitions.SignatureRequest(
            name=person["name"] or person["email"].split("@")[0],
            email=person["email"],
            country=person["country"],
            comment=payload.comments,
            shares_with_partner=True,
            source=request.auth.organisation.partner_code or "",
            language=person["language"],
        ),
    )
    record_partner_write(request.auth, f"OSDI record_signature: signature {signature.pk}")
    return signature_out(signature)


# Tags and taggings


def tag_out(tag: Tag) -> dict:
    return {
        "identifiers": [f"tadamun:tag:{tag.pk}"],
        "name": tag.name,
        "_links": {
            "self": link(f"tags/{tag.pk}"),
            "osdi:taggings": link(f"tags/{tag.pk}/taggings"),
        },
    }


@router.get("/tags", response=HAL)
def tags(request, paging: Query[Paging]):
    no_filter(request)
    return page_of(Tag.objects.order_by("pk"), paging, "tags", "tags", tag_out)


@router.get("/tags/{int:tag_id}", response=HAL)
def tag(request, tag_id: int):
    return tag_out(one_or_404(Tag.objects.all(), pk=tag_id))


def tagging_out(tag_id: int, supporter: Supporter) -> dict:
    return {
        "_links": {
            "self": link(f"tags/{tag_id}/taggings/{supporter.pk}"),
            "osdi:tag": link(f"tags/{tag_id}"),
            "osdi:person": link(f"people/{supporter.pk}"),
        }
    }


def tagged(token, tag_id: int):
    """The people sharing with the partner who carry this tag (a tagging is named by the
    person's id: a person carries a tag once)."""
    tag = one_or_404(Tag.objects.all(), pk=tag_id)
    return shared_with(token).filter(tags=tag)


@router.get("/tags/{int:tag_id}/taggings", response=HAL)
def taggings(request, tag_id: int, paging: Query[Paging]):
    no_filter(request)
    found = tagged(request.auth, tag_id)
    exported(request, f"OSDI taggings of tag {tag_id}")
    return page_of(
        found, paging, "taggings", f"tags/{tag_id}/taggings", lambda p: tagging_out(tag_id, p)
    )


@router.get("/tags/{int:tag_id}/taggings/{int:person_id}", response=HAL)
def tagging(request, tag_id: int, person_id: int):
    found = one_or_404(tagged(request.auth, tag_id), pk=person_id)
    exported(request, f"OSDI tagging of tag {tag_id}, person {person_id}")
    return tagging_out(tag_id, found)


# Events and attendances


def event_out(event: Event) -> dict:
    return {
        "identifiers": [f"tadamun:event:{event.pk}"],
        "title": event.title,
        "description": event.description_html,
        "start_date": event.starts_at.isoformat(),
        "end_date": event.ends_at.isoformat(),
        "modified_date": event.updated_at.isoformat(),
        "status": "cancelled" if event.status == Event.Status.CANCELLED else "confirmed",
        "location": {
            "venue": event.venue_name,
            "address_lines": [event.address] if event.address_public and event.address else [],
            "locality": event.city,
            "country": event.country.code,
        },
        "browser_url": settings.SITE_URL + event.get_absolute_url(),
        "_links": {
            "self": link(f"events/{event.pk}"),
            "osdi:attendances": link(f"events/{event.pk}/attendances"),
            "osdi:record_attendance_helper": link(f"events/{event.pk}/attendances"),
        },
    }


@router.get("/events", response=HAL)
def events(request, paging: Query[FilteredPaging]):
    found = modified_since(Event.objects.visible().order_by("pk"), paging.filter, "updated_at")
    return page_of(found, paging, "events", "events", event_out)


@router.get("/events/{int:event_id}", response=HAL)
def event(request, event_id: int):
    return event_out(one_or_404(Event.objects.visible(), pk=event_id))


def attendance_out(rsvp: Rsvp) -> dict:
    return {
        "identifiers": [f"tadamun:attendance:{rsvp.pk}"],
        "status": "accepted" if rsvp.status == Rsvp.Status.GOING else rsvp.status,
        "_links": {
            "self": link(f"events/{rsvp.event_id}/attendances/{rsvp.pk}"),
            "osdi:event": link(f"events/{rsvp.event_id}"),
            "osdi:person": link(f"people/{rsvp.supporter_id}"),
        },
    }


def shared_attendances(token, event_id: int):
    """Confirmed answers (coming or waiting) of the people who share with the partner."""
    event = one_or_404(Event.objects.visible(), pk=event_id)
    return event.rsvps.filter(
        status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITING],
        supporter__in=shared_with(token),
    ).order_by("pk")


@router.get("/events/{int:event_id}/attendances", response=HAL)
def attendances(request, event_id: int, paging: Query[FilteredPaging]):
    found = modified_since(
        shared_attendances(request.auth, event_id), paging.filter, "confirmed_at"
    )
    exported(request, f"OSDI attendances of event {event_id}")
    return page_of(found, paging, "attendances", f"events/{event_id}/attendances", attendance_out)


@router.get("/events/{int:event_id}/attendances/{int:attendance_id}", response=HAL)
def attendance(request, event_id: int, attendance_id: int):
    found = one_or_404(shared_attendances(request.auth, event_id), pk=attendance_id)
    exported(request, f"OSDI attendance {attendance_id}")
    return attendance_out(found)


class AttendanceIn(Schema):
    model_config = STRICT

    person: PersonIn


@router.post("/events/{int:event_id}/attendances", response=HAL)
def record_attendance_helper(request, event_id: int, payload: AttendanceIn):
    """Record someone the partner says is coming. As on the site, the place is taken once
    they confirm it from the email we send them; recording it again changes nothing."""
    event = one_or_404(Event.objects.visible(), pk=event_id)
    if not event.takes_rsvps():
        raise HttpError(409, "This event takes no more answers.")
    person = checked(payload.person)
    rsvp = rsvps.answer(
        event,
        rsvps.RsvpRequest(
            name=person["name"] or person["email"].split("@")[0],
            email=person["email"],
            language=person["language"],
        ),
    )
    record_partner_write(request.auth, f"OSDI record_attendance: answer {rsvp.pk}")
    return attendance_out(rsvp)


# Advocacy campaigns (letter campaigns) and outreaches (letters)


def advocacy_campaign_out(campaign: LetterCampaign) -> dict:
    return {
        "identifiers": [f"tadamun:{campaign.slug}"],
        "title": campaign.title,
        "description": campaign.body_html,
        "type": "email",
        "total_outreaches": letters.letter_count(campaign),
        "created_date": campaign.created_at.isoformat(),
        "modified_date": campaign.updated_at.isoformat(),
        "browser_url": settings.SITE_URL + campaign.get_absolute_url(),
        "_links": {
            "self": link(f"advocacy_campaigns/{campaign.slug}"),
            "osdi:outreaches": link(f"advocacy_campaigns/{campaign.slug}/outreaches"),
        },
    }


@router.get("/advocacy_campaigns", response=HAL)
def advocacy_campaigns(request, paging: Query[FilteredPaging]):
    found = modified_since(
        LetterCampaign.objects.public().order_by("pk"), paging.filter, "updated_at"
    )
    return page_of(found, paging, "advocacy_campaigns", "advocacy_campaigns", advocacy_campaign_out)


@router.get("/advocacy_campaigns/{slug:slug}", response=HAL)
def advocacy_campaign(request, slug: str):
    return advocacy_campaign_out(one_or_404(LetterCampaign.objects.public(), slug=slug))


def outreach_out(letter: Letter) -> dict:
    slug = letter.campaign.slug
    return {
        "identifiers": [f"tadamun:letter:{letter.pk}"],
        "type": "email",
        "subject": letter.subject,
        "targets": [
            {"given_name": d.target.name, "title": d.target.role} for d in letter.deliveries.all()
        ],
        "created_date": letter.created_at.isoformat(),
        "_links": {
            "self": link(f"advocacy_campaigns/{slug}/outreaches/{letter.pk}"),
            "osdi:advocacy_campaign": link(f"advocacy_campaigns/{slug}"),
            "osdi:person": link(f"people/{letter.supporter_id}"),
        },
    }


def shared_outreaches(token, slug: str):
    """Confirmed letters of the people who share their data with the partner."""
    campaign = one_or_404(LetterCampaign.objects.public(), slug=slug)
    return (
        campaign.letters.filter(status=Letter.Status.CONFIRMED, supporter__in=shared_with(token))
        .select_related("campaign")
        .prefetch_related("deliveries__target")
        .order_by("pk")
    )


@router.get("/advocacy_campaigns/{slug:slug}/outreaches", response=HAL)
def outreaches(request, slug: str, paging: Query[FilteredPaging]):
    found = modified_since(shared_outreaches(request.auth, slug), paging.filter, "confirmed_at")
    exported(request, f"OSDI outreaches of {slug}")
    path = f"advocacy_campaigns/{slug}/outreaches"
    return page_of(found, paging, "outreaches", path, outreach_out)


@router.get("/advocacy_campaigns/{slug:slug}/outreaches/{int:outreach_id}", response=HAL)
def outreach(request, slug: str, outreach_id: int):
    found = one_or_404(shared_outreaches(request.auth, slug), pk=outreach_id)
    exported(request, f"OSDI outreach {outreach_id}")
    return outreach_out(found)
