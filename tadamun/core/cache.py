"""The Redis cache, degrading instead of failing (docs/scale.md, "When Redis is down").

Every use of the cache (page caches, rate limits, proof-of-work challenges, the intake's
wake-up) goes through `cache`, so the rule lives here, once: when Redis cannot be reached, or
answers with an error, the operation is served by this process's own memory instead. Pages
are then cached per process for their usual short time, and rate limits count per process (a
looser limit, still a limit; the proof of work still holds). After a failure the process
leaves Redis alone for RETRY_SECONDS, so an outage costs one connection timeout per process
and period, not one per call. The outage and the recovery are logged once each.

`reachable()` asks Redis itself, for /healthz.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Seconds a process serves from its own memory after Redis failed, before it tries again.
RETRY_SECONDS = 5.0

_OPERATIONS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._memory = LocMemCache(f"fallback-{id(self)}", {"TIMEOUT": self.default_timeout})
        self._down_until = 0.0

    def _degraded(self, name, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return getattr(self._memory, name)(*args, **kwargs)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except RedisError as error:
            if not self._down_until:
                logger.error(
                    "cache: Redis unreachable (%s); serving from memory", type(error).__name__
                )
            self._down_until = time.monotonic() + RETRY_SECONDS
            return getattr(self._memory, name)(*args, **kwargs)
        if self._down_until:
            logger.warning("cache: Redis is back")
            self._down_until = 0.0
        return result

    def reachable(self) -> bool:
        try:
            return bool(self._cache.get_client(write=True).ping())
        except RedisError:
            return False


def _delegating(name):
    def operation(self, *args, **kwargs):
        return self._degraded(name, *args, **kwargs)

    operation.__name__ = name
    return operation


for _name in _OPERATIONS:
    setattr(ResilientRedisCache, _name, _delegating(_name))
