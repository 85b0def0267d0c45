"""Whole mailings through each real queue, the database queue (the default) and RQ on Redis
(the scale-out option), each with real workers and a real SMTP server."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from tadamun.mailings import sending, services
from tadamun.mailings.models import Mailing, Recipient
from tadamun.mailings.tasks import kick_mailings

EVERYONE = 12


@pytest.fixture(params=["database", "rq"])
def run_worker(request, settings):
    """A function that runs one worker over the queue until it is empty."""
    settings.MAILING_BATCH_SIZE = 5
    if request.param == "database":
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        return lambda: call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    from django_tasks_rq import Job
    from rq import SimpleWorker

    queue = request.getfixturevalue("rq_queue")
    return lambda: SimpleWorker([queue], connection=queue.connection, job_class=Job).work(
        burst=True
    )


def send_to_everyone(make_supporter, make_mailing):
    for number in range(EVERYONE):
        make_supporter(f"person{number}@example.org", language="fr" if number % 2 else "en")
    mailing = make_mailing()
    assert services.send_now(mailing)
    return mailing


def assert_sent_once_each(mailing, smtp_sink):
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT
    recipients = [rcpt for rcpt, _message in smtp_sink.messages]
    assert len(recipients) == len(set(recipients)) == EVERYONE


@pytest.mark.django_db(transaction=True)
def test_a_whole_mailing(run_worker, smtp_sink, make_supporter, make_mailing):
    mailing = send_to_everyone(make_supporter, make_mailing)
    assert not smtp_sink.messages  # queued, not sent by the request
    run_worker()
    assert_sent_once_each(mailing, smtp_sink)


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_and_a_busy_server_lose_nothing_and_send_nothing_twice(
    run_worker, settings, smtp_sink, make_supporter, make_mailing, monkeypatch
):
    smtp_sink.refuse["person8@example.org"] = "451 Try again later"
    send_batch, deaths = sending.send_batch, []

    def dies_the_first_time(*args):
        if not deaths:
            deaths.append("killed")  # after claiming a batch, before sending any of it
            raise RuntimeError("worker killed")
        return send_batch(*args)

    monkeypatch.setattr(sending, "send_batch", dies_the_first_time)
    mailing = send_to_everyone(make_supporter, make_mailing)
    run_worker()
    assert Recipient.objects.filter(status=Recipient.Status.SENDING).count() == 5  # the dead one's
    assert len(smtp_sink.messages) == EVERYONE - 5 - 1  # and the one the server put off
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENDING

    # Later: the server takes mail again, the claim is stale, the scheduler's task runs.
    del smtp_sink.refuse["person8@example.org"]
    settings.MAILING_CLAIM_TIMEOUT = 0
    Recipient.objects.exclude(not_before=None).update(not_before=timezone.now())
    kick_mailings.enqueue()
    run_worker()
    assert_sent_once_each(mailing, smtp_sink)
