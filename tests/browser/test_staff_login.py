import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tadamun.staff import roles

pytestmark = pytest.mark.browser

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def test_first_staff_login_in_arabic_on_a_phone(open_page, screenshot, external_requests):
    user = get_user_model().objects.create_user(
        "rania", password="a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=roles.MODERATOR))

    page = open_page("/ar/admin/", width=375)
    page.locator("input[name=username]").fill("rania")
    page.locator("input[name=password]").fill("a-long-test-password")
    page.locator("#login-form input[type=submit]").click()
    page.wait_for_url("**/ar/admin/login/enrol/**")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("figure.qr-code svg").is_visible()
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "staff-enrol-ar-375")

    device = TOTPDevice.objects.get(user=user)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits).token()
    key = page.locator("code.otp-secret").inner_text().replace(" ", "")
    assert key in device.config_url
    page.locator("input[name=code]").fill(f"{code:06d}")
    with page.expect_navigation():
        page.locator("#login-form input[type=submit]").click()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "staff-recovery-codes-ar-375")

    page.locator("#content-main a.button").click()
    page.wait_for_url("**/ar/admin/")
    assert page.locator("#user-tools").is_visible()
    assert external_requests == []
