"""The campaign page's member actions by country (issue 19.5), in Arabic on a phone: right to
left, country names in Arabic, no sideways scrolling. Its screenshot goes to the artefacts."""

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def member_petition(campaign, name, country, slug, title):
    from django.contrib.auth import get_user_model

    from tadamun.coalition import member_actions
    from tadamun.coalition.models import Organisation
    from tadamun.petitions.models import Petition

    organisation = Organisation.objects.create(name=name, country=country, kind="ngo")
    organisation.organisers.add(get_user_model().objects.create_user(slug, is_staff=True))
    petition = Petition.objects.create(
        campaign=campaign,
        organisation=organisation,
        slug=slug,
        title=title,
        target="المجلس البلدي",
        summary="مدينة ملجأ.",
        language="ar",
        status=Petition.Status.OPEN,
    )
    member_actions.moderate(Petition.objects.filter(pk=petition.pk), approve=True)


def test_members_actions_by_country_read_right_in_arabic_on_a_phone(browser, demo_site, screenshot):
    from tadamun.coalition.models import Campaign

    campaign = Campaign.objects.get(slug="idlib-solidarity")
    member_petition(campaign, "Collectif Lyon", "FR", "lyon-refuge", "لتكن ليون مدينة ملجأ")
    member_petition(
        campaign, "Gaziantep Dayanışma Ağı للتضامن", "TR", "antep", "افتحوا مراكز الاستقبال"
    )
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{demo_site}/ar/campaigns/idlib-solidarity/#members-actions")
    section = page.locator("section[aria-labelledby='members-actions']")
    section.scroll_into_view_if_needed()
    screenshot(page, "campaign-members-ar-375")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert section.get_by_role("heading", name="تركيا").is_visible()
    assert section.get_by_role("heading", name="فرنسا").is_visible()
    assert section.get_by_text("لتكن ليون مدينة ملجأ").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= 375"), "scrolls sideways"
    context.close()
