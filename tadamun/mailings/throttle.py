"""A sending rate shared by every worker: slots per second counted in the cache (Redis when
configured, so the rate holds across machines; in-process otherwise, per worker)."""

import time

from django.conf import settings
from django.core.cache import cache


def wait_for_slot(rate: int | None = None) -> None:
    """Return once one more message may go out this second."""
    rate = rate or settings.MAILING_RATE_PER_SECOND
    while True:
        now = time.time()
        key = f"mailings:rate:{int(now)}"
        cache.add(key, 0, 5)
        try:
            used = cache.incr(key)
        except ValueError:  # the key expired between add and incr: a new second began
            continue
        if used <= rate:
            return
        time.sleep(max(0.005, int(now) + 1 - time.time()))
