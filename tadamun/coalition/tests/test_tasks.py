"""Mail goes through the task queue and a failed send is tried again later."""

import smtplib

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from tadamun.coalition.tasks import send_endorsement_confirmation
from tadamun.core.tasks import MAIL_RETRY_DELAYS, MailNotSent


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_endorsement_confirmation_is_queued_not_sent_in_the_request(
    client, campaign, database_queue, django_capture_on_commit_callbacks
):
    from tadamun.coalition.tests.test_endorse import form_data

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/campaigns/open-borders/endorse/", form_data())
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "tadamun.coalition.tasks.send_endorsement_confirmation"
    # The queue holds an id, never the email address.
    assert "@" not in str(queued.args_kwargs)


def test_a_failed_send_is_retried_later(make_endorsement, database_queue, monkeypatch):
    endorsement = make_endorsement(status="unconfirmed")

    def broken_send(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("mail server went away")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken_send)
    with pytest.raises(MailNotSent) as error:
        send_endorsement_confirmation.call(endorsement.pk)
    assert "went away" not in str(error.value)  # the server's words stay out of the logs
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["kwargs"] == {"attempt": 1}
    assert retry.run_after is not None

    monkeypatch.undo()
    send_endorsement_confirmation.call(endorsement.pk, attempt=1)
    assert len(mail.outbox) == 1


def test_retries_stop_after_the_last_delay(make_endorsement, database_queue, monkeypatch):
    endorsement = make_endorsement(status="unconfirmed")
    monkeypatch.setattr(
        "django.core.mail.EmailMessage.send",
        lambda self, fail_silently=False: (_ for _ in ()).throw(ConnectionRefusedError()),
    )
    with pytest.raises(MailNotSent):
        send_endorsement_confirmation.call(endorsement.pk, attempt=len(MAIL_RETRY_DELAYS))
    assert not DBTaskResult.objects.exists()


def test_nothing_is_sent_for_an_endorsement_already_confirmed(make_endorsement):
    endorsement = make_endorsement(status="pending")
    send_endorsement_confirmation.call(endorsement.pk)
    assert mail.outbox == []
