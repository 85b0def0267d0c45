"""Event series (a weekly vigil: one Event per date, proposed, confirmed and moderated once)
and time slots (shifts) with their own places, waiting lists and reminders."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from tadamun.events import organisers, rsvps, services, shifts
from tadamun.events.forms import ProposeEventForm
from tadamun.events.links import CONFIRM_EVENT, MANAGE_EVENT
from tadamun.events.models import Event, Rsvp, Shift, ShiftAnswer
from tadamun.events.tasks import send_reminders

BERLIN = ZoneInfo("Europe/Berlin")


def propose(day, proposal, **overrides):
    form = ProposeEventForm(proposal(**overrides), day=day)
    assert form.is_valid(), form.errors
    return services.propose(day, form.proposal("en"), dates=form.dates())


@pytest.fixture
def weekly_vigil(day, proposal, django_capture_on_commit_callbacks):
    """Every Saturday 18:00 for 4 weeks from 27 March 2027, across Europe's clock change."""
    with django_capture_on_commit_callbacks(execute=True):
        first = propose(day, proposal, weeks="4", title="Weekly vigil")
    return first


def test_a_weekly_series_keeps_the_clock_time_across_the_clock_change(weekly_vigil):
    dates = list(Event.objects.filter(series=weekly_vigil.series).order_by("starts_at"))
    assert len(dates) == 4
    assert [event.local_start.date() for event in dates] == [
        date(2027, 3, 27), date(2027, 4, 3), date(2027, 4, 10), date(2027, 4, 17)
    ]  # fmt: skip
    assert {(e.local_start.hour, e.local_start.minute) for e in dates} == {(18, 0)}
    assert {(e.local_end.hour, e.local_end.minute) for e in dates} == {(20, 0)}
    # 17:00 UTC in winter time, 16:00 UTC in summer time.
    assert dates[0].starts_at.astimezone(UTC).hour == 17
    assert dates[1].starts_at.astimezone(UTC).hour == 16
    assert {e.time_zone for e in dates} == {"Europe/Berlin"}


def test_one_link_confirms_the_series_and_one_approval_publishes_it(
    client, weekly_vigil, django_capture_on_commit_callbacks
):
    confirm_mails = [m for m in mail.outbox if "/events/confirm/" in m.body]
    assert len(confirm_mails) == 1  # one proposal, one link
    client.post(f"/en/events/confirm/{CONFIRM_EVENT.token(weekly_vigil)}/")
    series = Event.objects.filter(series=weekly_vigil.series)
    assert set(series.values_list("status", flat=True)) == {Event.Status.PENDING}
    assert not Event.objects.visible().filter(series=weekly_vigil.series).exists()

    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        # The moderator approves the one line in the queue they see.
        assert services.moderate(Event.objects.filter(pk=weekly_vigil.pk), approve=True) == 4
    assert set(series.values_list("status", flat=True)) == {Event.Status.APPROVED}
    assert len(mail.outbox) - before == 1  # the organiser hears once
    page = client.get(f"/en/events/{weekly_vigil.pk}/").content.decode()
    assert "Other dates" in page
    assert page.count('href="/en/events/') >= 3


def test_rejecting_one_date_rejects_the_series(client, weekly_vigil):
    services.confirm(weekly_vigil)
    other = Event.objects.filter(series=weekly_vigil.series).last()
    services.moderate(Event.objects.filter(pk=other.pk), approve=False, reason="No")
    assert set(
        Event.objects.filter(series=weekly_vigil.series).values_list("status", flat=True)
    ) == {Event.Status.REJECTED}


def test_one_date_is_cancelled_alone(weekly_vigil):
    services.confirm(weekly_vigil)
    services.moderate(Event.objects.filter(pk=weekly_vigil.pk), approve=True)
    second = Event.objects.filter(series=weekly_vigil.series).order_by("starts_at")[1]
    organisers.cancel(second, "Not this week")
    statuses = list(
        Event.objects.filter(series=weekly_vigil.series)
        .order_by("starts_at")
        .values_list("status", flat=True)
    )
    assert statuses == ["approved", "cancelled", "approved", "approved"]


