import pytest

from tadamun.events.models import Rsvp

pytestmark = pytest.mark.browser

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def test_finding_an_event_in_arabic_on_a_phone(open_page, screenshot, external_requests):
    page = open_page("/ar/days/global-day-of-solidarity/", width=375)
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("input[name=q]").fill("Lyon")
    page.locator("form[role=search] button").click()
    page.wait_for_url("**q=Lyon**")
    page.get_by_role("link", name="Rassemblement place Bellecour").click()
    page.wait_for_url("**/ar/events/**")
    assert page.locator("h1").inner_text() == "Rassemblement place Bellecour"
    assert "Europe/Paris" in page.locator(".facts").inner_text()
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "event-ar-375")

    rsvp = page.locator("form[action$='/rsvp/']")
    rsvp.locator("input[name=name]").fill("ريم")
    rsvp.locator("input[name=email]").fill("reem@example.org")
    rsvp.locator("button[type=submit]").click()
    page.wait_for_url("**/ar/events/*/rsvp/thanks/")
    assert page.evaluate(NO_OVERFLOW)
    assert Rsvp.objects.filter(event__title="Rassemblement place Bellecour", language="ar").exists()
    assert external_requests == []


def test_proposing_page_fits_a_phone(open_page, screenshot):
    page = open_page("/ar/days/global-day-of-solidarity/propose/", width=375)
    page.locator("form.stacked button[type=submit]").click()
    assert page.locator(".has-error").count() >= 5
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "propose-errors-ar-375")
