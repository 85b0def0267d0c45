"""Every catalogue is complete: each message translated, not fuzzy, placeholders kept."""

import re
from pathlib import Path

import polib
import pytest

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
TRANSLATED = ["ar", "fr", "de", "es", "tr"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{ ?\w+ ?\}\}|\{\w*\}")


def catalogue(language):
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    po = catalogue(language)
    missing = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not missing, f"{language}: untranslated {missing[:5]}"
    assert not fuzzy, f"{language}: fuzzy {fuzzy[:5]}"
    assert len(po) > 100


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder(language):
    for entry in catalogue(language):
        expected = set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural or ""))
        if entry.msgid_plural:
            # Some plural forms (Arabic "one", "two") may spell the number out.
            for form in entry.msgstr_plural.values():
                assert set(placeholders(form)) <= expected, (language, entry.msgid)
        else:
            assert set(placeholders(entry.msgstr)) == expected, (language, entry.msgid)


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_are_not_copies_of_the_english(language):
    copies = [
        entry.msgid
        for entry in catalogue(language)
        if entry.msgstr == entry.msgid and len(entry.msgid) > 12 and " " in entry.msgid
    ]
    assert len(copies) == 0, f"{language}: copied from English: {copies[:5]}"


def test_every_language_of_the_site_has_a_catalogue(settings):
    codes = {code for code, _name in settings.LANGUAGES}
    assert codes - {"en"} == set(TRANSLATED)
