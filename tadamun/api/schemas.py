"""What the public API shows of each thing: public fields only, never personal data."""

from datetime import date, datetime
from typing import Any

from ninja import Schema


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
