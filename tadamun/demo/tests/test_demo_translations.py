"""The demo is the product's first impression: every piece of its translatable content reads
in each of the six languages, so a demo item added without its translations fails here."""

import pytest
from django.apps import apps
from django.conf import settings
from django.utils.html import escape

from tadamun.aid.models import AidOrganisation
from tadamun.core.models import Translatable
from tadamun.rebuttals.models import Claim, Tag
from tadamun.watch.models import WatchItem

LANGUAGES = [code for code, _name in settings.LANGUAGES]
TRANSLATABLE_MODELS = [
    model
    for model in apps.get_models()
    if issubclass(model, Translatable) and model.__module__.startswith("tadamun.")
]
# Proper names that Latin-script languages write as the source does (Arabic still has its own).
PROPER_NAMES = {("SiteIdentity", "title")}


def untranslated(source) -> list[str]:
    """`language: field` for each text field of `source` that has no translation of its own
    in a language (missing, empty, or the source text copied)."""
    translations = {t.language: t for t in source.translations.all()}
    missing = []
    for language in LANGUAGES:
        if language == source.language:
            continue
        translation = translations.get(language)
        for field in source.text_fields:
            original = getattr(source, field)
            translated = getattr(translation, field, "")
            if (type(source).__name__, field) in PROPER_NAMES and language != "ar":
                continue
            if original and (not translated or translated == original):
                missing.append(f"{language}: {field}")
    return missing


def test_every_translatable_model_is_in_the_demo(demo_loaded, db):
    assert len(TRANSLATABLE_MODELS) >= 9
    empty = [model.__name__ for model in TRANSLATABLE_MODELS if not model.objects.exists()]
    assert empty == []


@pytest.mark.parametrize("model", TRANSLATABLE_MODELS, ids=lambda model: model.__name__)
def test_every_demo_text_is_translated_into_every_language(demo_loaded, db, model):
    gaps = {
        str(source): missing
        for source in model.objects.prefetch_related("translations")
        if (missing := untranslated(source))
    }
    assert gaps == {}


def test_every_rebuttal_tag_is_named_in_every_language(demo_loaded, db):
    for tag in Tag.objects.all():
        names = {language: tag.name_in(language) for language in LANGUAGES if language != "en"}
        assert tag.name not in names.values(), tag.slug


@pytest.mark.parametrize(
    ("model", "page"),
    [(WatchItem, "/ar/watch/"), (AidOrganisation, "/ar/aid/"), (Claim, "/ar/rebuttals/")],
)
def test_arabic_lists_show_the_arabic_titles(client, demo_loaded, db, model, page):
    html = client.get(page).content.decode()
    for source in model.objects.all():
        arabic = source.translations.get(language="ar").title
        assert escape(arabic) in html
        assert escape(source.title) not in html


def test_demo_events_are_written_in_their_organisers_languages(demo_loaded, db):
    """Events are their organisers' own words, in one language each (no translation model):
    the demo's come in most of the site's languages, each marked with its language."""
    from tadamun.events.models import Event

    by_language = dict(Event.objects.values_list("title", "language"))
    assert set(by_language.values()) >= {"ar", "de", "en", "es", "fr", "tr"}
    assert by_language["Mahnwache für Idlib an der Domplatte"] == "de"
