"""Mixed-direction pages as a reader sees them: city names in the reader's script, titles and
punctuation in place. Screenshots are kept in test-artifacts/screenshots to look at."""

import pytest

pytestmark = pytest.mark.browser

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def test_the_arabic_event_page_reads_right_to_left(open_page, screenshot, external_requests):
    page = open_page("/ar/days/global-day-of-solidarity/", width=375)
    page.get_by_role("link", name="Mahnwache für Idlib an der Domplatte").click()
    page.wait_for_url("**/ar/events/**")
    facts = page.locator(".facts").inner_text()
    assert "كولونيا" in facts and "Cologne" not in facts  # the gazetteer's Arabic name
    assert "UTC+1" in facts and "Europe/" not in facts
    assert page.locator("h1").get_attribute("dir") == "auto"
    assert page.locator("input#share-url").get_attribute("dir") == "ltr"
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "reads-right-event-ar-375")
    assert external_requests == []


def test_the_english_day_page_names_cities_in_english(open_page, screenshot, external_requests):
    page = open_page("/en/days/global-day-of-solidarity/", width=1280)
    cities = page.locator("main section h4 bdi").all_inner_texts()
    assert "Gaziantep" in cities and "غازي عنتاب" not in cities
    screenshot(page, "reads-right-day-en-1280")
    arabic = open_page("/ar/days/global-day-of-solidarity/", width=1280)
    names = arabic.locator("main section h4 bdi").all_inner_texts()
    assert "مدريد" in names and "Madrid" not in names
    screenshot(arabic, "reads-right-day-ar-1280")
    assert external_requests == []
