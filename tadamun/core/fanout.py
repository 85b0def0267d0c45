"""More workers for a backlog.

Each queue of confirmation work (the sign form's intake, the sealed intake, the outbox) wakes
one worker per burst (its kick key), and that worker drains until nothing waits: on a quiet
site one drain does all. Under a rush the others would sit idle, so a drain whose batch came
back full asks one more worker to join, up to QUEUE_DRAINERS at once. The joining drains
claim what the others do not hold (SKIP LOCKED on PostgreSQL; on SQLite one writer at a time,
each seeing what the last committed), so side by side they never take one row twice.

A request for help holds one of QUEUE_DRAINERS - 1 places for HELP_SECONDS: within that
window no more helpers are queued, and a place whose job was lost frees itself.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django_tasks.backends.immediate import ImmediateBackend

logger = logging.getLogger(__name__)

HELP_SECONDS = 30


def ask_for_help(queue: str, drain_task, *, batch_was_full: bool) -> bool:
    """Queue one more `drain_task` for `queue` when the last batch came back full and a place
    is free; True if one was queued. Never raises: the drain in hand goes on either way."""
    if not batch_was_full or isinstance(drain_task.get_backend(), ImmediateBackend):
        return False  # immediate: a job would run inside this drain, no other worker joins
    try:
        for place in range(1, settings.QUEUE_DRAINERS):
            if cache.add(f"fanout:{queue}:{place}", 1, HELP_SECONDS):
                drain_task.enqueue()
                return True
    except Exception as error:  # noqa: BLE001 - the cache or the queue down: drain alone
        logger.warning("%s: no helper asked for (%s)", queue, type(error).__name__)
    return False
