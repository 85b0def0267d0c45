"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against a live server.

.ci/run installs chromium; on a machine without it these tests skip, except under CI.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses database access
# from such a thread unless told the access really is synchronous, which it is here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing: .ci/run should have installed it")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_site(transactional_db, live_server):
    from tadamun.demo.loader import load

    load(signers=0.1)
    return live_server.url


@pytest.fixture(scope="module")
def demo_site_to_read(django_db_setup, django_db_blocker):
    """The demo site loaded (and committed) once for a module whose tests only read it: they
    open pages and follow links, and submit nothing. It has a live server of its own, since
    pytest-django's `live_server` empties the tables after every test; the tables are emptied
    after the module's last test as after any test that commits. A module uses this or
    `demo_site` (loaded again for each test), never both."""
    from django.core.management import call_command
    from pytest_django.live_server_helper import LiveServer

    from tadamun.demo.loader import load

    with django_db_blocker.unblock():
        load(signers=0.1)
    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    try:
        yield server.url
    finally:
        server._live_server_modified_settings.disable()
        server.stop()
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def external_requests():
    """Collects every request a page makes to a host other than the live server."""
    return []


@pytest.fixture
def open_page(browser, demo_site, external_requests):
    contexts = []

    def open_(path, *, width=1280, javascript=True):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, java_script_enabled=javascript
        )
        contexts.append(context)
        page = context.new_page()
        page.on(
            "request",
            lambda request: (
                None
                if request.url.startswith(demo_site) or request.url.startswith("data:")
                else external_requests.append(request.url)
            ),
        )
        page.goto(demo_site + path)
        return page

    yield open_
    for context in contexts:
        context.close()
