"""An event split into time slots, repeated weekly, read and answered in Arabic on a phone."""

from datetime import datetime, timedelta

import pytest

pytestmark = pytest.mark.browser

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def test_choosing_a_time_slot_in_arabic_on_a_phone(open_page, screenshot, external_requests):
    from tadamun.events import organisers, rsvps, services
    from tadamun.events.models import Event, ShiftAnswer

    event = Event.objects.get(title="Rassemblement place Bellecour")
    day = event.local_start.date()

    def at(hour):
        return datetime.combine(day, datetime.min.time(), event.zone) + timedelta(hours=hour)

    full = organisers.add_shift(event, at(10), at(12), 1)
    open_slot = organisers.add_shift(event, at(12), at(14), 5)
    rsvps.confirm(
        rsvps.answer(
            event, rsvps.RsvpRequest(name="سامي", email="sami@example.org", shifts=(full.pk,))
        )
    )
    services.repeat(event, services.weekly(day, 3))

    page = open_page(f"/ar/events/{event.pk}/", width=375)
    assert page.locator("html").get_attribute("dir") == "rtl"
    slots = page.locator("#shifts-heading + ul li")
    assert slots.count() == 2
    assert "قائمة انتظار" in slots.nth(0).inner_text()  # full: waiting list
    assert page.locator("#other-dates-heading + ul li").count() == 2
    rsvp = page.locator("form[action$='/rsvp/']")
    rsvp.locator("input[name=name]").fill("ريم")
    rsvp.locator("input[name=email]").fill("reem@example.org")
    rsvp.locator(f"input[name=shifts][value='{open_slot.pk}']").check()
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "event-shifts-ar-375")
    rsvp.locator("button[type=submit]").click()
    page.wait_for_url("**/ar/events/*/rsvp/thanks/")
    assert page.evaluate(NO_OVERFLOW)
    chosen = ShiftAnswer.objects.get(rsvp__language="ar", shift__event=event)
    assert chosen.shift_id == open_slot.pk and chosen.rsvp.name == "ريم"

    from tadamun.events.links import MANAGE_EVENT

    rsvps.confirm(chosen.rsvp)
    page = open_page(f"/ar/events/manage/{MANAGE_EVENT.token(event)}/", width=375)
    assert page.locator("#series-heading + p + ul li").count() == 3
    assert page.locator("#shifts-heading + ul li").count() == 2
    assert "ريم" in page.locator("#attendees-heading + .table-scroll").inner_text()
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "manage-shifts-ar-375")
    assert external_requests == []
