"""The venue's time zone is chosen by country and city, in the reader's language."""

import re

import pytest

from tadamun.events.models import Event
from tadamun.events.tests.test_events import PROPOSE, propose


def time_zone_select(client, language):
    html = client.get(PROPOSE.replace("/en/", f"/{language}/")).content.decode()
    return re.search(r'<select name="time_zone".*?</select>', html, re.S).group(0)


def test_zones_are_grouped_by_country_and_named_by_city_in_arabic(client, day):
    select = time_zone_select(client, "ar")
    france = '<optgroup label="فرنسا"><option value="Europe/Paris">باريس</option></optgroup>'
    assert france in select
    assert '<option value="Europe/Istanbul">إسطنبول</option>' in select


def test_only_zones_people_live_in_are_offered(client, day):
    select = time_zone_select(client, "en")
    values = re.findall(r'<option value="([^"]*)"', select)
    assert 300 < len(values) < 450
    for relic in ("Zulu", "W-SU", "localtime", "Etc/GMT+3", "US/Pacific", "Factory"):
        assert relic not in values
    assert '<optgroup label="United States">' in select
    assert '<option value="America/Los_Angeles">Los Angeles</option>' in select


@pytest.mark.parametrize("zone", ["Zulu", "W-SU"])
def test_a_relic_name_is_refused_with_an_error(client, day, proposal, zone):
    response = client.post(PROPOSE, proposal(time_zone=zone))
    assert b'id="id_time_zone_error"' in response.content
    assert not Event.objects.exists()


def test_a_chosen_zone_is_kept(client, day, proposal, django_capture_on_commit_callbacks):
    propose(client, proposal, django_capture_on_commit_callbacks, time_zone="Europe/Berlin")
    assert Event.objects.get().time_zone == "Europe/Berlin"
