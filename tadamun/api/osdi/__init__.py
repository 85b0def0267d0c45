"""OSDI v1 (the Open Supporter Data Interface that Action Network speaks) for partners, under
/api/osdi/v1/, in HAL+JSON.

A partner authenticates with its token in the `OSDI-API-Token` header. What it reads of
people and their actions is decided in one place, tadamun.supporters.partners: the people it
submitted, with only what it submitted, and the people who confirmed, themselves, that they
share with it, with their confirmed actions. Writes go through the helpers and follow the web
forms' rules: submitting a person grants nothing (they are asked, by email, whether to share
with the partner) and answers echo only what the partner sent; a signature or an answer
recorded by a partner counts once its person confirms it from the email we send, exactly as
one made on the site.
"""

import math
import re
from datetime import UTC, datetime
from typing import Annotated

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import urlencode
from django_countries import countries
from django_ratelimit.core import is_ratelimited
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import APIKeyHeader
from pydantic import StringConstraints, field_validator, model_validator

from tadamun.api import schemas
from tadamun.api.models import token_for
from tadamun.api.osdi import shifts as osdi_shifts
from tadamun.api.schemas import Error, Hal
from tadamun.core import limits
from tadamun.core.audit import record_export, record_partner_write
from tadamun.core.identity import site_identity
from tadamun.core.text import validate_single_line
from tadamun.events import rsvps
from tadamun.events.models import Event, Rsvp
from tadamun.letters import queries as letter_queries
from tadamun.letters import services as letters
from tadamun.letters.forms import LetterForm
from tadamun.letters.models import Letter, LetterCampaign
from tadamun.petitions import services as petitions
from tadamun.petitions.models import Petition, Signature
from tadamun.questions import queries as custom
from tadamun.questions import services as custom_services
from tadamun.questions.models import Answer
from tadamun.supporters import partners
from tadamun.supporters.models import PartnerPerson, Supporter, Tag

MAX_PER_PAGE = 25
# Fields a request names that these schemas do not are ignored, as Action Network ignores them
# (its clients send phone numbers, referrer data and the like): pydantic's default.
# `modified_date gt '2026-11-01'`, or with a time: '2026-11-01T12:00:00Z'.
FILTER = re.compile(
    r"^modified_date (gt|ge|lt|le) "
    r"'(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?)?)'$"
)
LOOKUPS = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}
# Action Network's way to find a person: `email_address eq 'someone@example.org'`.
EMAIL_FILTER = re.compile(r"^email_address eq '([^'\s]{3,254})'$")
# The email statuses of Action Network a partner's word may carry (others are ignored).
STATUSES = {"subscribed", partners.UNSUBSCRIBED}


class PartnerToken(APIKeyHeader):
    """A partner's token, or the coalition's own; `request.reader` is what it may read
    (supporters.partners.reader). The coalition's token only reads."""

    param_name = "OSDI-API-Token"

    def authenticate(self, request, key):
        token = token_for(key or "")
        if token is None:
            return None
        request.reader = partners.reader(token.organisation)
        if request.method != "GET" and not request.reader.writes:
            raise HttpError(403, "The coalition's token reads; it writes nothing.")
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
ERRORS = dict.fromkeys((400, 401, 403, 404, 409, 413, 422, 429), Error)


def hal(method: str, path: str, answer: type[Hal], **options):
    """A route answering the HAL+JSON document `answer` (its keys by their aliases: `_links`,
    `_embedded`, `osdi:...`; absent rather than null when empty), or an Error."""
    return router.api_operation(
        [method],
        path,
        response={200: answer, **ERRORS},
        by_alias=True,
        exclude_none=True,
        **options,
    )


