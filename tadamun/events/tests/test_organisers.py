import csv
import io
import re

import pytest
from django.core import mail
from icalendar import Calendar

from tadamun.events import rsvps
from tadamun.events.links import CONFIRM_RSVP, MANAGE_EVENT
from tadamun.events.models import Event, OrganiserMessage, Rsvp
from tadamun.supporters import services as supporters


def manage_link(message):
    return re.search(r"https?://[^/\s]+(/\S+/events/manage/\S+/)", message.body).group(1)


def coming(event, email, name):
    return rsvps.confirm(rsvps.answer(event, rsvps.RsvpRequest(name=name, email=email)))


@pytest.fixture
def event(sign_up_event):
    event = sign_up_event(capacity="2")
    coming(event, "amal@example.org", "Amal")
    coming(event, "sami@example.org", "Sami")
    coming(event, "noor@example.org", "Noor")  # waiting list
    mail.outbox.clear()
    return event


@pytest.fixture
def manage(event):
    return f"/en/events/manage/{MANAGE_EVENT.token(event)}/"


def test_confirming_the_email_brings_the_link_to_manage_the_event(
    client, day, proposal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/days/{day.slug}/propose/", proposal())
    confirm = re.search(r"https?://[^/\s]+(/\S+/events/confirm/\S+/)", mail.outbox[-1].body)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm.group(1))
    assert mail.outbox[-1].subject == "The link to manage your event"
    page = client.get(manage_link(mail.outbox[-1]))
    assert page.status_code == 200
    assert "Awaiting moderation" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0") and "no-store" in page["Cache-Control"]
    assert page["X-Robots-Tag"] == "noindex"


def test_organiser_sees_and_exports_only_their_own_attendees(client, event, manage, sign_up_event):
    other = sign_up_event(title="Another vigil", organiser_email="other@example.org")
    coming(other, "someone-else@example.org", "Zaid")

    page = client.get(manage).content.decode()
    assert all(name in page for name in ("Amal", "Sami", "Noor")) and "Zaid" not in page
    assert "amal@example.org" not in page  # names, never addresses

    export = client.get(manage + "attendees.csv")
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Status", "Confirmed", "Language"]
    assert [(row[0], row[1]) for row in rows[1:]] == [
        ("Amal", "Going"),
        ("Sami", "Going"),
        ("Noor", "On the waiting list"),
    ]
    assert "someone-else" not in str(rows) and "Zaid" not in str(rows)


def test_a_forged_or_foreign_link_shows_nothing(client, event, manage):
    assert client.get(manage[:-3] + "xx/").status_code == 400
    supporters.erase(event.organiser)  # the link dies with the organiser's data
    assert client.get(manage).status_code == 400
    assert client.get(manage + "attendees.csv").status_code == 400


def test_changing_the_time_tells_everyone_coming_and_updates_calendars(
    client, event, manage, proposal, django_capture_on_commit_callbacks
):
    form = client.get(manage + "edit/").content.decode()
    assert 'value="18:00"' in form and 'value="Vigil for Idlib"' in form  # venue's local time
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage + "edit/", proposal(start_time="17:00", capacity="2"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.local_start.hour == 17 and event.sequence == 1 and event.edited_at
    assert sorted(m.to[0] for m in mail.outbox) == [
        "amal@example.org",
        "noor@example.org",
        "sami@example.org",
    ]
    assert mail.outbox[0].subject == "Changed: Vigil for Idlib"
    assert "5 p.m." in mail.outbox[0].body
    entry = Calendar.from_ical(client.get(f"/en/events/{event.pk}/event.ics").content).walk(
        "VEVENT"
    )[0]
    assert entry["SEQUENCE"] == 1 and entry["STATUS"] == "CONFIRMED"


def test_a_text_change_sends_no_email_and_bad_input_loses_nothing(
    client, event, manage, proposal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            manage + "edit/", proposal(description="Bring a candle and a friend.", capacity="2")
        )
    assert mail.outbox == []
    bad = client.post(manage + "edit/", proposal(title="New title", end_time="17:00"))
    assert bad.status_code == 200
    assert "The event must end after it starts." in bad.content.decode()
    assert 'value="New title"' in bad.content.decode()
    event.refresh_from_db()
    assert event.title == "Vigil for Idlib"


def test_more_places_move_the_waiting_list_up(
    client, event, manage, proposal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage + "edit/", proposal(capacity="3"))
    assert not Rsvp.objects.filter(status=Rsvp.Status.WAITING).exists()
    assert [m.to for m in mail.outbox] == [["noor@example.org"]]


def test_writing_to_attendees_queues_one_email_each_and_is_limited(
    client, event, manage, settings, django_capture_on_commit_callbacks
):
    settings.ORGANISER_MESSAGES_PER_DAY = 2
    message = {
        "subject": "Meeting point",
        "body": "We meet at the north gate.",
        "audience": "going",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(manage + "write/", message).status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["amal@example.org", "sami@example.org"]
    assert mail.outbox[0].subject == "Vigil for Idlib: Meeting point"
    assert "We meet at the north gate." in mail.outbox[0].body
    assert "/events/rsvp/cancel/" in mail.outbox[0].body  # each copy carries its own cancel link

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage + "write/", {**message, "audience": "everyone"})
    assert len(mail.outbox) == 3
    refused = client.post(manage + "write/", {**message, "body": "And bring water."})
    assert refused.status_code == 429
    assert "as many messages as a day allows" in refused.content.decode()
    assert OrganiserMessage.objects.count() == 2
    assert client.post(manage + "write/", {**message, "subject": ""}).status_code == 400


def test_cancelling_asks_to_confirm_then_tells_everyone(
    client, event, manage, django_capture_on_commit_callbacks
):
    refused = client.post(manage + "cancel/", {"note": "The square is closed."})
    assert refused.status_code == 400
    assert Event.objects.get().status == Event.Status.APPROVED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage + "cancel/", {"note": "The square is closed.", "confirm": "on"})
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert len(mail.outbox) == 3
    assert mail.outbox[0].subject == "Cancelled: Vigil for Idlib"
    assert "The square is closed." in mail.outbox[0].body

    page = client.get(event.get_absolute_url()).content.decode()
    assert "This event is cancelled." in page and "The square is closed." in page
    assert "I will come" not in page
    assert "Vigil for Idlib" not in client.get(f"/en/days/{event.day.slug}/").content.decode()
    feed = Calendar.from_ical(client.get(f"/en/days/{event.day.slug}/calendar.ics").content)
    assert feed.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    assert b"Change the event" not in client.get(manage).content


