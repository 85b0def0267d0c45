"""`manage.py db_worker`: django_tasks_db's worker, same options, made to last (docs/deploy.md).

- It outlives its database: an error reaching it (PostgreSQL restarted, SQLite's disk full)
  is logged once, waited out with a growing pause, and the loop resumes on a new connection.
  A task whose result could not be written then is queued again.
- It beats (tadamun.health.heartbeat) and, at each beat, queues again the tasks of workers
  that went silent (tadamun.health.recovery).
- It keeps its database connection from task to task (with Django's health check before
  reuse): on SQLite, Django would otherwise open a new one for every task.

- A task that meets the vault locked (tadamun.vault.Locked) is queued again, not failed, and
  the worker waits for the keys before it takes the next one: work waits out a lock.

With --batch (one pass over the queue, then exit) it is django_tasks_db's worker, except for
the locked vault.
"""

from django.db import DatabaseError, connections
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from tadamun import vault
from tadamun.health import recovery
from tadamun.health.heartbeat import Beating, Outage
from tadamun.health.models import Heartbeat
from tadamun.vault.agent import AgentUnreachable

LOCKED = {f"{error.__module__}.{error.__qualname__}" for error in (vault.Locked, AgentUnreachable)}
VAULT_POLL_SECONDS = 2


class Worker(db_worker.Worker):
    def run_task(self, db_task_result) -> None:
        super().run_task(db_task_result)
        if db_task_result.exception_class_path in LOCKED:
            DBTaskResult.objects.filter(pk=db_task_result.pk).update(
                status=TaskResultStatus.READY,
                finished_at=None,
                exception_class_path="",
                traceback="",
            )
            self.wait_for_vault()

    def wait_for_vault(self) -> None:
        """Until the keys can be had (or the worker is asked to stop); once destroyed, tasks
        that need keys fail from now on."""

        def keep_waiting() -> bool:
            if self.batch:  # one pass: the task stays queued for the next one
                self.running = False
            return self.running

        if self.running:
            vault.wait_for_keys(keep_waiting, poll_seconds=VAULT_POLL_SECONDS)

    def run(self) -> None:
        if self.batch:  # one pass over the queue (tests, cron): nothing to outlive or beat for
            return super().run()
        outage = Outage(f"worker {self.worker_id}: database")
        with Beating(self.worker_id, Heartbeat.Role.WORKER, each_beat=recovery.requeue_abandoned):
            while self.running:
                try:
                    if outage.failures:
                        recovery.requeue_own(self.worker_id)
                        outage.ended()
                    return super().run()
                except (DatabaseError, OSError) as error:
                    outage.wait(error)
                    self.startup_delay = False
        return None


class Command(db_worker.Command):
    def handle(self, *args, **options):
        if not options["batch"]:
            for alias in connections:
                # Kept open between tasks; Django still checks it before reusing it.
                connections.settings[alias]["CONN_MAX_AGE"] = None
                connections.settings[alias]["CONN_HEALTH_CHECKS"] = True
        db_worker.Worker = Worker  # the base command builds its worker by this name
        return super().handle(*args, **options)
