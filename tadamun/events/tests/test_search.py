import re
import xml.etree.ElementTree as ET
from urllib.parse import unquote

from tadamun.events import rsvps
from tadamun.events.models import Event

DAY = "/en/days/day-of-solidarity/"


def coming(event, *emails):
    for email in emails:
        rsvps.confirm(rsvps.answer(event, rsvps.RsvpRequest(name="Noor", email=email)))


def titles(response):
    page = response.content.decode()
    return re.findall(r"<strong><bdi dir=\"auto\">([^<]+)</bdi></strong></a>", page)


def test_the_city_typed_in_any_language_finds_the_gazetteer_city(client, day, sign_up_event):
    event = sign_up_event(city="Köln")
    assert event.place.geonameid == 2886242 and round(event.place.latitude) == 51  # Cologne
    assert titles(client.get(DAY, {"city": "كولونيا"})) == ["Vigil for Idlib"]
    assert titles(client.get(DAY, {"city": "Cologne"})) == ["Vigil for Idlib"]
    assert titles(client.get(DAY, {"q": "Colonia"})) == ["Vigil for Idlib"]  # Spanish
    assert titles(client.get(DAY, {"city": "Lyon"})) == []


def test_an_unknown_city_gets_an_error_and_keeps_the_rest(client, day, proposal):
    response = client.post(f"{DAY}propose/", proposal(city="Atlantis"))
    page = response.content.decode()
    assert 'id="id_city_error"' in page and "We do not know a town called" in page
    assert 'value="Vigil for Idlib"' in page
    wrong_country = client.post(f"{DAY}propose/", proposal(city="Lyon"))  # country is DE
    assert b'id="id_city_error"' in wrong_country.content
    assert not Event.objects.exists()


def test_the_time_zone_comes_from_the_city_unless_chosen(day, sign_up_event):
    istanbul = sign_up_event(city="إسطنبول", country="TR", time_zone="", start_time="18:00")
    assert istanbul.time_zone == "Europe/Istanbul"
    assert istanbul.local_start.hour == 18 and istanbul.starts_at.hour == 15


def test_counts_by_country_and_city_with_expected_attendees(client, day, sign_up_event):
    cologne = sign_up_event(city="Cologne")
    bonn = sign_up_event(city="Bonn", title="Bonn vigil")
    lyon = sign_up_event(city="Lyon", country="FR", time_zone="", title="Rassemblement")
    coming(cologne, "a@example.org", "b@example.org")
    coming(bonn, "c@example.org")
    coming(lyon, "d@example.org")
    page = client.get(DAY).content.decode()
    assert "3 events in 2 countries." in page
    assert "4 people have said they are coming." in page
    germany = page[page.index('id="country-DE"') :]
    assert re.search(r"Germany\s*<span class=\"muted\">· 2 events · 3 coming", germany)
    assert re.search(r"Cologne</bdi> <span class=\"muted\">· 1 event · 2 coming", page)


def test_filter_by_date_in_the_venues_own_zone(client, day, sign_up_event):
    # 23:30 in Toronto on the 27th is already the 28th in UTC.
    late = sign_up_event(
        city="Toronto", country="CA", time_zone="", start_time="23:00", end_time="23:45"
    )
    sign_up_event(date="2027-03-28", title="Sunday vigil")
    assert late.starts_at.day == 28
    assert titles(client.get(DAY, {"date": "2027-03-27"})) == ["Vigil for Idlib"]
    assert titles(client.get(DAY, {"date": "2027-03-28"})) == ["Sunday vigil"]
    bad = client.get(DAY, {"date": "not-a-date"})
    assert bad.status_code == 200 and b'id="id_date_error"' in bad.content


def test_the_finder_filters_by_day_of_action(client, day, sign_up_event, campaign):
    from datetime import date

    from tadamun.events.models import DayOfAction

    sign_up_event()
    other = DayOfAction.objects.create(
        campaign=campaign,
        slug="second-day",
        title="Second day",
        starts_on=date(2027, 6, 20),
        ends_on=date(2027, 6, 20),
        status=DayOfAction.Status.PUBLISHED,
    )
    assert titles(client.get("/en/events/")) == ["Vigil for Idlib"]
    assert titles(client.get("/en/events/", {"day": other.slug})) == []
    assert titles(client.get("/en/events/", {"day": day.slug})) == ["Vigil for Idlib"]
    assert b"Second day" in client.get("/en/events/").content  # offered in the filter


