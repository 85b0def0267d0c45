"""The first screen of a phone: each action page shows its primary action without scrolling.

Measured at 375×812 (a common phone) in a left-to-right and a right-to-left language, the way a
new visitor arrives; screenshots go to /tmp/mobile-shots/ to be looked at.
"""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
SHOTS = Path("/tmp/mobile-shots")
NO_OVERFLOW = "document.documentElement.scrollWidth <= 375"
HEADER_BUDGET = 72  # px: the brand, the menu and the languages on one or two short rows


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
def phone(browser, demo_site, external_requests):
    contexts = []

    def open_(path, *, javascript=True, width=PHONE["width"]):
        context = browser.new_context(
            viewport={"width": width, "height": PHONE["height"]}, java_script_enabled=javascript
        )
        contexts.append(context)
        page = context.new_page()
        page.on(
            "request",
            lambda r: None if r.url.startswith((demo_site, "data:")) else external_requests.append(r.url),
        )
        page.goto(demo_site + path)
        return page

    yield open_
    for context in contexts:
        context.close()


def _shoot(page, name):
    SHOTS.mkdir(exist_ok=True)
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
    assert box["y"] + 44 <= PHONE["height"], f"{name}: the action starts at {box['y']} px"
    assert page.evaluate(NO_OVERFLOW), f"{name} scrolls sideways"
    assert page.locator(".site-header").bounding_box()["height"] <= HEADER_BUDGET
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
