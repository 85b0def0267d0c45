"""What /healthz reads besides live probes: processes' heartbeats and failed mail sends.

Both live in the database: it is the one store every process shares in every deployment
(the cache may be each process's own memory), and when it is down /healthz already fails on
it. Neither holds personal data.
"""

import contextlib

from django.db import DatabaseError, models


class Heartbeat(models.Model):
    """A worker or the scheduler saying it is alive, every HEARTBEAT_SECONDS."""

    class Role(models.TextChoices):
        WORKER = "worker"
        SCHEDULER = "scheduler"

    process = models.CharField(max_length=64, unique=True)  # the worker id
    role = models.CharField(max_length=16, choices=Role.choices)
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.role} {self.process}"


class MailFailure(models.Model):
    """A send that failed (tadamun.core.tasks.retry_mail_on_failure); all are deleted at the
    next send that works, so any row means mail is failing now."""

    failed_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=100)  # the exception's class name, never its message

    def __str__(self):
        return f"{self.kind} at {self.failed_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def record(cls, error: BaseException) -> None:
        with contextlib.suppress(DatabaseError):  # the database's own outage is seen anyway
            cls.objects.create(kind=type(error).__name__)

    @classmethod
    def clear(cls) -> None:
        """A send worked: mail is not failing (one read while it never was)."""
        with contextlib.suppress(DatabaseError):
            if cls.objects.exists():
                cls.objects.all().delete()
