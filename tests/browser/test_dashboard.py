"""The back office's first page in Arabic, on a laptop and on a phone: the moderator's and the
coalition admin's dashboards read right to left, nothing overflows, nothing is fetched from
another host. Screenshots land in test-artifacts/screenshots/."""

import pytest
from django.conf import settings
from django.test import Client

from tadamun.staff import roles
from tadamun.staff.tests.test_role_matrix import user_in

pytestmark = pytest.mark.browser

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def signed_in(browser, demo_site, user, width):
    """A browser context holding the session of `user` after both login steps."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": demo_site,
            }
        ]
    )
    return context


@pytest.mark.parametrize(
    "role", [roles.MODERATOR, roles.COALITION_ADMIN, roles.TRANSLATOR, roles.ORGANISER]
)
def test_dashboard_in_arabic_on_a_laptop_and_a_phone(
    role, browser, demo_site, make_staff, screenshot
):
    user = user_in(role, make_staff)
    elsewhere = []
    for width in (1280, 375):
        context = signed_in(browser, demo_site, user, width)
        page = context.new_page()
        page.on(
            "request",
            lambda request: (
                None
                if request.url.startswith((demo_site, "data:"))
                else elsewhere.append(request.url)
            ),
        )
        page.goto(demo_site + "/ar/admin/")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator(".dashboard-panel").first.is_visible()
        assert page.evaluate(NO_OVERFLOW), (role, width)
        screenshot(page, f"dashboard-{user.username}-ar-{width}")
        context.close()
    assert elsewhere == []
