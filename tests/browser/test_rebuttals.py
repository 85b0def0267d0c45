from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def test_checking_a_claim_typed_in_arabic_on_a_phone(
    open_page, screenshot, external_requests, demo_site
):
    page = open_page("/ar/rebuttals/", width=375)
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("input[name=q]").fill("اللاجئين")
    page.locator("form[role=search] button").click()
    page.wait_for_url("**q=**")
    titles = page.locator(".card-list h2").all_inner_texts()
    assert "«سوريا آمنة الآن: يستطيع اللاجئون العودة ببساطة.»" in titles
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "rebuttals-ar-375")
    page.get_by_role("link", name="«سوريا آمنة الآن: يستطيع اللاجئون العودة ببساطة.»").click()
    page.wait_for_url("**/ar/rebuttals/syria-is-safe/")
    assert page.locator(".verdict-block strong").inner_text() == "خطأ"  # verdict: false
    card = page.locator("meta[property='og:image']").get_attribute("content")
    assert card.endswith("/ar/rebuttals/syria-is-safe/card.png")
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "claim-ar-375")
    page.goto(demo_site + urlsplit(card).path)  # the tag names SITE_URL, not the test server
    screenshot(page, "claim-card-ar")
    assert external_requests == []