def test_the_link_is_sent_again_only_to_the_organiser(
    client, event, django_capture_on_commit_callbacks
):
    url = f"/en/events/{event.pk}/organiser/"
    with django_capture_on_commit_callbacks(execute=True):
        stranger = client.post(url, {"email": "amal@example.org"})
        organiser = client.post(url, {"email": "LENA@example.org"})
    assert stranger.content == organiser.content
    assert [m.to for m in mail.outbox] == [["lena@example.org"]]
    assert client.get(manage_link(mail.outbox[0])).status_code == 200


def test_an_answer_confirmed_after_the_cancellation_books_nothing(
    client, event, manage, django_capture_on_commit_callbacks
):
    late = rsvps.answer(event, rsvps.RsvpRequest(name="Late", email="late@example.org"))
    client.post(manage + "cancel/", {"confirm": "on"})
    page = client.post(f"/en/events/rsvp/confirm/{CONFIRM_RSVP.token(late)}/")
    assert "This event is cancelled." in page.content.decode()
    late.refresh_from_db()
    assert late.status == Rsvp.Status.UNCONFIRMED


def test_asking_for_the_link_again_retires_the_old_one(
    client, event, manage, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/events/{event.pk}/organiser/", {"email": "lena@example.org"})
    assert client.get(manage).status_code == 400  # a forwarded link no longer works
    assert client.get(manage_link(mail.outbox[-1])).status_code == 200


def test_attendees_are_out_of_reach_a_week_after_the_event(client, event, manage):
    from datetime import timedelta

    from django.utils import timezone

    past = timezone.now() - timedelta(days=8)
    Event.objects.filter(pk=event.pk).update(starts_at=past - timedelta(hours=2), ends_at=past)
    page = client.get(manage).content.decode()
    assert "Amal" not in page and "Write to the people coming" not in page
    assert client.get(manage + "attendees.csv").status_code == 302
    message = {"subject": "Thanks", "body": "Thank you all.", "audience": "going"}
    assert client.post(manage + "write/", message).status_code == 302
    assert not OrganiserMessage.objects.exists()


def test_no_place_opens_at_a_cancelled_event(
    client, event, manage, django_capture_on_commit_callbacks
):
    client.post(manage + "cancel/", {"confirm": "on"})
    going = Rsvp.objects.filter(status=Rsvp.Status.GOING).first()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rsvps.cancel(going)
    assert Rsvp.objects.filter(status=Rsvp.Status.WAITING).count() == 1
    assert mail.outbox == []


def test_a_double_click_changes_and_sends_once(
    client, event, manage, proposal, django_capture_on_commit_callbacks
):
    changed = proposal(start_time="17:00", capacity="2")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage + "edit/", changed)
        client.post(manage + "edit/", changed)
    event.refresh_from_db()
    assert event.sequence == 1 and len(mail.outbox) == 3
    message = {"subject": "Meeting point", "body": "North gate.", "audience": "going"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage + "write/", message)
        client.post(manage + "write/", message)
    assert OrganiserMessage.objects.count() == 1 and len(mail.outbox) == 5


def test_moving_the_event_to_another_city_takes_that_citys_time_zone(
    client, event, manage, proposal
):
    form = client.get(manage + "edit/").content.decode()
    assert '<option value="" selected>' in form  # the city's own zone, not a fixed one
    client.post(
        manage + "edit/",
        proposal(city="Istanbul", country="TR", time_zone="", capacity="2"),
    )
    event.refresh_from_db()
    assert event.time_zone == "Europe/Istanbul" and event.local_start.hour == 18


def test_the_organiser_sees_the_name_given_for_the_answer_not_one_given_elsewhere(
    client, sign, event, manage
):
    sign("aya@example.org", name="Aya Darwish", confirm=True)  # on a petition
    coming(event, "aya@example.org", "A. Nonymous")

    page = client.get(manage).content.decode()
    assert "A. Nonymous" in page and "Aya" not in page
    export = client.get(manage + "attendees.csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert ("A. Nonymous", "On the waiting list") in [(row[0], row[1]) for row in rows]
    assert "Aya" not in str(rows)
