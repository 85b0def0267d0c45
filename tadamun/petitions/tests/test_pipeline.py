"""From signature to inbox with real processes: a worker killed with SIGKILL in the middle of
a batch, a mail server that defers a message, and a Redis queue that loses its jobs; every
submission still gets exactly one confirmation email (core.outbox, petitions.intake)."""

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import redis
from django.db import connection

from tadamun.core.models import OutboxMessage
from tadamun.petitions import services, submissions

ROOT = Path(__file__).resolve().parents[3]
REDIS_DB = "redis://127.0.0.1:6379/11"  # this test's own database on the shared server

# A worker that dies (SIGKILL, from inside) when the server has the whole of its KILL_AT-th
# message but not yet the final ".", then drains the outbox in batches.
DYING_WORKER = """
import os, signal, django
django.setup()
from tadamun.core import outbox, smtp
from tadamun.petitions.intake import record_batch
from tadamun.petitions.models import SignatureIntake

kill_at, sent = int(os.environ["KILL_AT"]), []
held_dot = smtp.Sender._held_dot

def dies_midway(connection, sender, recipient, data, point_of_no_return):
    def point():
        sent.append(recipient)
        if len(sent) == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return point_of_no_return()
    return held_dot(connection, sender, recipient, data, point)

smtp.Sender._held_dot = staticmethod(dies_midway)
record_batch(list(SignatureIntake.objects.values_list("pk", flat=True)))
outbox.drain(batch=int(os.environ["BATCH"]))
"""


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def run(args, smtp_port, **env) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tadamun.settings",
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "REDIS_URL": "",
        **env,
    }
    return subprocess.run(  # noqa: S603 - the test's own commands
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, timeout=120
    )


@pytest.fixture(autouse=True)
def database_queue(settings):
    """This process only queues: the workers are the processes the tests start."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def submit(petition, emails):
    for email in emails:
        submissions.accept(
            petition, services.SignatureRequest(name="A B", email=email, country="FR")
        )


def assert_one_each(sink, emails):
    received = Counter(rcpt for rcpt, _message in sink.messages)
    assert received == Counter(emails)


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_and_a_deferring_server_leave_exactly_one_email_each(petition, smtp_sink):
    emails = [f"signer{index}@example.org" for index in range(12)]
    smtp_sink.refuse["signer7@example.org"] = "451 Try again later"
    submit(petition, emails)

    worker = run(["-c", DYING_WORKER], smtp_sink.port, KILL_AT="4", BATCH="8")
    assert worker.returncode == -signal.SIGKILL, worker.stderr.decode()[-2000:]
    assert len(smtp_sink.messages) == 3  # the fourth was cut before its "."
    assert OutboxMessage.objects.filter(status="sending").count() == 5  # the dead one's claim

    # Another worker starts: the scheduler's reconciler gives back the stale claim.
    manage = ["manage.py", "shell", "-c"]
    reconcile = "from tadamun.core.outbox import reconcile_outbox; reconcile_outbox.call()"
    run([*manage, reconcile], smtp_sink.port, OUTBOX_CLAIM_TIMEOUT="0")
    assert_one_each(sink=smtp_sink, emails=[e for e in emails if e != "signer7@example.org"])

    # The server takes the deferred message later; its retry comes due.
    del smtp_sink.refuse["signer7@example.org"]
    OutboxMessage.objects.filter(status="queued").update(not_before=None)
    run([*manage, reconcile], smtp_sink.port)
    assert_one_each(smtp_sink, emails)
    run([*manage, reconcile], smtp_sink.port, OUTBOX_CLAIM_TIMEOUT="0")
    assert_one_each(smtp_sink, emails)  # nothing twice


@pytest.mark.django_db(transaction=True)
def test_queue_jobs_lost_with_redis_are_sent_by_the_reconciler_once(petition, smtp_sink):
    queue = redis.Redis.from_url(REDIS_DB)
    queue.flushdb()
    rq = {
        "TASKS_BACKEND": "django_tasks_rq.RQBackend", "RQ_URL": REDIS_DB, "REDIS_URL": REDIS_DB,
    }  # fmt: skip
    emails = [f"signer{index}@example.org" for index in range(6)]
    submit(petition, emails)
    # Recorded by a worker that leaves the sending to another (the job it queues is lost).
    record = (
        "from tadamun.petitions.intake import record_batch;"
        "from tadamun.petitions.models import SignatureIntake;"
        "record_batch(list(SignatureIntake.objects.values_list('pk', flat=True)))"
    )
    run(["manage.py", "shell", "-c", record], smtp_sink.port, **rq)
    assert queue.dbsize() > 0  # the wake-up job waits in Redis...
    queue.flushdb()  # ...and is lost
    assert smtp_sink.messages == []

    run(["manage.py", "scheduler", "--once"], smtp_sink.port, **rq)
    worker = ["manage.py", "rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default"]
    run(worker, smtp_sink.port, **rq)
    assert_one_each(smtp_sink, emails)
    queue.flushdb()
