""" "Lock now" on every machine: a lock epoch in the database that every agent watches.

Each machine has its own agent holding the keys in memory (docs/scale.md). Locking one agent
through its socket reaches only that machine; so "lock now" (the command, the staff page) also
raises `Seal.lock_epoch`, one counter in the database all machines share. An agent notes the
epoch before it unwraps the keys, and a thread of it (`Watcher`) reads it every
VAULT_LOCK_POLL_SECONDS: once it moved on, the agent drops its keys, and each app server and
worker of that machine follows within VAULT_CACHE_SECONDS. An agent that cannot read the
database keeps its state (and says so in its log): no data can be read without it anyway.
"""

import contextlib
import logging
import threading

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.db.models import F

from tadamun import vault
from tadamun.vault.models import Seal

logger = logging.getLogger(__name__)


def epoch() -> int | None:
    """The lock epoch now (None before the vault is sealed)."""
    return Seal.objects.order_by("pk").values_list("lock_epoch", flat=True).first()


def order_lock() -> None:
    """Every machine's agent drops its keys within VAULT_LOCK_POLL_SECONDS."""
    Seal.objects.update(lock_epoch=F("lock_epoch") + 1)


def lock_everywhere() -> bool:
    """Lock now: this machine at once, every other one within seconds. Returns whether this
    machine had an agent to lock (the others are ordered in any case)."""
    order_lock()
    try:
        vault.lock()
    except vault.Locked:
        return False
    return True


class Watcher(threading.Thread):
    """In the agent: drops `holder`'s keys once the lock epoch moved past the one seen at its
    unlock (`server.unlocked_epoch`)."""

    def __init__(self, server, interval: float | None = None):
        super().__init__(name="vault-lock-watcher", daemon=True)
        self.server = server
        self.interval = interval or settings.VAULT_LOCK_POLL_SECONDS
        self.stopped = threading.Event()

    def check(self) -> None:
        seen = self.server.unlocked_epoch
        if self.server.holder.state() != "unlocked":
            return
        close_old_connections()
        try:
            now = epoch()
        except DatabaseError:
            logger.warning("vault agent cannot read the lock epoch")
            with contextlib.suppress(DatabaseError):
                connection.close()
            return
        if now is None or now != seen:
            self.server.holder.lock()
            logger.warning("vault locked: lock now was ordered")

    def run(self):
        while not self.stopped.wait(self.interval):
            self.check()

    def stop(self):
        self.stopped.set()
