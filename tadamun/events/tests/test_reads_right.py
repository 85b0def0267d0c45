"""Event pages read right in every language: city names from the gazetteer in the reader's
script, dates in the reader's format, the time zone as an offset people understand."""

import pytest


@pytest.mark.parametrize(
    ("language", "city", "date"),
    [("en", "Köln", "March 27, 2027"), ("ar", "كولونيا", "27 مارس 2027")],
)
def test_event_page_names_the_city_and_date_for_its_reader(
    client, sign_up_event, language, city, date
):
    # Typed in the other script: the gazetteer's name (GeoNames': "Köln") is shown instead.
    event = sign_up_event(city="Cologne" if language == "ar" else "كولونيا")
    page = client.get(f"/{language}/events/{event.pk}/").content.decode()
    assert f'<bdi dir="auto">{city}</bdi>' in page
    assert date in page.replace("\u200f", "")
    assert "UTC+1" in page and "Europe/Berlin" not in page


def test_a_city_typed_in_the_readers_script_stays_as_typed(client, sign_up_event):
    event = sign_up_event(city="Cologne")
    page = client.get(f"/en/events/{event.pk}/").content.decode()
    assert '<bdi dir="auto">Cologne</bdi>' in page


def test_the_day_page_lists_arabic_typed_cities_in_english(client, sign_up_event, day):
    sign_up_event(city="كولونيا")
    page = client.get(f"/en/days/{day.slug}/").content.decode()
    assert '<bdi dir="auto">Köln</bdi>' in page
    assert '<bdi dir="auto">كولونيا</bdi>' not in page


def test_the_event_card_is_a_png_in_the_readers_language(client, sign_up_event):
    event = sign_up_event(city="كولونيا")
    arabic = client.get(f"/ar/events/{event.pk}/card.png")
    english = client.get(f"/en/events/{event.pk}/card.png")
    for response in (arabic, english):
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert arabic.content != english.content
