import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from icalendar import Calendar

from tadamun.events.links import MANAGE_EVENT
from tadamun.events.models import Event
from tadamun.staff import roles

PROPOSE = "/en/days/day-of-solidarity/propose/"


def link_in(message):
    return re.search(r"https?://[^/\s]+(/\S+/events/confirm/\S+/)", message.body).group(1)


def propose(client, proposal, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(PROPOSE, proposal(**overrides))


def test_propose_confirm_moderate_and_publish(
    client, day, proposal, make_staff, django_capture_on_commit_callbacks
):
    response = propose(client, proposal, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.status == Event.Status.UNCONFIRMED
    assert event.starts_at == datetime(2027, 3, 27, 17, 0, tzinfo=ZoneInfo("UTC"))  # CET = +1

    link = link_in(mail.outbox[0])
    assert b'method="post"' in client.get(link).content
    event.refresh_from_db()
    assert event.status == Event.Status.UNCONFIRMED
    client.post(link)
    event.refresh_from_db()
    assert event.status == Event.Status.PENDING
    assert client.get(f"/en/events/{event.pk}/").status_code == 404  # not before moderation

    moderator = Client()
    moderator.force_login(make_staff(roles.MODERATOR))
    queue = moderator.get("/en/admin/events/event/").content.decode()
    assert "Awaiting moderation: 1" in queue
    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(
            "/en/admin/events/event/", {"action": "approve", "_selected_action": [event.pk]}
        )
    event.refresh_from_db()
    assert event.status == Event.Status.APPROVED
    assert mail.outbox[-1].subject == "Your event is published"

    page = client.get(f"/en/events/{event.pk}/").content.decode()
    assert "Vigil for Idlib" in page and "Domkloster 4" in page
    assert "18:00" in page and "UTC+1" in page  # the venue's time, its offset from UTC
    assert "lena@example.org" not in page
    listing = client.get("/en/days/day-of-solidarity/").content.decode()
    assert 'id="country-DE"' in listing and "Cologne" in listing


def test_reject_many_with_one_reason(
    client, day, proposal, make_staff, django_capture_on_commit_callbacks
):
    for city in ("Cologne", "Bonn"):
        propose(client, proposal, django_capture_on_commit_callbacks, city=city)
    for message in list(mail.outbox):
        client.post(link_in(message))
    moderator = Client()
    moderator.force_login(make_staff(roles.MODERATOR))
    ids = list(Event.objects.values_list("pk", flat=True))
    asking = moderator.post(
        "/en/admin/events/event/", {"action": "reject", "_selected_action": ids}
    )
    assert b'name="reason"' in asking.content
    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(
            "/en/admin/events/event/",
            {"action": "reject", "_selected_action": ids, "reason": "Please give an address."},
        )
    assert set(Event.objects.values_list("status", flat=True)) == {"rejected"}
    rejections = [m for m in mail.outbox if m.subject == "About your event"]
    assert len(rejections) == 2 and "Please give an address." in rejections[0].body


def test_translators_cannot_moderate(day, make_staff):
    translator = Client()
    translator.force_login(make_staff(roles.TRANSLATOR))
    assert translator.get("/en/admin/events/event/").status_code == 403


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": "2026-01-01"}, "date"),  # outside the day of action
        ({"end_time": "17:00"}, "end_time"),  # ends before it starts
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"capacity": "0"}, "capacity"),
        ({"capacity": "-5"}, "capacity"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"kind": "online", "online_url": ""}, "online_url"),
        ({"description": "x" * 6000}, "description"),
        ({"title": "Vigil \u202efor"}, "title"),
        # Clocks jump from 02:00 to 03:00 in Berlin that night: 02:30 never happens.
        ({"date": "2027-03-28", "start_time": "02:30", "end_time": "04:00"}, "start_time"),
    ],
)
def test_bad_input_gets_an_error_beside_the_field_and_keeps_the_rest(
    client, day, proposal, overrides, field
):
    response = client.post(PROPOSE, proposal(**overrides))
    assert response.status_code == 200
    assert f'id="id_{field}_error"'.encode() in response.content
    assert b'value="Vigil' in response.content or field == "title"
    assert not Event.objects.exists()


