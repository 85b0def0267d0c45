"""The campaign page's members' actions (issue 19, item 5) stay a few per country however many
organisations the coalition has: "See all" leads to a page of their own, a page at a time, in
the reader's collation; neither page's number of queries grows with the members."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tadamun.coalition.models import Organisation
from tadamun.events.models import DayOfAction, Event
from tadamun.front import members
from tadamun.front.tests.test_organisation_page import letter_campaign, petition


def member(name: str, country: str) -> Organisation:
    organisation = Organisation.objects.create(name=name, country=country, kind="ngo")
    organiser = get_user_model().objects.create_user(name.lower().replace(" ", "-"), is_staff=True)
    organisation.organisers.add(organiser)
    return organisation


@pytest.fixture
def day(campaign):
    return DayOfAction.objects.create(
        campaign=campaign,
        slug="global-day",
        title="Global day",
        starts_on=date(2027, 3, 27),
        ends_on=date(2027, 3, 28),
        status=DayOfAction.Status.PUBLISHED,
    )


def event(day, organisation, title: str) -> Event:
    starts = datetime(2027, 3, 27, 17, tzinfo=UTC)
    return Event.objects.create(
        day=day,
        organisation=organisation,
        title=title,
        kind="vigil",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        time_zone="Europe/Paris",
        city="Lyon",
        country=organisation.country,
        language="fr",
        status=Event.Status.APPROVED,
    )


def members_with_actions(campaign, day, count: int, country: str = "FR") -> None:
    """`count` member organisations of `country`, each with a petition, a letter campaign
    and an event."""
    made = Organisation.objects.count()
    for n in range(made, made + count):
        organisation = member(f"Group {country} {n}", country)
        petition(campaign, organisation, f"p-{country.lower()}-{n}")
        letter_campaign(campaign, organisation, f"l-{country.lower()}-{n}")
        event(day, organisation, f"Event {country} {n}")


def section(html: str) -> str:
    return html[html.index('id="members-actions"') :]


def test_the_campaign_page_lists_a_few_actions_per_country_and_links_to_all(client, campaign, day):
    members_with_actions(campaign, day, 3, "FR")  # 9 actions
    members_with_actions(campaign, day, 1, "DE")  # 3 actions
    shown = section(client.get(f"/en/campaigns/{campaign.slug}/").content.decode())
    # "France" sorts before "Germany" in English.
    france = shown[shown.index('id="members-fr"') : shown.index('id="members-de"')]
    assert france.count('class="by-organisation"') == members.SHOWN_PER_COUNTRY
    assert "See all 9 actions from France" in france
    assert f"/en/campaigns/{campaign.slug}/members/?country=FR" in france
    germany = shown[shown.index('id="members-de"') :]
    assert germany.count('class="by-organisation"') == 3
    assert "from Germany" not in germany  # all of its 3 are on the page


def test_the_page_of_all_a_countrys_actions_goes_a_page_at_a_time(client, campaign, day):
    members_with_actions(campaign, day, 12, "FR")  # 36 actions: 30, then 6
    members_with_actions(campaign, day, 1, "DE")
    url = f"/fr/campaigns/{campaign.slug}/members/?country=FR"
    first = client.get(url).content.decode()
    assert first.count('class="by-organisation"') == 30
    assert "Allemagne" not in first and "Group DE" not in first
    assert "country=FR&amp;page=2" in first  # the next page keeps the country
    second = client.get(url + "&page=2").content.decode()
    assert second.count('class="by-organisation"') == 6
    assert client.get(url + "&page=abc").status_code == 200  # the first page


def test_the_page_of_every_country_follows_the_readers_collation(client, campaign, day):
    for country in ("FR", "DE", "EG"):
        members_with_actions(campaign, day, 1, country)
    html = client.get(f"/de/campaigns/{campaign.slug}/members/").content.decode()
    # "Ägypten" sorts with A (Unicode collation), before "Deutschland" and "Frankreich".
    order = [html.index(f'id="members-{code}"') for code in ("eg", "de", "fr")]
    assert order == sorted(order)
    assert client.get(f"/ar/campaigns/{campaign.slug}/members/").status_code == 200


@pytest.mark.parametrize("country", ["ZZ", "<script>", "FRANCE"])
def test_a_country_that_is_none_is_not_found(client, campaign, country):
    response = client.get(f"/en/campaigns/{campaign.slug}/members/", {"country": country})
    assert response.status_code == 404


def test_a_waiting_or_orphaned_action_is_on_neither_page(client, campaign, day):
    members_with_actions(campaign, day, 1, "FR")
    waiting = member("Waiting group", "FR")
    petition(campaign, waiting, "waiting-petition", approved=False)
    orphaned = member("Orphaned group", "FR")
    petition(campaign, orphaned, "orphaned-petition")
    orphaned.organisers.clear()
    for path in ("", "members/", "members/?country=FR"):
        html = client.get(f"/en/campaigns/{campaign.slug}/{path}").content.decode()
        assert "Petition p-fr-" in html
        assert "waiting-petition" not in html and "orphaned-petition" not in html


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as run:
        assert client.get(url).status_code == 200
    return len(run)


def test_neither_page_costs_more_queries_with_more_members(client, campaign, day):
    pages = [
        f"/en/campaigns/{campaign.slug}/",
        f"/en/campaigns/{campaign.slug}/members/",
        f"/en/campaigns/{campaign.slug}/members/?country=FR",
    ]
    members_with_actions(campaign, day, 2, "FR")
    for url in pages:
        queries_of(client, url)  # caches filled (site identity, countries)
    few = [queries_of(client, url) for url in pages]
    members_with_actions(campaign, day, 19, "DE")  # 40 organisations in all
    members_with_actions(campaign, day, 19, "FR")
    many = [queries_of(client, url) for url in pages]
    # Never more: a page that shows no action of a kind does not read that kind.
    assert all(at_40 <= at_2 for at_40, at_2 in zip(many, few, strict=True)), (few, many)