def test_the_map_marks_each_city_and_links_to_its_list(client, day, sign_up_event):
    sign_up_event(city="Cologne")
    sign_up_event(city="Cologne", title="Second vigil")
    sign_up_event(city="Lyon", country="FR", time_zone="", title="Rassemblement")
    page = client.get(DAY).content.decode()
    svg = ET.fromstring(page[page.index("<svg") : page.index("</svg>") + 6])
    labels = sorted(t.text for t in svg.iter("title"))
    assert "Cologne: 2 events" in labels and "Lyon: 1 event" in labels
    links = {a.get("href") for a in svg.iter("a")}
    for href in links:
        assert f'id="{href[1:]}"' in page  # every circle leads to its city in the list
    background = next(svg.iter("image")).get("href")
    assert background.startswith("/")  # the outline comes from this site
    assert client.get(background).status_code == 200


def test_past_a_limit_the_page_lists_cities_that_lead_to_their_events(
    client, day, sign_up_event, settings
):
    def city_link(page, city):
        link = rf'<a href="\?([^"]+)"><bdi dir="auto">{city}</bdi></a> \(\d+\)'
        query = re.search(link, page).group(1)
        return set(unquote(query).replace("&amp;", "&").split("&"))

    settings.EVENTS_LISTED_AT_ONCE = 2
    sign_up_event(city="Cologne")
    sign_up_event(city="Cologne", title="Second vigil")
    sign_up_event(city="Lyon", country="FR", time_zone="", title="Rassemblement", kind="rally")
    assert titles(client.get(DAY, {"kind": "vigil"})) == ["Vigil for Idlib", "Second vigil"]
    everything = client.get(DAY)
    assert titles(everything) == []
    page = everything.content.decode()
    assert "Too many events to list them all" in page and "Cologne</bdi></a> (2)" in page
    assert city_link(page, "Cologne") == {"country=DE", "city=Köln"}  # the gazetteer's name
    assert titles(client.get(DAY, {"country": "DE", "city": "Cologne"})) == [
        "Vigil for Idlib",
        "Second vigil",
    ]

    settings.EVENTS_LISTED_AT_ONCE = 0  # the links keep the other choices
    narrowed = client.get(DAY, {"kind": "rally", "date": "2027-03-27"}).content.decode()
    assert city_link(narrowed, "Lyon") == {
        "country=FR",
        "city=Lyon",
        "kind=rally",
        "date=2027-03-27",
    }


def test_the_unsearched_page_is_kept_briefly_per_language_and_searches_are_fresh(
    client, day, sign_up_event, settings
):
    settings.EVENTS_PAGE_CACHE_SECONDS = 30
    sign_up_event()
    assert titles(client.get(DAY)) == ["Vigil for Idlib"]
    sign_up_event(title="Second vigil")
    assert titles(client.get(DAY)) == ["Vigil for Idlib"]  # kept
    assert titles(client.get(DAY, {"kind": "vigil"})) == ["Vigil for Idlib", "Second vigil"]
    arabic = client.get("/ar/days/day-of-solidarity/")
    assert titles(arabic) == ["Vigil for Idlib", "Second vigil"]
    assert 'lang="ar"' in arabic.content.decode()


def test_dates_out_of_any_calendar_get_an_error_not_a_500(client, day, sign_up_event):
    sign_up_event()
    for bad in ("9999-12-31", "0001-01-01"):
        for url in (DAY, "/en/events/"):
            response = client.get(url, {"date": bad})
            assert response.status_code == 200
            assert b'id="id_date_error"' in response.content


def test_unknown_parameters_get_the_kept_page(client, day, sign_up_event, settings):
    settings.EVENTS_PAGE_CACHE_SECONDS = 30
    sign_up_event()
    client.get(DAY)
    sign_up_event(title="Second vigil")
    assert titles(client.get(DAY, {"utm_source": "x"})) == ["Vigil for Idlib"]


def test_one_event_in_one_country_reads_in_the_singular_in_each_language(
    client, day, sign_up_event
):
    sign_up_event(city="Cologne")
    assert "1 event in 1 country." in client.get(DAY).content.decode()
    arabic = client.get(DAY.replace("/en/", "/ar/")).content.decode()
    assert "فعالية واحدة في بلد واحد." in arabic
    french = client.get(DAY.replace("/en/", "/fr/")).content.decode()
    assert "1 événement dans 1 pays." in french
