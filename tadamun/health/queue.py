"""The state of the tasks queue, for /healthz: reachable, how much waits, and for how long.

A backlog older than QUEUE_STALL_SECONDS means no worker is taking tasks (mail, signatures,
mailings wait): the queue reads "stalled". Load balancers need not act on it (the app servers
are fine), monitoring should.
"""

from datetime import UTC

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend


def queue_state() -> dict:
    try:
        waiting, oldest = _backlog()
    except Exception:  # noqa: BLE001 - any client error means the queue cannot be reached
        return {"queue": "error"}
    state = "stalled" if oldest is not None and oldest > settings.QUEUE_STALL_SECONDS else "ok"
    return {"queue": state, "queue_waiting": waiting, "queue_oldest_seconds": oldest}


def _backlog() -> tuple[int, int | None]:
    """(tasks ready to run, age in seconds of the oldest of them)."""
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if isinstance(backend, DatabaseBackend):
        from django_tasks_db.models import DBTaskResult

        ready = DBTaskResult.objects.ready()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        age = int((timezone.now() - oldest).total_seconds()) if oldest else None
        return ready.count(), age
    if type(backend).__name__ == "RQBackend":
        import django_rq

        waiting = 0
        oldest_age = None
        for name in backend.queues:
            queue = django_rq.get_queue(name)
            waiting += queue.count
            if (job := next(iter(queue.get_jobs(0, 1)), None)) and job.enqueued_at:
                enqueued = job.enqueued_at  # UTC; naive from RQ before 2.0
                if timezone.is_naive(enqueued):
                    enqueued = enqueued.replace(tzinfo=UTC)
                age = int((timezone.now() - enqueued).total_seconds())
                oldest_age = max(age, oldest_age or 0)
        return waiting, oldest_age
    return 0, None  # tasks run at once (tests): nothing can wait


def backlog_state(name: str, waiting, stall_seconds: int) -> dict:
    """For /healthz: how many rows of `waiting` (a queryset with `created_at`) wait, the age
    of the oldest, and `name` "stalled" once that age passes `stall_seconds`."""
    found = waiting.aggregate(count=Count("pk"), oldest=Min("created_at"))  # one query
    age = int((timezone.now() - found["oldest"]).total_seconds()) if found["oldest"] else None
    return {
        name: "stalled" if age is not None and age > stall_seconds else "ok",
        f"{name}_waiting": found["count"],
        f"{name}_oldest_seconds": age,
    }
