"""Staff and organisers read an event's times in the venue's zone, with the zone said: an
18:00 event in Paris is 18:00 in the admin, not 17:00 (UTC)."""

from datetime import UTC, datetime

from django.test import Client

from tadamun.events.links import MANAGE_EVENT
from tadamun.events.models import Rsvp
from tadamun.events.tests.test_organisers import coming
from tadamun.staff import roles


def test_the_admin_lists_an_evening_in_paris_at_its_own_hour(sign_up_event, make_staff):
    event = sign_up_event(city="Paris", country="FR", time_zone="", start_time="18:00")
    assert event.starts_at.hour == 17  # stored in UTC: Paris is an hour ahead in March
    staff = Client()
    staff.force_login(make_staff(roles.MODERATOR))
    listing = staff.get("/en/admin/events/event/").content.decode()
    assert "03/27/2027 6 p.m. (Europe/Paris)" in listing
    detail = staff.get(f"/en/admin/events/event/{event.pk}/change/").content.decode()
    assert "03/27/2027 6 p.m. (Europe/Paris)" in detail


def test_the_organisers_page_gives_confirmation_times_in_the_venues_zone(client, sign_up_event):
    event = sign_up_event(city="Istanbul", country="TR", time_zone="", start_time="18:00")
    coming(event, "amal@example.org", "Amal")
    Rsvp.objects.update(confirmed_at=datetime(2027, 3, 1, 9, 30, tzinfo=UTC))
    page = client.get(f"/en/events/manage/{MANAGE_EVENT.token(event)}/").content.decode()
    assert "03/01/2027 12:30 p.m." in page  # 09:30 UTC is 12:30 in Istanbul
    assert "Times are in the venue&#x27;s time zone, Europe/Istanbul." in page or (
        "Times are in the venue's time zone, Europe/Istanbul." in page
    )