def test_a_date_in_the_past_is_refused(client, day, proposal):
    day.starts_on = day.ends_on = datetime(2020, 5, 1).date()
    day.save()
    response = client.post(PROPOSE, proposal(date="2020-05-01"))
    assert b'id="id_date_error"' in response.content


def test_a_hidden_address_stays_off_the_site(client, day, proposal, sign_up_event):
    event = sign_up_event(address_public="")
    page = client.get(f"/en/events/{event.pk}/").content.decode()
    assert "Domkloster 4" not in page
    calendar = client.get(f"/en/events/{event.pk}/event.ics").content.decode()
    assert "Domkloster" not in calendar


def test_the_calendar_is_valid_and_right_across_a_clock_change(client, day, sign_up_event):
    before = sign_up_event(date="2027-03-27", start_time="12:00", end_time="13:00")
    after = sign_up_event(date="2027-03-28", start_time="12:00", end_time="13:00", city="Bonn")
    calendar = Calendar.from_ical(client.get("/en/days/day-of-solidarity/calendar.ics").content)
    assert any(c.name == "VTIMEZONE" and c["TZID"] == "Europe/Berlin" for c in calendar.walk())
    starts = {str(e["UID"]): e.decoded("DTSTART") for e in calendar.walk() if e.name == "VEVENT"}
    berlin = ZoneInfo("Europe/Berlin")
    by_pk = {
        before.pk: datetime(2027, 3, 27, 12, tzinfo=berlin),
        after.pk: datetime(2027, 3, 28, 12, tzinfo=berlin),
    }
    for uid, start in starts.items():
        pk = int(uid.split("-")[1].split("@")[0])
        assert start == by_pk[pk]
    # Noon in Berlin is 11:00 UTC before the change and 10:00 UTC after it.
    assert before.starts_at.hour == 11 and after.starts_at.hour == 10


def test_search_by_city_and_kind(client, day, sign_up_event):
    sign_up_event(city="Cologne")
    sign_up_event(
        city="Lyon", country="FR", time_zone="Europe/Paris", kind="rally", title="Rassemblement"
    )
    found = client.get("/en/days/day-of-solidarity/", {"q": "lyon"}).content.decode()
    assert "Rassemblement" in found and "Vigil for Idlib" not in found
    rallies = client.get("/en/days/day-of-solidarity/", {"kind": "rally"}).content.decode()
    assert "Rassemblement" in rallies and "Vigil for Idlib" not in rallies
    none = client.get("/en/days/day-of-solidarity/", {"q": "zzz"}).content.decode()
    assert "No event matches this search." in none


def test_an_event_organised_on_behalf_of_a_group_says_so(client, sign_up_event):
    event = sign_up_event(on_behalf_of="Amal Network")
    page = client.get(f"/en/events/{event.pk}/").content.decode()
    assert re.search(r"Organised by</dt><dd><bdi dir=\"auto\">Amal Network</bdi></dd>", page)


def test_moderators_pick_an_events_city_by_searching_in_any_language(sign_up_event, make_staff):
    event = sign_up_event()
    moderator = Client()
    moderator.force_login(make_staff(roles.MODERATOR))
    page = moderator.get(f"/en/admin/events/event/{event.pk}/change/")
    assert page.status_code == 200
    assert b'class="admin-autocomplete' in page.content  # a search box, not 3,000 options
    found = moderator.get(
        "/en/admin/autocomplete/",
        {"term": "كولونيا", "app_label": "events", "model_name": "event", "field_name": "place"},
    )
    assert [result["id"] for result in found.json()["results"]] == [str(event.place_id)]


def test_moderators_see_what_organisers_changed_and_clear_the_mark(
    client, sign_up_event, make_staff, proposal
):

    event = sign_up_event()
    manage = f"/en/events/manage/{MANAGE_EVENT.token(event)}/edit/"
    client.post(manage, proposal(online_url="https://meet.example.org/new"))
    moderator = Client()
    moderator.force_login(make_staff(roles.MODERATOR))
    queue = moderator.get("/en/admin/events/event/").content.decode()
    assert "Changed by their organisers since a moderator saw them: 1" in queue
    assert "Vigil for Idlib" in moderator.get("/en/admin/events/event/?edited=yes").content.decode()
    moderator.post(
        "/en/admin/events/event/", {"action": "mark_changes_seen", "_selected_action": [event.pk]}
    )
    event.refresh_from_db()
    assert event.edited_at is None
