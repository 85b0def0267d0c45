"""The organiser's link moves and removes a time slot in Arabic on a phone, without
JavaScript: removal asks first, and nothing overflows at 375 px."""

from datetime import datetime, timedelta

import pytest

pytestmark = pytest.mark.browser

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def test_the_organiser_moves_then_removes_a_slot_in_arabic_on_a_phone(
    open_page, screenshot, external_requests
):
    from tadamun.events import organisers, rsvps
    from tadamun.events.links import MANAGE_EVENT
    from tadamun.events.models import Event

    event = Event.objects.get(title="Rassemblement place Bellecour")
    day = event.local_start.date()

    def at(hour):
        return datetime.combine(day, datetime.min.time(), event.zone) + timedelta(hours=hour)

    first = organisers.add_shift(event, at(10), at(12), 3)
    organisers.add_shift(event, at(12), at(14), 5)
    request = rsvps.RsvpRequest(name="سامي", email="sami@example.org", shifts=(first.pk,))
    rsvps.confirm(rsvps.answer(event, request))
    manage = f"/ar/events/manage/{MANAGE_EVENT.token(event)}/"

    page = open_page(manage + f"shifts/change/?slot={first.pk}", width=375, javascript=False)
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("input[name=start_time]").fill("10:30")
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "manage-slot-change-ar-375")
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url("**/ar/events/manage/*/")
    first.refresh_from_db()
    assert first.local_start.minute == 30

    page.locator(f"a[href$='shifts/remove/?slot={first.pk}']").click()
    page.wait_for_url("**/shifts/remove/?slot=*")
    assert page.locator("button.danger").is_visible()
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "manage-slot-remove-ar-375")
    page.locator("button.danger").click()
    page.wait_for_url("**/ar/events/manage/*/")
    assert page.locator("#shifts-heading + ul li").count() == 1
    assert page.locator("p.note[role=status]").count() == 1
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "manage-slot-removed-ar-375")
    assert external_requests == []
