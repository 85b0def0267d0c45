"""A campaign page in Arabic on a phone: every part of the campaign, right to left, without
sideways scrolling and without a request to another host. Its screenshot goes to the test
artefacts, to be looked at."""

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
PARTS = ["part-letters", "part-watch", "part-aid", "part-claims"]


def test_the_campaign_page_in_arabic_shows_all_its_parts_on_a_phone(browser, demo_site, screenshot):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    elsewhere = []
    page.on("request", lambda r: None if r.url.startswith(demo_site) else elsewhere.append(r.url))
    page.goto(f"{demo_site}/ar/campaigns/idlib-solidarity/")
    screenshot(page, "campaign-ar-375")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".actions .action-card").count() >= 3  # day, petition, statement...
    assert page.locator(".card-list").first.is_visible()  # publications
    for part in PARTS:
        heading = page.locator(f"#{part}")
        assert heading.is_visible(), part
        section = page.locator(f"section[aria-labelledby='{part}'] li")
        assert section.count() >= 1, part
    # In the reader's language: the watch list's actor too.
    assert (
        page.locator("section[aria-labelledby='part-watch']")
        .get_by_text("وزارة الهجرة والاندماج الدنماركية (مثال تجريبي)")
        .is_visible()
    )
    assert page.evaluate("document.documentElement.scrollWidth <= 375"), "scrolls sideways"
    assert elsewhere == []
    context.close()
