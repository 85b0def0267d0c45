"""The name a reader of Arabic sees for a city, chosen among GeoNames' unlabelled names."""

import pytest

from tadamun.places.names import arabic_name, name_for_reader


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["قلونية", "قُلُونِيَة", "كولن", "كولونيا", "کلن", "کلون", "کولون"], "كولونيا"),
        (["لأندأن", "لندن", "لوندون", "لەندەن"], "لندن"),
        (["القاهرة", "قاهره"], "القاهرة"),
        (["ئاممان", "امان", "عمان"], "امان"),  # Kurdish left out; the two Arabic ones tie
        (["إدلب", "ادلب"], "إدلب"),
        (["حمص", "مدينة حمص"], "حمص"),
        (["مادرىد", "مادرید", "مدريد", "میدرد"], "مدريد"),  # Uyghur and Persian left out
        (["Madrid", "Мадрид"], ""),
    ],
)
def test_arabic_name_is_the_one_spelt_the_arabic_way(names, expected):
    assert arabic_name(names) == expected


@pytest.mark.parametrize(
    ("typed", "gazetteer", "language", "shown"),
    [
        ("غازي عنتاب", "Gaziantep", "en", "Gaziantep"),
        ("Madrid", "مدريد", "ar", "مدريد"),
        ("Köln", "Cologne", "de", "Köln"),
        ("غازي عنتاب", "عنتاب", "ar", "غازي عنتاب"),
        ("Cologne", "", "ar", "Cologne"),  # no Arabic name known: as typed
    ],
)
def test_a_place_is_named_as_typed_when_in_the_readers_script(typed, gazetteer, language, shown):
    assert name_for_reader(typed, gazetteer, language) == shown