PeoplePage = schemas.osdi_collection("people", schemas.OsdiPerson)
PetitionsPage = schemas.osdi_collection("petitions", schemas.OsdiPetition)
SignaturesPage = schemas.osdi_collection("signatures", schemas.OsdiSignature)
TagsPage = schemas.osdi_collection("tags", schemas.OsdiTag)
TaggingsPage = schemas.osdi_collection("taggings", schemas.OsdiTagging)
EventsPage = schemas.osdi_collection("events", schemas.OsdiEvent)
AttendancesPage = schemas.osdi_collection("attendances", schemas.OsdiAttendance)
CampaignsPage = schemas.osdi_collection("advocacy_campaigns", schemas.OsdiAdvocacyCampaign)
OutreachesPage = schemas.osdi_collection("outreaches", schemas.OsdiOutreach)


def base() -> str:
    return settings.SITE_URL + reverse("api:osdi_entry")


def link(path: str = "") -> dict:
    return {"href": base() + path}


@hal("GET", "/", schemas.EntryPoint, url_name="osdi_entry")
def entry_point(request):
    return {
        "motd": site_identity().api_message,
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


class PeoplePaging(Paging):
    """Paging of people: by modified_date, or Action Network's filter by email address."""

    filter: str | None = Field(
        None, max_length=300, pattern=f"{FILTER.pattern}|{EMAIL_FILTER.pattern}"
    )


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


def people_matching(reader, queryset, expression: str | None):
    """The people of `email_address eq '...'` (the one with that address, if the partner knows
    them), else those of a modified_date filter."""
    match = EMAIL_FILTER.match(expression or "")
    if not match:
        return modified_since(queryset, expression, "modified")
    try:
        validate_email(match[1])
    except ValidationError:
        raise HttpError(400, "Filter as: email_address eq 'someone@example.org'.") from None
    return reader.with_email(queryset, match[1])


def no_filter(request) -> None:
    """Collections whose items carry no modified_date refuse a filter rather than ignore it
    (it is not among their documented parameters)."""
    if "filter" in request.GET:
        raise HttpError(400, "This collection takes no filter.")


def exported(request, what: str) -> None:
    """Note in the audit trail what the token read."""
    record_export(request.auth, what, by=request.reader.label)


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


def person_out(person: PartnerPerson | Supporter, reader=None) -> dict:
    """The person as the token may see them (supporters.partners; a helper's echo is what
    the partner sent)."""
    shown = reader.shown(person) if reader else partners.shown_to_partner(person)
    status = "subscribed" if getattr(person, "shares", False) else shown.get("status")
    postal = {"postal_code": shown.get("postal_code"), "country": shown.get("country")}
    return {
        "identifiers": [f"tadamun:{person.pk}"],
        "created_date": person.created_at.isoformat(),
        # `modified` when read through people_of; a helper's echo is as of the submission.
        "modified_date": getattr(person, "modified", person.updated_at).isoformat(),
        "given_name": shown.get("given_name", ""),
        "family_name": shown.get("family_name", ""),
        "email_addresses": [{"address": shown.get("email", ""), "primary": True, "status": status}],
        "postal_addresses": [{**postal, "primary": True}] if any(postal.values()) else [],
        "languages_spoken": [shown["language"]] if shown.get("language") else [],
        "custom_fields": shown.get("custom_fields", {}),
        "tadamun:consents": shown.get("consents"),
        "_links": {"self": link(f"people/{person.pk}")},
    }


def person_link(partner_person_id: int) -> dict:
    return link(f"people/{partner_person_id}")


@hal("GET", "/people", PeoplePage)
def people(request, paging: Query[PeoplePaging]):
    known = request.reader.people()
    found = people_matching(request.reader, known, paging.filter)
    exported(request, "OSDI people")
    return page_of(found, paging, "people", "people", lambda p: person_out(p, request.reader))


@hal("GET", "/people/{int:person_id}", schemas.OsdiPerson)
def person(request, person_id: int):
    found = one_or_404(request.reader.people(), pk=person_id)
    exported(request, f"OSDI person {person_id}")
    return person_out(found, request.reader)


class EmailAddress(Schema):
    address: str = Field(..., max_length=254)
    # Action Network's list status; "subscribed" and "unsubscribed" are read, others ignored.
    status: str | None = Field(None, max_length=40)


class PostalAddress(Schema):
    country: str | None = Field(None, max_length=2)
    postal_code: str | None = Field(None, max_length=16)


Name = Annotated[str, StringConstraints(min_length=1, max_length=60)]
CustomFields = dict[Name, Annotated[str, StringConstraints(max_length=500)]]


class PersonChanges(Schema):
    """A person's fields as Action Network names them; each optional (PUT sends what changed)."""

    given_name: str | None = Field(None, max_length=60)
    family_name: str | None = Field(None, max_length=60)
    email_addresses: list[EmailAddress] | None = Field(None, min_length=1, max_length=5)
    postal_addresses: list[PostalAddress] = Field(default_factory=list, max_length=5)
    languages_spoken: list[Annotated[str, StringConstraints(max_length=8)]] = Field(
        default_factory=list, max_length=10
    )
    custom_fields: CustomFields = Field(default_factory=dict, max_length=20)

    @model_validator(mode="before")
    @classmethod
    def an_object(cls, data):
        """A JSON object, not a list or a number (whose missing fields would all be optional)."""
        sent = getattr(data, "_obj", data)  # ninja's wrapper of what was parsed
        if sent is None or isinstance(sent, list | str | int | float):
            raise ValueError("A person is a JSON object.")
        return data


class PersonIn(PersonChanges):
    email_addresses: list[EmailAddress] = Field(..., min_length=1, max_length=5)


def tag_names(names: list[str]) -> list[str]:
    """Tag names as kept: on one line, spaces collapsed (a ValueError otherwise)."""
    try:
        for name in names:
            validate_single_line(name)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    return [" ".join(name.split()) for name in names if name.split()]


class Tagging(Schema):
    """Action Network's tags sent with a person: the partner's own tags, by name (checked
    with the rest of the body, before anything is written)."""

    add_tags: list[Name] = Field(default_factory=list, max_length=20)
    remove_tags: list[Name] = Field(default_factory=list, max_length=20)

    _names = field_validator("add_tags", "remove_tags")(tag_names)


class Signup(Tagging):
    person: PersonIn


class Background(Schema):
    """Action Network's `background_request=true`: accepted; the work is done at once."""

    background_request: bool = False


def first_address(person: PersonChanges) -> dict:
    """The postal code and country of the first postal address that has either."""
    for address in person.postal_addresses:
        if address.country or address.postal_code:
            return {
                "country": (address.country or "").upper(),
                "postal_code": (address.postal_code or "").strip(),
            }
    return {}


def checked(person: PersonChanges) -> dict:
    """What the partner sent of the person (email and its status, given and family name,
    country, postal code, language, custom fields, when it sent them), or a 422 saying what
    is wrong."""
    email = person.email_addresses[0] if person.email_addresses else None
    sent = {
        "email": email.address.strip() if email else "",
        "status": email.status if email and email.status in STATUSES else "",
        "given_name": (person.given_name or "").strip(),
        "family_name": (person.family_name or "").strip(),
        **first_address(person),
        "language": next(
            (code for code in person.languages_spoken if code in dict(settings.LANGUAGES)), ""
        ),
        "custom_fields": person.custom_fields,
    }
    try:
        if email:
            validate_email(sent["email"])
        for text in (sent["given_name"], sent["family_name"], sent.get("postal_code", "")):
            validate_single_line(text)
        for name, value in person.custom_fields.items():
            validate_single_line(name)
            validate_single_line(value)
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from None
    if sent.get("country") and sent["country"] not in countries:
        raise HttpError(422, f"Unknown country code {sent['country']!r}.")
    return {field: value for field, value in sent.items() if value}


def tagged_as_sent(person: PartnerPerson, sent: Tagging) -> None:
    """Apply the add_tags and remove_tags a partner sent with a person."""
    partners.tag_person(person, add=sent.add_tags, remove=sent.remove_tags)


def full_name(sent: dict) -> str:
    """The name the partner sent, else the address's local part (a form needs a name)."""
    name = " ".join(sent.get(part, "") for part in ("given_name", "family_name")).strip()
    return name or sent["email"].split("@")[0]


def mail_limited(request, route: str, email: str) -> None:
    """A JSON 429 when the partner would make the site email `email` once too often: the site's
    one limit on mail to typed addresses (core.limits), the partner's token counted as its
    network. The API's one check before any mail it makes the site send."""
    if limits.mail_refused(request, route, email, sender=request.auth.key_hash):
        raise HttpError(429, "Too many emails to this address or from this token; try later.")


def submitted_person(request, route: str, sent: dict) -> PartnerPerson:
    """Keep what the partner sent of a person, within the mail limits: it grants nothing, the
    person is asked by email whether to share with the partner."""
    mail_limited(request, route, sent["email"])
    organisation = request.auth.organisation
    return partners.record_person(organisation, sent, source=organisation.partner_code or "")


def signed_up(request, payload: Signup) -> dict:
    """Keep a person the partner signed up, with its tags. The answer echoes what the partner
    sent; what the site knows of them is shared only once they confirm it from the email we
    send them."""
    known_as = submitted_person(request, "osdi-person", checked(payload.person))
    tagged_as_sent(known_as, payload)
    record_partner_write(request.auth, f"OSDI person_signup: person {known_as.pk}")
    return person_out(known_as)


@hal("POST", "/people", schemas.OsdiPerson)
def create_person(request, payload: Signup, options: Query[Background]):
    """Action Network's way to create a person, or find them by email address and update
    what the partner sent (the person signup helper's semantics)."""
    return signed_up(request, payload)


@hal("POST", "/people/person_signup", schemas.OsdiPerson)
def person_signup_helper(request, payload: Signup, options: Query[Background]):
    return signed_up(request, payload)


@hal("PUT", "/people/{int:person_id}", schemas.OsdiPerson)
def update_person(request, person_id: int, payload: PersonChanges):
    """Update what the partner sent about a person it knows (never the person's own record).
    The address names the person: another one is a new person, made with POST /people."""
    known = partners.people_of(request.auth.organisation)
    found = one_or_404(known, pk=person_id)
    sent = checked(payload)
    if "email" in sent and not Supporter.objects.with_email(sent["email"]).filter(
        pk=found.supporter_id
    ):
        raise HttpError(422, "An email address is not changed; POST /people for a new one.")
    partners.amend_person(found, sent)
    record_partner_write(request.auth, f"OSDI update: person {person_id}")
    return person_out(one_or_404(known, pk=person_id))


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


@hal("GET", "/petitions", PetitionsPage)
def petition_list(request, paging: Query[FilteredPaging]):
    found = modified_since(Petition.objects.public().order_by("pk"), paging.filter, "updated_at")
    return page_of(found, paging, "petitions", "petitions", petition_out)


@hal("GET", "/petitions/{slug:slug}", schemas.OsdiPetition)
def petition(request, slug: str):
    return petition_out(one_or_404(Petition.objects.public(), slug=slug))


def signature_out(signature: Signature) -> dict:
    return {
        "identifiers": [f"tadamun:signature:{signature.pk}"],
        "created_date": signature.created_at.isoformat(),
        "modified_date": (signature.confirmed_at or signature.created_at).isoformat(),
        "status": signature.status,
        "custom_fields": custom.custom_fields(signature),
        "_links": {
            "self": link(f"petitions/{signature.petition.slug}/signatures/{signature.pk}"),
            "osdi:person": person_link(signature.partner_person),
            "osdi:petition": link(f"petitions/{signature.petition.slug}"),
        },
    }


def shared_signatures(reader, slug: str):
    """Confirmed signatures of the people who share their data with the partner."""
    petition = one_or_404(Petition.objects.public(), slug=slug)
    signed = Signature.objects.confirmed().filter(petition=petition).select_related("petition")
    return reader.actions(signed).prefetch_related(answered()).order_by("pk")


@hal("GET", "/petitions/{slug:slug}/signatures", SignaturesPage)
def signatures(request, slug: str, paging: Query[FilteredPaging]):
    found = modified_since(shared_signatures(request.reader, slug), paging.filter, "confirmed_at")
    exported(request, f"OSDI signatures of {slug}")
    return page_of(found, paging, "signatures", f"petitions/{slug}/signatures", signature_out)


@hal("GET", "/petitions/{slug:slug}/signatures/{int:signature_id}", schemas.OsdiSignature)
def signature(request, slug: str, signature_id: int):
    found = one_or_404(shared_signatures(request.reader, slug), pk=signature_id)
    exported(request, f"OSDI signature {signature_id}")
    return signature_out(found)


class Answering(Schema):
    """Answers to the action's custom questions, named by each question's key, as OSDI names
    a person's: `custom_fields` on the signature or attendance (what its GET shows), or,
    as Action Network's forms send them, in the person's `custom_fields`."""

    custom_fields: CustomFields = Field(default_factory=dict, max_length=20)


def answers_sent(questions, payload, country: str = "") -> dict[str, str]:
    """The answers in what the partner sent, checked as the site's forms check them, or a
    422 naming each wrong one."""
    sent = {**payload.person.custom_fields, **payload.custom_fields}
    try:
        return custom_services.from_custom_fields(questions, sent, country)
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from None


def answered() -> Prefetch:
    return Prefetch("answers", Answer.objects.select_related("question"))


class SignatureIn(Signup, Answering):
    comments: str = Field("", max_length=1000)


def submission_out(known_as: PartnerPerson, what: dict, links: dict) -> dict:
    """The answer to a helper recording an action: what the partner sent, and nothing of
    what the site holds (not even whether the person had already acted)."""
    return {
        **what,
        "person": person_out(known_as),
        "_links": {"osdi:person": person_link(known_as.pk), **links},
    }


@hal("POST", "/petitions/{slug:slug}/signatures", schemas.OsdiSubmission)
def record_signature_helper(request, slug: str, payload: SignatureIn, options: Query[Background]):
    """Record a signature the partner collected. As on the site, it counts once the signer
    confirms it from the email we send them; recording it again changes nothing. The
    signature is attributed to the partner; sharing with it is the signer's own choice,
    asked separately."""
    petition = one_or_404(Petition.objects.public(), slug=slug)
    if not petition.is_open():
        raise HttpError(409, "This petition is closed.")
    sent = checked(payload.person)
    if not sent.get("country"):
        raise HttpError(422, "A signature needs the signer's country (postal_addresses).")
    answers = answers_sent(petition.questions.all(), payload, sent["country"])
    known_as = submitted_person(request, "osdi-signature", sent)
    tagged_as_sent(known_as, payload)
    organisation = request.auth.organisation
    petitions.sign(
        petition,
        petitions.SignatureRequest(
            name=full_name(sent),
            email=sent["email"],
            country=sent["country"],
            comment=payload.comments,
            source=organisation.partner_code or "",
            partner_id=organisation.pk,
            language=sent.get("language", settings.LANGUAGE_CODE),
            answers=answers,
        ),
    )
    record_partner_write(request.auth, f"OSDI record_signature: person {known_as.pk} on {slug}")
    return submission_out(
        known_as, {"comments": payload.comments}, {"osdi:petition": link(f"petitions/{slug}")}
    )


# Tags and taggings


def tag_out(tag: Tag) -> dict:
    return {
        "identifiers": [f"tadamun:tag:{tag.pk}"],
        "name": tag.name,
        "created_date": tag.created_at and tag.created_at.isoformat(),
        "modified_date": tag.created_at and tag.created_at.isoformat(),
        "_links": {
            "self": link(f"tags/{tag.pk}"),
            "osdi:taggings": link(f"tags/{tag.pk}/taggings"),
        },
    }


@hal("GET", "/tags", TagsPage)
def tags(request, paging: Query[Paging]):
    no_filter(request)
    found = request.reader.tags().order_by("pk")
    return page_of(found, paging, "tags", "tags", tag_out)


@hal("GET", "/tags/{int:tag_id}", schemas.OsdiTag)
def tag(request, tag_id: int):
    return tag_out(one_or_404(request.reader.tags(), pk=tag_id))


def tagging_out(tag_id: int, person: PartnerPerson) -> dict:
    return {
        "_links": {
            "self": link(f"tags/{tag_id}/taggings/{person.pk}"),
            "osdi:tag": link(f"tags/{tag_id}"),
            "osdi:person": person_link(person.pk),
        }
    }


def tagged(reader, tag_id: int):
    """The people the token may read under this tag (a tagging is named by the person's
    id: a person carries a tag once)."""
    return reader.tagged(one_or_404(reader.tags(), pk=tag_id))


class TagIn(Schema):
    name: str = Field(..., min_length=1, max_length=60)

    @field_validator("name")
    @classmethod
    def one_line(cls, name: str) -> str:
        return next(iter(tag_names([name])), "")


@hal("POST", "/tags", schemas.OsdiTag)
def create_tag(request, payload: TagIn):
    """The partner's own tag of this name (the same one if it exists): its label on the
    people it knows, which no one else reads."""
    if not payload.name:
        raise HttpError(422, "A tag needs a name.")
    made = partners.partner_tag(request.auth.organisation, payload.name)
    record_partner_write(request.auth, f"OSDI tag {made.pk}")
    return tag_out(made)


class PersonHref(Schema):
    href: str = Field(..., max_length=500)


class TaggingLinks(Hal):
    person: PersonHref = Field(..., alias="osdi:person")


class TaggingIn(Hal):
    links: TaggingLinks = Field(..., alias="_links")


def own_tag(token, tag_id: int) -> Tag:
    """One of the partner's own tags (the staff's tags are not the partner's to apply)."""
    return one_or_404(Tag.objects.filter(organisation=token.organisation), pk=tag_id)


def person_named_by(token, href: str) -> PartnerPerson:
    """The person of this API's href, among those the partner knows; a 404 otherwise."""
    named = re.fullmatch(re.escape(base()) + r"people/(\d+)/?", href)
    if not named:
        raise HttpError(422, "osdi:person must be the href of a person of this API.")
    return one_or_404(partners.people_of(token.organisation), pk=int(named[1]))


@hal("POST", "/tags/{int:tag_id}/taggings", schemas.OsdiTagging)
def create_tagging(request, tag_id: int, payload: TaggingIn):
    """Put the partner's tag on a person it knows, named by the href of the person."""
    tag = own_tag(request.auth, tag_id)
    known_as = person_named_by(request.auth, payload.links.person.href)
    partners.tag_person(known_as, add=[tag.name])
    record_partner_write(request.auth, f"OSDI tagging: tag {tag_id}, person {known_as.pk}")
    return tagging_out(tag_id, known_as)


@hal("DELETE", "/tags/{int:tag_id}/taggings/{int:person_id}", schemas.OsdiNotice)
def delete_tagging(request, tag_id: int, person_id: int):
    tag = own_tag(request.auth, tag_id)
    known_as = one_or_404(partners.tagged_people(request.auth.organisation, tag), pk=person_id)
    partners.tag_person(known_as, remove=[tag.name])
    record_partner_write(request.auth, f"OSDI untagging: tag {tag_id}, person {person_id}")
    return {"notice": "This tagging was successfully deleted."}


@hal("GET", "/tags/{int:tag_id}/taggings", TaggingsPage)
def taggings(request, tag_id: int, paging: Query[Paging]):
    no_filter(request)
    found = tagged(request.reader, tag_id)
    exported(request, f"OSDI taggings of tag {tag_id}")
    return page_of(
        found, paging, "taggings", f"tags/{tag_id}/taggings", lambda p: tagging_out(tag_id, p)
    )


@hal("GET", "/tags/{int:tag_id}/taggings/{int:person_id}", schemas.OsdiTagging)
def tagging(request, tag_id: int, person_id: int):
    found = one_or_404(tagged(request.reader, tag_id), pk=person_id)
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
        "tadamun:shifts": osdi_shifts.of_event(event),
        "_links": {
            "self": link(f"events/{event.pk}"),
            "osdi:attendances": link(f"events/{event.pk}/attendances"),
            "osdi:record_attendance_helper": link(f"events/{event.pk}/attendances"),
        },
    }


