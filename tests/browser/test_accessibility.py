"""Accessibility budget (issue 17): axe-core finds no WCAG 2.2 AA violation on any public page.

Every kind of public page is checked in a left-to-right and a right-to-left language, on a phone
and a desktop. axe-core's script comes from the axe-playwright-python test extra and is injected
by the test only; the site never serves it. The demo is loaded once and one browser context per
width is reused, so the budget costs one page load per page kind, language and width.
"""

import pytest

pytestmark = pytest.mark.browser

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = [375, 1280]
LANGUAGES = ["en", "ar"]


def _public_paths():
    """One address (under /en/) for each kind of public page, read from the demo's data."""
    from tadamun.aid.models import AidOrganisation
    from tadamun.events.models import Event
    from tadamun.rebuttals.models import Claim

    event = Event.objects.get(title="Rassemblement place Bellecour")
    return {
        "home": "/en/",
        "campaign": "/en/campaigns/idlib-solidarity/",
        "petition": "/en/petitions/open-the-borders/",
        "petition thanks": "/en/petitions/open-the-borders/thanks/",
        "petition confirmed": "/en/petitions/open-the-borders/confirmed/",
        "day": "/en/days/global-day-of-solidarity/",
        "event": event.get_absolute_url(),
        "event search": "/en/events/",
        "letters": "/en/letters/",
        "letter": "/en/letters/write-to-your-minister/",
        "aid": "/en/aid/",
        "aid detail": AidOrganisation.objects.filter(status="published").first().get_absolute_url(),
        "rebuttals": "/en/rebuttals/",
        "rebuttal": Claim.objects.published().first().get_absolute_url(),
        "watch": "/en/watch/",
        "publications": "/en/publications/",
        "endorse": "/en/campaigns/idlib-solidarity/endorse/",
        "your data": "/en/my-data/",
        "not found": "/en/no-such-page/",
    }


def _describe(violation):
    nodes = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} — {nodes}"


def test_no_public_page_has_an_accessibility_violation(browser, demo_site):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
    paths = _public_paths()
    found = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 812})
        page = context.new_page()
        for language in LANGUAGES:
            for kind, path in paths.items():
                page.goto(demo_site + path.replace("/en/", f"/{language}/", 1))
                results = axe.run(page, options=options)
                assert results.response["passes"], f"axe-core checked nothing on {kind}"
                found += [
                    f"{kind} {language} {width}px: {_describe(v)}"
                    for v in results.response["violations"]
                ]
        context.close()
    assert not found, "\n".join(found)
