import pytest

from tadamun.events.models import Rsvp

pytestmark = pytest.mark.browser

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def test_finding_an_event_in_arabic_on_a_phone(open_page, screenshot, external_requests):
    page = open_page("/ar/days/global-day-of-solidarity/", width=375)
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("svg.world-map circle").first.wait_for()
    # One circle per city with events, or per cluster of nearby cities naming each of them.
    labels = page.locator("svg.world-map a").evaluate_all("links => links.map(a => a.ariaLabel)")
    assert sum(len(label.split("; ")) for label in labels) >= 7
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "day-map-ar-375")
    page.locator("input[name=city]").fill("ليون")  # Lyon, typed in Arabic
    page.locator("form[role=search] button").click()
    page.wait_for_url("**city=**")
    assert page.locator("svg.world-map circle").count() == 1
    page.get_by_role("link", name="Rassemblement place Bellecour").click()
    page.wait_for_url("**/ar/events/**")
    assert page.locator("h1").inner_text() == "Rassemblement place Bellecour"
    assert "UTC+1" in page.locator(".facts").inner_text()
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


def test_an_organiser_manages_their_event_in_arabic_on_a_phone(
    open_page, screenshot, external_requests
):
    from django.core import mail

    from tadamun.events import rsvps
    from tadamun.events.links import MANAGE_EVENT
    from tadamun.events.models import Event

    event = Event.objects.get(title="وقفة تضامن مع إدلب")
    rsvps.confirm(rsvps.answer(event, rsvps.RsvpRequest(name="ريم", email="reem@example.org")))
    page = open_page(f"/ar/events/manage/{MANAGE_EVENT.token(event)}/", width=375)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#attendees-heading + .table-scroll tbody tr").count() >= 1
    page.locator("input[name=subject]").fill("نقطة اللقاء")
    page.locator("textarea[name=body]").fill("نلتقي عند البوابة الشمالية.")
    page.locator("form[action$='/write/'] button").click()
    page.locator(".note.success").wait_for()
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "manage-ar-375")
    assert any(message.subject.endswith("نقطة اللقاء") for message in mail.outbox)

    page.get_by_role("link", name=page.locator("a[href$='/edit/']").inner_text()).click()
    page.wait_for_url("**/edit/")
    assert page.locator("input[name=city]").input_value() == "غازي عنتاب"
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "manage-edit-ar-375")
    assert external_requests == []


def test_proposing_page_fits_a_phone(open_page, screenshot):
    page = open_page("/ar/days/global-day-of-solidarity/propose/", width=375)
    with page.expect_navigation():
        page.locator("form.stacked button[type=submit]").click()
    assert page.locator(".has-error").count() >= 5
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "propose-errors-ar-375")
