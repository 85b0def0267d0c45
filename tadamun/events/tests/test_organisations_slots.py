"""An organisation's organisers change and remove the time slots of their own events in the
back office (issue 19): the people who chose a slot hear, in their language, when it moves or
is removed; an organiser of another organisation touches none of it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.test import Client
from django.urls import reverse

from tadamun.events import organisers, rsvps
from tadamun.events.models import Event, Rsvp, Shift, ShiftAnswer
from tadamun.events.tests.test_organisations_events import (
    _errors,
    add_form,
    approve,
    lyons_event,  # noqa: F401 (fixture)
)
from tadamun.petitions.tests import test_organisations_petitions as petitions
from tadamun.petitions.tests.test_organisations_petitions import client_of
from tadamun.staff import roles

lyon, gaziantep = petitions.lyon, petitions.gaziantep
PARIS = ZoneInfo("Europe/Paris")


def at(hour: int) -> datetime:
    return datetime(2027, 3, 27, hour, tzinfo=PARIS)


@pytest.fixture
def vigil_in_turns(lyons_event, django_capture_on_commit_callbacks):  # noqa: F811
    """Lyon's approved event in two slots; Amal (in Arabic) chose the first only, Lucie (in
    French) both."""
    organisers.add_shift(lyons_event, at(18), at(19), 5)
    organisers.add_shift(lyons_event, at(19), at(20), 5)
    approve(lyons_event)
    first, second = lyons_event.shifts.all()
    with django_capture_on_commit_callbacks(execute=True):
        for name, email, language, slots in [
            ("Amal", "amal@example.org", "ar", [first.pk]),
            ("Lucie", "lucie@example.org", "fr", [first.pk, second.pk]),
        ]:
            request = rsvps.RsvpRequest(
                name=name, email=email, language=language, shifts=tuple(slots)
            )
            rsvps.confirm(rsvps.answer(lyons_event, request))
    return lyons_event


def slots_form(event, *, delete=(), **times) -> dict:
    """The event's change form with its slots as the admin shows them; `delete` ticks the
    slots' "Delete" boxes, `times` ({"shifts-0-starts_at_1": "18:30:00"}) changes them."""
    form = add_form(event.day, event.organisation)
    slots = list(event.shifts.all())
    form.update({"shifts-TOTAL_FORMS": str(len(slots)), "shifts-INITIAL_FORMS": str(len(slots))})
    for i, slot in enumerate(slots):
        form.update(
            {
                f"shifts-{i}-id": str(slot.pk),
                f"shifts-{i}-event": str(event.pk),
                f"shifts-{i}-starts_at_0": "2027-03-27",
                f"shifts-{i}-starts_at_1": slot.local_start.strftime("%H:%M:%S"),
                f"shifts-{i}-ends_at_0": "2027-03-27",
                f"shifts-{i}-ends_at_1": slot.local_end.strftime("%H:%M:%S"),
                f"shifts-{i}-capacity": str(slot.capacity or ""),
            }
        )
        if i in delete:
            form[f"shifts-{i}-DELETE"] = "on"
    form.update(times)
    return form


def change_url(event) -> str:
    return reverse("admin:events_event_change", args=[event.pk])


def test_the_change_page_counts_each_slots_people(db, vigil_in_turns, lyon):
    page = client_of(lyon).get(change_url(vigil_in_turns)).content.decode()
    assert "People coming or waiting (told if it moves or is removed)" in page
    assert 'name="shifts-0-DELETE"' in page  # an organiser may remove a slot


def test_removing_a_slot_tells_its_people_in_their_language(
    db, vigil_in_turns, lyon, django_capture_on_commit_callbacks
):
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(lyon).post(
            change_url(vigil_in_turns), slots_form(vigil_in_turns, delete=[0]), follow=True
        )
    assert response.status_code == 200, _errors(response)
    assert "2 people who chose the removed time slot will be told by email." in response.text
    assert [s.local_start.hour for s in vigil_in_turns.shifts.all()] == [19]
    told = {m.to[0]: m for m in mail.outbox[before:]}
    assert set(told) == {"amal@example.org", "lucie@example.org"}
    # Amal chose only that slot: her answer is cancelled, and she may choose another.
    amal = Rsvp.objects.get(language="ar")
    assert amal.status == Rsvp.Status.CANCELLED
    assert told["amal@example.org"].subject == "أُلغيت فترة زمنية: Veillée pour Idlib"
    assert "ليست لديك فترة زمنية أخرى" in told["amal@example.org"].body
    assert vigil_in_turns.get_absolute_url().split("/", 2)[2] in told["amal@example.org"].body
    # Lucie keeps her place in the other slot, and her mail names it.
    lucie = Rsvp.objects.get(language="fr")
    assert lucie.status == Rsvp.Status.GOING
    assert list(lucie.shift_answers.values_list("status", flat=True)) == ["going"]
    assert "19:00" in told["lucie@example.org"].body  # French clock, the slot left


def test_moving_a_slot_tells_its_people_and_reminds_them_again(
    db, vigil_in_turns, lyon, django_capture_on_commit_callbacks
):
    ShiftAnswer.objects.update(reminded_at=at(12))
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(lyon).post(
            change_url(vigil_in_turns),
            slots_form(vigil_in_turns, **{"shifts-1-starts_at_1": "19:30:00"}),
        )
    assert response.status_code == 302, _errors(response)
    moved = vigil_in_turns.shifts.get(starts_at=at(19).replace(minute=30))
    assert [m.to for m in mail.outbox[before:]] == [["lucie@example.org"]]  # only its people
    assert not moved.answers.filter(reminded_at__isnull=False).exists()
    assert ShiftAnswer.objects.filter(reminded_at__isnull=False).count() == 2  # the other slot


