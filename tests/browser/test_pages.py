import pytest

from tadamun.coalition.models import Endorsement

pytestmark = pytest.mark.browser

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("ar", "rtl")])
@pytest.mark.parametrize("page_name", ["home", "campaign"])
def test_pages_lay_out_in_both_directions_without_overflow(
    open_page, screenshot, external_requests, language, direction, width, page_name
):
    path = {"home": f"/{language}/", "campaign": f"/{language}/campaigns/idlib-solidarity/"}
    page = open_page(path[page_name], width=width)
    html = page.locator("html")
    assert html.get_attribute("dir") == direction
    assert html.get_attribute("lang") == language
    assert page.evaluate(NO_OVERFLOW), "the page scrolls sideways"
    if direction == "rtl":
        # Mirrored layout: the brand sits at the right edge, the heading is right-aligned.
        brand = page.locator(".brand").bounding_box()
        assert brand["x"] > width / 2 - brand["width"]
        assert page.evaluate("getComputedStyle(document.querySelector('h1')).direction") == "rtl"
    screenshot(page, f"{page_name}-{language}-{width}")
    assert external_requests == []


def test_switching_language_works_without_javascript(open_page):
    page = open_page("/en/campaigns/idlib-solidarity/", javascript=False)
    page.get_by_role("navigation", name="Language").get_by_role("link", name="العربيّة").click()
    page.wait_for_url("**/ar/campaigns/idlib-solidarity/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() != "Defend the civilians of Idlib — open the borders"


def test_submitting_an_endorsement_on_a_phone(open_page, screenshot, external_requests):
    page = open_page("/en/campaigns/idlib-solidarity/endorse/", width=375)
    page.get_by_label("Name of your organisation").fill("Rotterdam Refugee Welcome")
    page.get_by_label("Country").select_option("NL")
    page.get_by_label("Kind of organisation").select_option("community")
    page.get_by_label("Your name").fill("Noor")
    page.get_by_label("Your email address").fill("noor@example.org")
    # The page posts back to itself: wait for the answer before reading it.
    with page.expect_navigation():
        page.get_by_role("button", name="Send the endorsement").click()
    # The authorisation box was left unticked: the error stands beside it, input is kept.
    assert page.get_by_text("Please confirm that you may speak for your organisation.").is_visible()
    assert page.get_by_label("Name of your organisation").input_value() == (
        "Rotterdam Refugee Welcome"
    )
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "endorse-error-en-375")

    page.get_by_label("I am authorised").check()
    page.get_by_role("button", name="Send the endorsement").click()
    page.wait_for_url("**/endorse/thanks/")
    assert page.get_by_role("heading", name="Check your email").is_visible()
    # The organisation is made only when the contact confirms.
    endorsement = Endorsement.objects.get(submitted_name="Rotterdam Refugee Welcome")
    assert endorsement.status == Endorsement.Status.UNCONFIRMED
    assert external_requests == []


def test_endorsement_form_in_arabic_on_a_phone(open_page, screenshot):
    page = open_page("/ar/campaigns/idlib-solidarity/endorse/", width=375)
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()
    assert page.locator(".has-error").count() >= 4
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "endorse-error-ar-375")
