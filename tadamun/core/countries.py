"""Country names from CLDR (through Babel), in the reader's language.

django-countries ships ISO's own English short names ("Naoero", "Bahamas (The)") and its
own translations; CLDR's are the names people use, in every language Tadamun speaks.
`settings.COUNTRIES_OVERRIDE` hands these to django-countries, so every `country.name`,
every country list and its sorting (django-countries sorts with pyuca's Unicode collation
when it is installed) follows the reader's language.
"""

import functools

import pyuca
from babel import Locale, UnknownLocaleError
from django.utils.functional import lazy
from django.utils.translation import get_language, to_locale
from django_countries.data import COUNTRIES


@functools.lru_cache(maxsize=64)
def _territories(language: str) -> dict:
    """CLDR's country names in `language`, looked up once per language and process: parsing
    the locale took 27 µs a name, and a petition page shows thirty."""
    try:
        return Locale.parse(to_locale(language)).territories
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en").territories


def cldr_name(code: str, language: str | None) -> str:
    """`code`'s CLDR name in `language` (English when CLDR has no such language)."""
    return _territories(language or "en").get(code) or str(COUNTRIES[code])


def country_name(code: str) -> str:
    """What `Country(code).name` says (the reader's language), looked up directly: through
    django-countries a name costs a hundred function calls, and a petition page shows thirty."""
    return cldr_name(code, get_language())


def _in_active_language(code: str) -> str:
    return cldr_name(code, get_language())


_lazy_name = lazy(_in_active_language, str)


def overrides() -> dict:
    """Every country's name, resolved when it is read, in the language active then."""
    return {code: _lazy_name(code) for code in COUNTRIES}


@functools.cache
def _collator() -> pyuca.Collator:
    return pyuca.Collator()


def by_name(countries) -> list:
    """`countries` sorted by their names in the reader's language, by Unicode collation (as
    django-countries sorts its lists): "Égypte" between "Danemark" and "Finlande"."""
    return sorted(countries, key=lambda country: _collator().sort_key(str(country.name)))
