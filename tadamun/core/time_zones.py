"""The time-zone choice: the zones people live in, grouped by country, named by city,
in the reader's language.

The tz database has about 600 names, many of them aliases and relics ("Zulu", "W-SU",
"localtime"). Its `zone.tab` lists the zones in use, each with its country; CLDR (through
Babel) names the countries and cities in each language.
"""

import functools
from importlib.resources import files

import pyuca
from babel.dates import get_timezone_location
from django.utils.translation import to_locale

from tadamun.core.countries import cldr_name

_collator = pyuca.Collator()


@functools.cache
def zones_by_country() -> dict[str, tuple[str, ...]]:
    """{country code: its zones}, from the tz database's zone.tab (shipped by tzdata)."""
    by_country: dict[str, list[str]] = {}
    for line in files("tzdata.zoneinfo").joinpath("zone.tab").read_text().splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, zone = line.split("\t")[:3]
            by_country.setdefault(code, []).append(zone)
    return {code: tuple(zones) for code, zones in by_country.items()}


@functools.cache
def zone_names() -> frozenset[str]:
    return frozenset(zone for zones in zones_by_country().values() for zone in zones)


def city_name(zone: str, language: str) -> str:
    return get_timezone_location(zone, locale=to_locale(language), return_city=True)


@functools.lru_cache(maxsize=8)
def grouped_choices(language: str) -> tuple:
    """((country name, ((zone, city name), ...)), ...), both levels sorted in `language`."""
    groups = []
    for code, zones in zones_by_country().items():
        cities = sorted(
            ((zone, city_name(zone, language)) for zone in zones),
            key=lambda choice: _collator.sort_key(choice[1]),
        )
        groups.append((cldr_name(code, language), tuple(cities)))
    return tuple(sorted(groups, key=lambda group: _collator.sort_key(group[0])))
