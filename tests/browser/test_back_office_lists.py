"""The back office's lists in Arabic on a laptop (1280 px) and a phone (375 px), as a coalition
admin: right to left, every column of the list inside the page (no column cut, nothing to
scroll sideways on a laptop), the page itself never wider than the screen. Screenshots land in
test-artifacts/screenshots/ (issue 18 items 3 and 6)."""

import pytest

from tadamun.staff import roles
from tadamun.staff.tests.test_role_matrix import user_in
from tests.browser.test_dashboard import NO_OVERFLOW, signed_in

pytestmark = pytest.mark.browser

LISTS = [
    "supporters/supporter",
    "petitions/signature",
    "events/event",
    "coalition/endorsement",
    "mailings/mailing",
]
# Whether the list's table fits in the page: no column beyond the screen's edge.
TABLE_FITS = """() => {
  const table = document.querySelector('#result_list');
  const box = table.closest('.results');
  const page = document.documentElement.getBoundingClientRect();
  const rect = table.getBoundingClientRect();
  return box.scrollWidth <= box.clientWidth + 1 && rect.left >= page.left - 1
    && rect.right <= window.innerWidth + 1;
}"""


@pytest.mark.parametrize("width", [1280, 375])
def test_the_lists_fit_the_screen_in_arabic(width, browser, demo_site, make_staff, screenshot):
    context = signed_in(browser, demo_site, user_in(roles.COALITION_ADMIN, make_staff), width)
    page = context.new_page()
    misfits = []
    for model in LISTS:
        page.goto(f"{demo_site}/ar/admin/{model}/")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("#result_list").is_visible()
        if not (page.evaluate(NO_OVERFLOW) and page.evaluate(TABLE_FITS)):
            misfits.append(model)
        screenshot(page, f"list-{model.replace('/', '-')}-ar-{width}")
    context.close()
    assert misfits == []
