"""Heartbeats of the long-running processes, and how they ride out a database outage.

A process beats from a thread of its own, so a long task does not silence it. The thread has
its own database connection; a failed beat is retried at the next one.
"""

import contextlib
import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections
from django.utils import timezone

from tadamun.health.models import Heartbeat

logger = logging.getLogger(__name__)

# Seconds to wait after each failed attempt while a dependency is down, longest last.
BACKOFF_SECONDS = (0.5, 1, 2, 5, 10, 15)


def beat(process: str, role: str) -> None:
    now = timezone.now()
    if not Heartbeat.objects.filter(process=process).update(beat_at=now):
        Heartbeat.objects.create(process=process, role=role, beat_at=now)


class Beating:
    """`with Beating(process, role):` beats every HEARTBEAT_SECONDS until the block ends,
    then removes the process's heartbeat (a process that ends cleanly is not a dead one).
    `each_beat` runs after each beat, on the beat's thread and connection."""

    def __init__(self, process: str, role: str, each_beat=None):
        self.process, self.role, self.each_beat = process, role, each_beat
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{role}", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=5)
        with contextlib.suppress(DatabaseError):  # else the row goes silent: a dead process's
            Heartbeat.objects.filter(process=self.process).delete()
        return False

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    beat(self.process, self.role)
                    if self.each_beat:
                        self.each_beat()
                except Exception as error:  # noqa: BLE001 - a dead beat would mean a dead worker
                    if not isinstance(error, DatabaseError):  # an outage is logged by the loop
                        kind = type(error).__name__
                        logger.error("heartbeat of %s failed: %s", self.process, kind)
                    with contextlib.suppress(Exception):
                        close_old_connections()  # the next beat reconnects
                self._stop.wait(settings.HEARTBEAT_SECONDS)
        finally:
            connections.close_all()


class Outage:
    """Tracks one dependency's outage for a loop: logs its start and its end once each and
    says how long to wait before the next attempt."""

    def __init__(self, what: str):
        self.what = what
        self.failures = 0

    def failed(self, error: BaseException) -> float:
        if not self.failures:
            logger.error("%s unavailable (%s); retrying", self.what, type(error).__name__)
        self.failures += 1
        return BACKOFF_SECONDS[min(self.failures, len(BACKOFF_SECONDS)) - 1]

    def wait(self, error: BaseException) -> None:
        delay = self.failed(error)
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
        time.sleep(delay)

    def ended(self) -> None:
        if self.failures:
            logger.warning("%s available again after %d attempts", self.what, self.failures)
            self.failures = 0
