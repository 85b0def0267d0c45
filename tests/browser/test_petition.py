import pytest

from tadamun.petitions.models import Signature

pytestmark = pytest.mark.browser

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def test_signing_a_petition_in_arabic_on_a_phone(open_page, screenshot, external_requests):
    page = open_page("/ar/petitions/open-the-borders/?source=isn", width=375)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "petition-ar-375")

    form = page.locator("form[action$='/sign/']")
    form.locator("input[name=name]").fill("ريم الحلبي")
    form.locator("input[name=email]").fill("reem@example.org")
    form.locator("select[name=country]").select_option("TR")
    form.locator("input[name=show_name]").check()
    form.locator("input[name=shares_with_partner]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/ar/petitions/open-the-borders/thanks/")
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "petition-thanks-ar-375")

    signature = Signature.objects.get(public_name="ريم")
    assert signature.language == "ar" and signature.source == "isn"
    assert signature.status == Signature.Status.UNCONFIRMED
    assert external_requests == []


def test_petition_page_on_a_desktop(open_page, screenshot):
    page = open_page("/en/petitions/open-the-borders/", width=1280)
    assert page.evaluate(NO_OVERFLOW)
    assert page.locator("svg.chart").count() == 2
    screenshot(page, "petition-en-1280")
