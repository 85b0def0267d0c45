"""A coalition admin imports supporters from another tool's export on a phone, in Arabic: the
file with a bad row gets the report by row and column, the good one is imported and the
re-permission question is one button; the page reads right to left with nothing cut and
fetches nothing from another host. Screenshots land in test-artifacts/screenshots/."""

import pytest

from tadamun.staff import roles
from tadamun.supporters.models import Consent, SupporterImport
from tests.browser.test_dashboard import NO_OVERFLOW, signed_in

pytestmark = pytest.mark.browser

HEADER = "First_Name,Last_Name,Email,Country,Language,Subscription_Status\n"


def upload(page, tmp_path, name, text):
    file = tmp_path / name
    file.write_text(HEADER + text, encoding="utf-8")
    page.locator("input[name=tool]").fill("Action Network")
    page.locator("input[name=file]").set_input_files(str(file))
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()


def test_an_import_with_its_report_and_the_re_permission_button_on_a_phone_in_arabic(
    browser, demo_site, make_staff, screenshot, tmp_path
):
    admin = make_staff(roles.COALITION_ADMIN, username="importer")
    context = signed_in(browser, demo_site, admin, 375)
    elsewhere = []
    page = context.new_page()
    page.on("request", lambda r: None if r.url.startswith(demo_site) else elsewhere.append(r.url))
    page.goto(demo_site + "/ar/admin/supporters/supporter/import/")
    assert page.locator("html").get_attribute("dir") == "rtl"

    upload(page, tmp_path, "bad.csv", "Amal,Haddad,amal@example.org,Atlantis,ar,subscribed\n")
    report = page.locator("#content table")
    report.wait_for()
    assert report.locator("tbody td").all_inner_texts()[:2] == ["2", "country"]
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "supporter-import-report-ar-375")

    upload(page, tmp_path, "good.csv", "أمل,حداد,amal.h@example.org,SY,ar,subscribed\n")
    page.wait_for_selector("form[action$='/ask/']")
    assert SupporterImport.objects.latest("pk").status == SupporterImport.Status.DONE
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "supporter-import-done-ar-375")
    page.locator("form[action$='/ask/'] input[type=submit]").click()
    page.wait_for_load_state()
    assert Consent.objects.filter(wording="imported-1").count() == 1
    assert SupporterImport.objects.latest("pk").asked_at is not None
    assert elsewhere == []
    context.close()
