"""The organiser's emailed link moves and removes the event's time slots through the same
functions as the back office (organisers.change_shift, organisers.remove_shift): the people
who chose a slot hear of it once, in their language; removal asks first; another event's link
reaches none of it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from tadamun.events import organisers, rsvps
from tadamun.events.links import MANAGE_EVENT
from tadamun.events.models import Rsvp, Shift, ShiftAnswer

BERLIN = ZoneInfo("Europe/Berlin")


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 3, 27, hour, minute, tzinfo=BERLIN)


def manage(event, language: str = "en") -> str:
    return f"/{language}/events/manage/{MANAGE_EVENT.token(event)}/"


@pytest.fixture
def stall(sign_up_event, django_capture_on_commit_callbacks):
    """A published stall in two slots (Berlin time); Amal (in Arabic) chose the first only,
    Lucie (in French) both."""
    event = sign_up_event(title="Information stall", kind="stall")
    first = organisers.add_shift(event, at(18), at(19), 5)
    second = organisers.add_shift(event, at(19), at(20), 5)
    with django_capture_on_commit_callbacks(execute=True):
        for name, email, language, slots in [
            ("Amal", "amal@example.org", "ar", (first.pk,)),
            ("Lucie", "lucie@example.org", "fr", (first.pk, second.pk)),
        ]:
            request = rsvps.RsvpRequest(name=name, email=email, language=language, shifts=slots)
            rsvps.confirm(rsvps.answer(event, request))
    mail.outbox.clear()
    return event


def slots(event) -> list[tuple[int, int, int | None]]:
    return [(s.local_start.hour, s.local_end.hour, s.capacity) for s in event.shifts.all()]


def test_the_manage_page_offers_to_change_and_remove_each_slot(client, stall):
    page = client.get(manage(stall)).content.decode()
    for slot in stall.shifts.all():
        assert f"shifts/change/?slot={slot.pk}" in page
        assert f"shifts/remove/?slot={slot.pk}" in page


def test_the_link_moves_a_slot_and_its_people_hear_once_and_are_reminded_again(
    client, stall, django_capture_on_commit_callbacks
):
    first, second = stall.shifts.all()
    ShiftAnswer.objects.update(reminded_at=at(12))
    form = client.get(manage(stall) + f"shifts/change/?slot={second.pk}")
    assert form.status_code == 200
    assert 'value="19:00' in form.content.decode()  # the slot as it stands, in Berlin time
    moved = {"slot": second.pk, "start_time": "19:30", "end_time": "20:30", "capacity": "3"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage(stall) + "shifts/change/", moved)
        client.post(manage(stall) + "shifts/change/", moved)  # a second click
    assert response.status_code == 302
    assert slots(stall) == [(18, 19, 5), (19, 20, 3)]
    assert Shift.objects.get(pk=second.pk).local_start.minute == 30
    assert [m.to for m in mail.outbox] == [["lucie@example.org"]]  # its people, once
    assert not second.answers.filter(reminded_at__isnull=False).exists()
    assert first.answers.filter(reminded_at__isnull=False).count() == 2  # the other slot


def test_a_slot_that_ends_before_it_starts_is_refused_beside_the_field(client, stall):
    first = stall.shifts.first()
    response = client.post(
        manage(stall) + "shifts/change/",
        {"slot": first.pk, "start_time": "19:00", "end_time": "18:00", "capacity": ""},
    )
    assert response.status_code == 400
    assert "The time slot must end after it starts." in response.content.decode()
    assert slots(stall) == [(18, 19, 5), (19, 20, 5)]


def test_the_link_asks_before_removing_a_slot_then_tells_its_people_in_their_language(
    client, stall, django_capture_on_commit_callbacks
):
    first = stall.shifts.first()
    asked = client.get(manage(stall, "ar") + f"shifts/remove/?slot={first.pk}")
    assert asked.status_code == 200
    page = asked.content.decode()
    assert '<html lang="ar" dir="rtl">' in page and 'class="danger"' in page
    assert Shift.objects.filter(pk=first.pk).exists()  # asking removes nothing

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(manage(stall) + "shifts/remove/", {"slot": first.pk}, follow=True)
    assert "2 people who chose the removed time slot will be told by email." in done.text
    assert slots(stall) == [(19, 20, 5)]
    told = {m.to[0]: m for m in mail.outbox}
    assert set(told) == {"amal@example.org", "lucie@example.org"}
    assert told["amal@example.org"].subject == "أُلغيت فترة زمنية: Information stall"
    assert Rsvp.objects.get(language="ar").status == Rsvp.Status.CANCELLED
    assert Rsvp.objects.get(language="fr").status == Rsvp.Status.GOING

    with django_capture_on_commit_callbacks(execute=True):  # a second click tells no one again
        again = client.post(manage(stall) + "shifts/remove/", {"slot": first.pk}, follow=True)
    assert again.status_code == 200 and "The time slot is removed." in again.text
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("slot", ["other", "abc", "", "٣", "9" * 40])
def test_another_events_link_touches_no_slot(client, stall, sign_up_event, slot):
    """A slot number from another event (or no number at all) is not found, whatever the
    verb: the link is the key to its own event only."""
    other = sign_up_event(title="Another stall", organiser_email="other@example.org")
    if slot == "other":
        slot = str(stall.shifts.first().pk)
    theirs = manage(other)
    for verb, path, data in [
        ("get", f"shifts/change/?slot={slot}", None),
        ("post", "shifts/change/", {"slot": slot, "start_time": "10:00", "end_time": "11:00"}),
        ("get", f"shifts/remove/?slot={slot}", None),
        ("post", "shifts/remove/", {"slot": slot}),
    ]:
        response = getattr(client, verb)(theirs + path, data)
        assert response.status_code == 404, (verb, path)
    assert slots(stall) == [(18, 19, 5), (19, 20, 5)]
    assert mail.outbox == []


def test_a_past_or_cancelled_events_slots_are_no_longer_changed(client, stall):
    first = stall.shifts.first()
    organisers.cancel(stall)
    response = client.post(manage(stall) + "shifts/remove/", {"slot": first.pk})
    assert response.status_code == 302
    assert Shift.objects.filter(pk=first.pk).exists()


def test_a_slot_removed_while_its_change_was_typed_is_left_removed(stall):
    """Another tab or the back office removed the slot between the form and its sending:
    the change answers nothing changed (the view a 404), never a 500."""
    first = stall.shifts.first()
    Shift.objects.filter(pk=first.pk).delete()
    assert organisers.change_shift(first, at(19), at(20), 3) is None
    assert not Shift.objects.filter(pk=first.pk).exists()


def test_moving_a_slot_back_and_forth_is_no_way_round_the_days_messages(
    client, stall, settings, django_capture_on_commit_callbacks
):
    """Each move that emails the slot's people counts against ORGANISER_MESSAGES_PER_DAY,
    with the organiser's own messages: once they are spent the link refuses the move (429,
    nothing changed, nobody mailed); the back office is not held to it."""
    from django.core.cache import cache

    cache.clear()
    settings.ORGANISER_MESSAGES_PER_DAY = 2
    second = stall.shifts.all()[1]
    times = [("19:30", "20:30"), ("19:00", "20:00"), ("19:30", "20:30")]
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for start, end in times:
            moved = {"slot": second.pk, "start_time": start, "end_time": end, "capacity": "5"}
            answers.append(client.post(manage(stall) + "shifts/change/", moved))
    assert [a.status_code for a in answers] == [302, 302, 429]
    assert "more than a day allows" in answers[2].content.decode()
    assert Shift.objects.get(pk=second.pk).local_start.minute == 0  # the third not made
    assert len(mail.outbox) == 2
    assert organisers.notices_left_today(stall) == 0
    # Staff in the back office still move it (their notices count, nothing refuses them).
    assert organisers.change_shift(second, at(19, 30), at(20, 30), 5) is not None
