"""/healthz and /metrics read this list of named checks; adding a check is one line in CHECKS.

A check returns a dict whose entry under its own name is its state ("ok" when it holds, any
other word names how it fails) and whose other entries are figures (counts, ages in
seconds), which /metrics publishes. A check that raises reads "error". `serving` marks the
checks a load balancer should act on: when they fail, this app server cannot take forms.
The others (a dead worker, mail failing) need a person, not a different app server.
"""

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend

from tadamun import vault
from tadamun.core import intake as sealed_intake
from tadamun.core import outbox
from tadamun.health.models import Heartbeat, MailFailure
from tadamun.health.queue import queue_state
from tadamun.petitions import intake


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[], dict]
    serving: bool = False


def database_state() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        ok = cursor.fetchone() == (1,)
    return {"database": "ok" if ok else "error"}


def cache_state() -> dict:
    """Redis itself (the site goes on without it, uncached and with looser limits)."""
    reachable = getattr(cache, "reachable", None)
    if reachable is not None:
        return {"cache": "ok" if reachable() else "error"}
    cache.set("healthz", "ok", 10)
    return {"cache": "ok" if cache.get("healthz") == "ok" else "error"}


def _alive(role: str) -> tuple[int, int]:
    """(processes of `role` that beat lately, processes gone silent)."""
    silent_since = timezone.now() - timedelta(seconds=settings.WORKER_SILENT_SECONDS)
    beats = Heartbeat.objects.filter(role=role)
    alive = beats.filter(beat_at__gte=silent_since).count()
    return alive, beats.count() - alive


def _queue_needs_processes() -> bool:
    return not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend)


def workers_state() -> dict:
    """Workers that beat (the database queue's) or that RQ lists (its workers beat in Redis)."""
    if not _queue_needs_processes():
        return {"workers": "ok"}
    if isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        alive, silent = _alive(Heartbeat.Role.WORKER)
    else:
        import django_rq
        from rq import Worker

        alive, silent = Worker.count(connection=django_rq.get_connection("default")), 0
    state = "ok" if alive else "none alive"
    return {"workers": state, "workers_alive": alive, "workers_silent": silent}


def scheduler_state() -> dict:
    if not _queue_needs_processes():
        return {"scheduler": "ok"}
    alive, _silent = _alive(Heartbeat.Role.SCHEDULER)
    return {"scheduler": "ok" if alive else "none alive", "schedulers_alive": alive}


def email_state() -> dict:
    """Failing from a failed send until the next send that works."""
    first = MailFailure.objects.order_by("failed_at").values_list("failed_at", flat=True).first()
    if first is None:
        return {"email": "ok", "email_failing_seconds": 0}
    return {
        "email": "failing",
        "email_failing_seconds": int((timezone.now() - first).total_seconds()),
    }


def disk_state() -> dict:
    free_mb = shutil.disk_usage(settings.VAR_DIR).free // 2**20
    return {
        "disk": "ok" if free_mb >= settings.HEALTH_MIN_FREE_MB else "low",
        "disk_free_mb": free_mb,
    }


def vault_state() -> dict:
    """ "locked" while keyholders have not unlocked it: public pages still serve (not a
    serving check), but workers cannot send mail or record forms (docs/security.md)."""
    state = vault.state()
    return {"vault": "ok" if state in ("unlocked", "unsealed") else state}


CHECKS = [
    Check("database", database_state, serving=True),
    Check("disk", disk_state, serving=True),
    Check("cache", cache_state),
    Check("queue", queue_state),
    Check("workers", workers_state),
    Check("scheduler", scheduler_state),
    Check("email", email_state),
    Check("intake", intake.backlog_state),
    Check("sealed", sealed_intake.backlog_state),  # forms sent while the vault was locked
    Check("outbox", outbox.pending_links_state),
    Check("vault", vault_state),
]


def run_checks(*, serving_only: bool = False) -> tuple[dict, list[str]]:
    """(every check's state and figures, the names of the checks that fail)."""
    report, failing = {}, []
    for check in CHECKS:
        if serving_only and not check.serving:
            continue
        try:
            result = check.run()
        except Exception:  # noqa: BLE001 - a check that cannot run has failed
            result = {check.name: "error"}
        report.update(result)
        if result[check.name] != "ok":
            failing.append(check.name)
    return report, failing
