"""The organisation's public page in Arabic on a 375-px phone: a long Latin name and its
actions' titles read in their own direction, nothing wider than the screen, and "by
<organisation>" on an event's page leads there."""

import pytest

pytestmark = pytest.mark.browser

NO_OVERFLOW = "document.documentElement.scrollWidth <= 375"


def _organisation_with_actions():
    from django.contrib.auth import get_user_model

    from tadamun.coalition import member_actions
    from tadamun.coalition.models import Organisation
    from tadamun.events.models import Event
    from tadamun.petitions.models import Petition

    organisation = Organisation.objects.create(
        name="Collectif de solidarité avec les réfugiés de Lyon et de sa métropole",
        country="FR",
        kind="community",
        website="https://collectif-solidarite-refugies-lyon-metropole.example/",
    )
    organisation.organisers.add(get_user_model().objects.create_user("lyon", is_staff=True))
    petition = Petition.objects.get(slug="open-the-borders")
    Petition.objects.filter(pk=petition.pk).update(organisation=organisation)
    member_actions.moderate(Petition.objects.filter(pk=petition.pk), approve=True)
    event = Event.objects.get(title="Rassemblement place Bellecour")
    Event.objects.filter(pk=event.pk).update(organisation=organisation)
    return organisation, event


def test_the_organisations_page_in_arabic_on_a_phone(open_page, screenshot, external_requests):
    organisation, event = _organisation_with_actions()
    page = open_page(event.get_absolute_url().replace("/en/", "/ar/", 1), width=375)
    page.click(".by-organisation a")
    page.wait_for_load_state()
    assert page.url.endswith(f"/ar/organisations/{organisation.pk}/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    heading = page.locator("h1")
    assert organisation.name in heading.inner_text()
    assert heading.evaluate("element => getComputedStyle(element).direction") == "ltr"
    assert page.locator("#organisation-actions ~ ul li").count() >= 2  # petition and event
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "organisation-ar-375")
    assert not external_requests
