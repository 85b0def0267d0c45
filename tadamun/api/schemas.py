"""What the public API shows of each thing: public fields only, never personal data."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict, create_model


class Error(Schema):
    """What went wrong: a sentence, or the list of invalid parameters."""

    detail: str | list[dict[str, Any]]


class Text(Schema):
    """A text in one language."""

    title: str
    summary: str
    body_html: str
    outdated: bool = False


class Translated(Schema):
    """The source language and text, and every translation by language code."""

    language: str
    text: Text
    translations: dict[str, Text]


class CountryCount(Schema):
    country: str
    count: int


class Campaign(Schema):
    slug: str
    status: str
    starts_on: date
    ends_on: date | None
    url: str
    content: Translated


class Publication(Schema):
    slug: str
    kind: str
    campaign: str
    published_at: datetime | None
    url: str
    content: Translated


class Petition(Schema):
    slug: str
    campaign: str
    status: str
    opens_at: datetime
    closes_at: datetime | None
    confirmed: int
    goal: int
    url: str
    content: Translated


class PetitionDetail(Petition):
    by_country: list[CountryCount]


class DayOfAction(Schema):
    slug: str
    campaign: str
    starts_on: date
    ends_on: date
    url: str
    content: Translated


class Event(Schema):
    id: int
    day: str
    title: str
    kind: str
    description_html: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    venue_name: str
    address: str
    city: str
    country: str
    online_url: str
    on_behalf_of: str
    cancelled: bool
    url: str


class Official(Schema):
    reference: str
    name: str
    title: str
    institution: str
    country: str
    letters: int


class LetterCampaign(Schema):
    slug: str
    campaign: str
    status: str
    delivery: str
    writes_to: str
    letters: int
    url: str
    content: Translated


class LetterCampaignDetail(LetterCampaign):
    by_official: list[Official]
    by_country: list[CountryCount]


class Source(Schema):
    title: str
    url: str
    archive_url: str
    published_on: date | None


class WatchItem(Schema):
    slug: str
    actor: str
    actor_translations: dict[str, str]  # by language code; absent where it reads the same
    country: str
    happened_on: date
    status: str
    letter_campaign: str | None
    sources: list[Source]
    url: str
    content: Translated


class AidOrganisation(Schema):
    slug: str
    sectors: list[str]
    countries_served: list[str]
    areas_served: str
    registration_country: str
    registration_number: str
    website: str
    donation_url: str
    verified_on: date | None
    needs_reverification: bool
    url: str
    content: Translated


class Claim(Schema):
    slug: str
    verdict: str
    tags: list[str]
    published_at: datetime
    updated_at: datetime
    sources: list[Source]
    url: str
    card_url: str
    content: Translated


# OSDI (tadamun.api.osdi): HAL+JSON documents as the OSDI spec and Action Network's
# documentation describe them, so a generated client knows every field. `_links` and
# `_embedded` are aliases (a leading underscore is private to pydantic); the routes answer
# by alias.


class Hal(Schema):
    model_config = ConfigDict(populate_by_name=True)


class Link(Schema):
    href: str


Links = dict[str, Link | list[Link]]


class EntryPoint(Hal):
    motd: str
    vendor_name: str
    product_name: str
    osdi_version: str
    max_pagesize: int
    links: Links = Field(alias="_links")


class OsdiEmailAddress(Schema):
    address: str
    primary: bool
    status: str | None = None


class OsdiPostalAddress(Schema):
    postal_code: str | None = None
    country: str | None = None
    primary: bool


class OsdiConsent(Schema):
    """A consent the person gave (only the coalition's own token reads them)."""

    purpose: str
    organisation: str | None = None
    wording: str
    source: str
    given_date: datetime
    withdrawn_date: datetime | None = None


class OsdiPerson(Hal):
    identifiers: list[str]
    created_date: datetime
    modified_date: datetime
    given_name: str
    family_name: str
    email_addresses: list[OsdiEmailAddress]
    postal_addresses: list[OsdiPostalAddress]
    languages_spoken: list[str]
    custom_fields: dict[str, str]
    consents: list[OsdiConsent] | None = Field(None, alias="tadamun:consents")
    links: Links = Field(alias="_links")


class OsdiTarget(Schema):
    name: str


class OsdiPetition(Hal):
    identifiers: list[str]
    title: str
    description: str
    petition_text: str
    target: list[OsdiTarget]
    total_signatures: int
    created_date: datetime
    modified_date: datetime
    browser_url: str
    links: Links = Field(alias="_links")


class OsdiSignature(Hal):
    identifiers: list[str]
    created_date: datetime
    modified_date: datetime
    status: str
    custom_fields: dict[str, str]  # the answers to the petition's custom questions, by key
    links: Links = Field(alias="_links")


class OsdiSubmission(Hal):
    """A helper's answer: what the partner sent, and the person as it sent them."""

    comments: str | None = None
    person: OsdiPerson
    links: Links = Field(alias="_links")


class OsdiTag(Hal):
    identifiers: list[str]
    name: str
    created_date: datetime | None = None
    modified_date: datetime | None = None
    links: Links = Field(alias="_links")


class OsdiTagging(Hal):
    links: Links = Field(alias="_links")


class OsdiNotice(Schema):
    notice: str


class OsdiLocation(Schema):
    venue: str
    address_lines: list[str]
    locality: str
    country: str


class OsdiShift(Schema):
    """A time slot of an event (an extension: OSDI has none; see api/osdi/shifts.py)."""

    identifiers: list[str]
    start_date: datetime
    end_date: datetime
    capacity: int | None = None
    total_accepted: int


class OsdiShiftChosen(Schema):
    """A time slot an attendance chose, with its status in it (accepted or waiting)."""

    identifiers: list[str]
    start_date: datetime
    end_date: datetime
    status: str


class OsdiEvent(Hal):
    identifiers: list[str]
    title: str
    description: str
    start_date: datetime
    end_date: datetime
    modified_date: datetime
    status: str
    location: OsdiLocation
    browser_url: str
    shifts: list[OsdiShift] = Field(alias="tadamun:shifts")
    links: Links = Field(alias="_links")


class OsdiAttendance(Hal):
    identifiers: list[str]
    status: str
    custom_fields: dict[str, str]  # the answers to the event's custom questions, by key
    shifts: list[OsdiShiftChosen] = Field(alias="tadamun:shifts")
    links: Links = Field(alias="_links")


class OsdiAdvocacyCampaign(Hal):
    identifiers: list[str]
    title: str
    description: str
    type: str
    total_outreaches: int
    created_date: datetime
    modified_date: datetime
    browser_url: str
    links: Links = Field(alias="_links")


class OsdiOutreachTarget(Schema):
    given_name: str
    title: str


class OsdiOutreach(Hal):
    identifiers: list[str]
    type: str
    subject: str
    targets: list[OsdiOutreachTarget]
    created_date: datetime
    custom_fields: dict[str, str]  # the answers to the campaign's custom questions, by key
    links: Links = Field(alias="_links")


def osdi_collection(name: str, item: type[Schema]) -> type[Schema]:
    """A page of an OSDI collection: paging fields, links, and the items under
    `_embedded["osdi:<name>"]`."""
    title = "".join(part.title() for part in name.split("_"))
    embedded = create_model(
        f"Osdi{title}Embedded",
        __base__=Hal,
        items=(list[item], Field(alias=f"osdi:{name}")),
    )
    return create_model(
        f"Osdi{title}Page",
        __base__=Hal,
        total_pages=(int, ...),
        per_page=(int, ...),
        page=(int, ...),
        total_records=(int, ...),
        links=(Links, Field(alias="_links")),
        embedded=(embedded, Field(alias="_embedded")),
    )
