"""Helpers for background tasks."""

import logging
import smtplib
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task, task_backends
from django_tasks_db import DatabaseBackend

from tadamun.health.models import MailFailure

logger = logging.getLogger(__name__)

# Seconds to wait before each new attempt at sending a message that failed.
MAIL_RETRY_DELAYS = (60, 300, 1800, 7200, 21600)


class MailNotSent(Exception):
    """A send failed. It names only the kind of error: the server's own message (which may
    quote the recipient's address) stays out of logs and the task results table."""


@contextmanager
def retry_mail_on_failure(task, *args, attempt: int):
    """Run the block; if the mail server fails, queue `task(*args, attempt=attempt + 1)` later.

    The failure is raised again, scrubbed, so the queue records this attempt as failed.
    """
    try:
        yield
    except (smtplib.SMTPException, OSError) as error:
        MailFailure.record(error)  # /healthz: email failing
        if attempt < len(MAIL_RETRY_DELAYS):
            later = task
            if task.get_backend().supports_defer:
                run_after = timezone.now() + timedelta(seconds=MAIL_RETRY_DELAYS[attempt])
                later = task.using(run_after=run_after)
            later.enqueue(*args, attempt=attempt + 1)
            logger.warning("%s: mail failed, attempt %d queued", task.name, attempt + 1)
        else:
            logger.error("%s: mail failed, giving up after %d attempts", task.name, attempt + 1)
        raise MailNotSent(type(error).__name__) from None
    MailFailure.clear()


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Enqueue `task` so that it runs only if the current transaction commits.

    With the database queue the task's row is written inside the transaction itself: it
    commits or rolls back with the rows it refers to, and costs no second write transaction
    (on SQLite, each write transaction waits for the one lock). Other queues (Redis) get the
    task after the commit, so a quick worker never looks for rows not yet committed; if the
    queue is down then, the failure is logged and the request goes on (`robust`): what was
    committed is recorded, and must not turn into an error page.
    """
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs), robust=True)


PRUNE_CHUNK = 5000


@task()
def forget_finished_tasks() -> int:
    """Scheduled: delete the database queue's finished task rows, successful ones after
    TASK_RESULTS_KEEP_SECONDS, failed ones after a week (someone may look into them), and
    have PostgreSQL's statistics and free space follow. Rows piling up made each claim of
    the next task scan tens of thousands of them where the server's autovacuum was off
    (docs/scale.md); nothing here relies on the server's own maintenance."""
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return 0
    now = timezone.now()
    finished = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.SUCCESSFUL,
          finished_at__lt=now - timedelta(seconds=settings.TASK_RESULTS_KEEP_SECONDS))
        | Q(status=TaskResultStatus.FAILED, finished_at__lt=now - timedelta(days=7))
    )  # fmt: skip
    deleted = 0
    while chunk := list(finished.values_list("pk", flat=True)[:PRUNE_CHUNK]):
        deleted += DBTaskResult.objects.filter(pk__in=chunk).delete()[0]
    if deleted and connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {DBTaskResult._meta.db_table}")
    return deleted
