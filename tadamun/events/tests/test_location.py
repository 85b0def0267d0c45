"""An event's place is said once, on its page and in its calendar entry."""

import re

import pytest
from icalendar import Calendar

from tadamun.events.places import location


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (
            ("Place Beauvau", "Place Beauvau, 75008 Paris", "Paris", "France"),
            "Place Beauvau, 75008 Paris, France",
        ),
        (("", "", "Lyon", "France"), "Lyon, France"),
        (
            ("Town hall", "Rue de Paris", "Paris", "France"),
            "Town hall, Rue de Paris, Paris, France",
        ),
        (
            ("", "10 Downing St, London SW1A 2AA", "London", "UK"),
            "10 Downing St, London SW1A 2AA, UK",
        ),
        (("Domplatte", "domplatte , Köln", "Köln", "Germany"), "Domplatte, Köln, Germany"),
    ],
)
def test_each_piece_of_a_place_is_said_once(parts, expected):
    assert location(*parts) == expected


def test_the_event_page_and_calendar_do_not_repeat_the_place(client, sign_up_event):
    event = sign_up_event(
        venue_name="Place Beauvau",
        address="Place Beauvau, 75008 Paris",
        city="Paris",
        country="FR",
        time_zone="Europe/Paris",
    )
    page = client.get(f"/en/events/{event.pk}/").content.decode()
    text = re.sub(r"<[^>]+>", "", page)  # each part is isolated in its own <bdi>
    assert "Place Beauvau, 75008 Paris, France" in text
    assert text.count("Place Beauvau") == 1
    calendar = Calendar.from_ical(client.get(f"/en/events/{event.pk}/event.ics").content)
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["location"]) == "Place Beauvau, 75008 Paris, France"
