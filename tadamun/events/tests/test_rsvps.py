import re
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from tadamun.events import rsvps
from tadamun.events.models import Event, Rsvp
from tadamun.events.tasks import send_reminders
from tadamun.supporters.models import Consent


def link(message, kind):
    return re.search(rf"https?://[^/\s]+(/\S+/events/rsvp/{kind}/\S+/)", message.body).group(1)


@pytest.fixture
def event(sign_up_event):
    return sign_up_event(capacity="1", address_public="")


def answer(client, event, email, capture, **extra):
    with capture(execute=True):
        return client.post(
            f"/en/events/{event.pk}/rsvp/", {"name": "Noor", "email": email, **extra}
        )


def confirm(client, message, capture):
    with capture(execute=True):
        return client.post(link(message, "confirm"))


def test_rsvp_confirm_waiting_list_and_cancel_through_http(
    client, event, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    assert answer(client, event, "first@example.org", capture).status_code == 302
    first_link_mail = mail.outbox[-1]
    assert client.get(link(first_link_mail, "confirm")).status_code == 200  # GET: only a button
    assert Rsvp.objects.get().status == Rsvp.Status.UNCONFIRMED
    confirm(client, first_link_mail, capture)
    going = mail.outbox[-1]
    assert going.subject == "You are on the list"
    assert "Domkloster 4" in going.body  # the hidden address reaches confirmed attendees only
    assert "Domkloster 4" not in client.get(f"/en/events/{event.pk}/").content.decode()

    answer(client, event, "second@example.org", capture)
    confirm(client, mail.outbox[-1], capture)
    assert mail.outbox[-1].subject == "You are on the waiting list"
    second = Rsvp.objects.get(status="waiting")

    cancel_link = link(going, "cancel")
    assert b'method="post"' in client.get(cancel_link).content  # GET cancels nothing
    with capture(execute=True):
        client.post(cancel_link)
    second.refresh_from_db()
    assert second.status == Rsvp.Status.GOING  # the waiting list moved up
    assert mail.outbox[-1].subject == "A place is free: you can come"
    assert Rsvp.objects.filter(status="going").count() == 1


def test_answering_twice_is_one_rsvp_and_consent_only_once_confirmed(
    client, event, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    answer(client, event, "noor@example.org", capture, wants_updates="on")
    answer(client, event, "NOOR@example.org", capture, wants_updates="on")
    assert Rsvp.objects.count() == 1
    assert not Consent.objects.exists()
    confirm(client, mail.outbox[-1], capture)
    assert Consent.objects.get().purpose == "updates"


def test_the_reminder_is_sent_once_even_if_the_task_runs_twice(
    client, event, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    answer(client, event, "noor@example.org", capture)
    confirm(client, mail.outbox[-1], capture)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() + timedelta(hours=20),
        ends_at=timezone.now() + timedelta(hours=22),
    )
    before = len(mail.outbox)
    assert send_reminders.call() == 1
    assert send_reminders.call() == 0
    reminders = [m for m in mail.outbox[before:] if m.subject == "See you tomorrow"]
    assert len(reminders) == 1 and "Domkloster 4" in reminders[0].body


def test_no_reminder_to_an_address_that_bounced_or_complained(
    client, event, django_capture_on_commit_callbacks
):
    from tadamun.mailings.models import Suppression

    capture = django_capture_on_commit_callbacks
    answer(client, event, "noor@example.org", capture)
    confirm(client, mail.outbox[-1], capture)
    assert mail.outbox[-1].subject == "You are on the list"  # what they just asked for
    rsvp = Rsvp.objects.get()
    Suppression.objects.create(email_hash=rsvp.supporter.email_hash, reason="complaint")
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() + timedelta(hours=20),
        ends_at=timezone.now() + timedelta(hours=22),
    )
    before = len(mail.outbox)
    send_reminders.call()
    assert mail.outbox[before:] == []


def test_bad_input_is_refused_beside_the_field(client, event):
    response = client.post(f"/en/events/{event.pk}/rsvp/", {"name": "x\u202e", "email": "nope"})
    assert response.status_code == 200
    assert b'id="id_email_error"' in response.content
    assert b'id="id_name_error"' in response.content
    assert not Rsvp.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_never_overbook(campaign, sign_up_event):
    event = sign_up_event(capacity="2")
    answers = [
        rsvps.answer(event, rsvps.RsvpRequest(name="A", email=f"p{n}@example.org"))
        for n in range(6)
    ]
    barrier = threading.Barrier(len(answers))
    errors = []

    def confirm_one(answer):
        try:
            barrier.wait()
            rsvps.confirm(answer)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm_one, args=(a,)) for a in answers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Rsvp.objects.filter(status="going").count() == 2
    assert Rsvp.objects.filter(status="waiting").count() == 4