def test_the_calendar_has_one_valid_entry_per_date(client, weekly_vigil):
    services.confirm(weekly_vigil)
    services.moderate(Event.objects.filter(pk=weekly_vigil.pk), approve=True)
    response = client.get(f"/en/days/{weekly_vigil.day.slug}/calendar.ics")
    calendar = Calendar.from_ical(response.content)
    entries = [c for c in calendar.walk("VEVENT") if str(c["summary"]) == "Weekly vigil"]
    assert len(entries) == 4
    assert len({str(entry["uid"]) for entry in entries}) == 4
    starts = sorted(entry.decoded("dtstart") for entry in entries)
    assert {(s.hour, s.minute) for s in starts} == {(18, 0)}
    assert {str(s.tzinfo) for s in starts} == {"Europe/Berlin"}
    assert [c["tzid"] for c in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_the_series_is_shown_nowhere_before_approval(client, weekly_vigil):
    services.confirm(weekly_vigil)
    for event in Event.objects.filter(series=weekly_vigil.series):
        assert client.get(f"/en/events/{event.pk}/").status_code == 404
        assert client.get(f"/en/events/{event.pk}/event.ics").status_code == 404
    assert b"Weekly vigil" not in client.get("/api/events").content


def test_weeks_out_of_range_are_refused_beside_the_field(client, day, proposal):
    response = client.post(f"/en/days/{day.slug}/propose/", proposal(weeks="99"))
    assert response.status_code == 200
    assert b'id="id_weeks_error"' in response.content
    assert not Event.objects.exists()


# Time slots


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 3, 27, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def stall(sign_up_event):
    event = sign_up_event(title="Information stall", kind="stall", start_time="10:00")
    organisers.add_shift(event, at(10), at(12), 1)
    organisers.add_shift(event, at(12), at(14), 2)
    return event


def answer(event, email, *slots, name="Noor"):
    shift_ids = [event.shifts.order_by("starts_at")[i].pk for i in slots]
    return rsvps.answer(event, rsvps.RsvpRequest(name=name, email=email, shifts=tuple(shift_ids)))


def test_places_left_per_slot_in_one_query(stall, django_assert_num_queries):
    rsvps.confirm(answer(stall, "a@example.org", 0, 1))
    with django_assert_num_queries(1):
        slots = shifts.with_places(stall)
        assert [(s.going, s.places_left) for s in slots] == [(1, 0), (1, 1)]


def test_a_full_slot_puts_the_person_on_its_waiting_list_and_a_freed_place_moves_it_up(
    stall, django_capture_on_commit_callbacks
):
    first = rsvps.confirm(answer(stall, "a@example.org", 0))
    assert first.status == Rsvp.Status.GOING
    second = rsvps.confirm(answer(stall, "b@example.org", 0, 1))
    assert second.status == Rsvp.Status.GOING  # a place in the second slot
    statuses = dict(second.shift_answers.values_list("shift__starts_at", "status"))
    assert statuses == {at(10): "waiting", at(12): "going"}
    third = rsvps.confirm(answer(stall, "c@example.org", 0))
    assert third.status == Rsvp.Status.WAITING  # its only slot is full

    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        rsvps.cancel(first)
    assert ShiftAnswer.objects.get(rsvp=second, shift__starts_at=at(10)).status == "going"
    assert ShiftAnswer.objects.get(rsvp=third).status == "waiting"  # second came first
    promoted = [m for m in mail.outbox[before:] if m.subject == "A place is free: you can come"]
    assert [m.to for m in promoted] == [["b@example.org"]]
    assert ShiftAnswer.objects.filter(rsvp=first).get().status == "cancelled"


def test_rsvp_through_the_page_chooses_slots_and_the_mails_name_them(
    client, stall, django_capture_on_commit_callbacks
):
    page = client.get(f"/en/events/{stall.pk}/").content.decode()
    assert "Time slots" in page and 'name="shifts"' in page
    assert "1 place left" in page and "2 places left" in page
    no_slot = client.post(f"/en/events/{stall.pk}/rsvp/", {"name": "N", "email": "n@example.org"})
    assert "Choose at least one time slot." in no_slot.content.decode()
    second_slot = stall.shifts.order_by("starts_at")[1].pk
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/events/{stall.pk}/rsvp/",
            {"name": "Noor", "email": "noor@example.org", "shifts": [str(second_slot)]},
        )
    assert response.status_code == 302
    confirm_mail = mail.outbox[-1]
    assert "Your time slots:\n- March 27, 2027, noon – 2 p.m.\n" in confirm_mail.body
    link = re.search(r"https?://[^/\s]+(/\S+/events/rsvp/confirm/\S+/)", confirm_mail.body)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link.group(1))
    going = mail.outbox[-1]
    assert going.subject == "You are on the list"
    confirmed_page = client.get(link.group(1)).content.decode()
    assert "Your time slots" in confirmed_page and "</time> – 2 p.m. · Going" in confirmed_page
    assert "- March 27, 2027, noon – 2 p.m.: Going" in going.body
    assert "10 a.m. – noon" not in going.body  # only the slot chosen


