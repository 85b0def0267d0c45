"""Country names are CLDR's, in the reader's language, sorted by that language's collation."""

import re

import pytest
import pyuca
from django_countries.fields import Country

from tadamun.core.tests.pages import LANGUAGES

OPTION = re.compile(r'<option value="([A-Z]{2})">([^<]+)</option>')


def country_options(client, language):
    html = client.get(f"/{language}/watch/").content.decode()
    return OPTION.findall(html)


def test_english_list_uses_the_names_people_use(client, db):
    names = dict(country_options(client, "en"))
    assert names["NR"] == "Nauru"
    assert names["BS"] == "Bahamas"
    assert not [name for name in names.values() if "(The)" in name or name == "Naoero"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_lists_countries_in_its_own_order(client, db, language):
    options = country_options(client, language)
    assert len(options) > 240
    names = [name for _, name in options]
    collator = pyuca.Collator()
    assert names == sorted(names, key=collator.sort_key)


def test_arabic_list_is_not_in_english_order_and_says_the_names_in_arabic(client, db):
    english = [code for code, _ in country_options(client, "en")]
    arabic = country_options(client, "ar")
    assert [code for code, _ in arabic] != english
    assert dict(arabic)["DE"] == "ألمانيا"
    # The same order on a second reading (the list is cached per language).
    assert country_options(client, "ar") == arabic


def test_a_stored_country_is_named_in_the_active_language(settings):
    from django.utils import translation

    with translation.override("fr"):
        assert Country("DE").name == "Allemagne"
    with translation.override("tr"):
        assert Country("DE").name == "Almanya"


def test_names_are_looked_up_once_per_language_and_match_cldr(settings):
    """CLDR's names are read once per language and process, and are CLDR's own; a language
    CLDR does not know falls back to English."""
    from babel import Locale

    from tadamun.core import countries

    countries._territories.cache_clear()
    for language in ("en", "ar", "fr", "en", "ar"):
        expected = Locale.parse(language).territories
        assert [countries.cldr_name(code, language) for code in ("DE", "LB", "TR")] == [
            expected["DE"],
            expected["LB"],
            expected["TR"],
        ]
    info = countries._territories.cache_info()
    assert (info.misses, info.hits) == (3, 12)
    assert countries.cldr_name("DE", "xx-unknown") == "Germany"
    assert countries.cldr_name("DE", None) == "Germany"


@pytest.mark.parametrize("language", LANGUAGES)
def test_country_name_says_what_django_countries_says_for_every_country(language):
    """`country_name`, the direct look-up the petition page uses, names every country as
    `Country(code).name` does, in every language of the site."""
    from django.utils import translation
    from django_countries.data import COUNTRIES

    from tadamun.core.countries import country_name

    with translation.override(language):
        assert {code: country_name(code) for code in COUNTRIES} == {
            code: Country(code).name for code in COUNTRIES
        }
