"""Tasks left RUNNING by a worker that died (killed, machine lost) go back to the queue.

The database queue marks a task RUNNING when a worker claims it, and nothing else ever looks
at it again. Every worker beats (tadamun.health.heartbeat); a RUNNING task whose worker has
been silent for WORKER_SILENT_SECONDS is set READY again, and the next worker runs it. Each
task is re-queued by exactly one worker (a conditional update), and run again at least once:
tasks are written to be safe to run twice (mail goes through its own never-twice guard).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tadamun.health.models import Heartbeat

logger = logging.getLogger(__name__)


def requeue_abandoned() -> int:
    """Re-queue the tasks of silent workers; returns how many."""
    silent_since = timezone.now() - timedelta(seconds=settings.WORKER_SILENT_SECONDS)
    alive = set(
        Heartbeat.objects.filter(beat_at__gte=silent_since).values_list("process", flat=True)
    )
    candidates = DBTaskResult.objects.running().filter(started_at__lt=silent_since)
    abandoned = [
        (pk, started_at, workers)
        for pk, started_at, workers in candidates.values_list("pk", "started_at", "worker_ids")
        if not workers or workers[-1] not in alive
    ]
    requeued = 0
    for pk, started_at, workers in abandoned:
        requeued += _requeue(pk, started_at, reason=f"worker {workers[-1:]} silent")
    Heartbeat.objects.filter(beat_at__lt=silent_since - timedelta(days=1)).delete()
    return requeued


def requeue_own(worker_id: str) -> int:
    """Re-queue what this worker left RUNNING when the database failed under it (the task's
    result could not be written); call only between tasks."""
    requeued = 0
    for pk, started_at, workers in DBTaskResult.objects.running().values_list(
        "pk", "started_at", "worker_ids"
    ):
        if workers and workers[-1] == worker_id:
            requeued += _requeue(pk, started_at, reason="its result was not written")
    return requeued


def _requeue(pk, started_at, *, reason: str) -> int:
    """READY again, unless another worker did it (or it finished) meanwhile."""
    done = DBTaskResult.objects.filter(
        pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at
    ).update(status=TaskResultStatus.READY)
    if done:
        logger.warning("task %s queued again: %s", pk, reason)
    return done
