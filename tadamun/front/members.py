"""The member organisations' public actions in a campaign, by the organisation's country
(issue 19): the campaign's page shows a few per country, a page of their own lists them all.

Both read one index, a small row (kind, number, country) per action, through each app's own
public query, sorted once: countries in the reader's collation, then petitions, letter
campaigns and events, each kind in its own order. Only the actions a page shows are then read
whole, one query per kind, so neither page's number of queries grows with the members."""

from django.utils import timezone
from django_countries.fields import Country

from tadamun.coalition.models import part_of
from tadamun.core.countries import by_name
from tadamun.events.models import DayOfAction, Event
from tadamun.letters import queries as letters
from tadamun.petitions import queries as petitions
from tadamun.petitions.models import Petition

SHOWN_PER_COUNTRY = 5  # on the campaign's page; "See all" lists the rest
KINDS = ("petitions", "letter_campaigns", "events")


def _actions(campaign) -> dict:
    """Each kind's public actions in the campaign made by a member organisation, in the
    kind's order, read with what their cards show."""
    days = DayOfAction.objects.filter(part_of(DayOfAction, campaign))
    kinds = {
        "petitions": petitions.public_petitions().for_reader().filter(part_of(Petition, campaign)),
        "letter_campaigns": letters.public_for_campaign(campaign),
        "events": Event.objects.public()
        .filter(day__in=days, ends_at__gte=timezone.now())
        .select_related("place")
        .order_by("starts_at"),
    }
    return {
        kind: actions.filter(organisation__isnull=False).select_related("organisation")
        for kind, actions in kinds.items()
    }


def index(campaign, country: str | None = None) -> list[tuple[str, str, int]]:
    """(country code, kind, pk) of every member's public action in the campaign (of one
    country's members if `country`), in the order the pages list them."""
    entries = []
    for kind, actions in _actions(campaign).items():
        if country:
            actions = actions.filter(organisation__country=country)
        rows = actions.prefetch_related(None).values_list("organisation__country", "pk")
        entries += [(code, kind, pk) for code, pk in rows]
    countries = by_name(Country(code) for code in {code for code, _, _ in entries})
    rank = {country.code: place for place, country in enumerate(countries)}
    return sorted(entries, key=lambda entry: rank[entry[0]])  # stable: kinds keep their order


def grouped(campaign, entries) -> list[tuple[Country, dict]]:
    """The actions `entries` name, read whole (one query per kind), grouped by country in
    the entries' order: [(country, {"petitions": [...], "letter_campaigns": [...], ...})]."""
    wanted = {kind: [pk for _, of_kind, pk in entries if of_kind == kind] for kind in KINDS}
    found = {
        (kind, action.pk): action
        for kind, actions in _actions(campaign).items()
        if wanted[kind]
        for action in actions.filter(pk__in=wanted[kind])
    }
    groups: dict = {}
    for code, kind, pk in entries:
        if (action := found.get((kind, pk))) is None:
            continue  # no longer public between the two reads
        kinds = groups.setdefault(code, {name: [] for name in KINDS})
        kinds[kind].append(action)
    return [(Country(code), kinds) for code, kinds in groups.items()]


def by_country(campaign) -> list[tuple[Country, dict, int]]:
    """For the campaign's page: per country (reader's collation), its first
    SHOWN_PER_COUNTRY actions and how many there are in all."""
    entries = index(campaign)
    totals: dict[str, int] = {}
    shown = []
    for entry in entries:
        totals[entry[0]] = totals.get(entry[0], 0) + 1
        if totals[entry[0]] <= SHOWN_PER_COUNTRY:
            shown.append(entry)
    return [(country, kinds, totals[country.code]) for country, kinds in grouped(campaign, shown)]
