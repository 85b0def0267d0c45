"""An organisation's report in Arabic on a 375 px phone, without JavaScript: right to left,
the charts drawn, nothing overflowing, nothing fetched from another host. The screenshot lands
in test-artifacts/screenshots/organisation-report-ar-375.png."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import localize

from tadamun.coalition.models import Campaign, Organisation
from tadamun.petitions.models import CountryCount, DailyCount, Petition
from tadamun.staff import roles

pytestmark = pytest.mark.browser

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def test_an_organisations_report_in_arabic_on_a_phone(
    browser, demo_site, make_staff, screenshot, external_requests
):
    organisation = Organisation.objects.create(name="تضامن غازي عنتاب", country="TR")
    organiser = make_staff(roles.ORGANISER, username="gaziantep-organiser")
    organisation.organisers.add(organiser)
    petition = Petition.objects.create(
        campaign=Campaign.objects.first(),
        organisation=organisation,
        slug="gaziantep-city-council",
        title="Open the city's shelters",
        target="Gaziantep city council",
        language="en",
        body="We ask...",
        status=Petition.Status.OPEN,
    )
    today = timezone.now().date()
    Petition.objects.filter(pk=petition.pk).update(confirmed_count=1234)
    for days_ago, count in ((0, 400), (1, 34), (5, 800)):
        DailyCount.objects.create(petition=petition, day=today - timedelta(days_ago), count=count)
    for country, count in (("TR", 1000), ("SY", 200), ("DE", 34)):
        CountryCount.objects.create(petition=petition, country=country, count=count)

    client = Client()
    client.force_login(organiser)
    context = browser.new_context(viewport={"width": 375, "height": 900}, java_script_enabled=False)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": demo_site,
            }
        ]
    )
    page = context.new_page()
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((demo_site, "data:"))
            else external_requests.append(request.url)
        ),
    )
    page.goto(f"{demo_site}/ar/admin/coalition/organisation/{organisation.pk}/report/")
    screenshot(page, "organisation-report-ar-375")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("svg.chart").count() == 3  # by day, country, source: no letters
    assert "تضامن غازي عنتاب" in page.locator("h1").inner_text()
    by_country = page.locator("svg.chart").nth(1)  # Türkiye's bar, the longest
    assert by_country.locator(".chart-bar").first.bounding_box()["width"] > 100
    with translation.override("ar"):
        total = localize(1234)  # as the reader writes it
    assert page.locator("#signatures-heading").inner_text().startswith(total)
    assert page.evaluate(NO_OVERFLOW)
    context.close()
    assert external_requests == []
