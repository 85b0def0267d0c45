"""Lock now during a mailing, through each real queue (the database one and RQ on Redis) with
a real SMTP server: sending stops at once, resumes after unlock, and no copy goes twice."""

import threading
import time

import pytest
from django.core.management import call_command

from tadamun.mailings import sending
from tadamun.mailings.models import Recipient
from tadamun.mailings.tests.test_queues import EVERYONE, assert_sent_once_each, send_to_everyone
from tadamun.vault import holder, keyring, store
from tadamun.vault.tests.conftest import sealed  # noqa: F401 - the fixture

UNLOCK_AFTER_SECONDS = 1.5


@pytest.fixture(params=["database", "rq"])
def run_worker(request, settings):
    """One worker over the queue until it is empty (or, the database one, until it meets the
    lock: it leaves the task queued for the next pass)."""
    settings.MAILING_BATCH_SIZE = 5
    if request.param == "database":
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        return lambda: call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    from rq import SimpleWorker

    from tadamun.health.rq import VaultJob, VaultWaiting

    class Worker(VaultWaiting, SimpleWorker):
        pass

    queue = request.getfixturevalue("rq_queue")
    return lambda: Worker([queue], connection=queue.connection, job_class=VaultJob).work(burst=True)


@pytest.mark.django_db(transaction=True)
def test_lock_now_during_a_mailing_stops_sending_and_unlock_resumes_it_with_no_copy_twice(
    run_worker,
    sealed,  # noqa: F811
    smtp_sink,
    make_supporter,
    make_mailing,
    monkeypatch,
):
    mailing = send_to_everyone(make_supporter, make_mailing)
    bundle = keyring.unwrap(store.wrapped(), sealed[:2])
    seen = {}

    def unlock_later():
        time.sleep(UNLOCK_AFTER_SECONDS)
        seen["at unlock"] = len(smtp_sink.messages)
        holder._memory.put(bundle)

    send_batch = sending.send_batch

    def lock_after_the_first_batch(*args, **kwargs):
        outcomes = send_batch(*args, **kwargs)
        if "at lock" not in seen:
            seen["at lock"] = len(smtp_sink.messages)
            holder._memory.lock()  # lock now, mid-mailing
            threading.Thread(target=unlock_later, daemon=True).start()
        return outcomes

    monkeypatch.setattr(sending, "send_batch", lock_after_the_first_batch)
    run_worker()
    if len(smtp_sink.messages) < EVERYONE:  # the database worker left its task queued
        assert Recipient.objects.filter(status=Recipient.Status.SENDING).count() == 0
        assert Recipient.objects.filter(status=Recipient.Status.QUEUED).count() == 7
        assert not Recipient.objects.exclude(status=Recipient.Status.SENT).exclude(attempts=0)
        deadline = time.monotonic() + 10
        while "at unlock" not in seen and time.monotonic() < deadline:
            time.sleep(0.1)
        run_worker()
    assert seen["at lock"] == seen["at unlock"] == 5  # nothing went out while locked
    assert_sent_once_each(mailing, smtp_sink)