@hal("GET", "/events", EventsPage)
def events(request, paging: Query[FilteredPaging]):
    visible = Event.objects.visible().prefetch_related(osdi_shifts.with_places())
    found = modified_since(visible.order_by("pk"), paging.filter, "updated_at")
    return page_of(found, paging, "events", "events", event_out)


@hal("GET", "/events/{int:event_id}", schemas.OsdiEvent)
def event(request, event_id: int):
    visible = Event.objects.visible().prefetch_related(osdi_shifts.with_places())
    return event_out(one_or_404(visible, pk=event_id))


def attendance_out(rsvp: Rsvp) -> dict:
    return {
        "identifiers": [f"tadamun:attendance:{rsvp.pk}"],
        "status": "accepted" if rsvp.status == Rsvp.Status.GOING else rsvp.status,
        "custom_fields": custom.custom_fields(rsvp),
        "tadamun:shifts": osdi_shifts.of_attendance(rsvp),
        "_links": {
            "self": link(f"events/{rsvp.event_id}/attendances/{rsvp.pk}"),
            "osdi:event": link(f"events/{rsvp.event_id}"),
            "osdi:person": person_link(rsvp.partner_person),
        },
    }


def shared_attendances(reader, event_id: int):
    """Confirmed answers (coming or waiting) of the people who share with the partner."""
    event = one_or_404(Event.objects.visible(), pk=event_id)
    coming = event.rsvps.filter(status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITING])
    slots = osdi_shifts.chosen()
    return reader.actions(coming).prefetch_related(answered(), slots).order_by("pk")


