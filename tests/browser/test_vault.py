"""The vault's staff page as a coalition admin uses it in a panic, in Arabic on a phone and a
laptop: "lock now" drops the keys, the supporters' list then says the vault is locked, two
shares unlock it again. Screenshots land in test-artifacts/screenshots/."""

import pytest

from tadamun import vault
from tadamun.staff import roles
from tadamun.staff.tests.test_role_matrix import user_in
from tadamun.vault.tests.conftest import sealed  # noqa: F401 - fixture
from tests.browser.test_dashboard import NO_OVERFLOW, signed_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [375, 1280])
def test_lock_now_and_unlock_in_arabic(
    width,
    browser,
    demo_site,
    make_staff,
    screenshot,
    sealed,  # noqa: F811
):
    context = signed_in(browser, demo_site, user_in(roles.COALITION_ADMIN, make_staff), width)
    page = context.new_page()
    page.goto(demo_site + "/ar/admin/vault/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#vault-state").get_attribute("data-state") == "unlocked"
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, f"vault-unlocked-ar-{width}")
    page.get_by_role("button", name="أقفل الآن").click()
    assert page.locator("#vault-state").get_attribute("data-state") == "locked"
    assert vault.state() == "locked"
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, f"vault-locked-ar-{width}")
    page.goto(demo_site + "/ar/admin/supporters/supporter/")
    assert "الخزنة مقفلة" in page.content()
    screenshot(page, f"vault-locked-supporters-ar-{width}")
    page.goto(demo_site + "/ar/admin/vault/")
    page.locator("#id_shares").fill("\n".join(sealed[:2]))
    page.get_by_role("button", name="افتح").click()
    assert page.locator("#vault-state").get_attribute("data-state") == "unlocked"
    context.close()