def test_a_slot_that_is_not_the_events_is_refused(client, stall, sign_up_event):
    other = sign_up_event(title="Another")
    foreign = Shift.objects.create(event=other, starts_at=at(15), ends_at=at(16))
    response = client.post(
        f"/en/events/{stall.pk}/rsvp/",
        {"name": "Noor", "email": "noor@example.org", "shifts": [str(foreign.pk)]},
    )
    assert response.status_code == 200
    assert b'id="id_shifts_error"' in response.content
    assert not Rsvp.objects.exists()


def test_reminders_go_before_each_slot_once(stall, django_capture_on_commit_callbacks):
    rsvp = rsvps.confirm(answer(stall, "noor@example.org", 0, 1))
    now = timezone.now()
    first, second = stall.shifts.order_by("starts_at")
    Event.objects.filter(pk=stall.pk).update(starts_at=now + timedelta(hours=1))
    Shift.objects.filter(pk=first.pk).update(
        starts_at=now + timedelta(hours=2), ends_at=now + timedelta(hours=3)
    )
    Shift.objects.filter(pk=second.pk).update(
        starts_at=now + timedelta(hours=30), ends_at=now + timedelta(hours=31)
    )
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders.call() == 1  # the first slot only: the second is not due yet
        assert send_reminders.call() == 0
    reminders = mail.outbox[before:]
    assert [m.subject for m in reminders] == ["Your time slot starts soon"]
    assert ShiftAnswer.objects.get(rsvp=rsvp, shift=first).reminded_at is not None
    assert ShiftAnswer.objects.get(rsvp=rsvp, shift=second).reminded_at is None
    assert Rsvp.objects.get(pk=rsvp.pk).reminded_at is None  # no day-before mail as well


def test_the_organiser_adds_a_slot_and_exports_who_comes_in_which(client, sign_up_event):
    event = sign_up_event(title="Stall")
    manage = f"/en/events/manage/{MANAGE_EVENT.token(event)}/"
    bad = client.post(manage + "shifts/", {"start_time": "12:00", "end_time": "11:00"})
    assert bad.status_code == 400
    assert "The time slot must end after it starts." in bad.content.decode()
    client.post(manage + "shifts/", {"start_time": "18:00", "end_time": "19:00", "capacity": "3"})
    slot = event.shifts.get()
    assert (slot.local_start.hour, slot.local_end.hour, slot.capacity) == (18, 19, 3)
    rsvps.confirm(answer(event, "noor@example.org", 0, name="Noor"))
    page = client.get(manage).content.decode()
    assert "1 person coming" in page
    csv = b"".join(client.get(manage + "attendees.csv").streaming_content).decode()
    assert "Time slots" in csv.splitlines()[0]
    assert "18:00" in csv and "Going" in csv


def test_the_back_office_export_names_the_slots(stall, django_user_model):
    from tadamun.events.exports import rsvps_csv

    rsvps.confirm(answer(stall, "noor@example.org", 1))
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    rows = b"".join(rsvps_csv(admin, stall).streaming_content).decode("utf-8-sig").splitlines()
    assert "Time slots" in rows[0]
    assert "12:00" in rows[1] and "Going" in rows[1]


def test_the_back_office_repeats_an_event_weekly_with_its_slots(stall, make_staff):
    from django.test import Client

    from tadamun.staff import roles

    staff = Client()
    staff.force_login(make_staff(roles.COALITION_ADMIN))
    changelist = "/en/admin/events/event/"
    ask = staff.post(changelist, {"action": "repeat_weekly", "_selected_action": [stall.pk]})
    assert b'name="weeks"' in ask.content
    staff.post(
        changelist, {"action": "repeat_weekly", "_selected_action": [stall.pk], "weeks": "3"}
    )
    dates = list(Event.objects.filter(series=Event.objects.get(pk=stall.pk).series))
    assert len(dates) == 3
    assert {e.status for e in dates} == {Event.Status.APPROVED}
    last = max(dates, key=lambda e: e.starts_at)
    assert last.local_start.date() == date(2027, 4, 10)
    assert [(s.local_start.hour, s.capacity) for s in last.shifts.all()] == [(10, 1), (12, 2)]
    # Again: the dates already there are not made twice.
    staff.post(
        changelist, {"action": "repeat_weekly", "_selected_action": [stall.pk], "weeks": "3"}
    )
    assert Event.objects.filter(series=last.series).count() == 3
    # A moderator may not.
    moderator = Client()
    moderator.force_login(make_staff(roles.MODERATOR, username="moderator"))
    moderator.post(
        changelist, {"action": "repeat_weekly", "_selected_action": [stall.pk], "weeks": "5"}
    )
    assert Event.objects.filter(series=last.series).count() == 3


