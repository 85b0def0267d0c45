"""Days of action are listed soonest first; calendars are named by their title."""

from datetime import date

from tadamun.coalition.models import CampaignTranslation
from tadamun.events.models import DayOfAction


def make_day(campaign, slug, starts_on, title):
    return DayOfAction.objects.create(
        campaign=campaign,
        slug=slug,
        title=title,
        starts_on=starts_on,
        ends_on=starts_on,
        status=DayOfAction.Status.PUBLISHED,
    )


def test_days_are_listed_in_date_order_whatever_their_creation_order(client, campaign):
    make_day(campaign, "late", date(2027, 12, 30), "Late day")
    make_day(campaign, "early", date(2027, 12, 19), "Early day")
    make_day(campaign, "middle", date(2027, 12, 24), "Middle day")
    page = client.get("/en/days/").content.decode()
    positions = [page.index(title) for title in ("Early day", "Middle day", "Late day")]
    assert positions == sorted(positions)


def test_a_campaigns_calendar_is_named_by_its_title_in_the_readers_language(client, campaign):
    CampaignTranslation.objects.create(
        campaign=campaign, language="fr", title="Ouvrez les frontières", summary="", body=""
    )
    english = client.get("/en/campaigns/open-borders/calendar.ics")
    assert english["Content-Disposition"] == 'inline; filename="open-the-borders.ics"'
    assert b"X-WR-CALNAME:Open the borders" in english.content
    french = client.get("/fr/campaigns/open-borders/calendar.ics")
    assert french["Content-Disposition"] == (
        "inline; filename*=utf-8''ouvrez-les-fronti%C3%A8res.ics"  # RFC 6266: "frontières"
    )


def test_a_title_in_arabic_names_the_file_in_arabic(client, campaign):
    CampaignTranslation.objects.create(
        campaign=campaign, language="ar", title="افتحوا الحدود", summary="", body=""
    )
    response = client.get("/ar/campaigns/open-borders/calendar.ics")
    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''%D8%A7%D9%81%D8%AA%D8%AD%D9%88%D8%A7-"
        "%D8%A7%D9%84%D8%AD%D8%AF%D9%88%D8%AF.ics"
    )


def test_an_unknown_campaigns_calendar_is_a_404(client, db):
    assert client.get("/en/campaigns/nothing-here/calendar.ics").status_code == 404
