"""The first screen of a phone: each action page shows its primary action without scrolling.

Measured at 375×812 (a common phone) in a left-to-right and a right-to-left language, the way a
new visitor arrives. Screenshots (the whole page, and its first screen) go to the test
artefacts, or to the folder MOBILE_SHOTS names, to be looked at.
"""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
SHOTS = Path(os.environ.get("MOBILE_SHOTS") or ARTIFACTS)  # to look at them elsewhere
NO_OVERFLOW = "document.documentElement.scrollWidth <= 375"
HEADER_BUDGET = 64  # px: the brand, the language and the menu on one row (56 px today)


def _event_path():
    from tadamun.events.models import Event

    return Event.objects.get(title="Rassemblement place Bellecour").get_absolute_url()


# The page, and the element whose top edge must be on the first screen.
ACTION_PAGES = {
    "home": (lambda lang: f"/{lang}/", ".hero .primary-action"),
    "petition": (lambda lang: f"/{lang}/petitions/open-the-borders/", ".primary-action"),
    "letter": (lambda lang: f"/{lang}/letters/write-to-your-minister/", ".primary-action"),
    "event": (lambda lang: _event_path().replace("/en/", f"/{lang}/", 1), ".primary-action"),
}


@pytest.fixture
def phone(browser, demo_site_to_read, db, external_requests):
    """open_(path, width=...) → a page of the demo site, which these tests only read."""
    demo_site = demo_site_to_read
    contexts = []

    def open_(path, *, javascript=True, width=PHONE["width"]):
        context = browser.new_context(
            viewport={"width": width, "height": PHONE["height"]}, java_script_enabled=javascript
        )
        contexts.append(context)
        page = context.new_page()
        page.on(
            "request",
            lambda r: (
                None if r.url.startswith((demo_site, "data:")) else external_requests.append(r.url)
            ),
        )
        page.goto(demo_site + path)
        return page

    yield open_
    for context in contexts:
        context.close()


def _shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.screenshot(path=str(SHOTS / f"{name}-fold.png"))


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("name", list(ACTION_PAGES))
def test_primary_action_is_on_the_first_screen_of_a_phone(phone, external_requests, name, language):
    path, action = ACTION_PAGES[name]
    page = phone(path(language))
    _shoot(page, f"{name}-{language}-375")
    assert page.locator(action).count(), f"{name}: no {action}"
    box = page.locator(action).first.bounding_box()
    assert box is not None, f"{name}: no visible {action}"
    header = page.locator(".site-header").bounding_box()["height"]
    print(f"{name} {language}: action at {box['y']:.0f} px, header {header:.0f} px")  # with -s
    assert box["y"] + 44 <= PHONE["height"], f"{name}: the action starts at {box['y']} px"
    assert page.evaluate(NO_OVERFLOW), f"{name} scrolls sideways"
    assert header <= HEADER_BUDGET
    assert external_requests == []


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("name", list(ACTION_PAGES))
def test_action_pages_on_a_desktop(phone, name, language):
    path, _action = ACTION_PAGES[name]
    page = phone(path(language), width=1280)
    _shoot(page, f"{name}-{language}-1280")
    assert page.evaluate("document.documentElement.scrollWidth <= 1280")


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_events_map_fills_the_width_with_circles_big_enough_to_tap(phone, language, width):
    page = phone(f"/{language}/days/global-day-of-solidarity/", width=width)
    _shoot(page, f"day-{language}-{width}")
    world = page.locator("svg.world-map").bounding_box()
    assert world["width"] >= min(width, 1152) - 34  # the page's margins only
    circles = page.locator("svg.world-map circle")
    assert circles.count() >= 3
    for i in range(circles.count()):
        box = circles.nth(i).bounding_box()
        assert min(box["width"], box["height"]) >= 24, f"circle {i} is {box['width']} px"
        assert world["x"] <= box["x"] and box["x"] + box["width"] <= world["x"] + world["width"]
    counts = page.locator("svg.world-map text.world-map-count")
    assert counts.count() == circles.count() and counts.first.is_visible()
    assert page.evaluate(f"document.documentElement.scrollWidth <= {width}")


CHART_TEXTS = """() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const box = svg.getBoundingClientRect(), scale = box.width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(text => {
    const r = text.getBoundingClientRect();
    return {text: text.textContent, px: parseFloat(getComputedStyle(text).fontSize) * scale,
            inside: r.left >= box.left - 1 && r.right <= box.right + 1};
  });
})"""


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_petition_charts_have_readable_dated_labels_inside_their_box(phone, language, width):
    page = phone(f"/{language}/petitions/open-the-borders/", width=width)
    texts = page.evaluate(CHART_TEXTS)
    assert len(texts) >= 2 * 3 + 3  # names and values of the countries, three dates
    for text in texts:
        assert text["px"] >= 14, f"{text['text']} is drawn at {text['px']:.1f} px"
        assert text["inside"], f"{text['text']} is cut off at the chart's edge"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_folded_menu_opens_without_javascript(phone, language):
    page = phone(f"/{language}/", javascript=False)
    main_nav = page.locator("nav.main-nav, .main-menu nav")
    assert not main_nav.is_visible()  # folded on a phone
    page.locator(".main-menu > summary").click()
    assert main_nav.is_visible()
    _shoot(page, f"menu-{language}-375")
    page.locator(".main-menu nav a").nth(1).click()  # Petitions
    page.wait_for_url(f"**/{language}/petitions/")
    page.locator(".languages-menu > summary").click()
    page.locator(".languages-menu nav a[hreflang=fr]").click()
    page.wait_for_url("**/fr/petitions/")


def test_on_a_desktop_the_menus_lie_open_and_action_cards_form_an_even_grid(phone):
    page = phone("/en/", width=1280)
    assert page.locator(".main-menu nav").is_visible()
    assert page.locator(".languages-menu nav").is_visible()
    assert not page.locator(".main-menu > summary").is_visible()
    cards = [page.locator(".actions .action-card").nth(i).bounding_box() for i in range(5)]
    rows = {}
    for card in cards:
        rows.setdefault(round(card["y"]), []).append(card)
    for row in rows.values():  # cards of a row are as tall as each other and fill it
        assert len({round(card["height"]) for card in row}) == 1
        assert len(row) > 1
    spans = {
        round(max(c["x"] + c["width"] for c in row) - min(c["x"] for c in row))
        for row in rows.values()
    }
    assert len(spans) == 1  # every row spans the same width