def test_the_back_office_shows_slots_in_the_venues_time(stall, make_staff):
    from django.test import Client

    from tadamun.staff import roles

    staff = Client()
    staff.force_login(make_staff(roles.COALITION_ADMIN))
    page = staff.get(f"/en/admin/events/event/{stall.pk}/change/").content.decode()
    assert 'name="shifts-0-starts_at_1" value="10:00:00"' in page  # 09:00 UTC


def test_the_organiser_cancels_every_date_still_to_come_from_any_date(client, weekly_vigil):
    services.confirm(weekly_vigil)
    services.moderate(Event.objects.filter(pk=weekly_vigil.pk), approve=True)
    second = Event.objects.filter(series=weekly_vigil.series).order_by("starts_at")[1]
    manage = f"/en/events/manage/{MANAGE_EVENT.token(second)}/"
    page = client.get(manage).content.decode()
    assert "All the dates of this event" in page and 'name="every_date"' in page
    client.post(manage + "cancel/", {"confirm": "on", "every_date": "on", "note": "Over"})
    statuses = set(
        Event.objects.filter(series=weekly_vigil.series).values_list("status", flat=True)
    )
    assert statuses == {Event.Status.CANCELLED}


def test_your_data_names_the_slots_chosen(stall):
    from tadamun.events.personal_data import describe_rsvps

    rsvp = rsvps.confirm(answer(stall, "noor@example.org", 1))
    assert describe_rsvps(rsvp.supporter)[0]["time_slots"] == "2027-03-27 12:00–14:00 (Going)"


def test_a_later_date_of_a_series_is_edited_on_its_own(client, weekly_vigil):
    services.confirm(weekly_vigil)
    services.moderate(Event.objects.filter(pk=weekly_vigil.pk), approve=True)
    last = Event.objects.filter(series=weekly_vigil.series).order_by("starts_at").last()
    manage = f"/en/events/manage/{MANAGE_EVENT.token(last)}/"
    form = client.get(manage + "edit/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("on" if v is True else "" if v in (None, False) else v) for k, v in data.items()}
    data.update(date="2027-04-17", start_time="19:00", end_time="21:00")
    response = client.post(manage + "edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    last.refresh_from_db()
    assert (last.local_start.date(), last.local_start.hour) == (date(2027, 4, 17), 19)
    first = Event.objects.get(pk=weekly_vigil.pk)
    assert first.local_start.hour == 18  # the other dates keep theirs


def test_the_finder_lists_the_dates_after_the_day_of_action(client, weekly_vigil, settings):
    settings.EVENTS_PAGE_CACHE_SECONDS = 0
    services.confirm(weekly_vigil)
    services.moderate(Event.objects.filter(pk=weekly_vigil.pk), approve=True)
    from unittest import mock

    later_on = datetime(2027, 4, 5, 12, tzinfo=UTC)  # the day of action is over
    with mock.patch("django.utils.timezone.now", return_value=later_on):
        page = client.get("/en/events/").content.decode()
    later = Event.objects.filter(series=weekly_vigil.series, starts_at__gt=later_on)
    assert later.count() == 2
    assert all(f"/en/events/{event.pk}/" in page for event in later)


def test_only_a_live_event_is_repeated(day, proposal):
    unconfirmed = propose(day, proposal, title="Never confirmed")
    assert services.repeat(unconfirmed, services.weekly(date(2027, 3, 27), 3)) == []
    assert Event.objects.count() == 1


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_page_with_slots_costs_the_same_queries_for_2_or_12_slots_and_draws_plainly(
    client, stall, drawn_plainly, language
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tadamun.events.tests.test_page_cost import page_bytes

    path = f"/{language}/events/{stall.pk}/"
    client.get(path)
    with CaptureQueriesContext(connection) as two:
        fast = client.get(path)
    with drawn_plainly():
        plain = client.get(path)
    assert page_bytes(fast) == page_bytes(plain)
    for hour in range(14, 24):
        organisers.add_shift(stall, at(hour), at(hour, 59), 3)
    client.get(path)
    with CaptureQueriesContext(connection) as twelve:
        page = client.get(path)
    assert page.content.count(b'name="shifts"') == 12
    assert len(twelve) == len(two)
