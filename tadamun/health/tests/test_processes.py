"""Workers and the scheduler as deployed (separate processes on the test database): a worker
killed mid-task has its task run once by another; both outlive a database outage."""

import signal
import tempfile
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tadamun.health.models import Heartbeat
from tadamun.health.tests.conftest import wait_for
from tadamun.health.tests.tasks import note_connection, note_slowly, note_until_released, release

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def worker(processes, worker_id):
    return processes.start(
        "db_worker", "--worker-id", worker_id, "--interval", "0.2", "--no-startup-delay",
        "--no-reload",
    )  # fmt: skip


def test_a_task_of_a_worker_killed_mid_run_is_run_once_by_another(processes):
    notes = Path(tempfile.mkdtemp()) / "notes"
    first = worker(processes, "first")
    result = note_until_released.enqueue(str(notes))

    def started():
        return notes.exists() and notes.read_text().startswith(f"start {first.pid}")

    wait_for(started)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING

    release(str(notes))  # the task may end now, however slowly the machine got here
    second = worker(processes, "second")
    wait_for(lambda: DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL)
    assert notes.read_text().splitlines() == [
        f"start {first.pid}",
        f"start {second.pid}",
        f"done {second.pid}",
    ]
    assert DBTaskResult.objects.get(pk=result.id).worker_ids == ["first", "second"]
    assert "queued again" in second.log.read_text()


def database_outage(seconds: float) -> None:
    """Cut every other connection to the test database (PostgreSQL), or hold SQLite's write
    lock past the processes' busy timeout, for `seconds`."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        return
    with connection.cursor() as cursor:
        cursor.execute("BEGIN EXCLUSIVE")
        threading.Event().wait(seconds)
        cursor.execute("COMMIT")


def test_worker_and_scheduler_carry_on_after_a_database_outage(processes):
    running = worker(processes, "steady")
    scheduler = processes.start("scheduler", "--tick", "0.2")
    wait_for(lambda: Heartbeat.objects.filter(role=Heartbeat.Role.SCHEDULER).exists())
    wait_for(lambda: Heartbeat.objects.filter(process="steady").exists())

    database_outage(seconds=4)
    after = timezone.now()
    notes = Path(tempfile.mkdtemp()) / "notes"
    result = note_slowly.enqueue(str(notes), 0)
    wait_for(lambda: DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL)
    for role in Heartbeat.Role:
        wait_for(lambda role=role: Heartbeat.objects.filter(role=role, beat_at__gt=after).exists())
    assert running.poll() is None and scheduler.poll() is None  # never restarted
    if connection.vendor == "sqlite":  # PostgreSQL's cut may fall between two queries
        assert "unavailable" in running.log.read_text() + scheduler.log.read_text()


def test_a_worker_keeps_its_database_connection_from_task_to_task(processes):
    notes = Path(tempfile.mkdtemp()) / "notes"
    worker(processes, "thrifty")
    results = [note_connection.enqueue(str(notes)) for _ in range(3)]
    for result in results:
        wait_for(
            lambda r=result: DBTaskResult.objects.get(pk=r.id).status == TaskResultStatus.SUCCESSFUL
        )
    assert len(set(notes.read_text().split())) == 1


def test_an_rq_worker_carries_on_after_its_redis_restarts(redis_server, processes, settings):
    settings.RQ_QUEUES = {"default": {"URL": redis_server.url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    redis_server.stop()  # down when the worker starts: django-rq alone exits at once
    rq = processes.start(
        "rqworker", "--job-class", "django_tasks_rq.Job", "default",
        TASKS_BACKEND="django_tasks_rq.RQBackend", RQ_URL=redis_server.url,
    )  # fmt: skip
    wait_for(lambda: "Redis unavailable" in rq.log.read_text() or rq.poll() is not None)
    assert rq.poll() is None
    redis_server.start()
    wait_for(lambda: "Listening on" in rq.log.read_text() or rq.poll() is not None)
    listening = len(rq.log.read_text())
    redis_server.stop()

    def lost_redis():
        """The worker met the outage while it listened (RQ's retry or our restart)."""
        since = rq.log.read_text()[listening:]
        return "could not connect to Redis" in since or "Redis unavailable" in since

    wait_for(lost_redis)
    assert rq.poll() is None
    redis_server.start()
    notes = Path(tempfile.mkdtemp()) / "notes"
    note_slowly.enqueue(str(notes), 0)
    wait_for(lambda: notes.exists() and "done" in notes.read_text(), timeout=90)
    assert rq.poll() is None
    rq.send_signal(signal.SIGTERM)
    assert rq.wait(timeout=30) == 0  # asked to stop, it stops (and is not started again)