@hal("GET", "/events/{int:event_id}/attendances", AttendancesPage)
def attendances(request, event_id: int, paging: Query[FilteredPaging]):
    found = modified_since(
        shared_attendances(request.reader, event_id), paging.filter, "confirmed_at"
    )
    exported(request, f"OSDI attendances of event {event_id}")
    return page_of(found, paging, "attendances", f"events/{event_id}/attendances", attendance_out)


@hal("GET", "/events/{int:event_id}/attendances/{int:attendance_id}", schemas.OsdiAttendance)
def attendance(request, event_id: int, attendance_id: int):
    found = one_or_404(shared_attendances(request.reader, event_id), pk=attendance_id)
    exported(request, f"OSDI attendance {attendance_id}")
    return attendance_out(found)


class AttendanceIn(Signup, Answering):
    pass


@hal("POST", "/events/{int:event_id}/attendances", schemas.OsdiSubmission)
def record_attendance_helper(
    request, event_id: int, payload: AttendanceIn, options: Query[Background]
):
    """Record someone the partner says is coming. As on the site, the place is taken once
    they confirm it from the email we send them; recording it again changes nothing."""
    event = one_or_404(Event.objects.visible(), pk=event_id)
    if not event.takes_rsvps():
        raise HttpError(409, "This event takes no more answers.")
    if event.shifts.exists():  # OSDI has no time slots: each person chooses theirs
        raise HttpError(409, "This event has time slots: people choose theirs on its page.")
    sent = checked(payload.person)
    answers = answers_sent(
        event.questions.all(), payload, sent.get("country") or event.country.code
    )
    known_as = submitted_person(request, "osdi-attendance", sent)
    tagged_as_sent(known_as, payload)
    rsvps.answer(
        event,
        rsvps.RsvpRequest(
            name=full_name(sent),
            email=sent["email"],
            language=sent.get("language", settings.LANGUAGE_CODE),
            answers=answers,
        ),
    )
    record_partner_write(
        request.auth, f"OSDI record_attendance: person {known_as.pk} at event {event_id}"
    )
    return submission_out(known_as, {}, {"osdi:event": link(f"events/{event_id}")})


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
            "osdi:record_outreach_helper": link(f"advocacy_campaigns/{campaign.slug}/outreaches"),
        },
    }


