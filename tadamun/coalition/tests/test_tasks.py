"""The link to confirm an endorsement is promised in the outbox with the endorsement, sent
by a worker, and a failed send is tried again later."""

import smtplib

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tadamun.coalition.outbox import ENDORSEMENT, LANE
from tadamun.core import outbox
from tadamun.core.models import OutboxMessage
from tadamun.core.tasks import MAIL_RETRY_DELAYS


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def promise(endorsement):
    outbox.put(ENDORSEMENT, endorsement.pk, lane=LANE)
    return OutboxMessage.objects.get(object_id=endorsement.pk)


def test_endorsement_confirmation_is_promised_not_sent_in_the_request(
    client, campaign, database_queue, django_capture_on_commit_callbacks
):
    from tadamun.coalition.tests.test_endorse import form_data

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/campaigns/open-borders/endorse/", form_data())
    assert mail.outbox == []
    promised = OutboxMessage.objects.get()
    assert (promised.kind, promised.status) == (ENDORSEMENT, OutboxMessage.Status.QUEUED)
    woken = DBTaskResult.objects.get()
    assert woken.task_path == "tadamun.core.outbox.drain_outbox"
    # Neither the outbox nor the queue holds the email address.
    assert "@" not in str(woken.args_kwargs) and "@" not in str(promised.__dict__)
    outbox.drain()
    assert len(mail.outbox) == 1


def test_a_failed_send_is_retried_later(make_endorsement, monkeypatch):
    endorsement = make_endorsement(status="unconfirmed")
    promised = promise(endorsement)

    def broken_send(self, messages):
        raise smtplib.SMTPServerDisconnected("mail server went away")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken_send)
    outbox.drain()
    promised.refresh_from_db()
    assert (promised.status, promised.attempts) == (OutboxMessage.Status.QUEUED, 1)
    assert promised.error == "SMTPServerDisconnected"  # the server's words stay out
    assert promised.not_before > timezone.now()

    monkeypatch.undo()
    assert outbox.drain() == {}  # not yet
    OutboxMessage.objects.update(not_before=timezone.now())
    assert outbox.drain() == {"sent": 1}
    assert len(mail.outbox) == 1


def test_retries_stop_after_the_last_delay(make_endorsement, monkeypatch):
    promised = promise(make_endorsement(status="unconfirmed"))
    OutboxMessage.objects.update(attempts=len(MAIL_RETRY_DELAYS))
    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        lambda self, messages: (_ for _ in ()).throw(ConnectionRefusedError()),
    )
    assert outbox.drain() == {"failed": 1}
    promised.refresh_from_db()
    assert promised.status == OutboxMessage.Status.FAILED


def test_nothing_is_sent_for_an_endorsement_already_confirmed(make_endorsement):
    promise(make_endorsement(status="pending"))
    assert outbox.drain() == {"skipped": 1}
    assert mail.outbox == []