def test_a_slot_added_in_the_back_office_is_the_events(db, vigil_in_turns, lyon):
    form = slots_form(vigil_in_turns)
    form.update(
        {
            "shifts-TOTAL_FORMS": "3",
            "shifts-2-event": str(vigil_in_turns.pk),
            "shifts-2-starts_at_0": "2027-03-27",
            "shifts-2-starts_at_1": "20:00:00",
            "shifts-2-ends_at_0": "2027-03-27",
            "shifts-2-ends_at_1": "21:00:00",
            "shifts-2-capacity": "2",
        }
    )
    response = client_of(lyon).post(change_url(vigil_in_turns), form)
    assert response.status_code == 302, _errors(response)
    assert [(s.local_start.hour, s.capacity) for s in vigil_in_turns.shifts.all()] == [
        (18, 5),
        (19, 5),
        (20, 2),
    ]


def test_another_organisations_organiser_can_neither_change_nor_remove_a_slot(
    db, vigil_in_turns, gaziantep, django_capture_on_commit_callbacks
):
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(gaziantep).post(
            change_url(vigil_in_turns),
            slots_form(vigil_in_turns, delete=[0], **{"shifts-1-capacity": "1"}),
        )
    assert response.status_code in (302, 403)
    assert [(s.local_start.hour, s.capacity) for s in vigil_in_turns.shifts.all()] == [
        (18, 5),
        (19, 5),
    ]
    assert len(mail.outbox) == before
    assert Shift.objects.count() == 2 and Event.objects.count() == 1


# The dates of a series, chosen one by one


def run_action(organisation, action: str, events, **data):
    return client_of(organisation).post(
        reverse("admin:events_event_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [event.pk for event in events], **data},
    )


def test_an_organiser_picks_the_dates_of_their_series(db, vigil_in_turns, lyon):
    asked = run_action(lyon, "add_dates", [vigil_in_turns])
    assert 'name="dates"' in asked.text
    run_action(
        lyon, "add_dates", [vigil_in_turns], dates="2027-04-03\n\n2027-05-07\r\n2027-04-03\n"
    )
    dates = Event.objects.filter(series=Event.objects.get(pk=vigil_in_turns.pk).series)
    found = sorted((e.local_start.date().isoformat(), e.local_start.hour) for e in dates)
    assert found == [("2027-03-27", 18), ("2027-04-03", 18), ("2027-05-07", 18)]
    assert {e.status for e in dates} == {Event.Status.APPROVED}  # as the date they copy
    may = dates.get(starts_at__date="2027-05-07")
    assert [s.local_start.hour for s in may.shifts.all()] == [18, 19]  # with its slots


@pytest.mark.parametrize(
    "typed, error",
    [
        ("demain", "“demain” is not a date."),
        ("2020-01-01", "has passed."),
        ("\n".join(f"2027-05-{day:02}" for day in range(1, 28)), "At most 26 dates at once."),
        ("<script>x</script>", "“&lt;script&gt;x&lt;/script&gt;” is not a date."),
    ],
)
def test_dates_that_are_no_dates_are_refused_on_the_page(db, vigil_in_turns, lyon, typed, error):
    response = run_action(lyon, "add_dates", [vigil_in_turns], dates=typed)
    assert response.status_code == 200
    assert error in response.text, response.text[response.text.find("errornote") :][:300]
    assert Event.objects.count() == 1


def test_an_organiser_skips_a_date_and_its_people_are_told(
    db, vigil_in_turns, lyon, django_capture_on_commit_callbacks
):
    run_action(lyon, "add_dates", [vigil_in_turns], dates="2027-04-03")
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        run_action(lyon, "cancel_dates", [vigil_in_turns])
    vigil_in_turns.refresh_from_db()
    assert vigil_in_turns.status == Event.Status.CANCELLED
    assert {m.to[0] for m in mail.outbox[before:]} == {"amal@example.org", "lucie@example.org"}
    other = Event.objects.exclude(pk=vigil_in_turns.pk).get()
    assert other.status == Event.Status.APPROVED


def test_another_organisations_organiser_adds_and_skips_no_date_of_it(
    db, vigil_in_turns, gaziantep, make_staff
):
    run_action(gaziantep, "add_dates", [vigil_in_turns], dates="2027-04-03")
    run_action(gaziantep, "cancel_dates", [vigil_in_turns])
    assert Event.objects.get().status == Event.Status.APPROVED
    # Nor does a moderator, who unpublishes with a reason instead.
    moderator = Client()
    moderator.force_login(make_staff(roles.MODERATOR, username="moderator"))
    for action, data in [("add_dates", {"dates": "2027-04-03"}), ("cancel_dates", {})]:
        moderator.post(
            reverse("admin:events_event_changelist"),
            {"action": action, ACTION_CHECKBOX_NAME: [vigil_in_turns.pk], **data},
        )
    assert Event.objects.get().status == Event.Status.APPROVED


def test_an_answer_keeps_the_status_of_the_slots_left(db, vigil_in_turns):
    """Lucie had a place in the first slot and waited for one in the second: with the first
    removed, she waits (and is not counted among the people coming)."""
    first, second = vigil_in_turns.shifts.all()
    lucie = Rsvp.objects.get(language="fr")
    ShiftAnswer.objects.filter(rsvp=lucie, shift=second).update(status=Rsvp.Status.WAITING)
    assert organisers.remove_shift(first) == 2
    lucie.refresh_from_db()
    assert lucie.status == Rsvp.Status.WAITING
    assert Rsvp.objects.get(language="ar").status == Rsvp.Status.CANCELLED