@hal("GET", "/advocacy_campaigns", CampaignsPage)
def advocacy_campaigns(request, paging: Query[FilteredPaging]):
    found = modified_since(
        LetterCampaign.objects.public().order_by("pk"), paging.filter, "updated_at"
    )
    return page_of(found, paging, "advocacy_campaigns", "advocacy_campaigns", advocacy_campaign_out)


@hal("GET", "/advocacy_campaigns/{slug:slug}", schemas.OsdiAdvocacyCampaign)
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
        "custom_fields": custom.custom_fields(letter),
        "_links": {
            "self": link(f"advocacy_campaigns/{slug}/outreaches/{letter.pk}"),
            "osdi:advocacy_campaign": link(f"advocacy_campaigns/{slug}"),
            "osdi:person": person_link(letter.partner_person),
        },
    }


class OutreachIn(Signup, Answering):
    """Action Network's record_outreach_helper: the person, and the letter if the partner's
    page let them change it (else the campaign's own, in their language)."""

    subject: str | None = Field(None, max_length=500)
    message: str | None = Field(None, max_length=20_000)


def letter_of(campaign: LetterCampaign, payload: OutreachIn, sent: dict) -> dict:
    """The subject and text of the letter, checked by the letter form's own fields (the
    rules of a letter written on the site), or a 422."""
    template = campaign.localized(sent.get("language", settings.LANGUAGE_CODE))
    name = full_name(sent)
    written = {
        "subject": payload.subject or letter_queries.fill(template.subject, name=name),
        "text": payload.message or letter_queries.fill(template.letter, name=name),
    }
    try:
        return {field: LetterForm.base_fields[field].clean(written[field]) for field in written}
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from None


@hal("POST", "/advocacy_campaigns/{slug:slug}/outreaches", schemas.OsdiSubmission)
def record_outreach_helper(request, slug: str, payload: OutreachIn, options: Query[Background]):
    """Record a letter the partner's supporter wrote. As on the site, it is sent to the
    officials once its writer confirms it from the email we send them."""
    campaign = one_or_404(LetterCampaign.objects.public(), slug=slug)
    if not (campaign.is_open() and campaign.sent_by_platform):
        raise HttpError(409, "This campaign takes no letters through the API.")
    sent = checked(payload.person)
    if not sent.get("country"):
        raise HttpError(422, "A letter needs its writer's country (postal_addresses).")
    letter = letter_of(campaign, payload, sent)
    answers = answers_sent(campaign.questions.all(), payload, sent["country"])
    known_as = submitted_person(request, "osdi-outreach", sent)
    tagged_as_sent(known_as, payload)
    letters.write(
        campaign,
        letters.LetterRequest(
            name=full_name(sent),
            email=sent["email"],
            country=sent["country"],
            language=sent.get("language", settings.LANGUAGE_CODE),
            answers=answers,
            **letter,
        ),
    )
    record_partner_write(request.auth, f"OSDI record_outreach: person {known_as.pk} on {slug}")
    return submission_out(
        known_as, {}, {"osdi:advocacy_campaign": link(f"advocacy_campaigns/{slug}")}
    )


def shared_outreaches(reader, slug: str):
    """Confirmed letters of the people who share their data with the partner."""
    campaign = one_or_404(LetterCampaign.objects.public(), slug=slug)
    written = campaign.letters.filter(status=Letter.Status.CONFIRMED)
    return (
        reader.actions(written)
        .select_related("campaign")
        .prefetch_related("deliveries__target", answered())
        .order_by("pk")
    )


@hal("GET", "/advocacy_campaigns/{slug:slug}/outreaches", OutreachesPage)
def outreaches(request, slug: str, paging: Query[FilteredPaging]):
    found = modified_since(shared_outreaches(request.reader, slug), paging.filter, "confirmed_at")
    exported(request, f"OSDI outreaches of {slug}")
    path = f"advocacy_campaigns/{slug}/outreaches"
    return page_of(found, paging, "outreaches", path, outreach_out)


@hal("GET", "/advocacy_campaigns/{slug:slug}/outreaches/{int:outreach_id}", schemas.OsdiOutreach)
def outreach(request, slug: str, outreach_id: int):
    found = one_or_404(shared_outreaches(request.reader, slug), pk=outreach_id)
    exported(request, f"OSDI outreach {outreach_id}")
    return outreach_out(found)
