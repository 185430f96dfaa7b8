"""A Redis cache that degrades to "no cache" instead of failing the request.

Everything cached here (charts, fragments, counters) can be recomputed, so a
Redis that is down, refuses connections or stops answering must cost a page
its speed, never its answer:

- every socket has a short connect and read timeout (``OPTIONS``, from
  ``REDIS_SOCKET_TIMEOUT``), so a frozen Redis costs at most one timeout;
- a read that fails is a miss, a write that fails is ignored;
- after a failure this process skips Redis for ``RETRY_AFTER`` seconds
  (a small circuit breaker), so a page that makes twenty cache calls does
  not wait twenty timeouts;
- ``incr``/``decr`` cannot invent a count, so they raise ``CacheUnavailable``:
  a caller that counts (the comment rate limiter) decides what to do without
  the cache rather than mistaking the outage for an empty counter.
"""
import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

FAILURES = (RedisError, OSError)


class CacheUnavailable(Exception):
    """The cache could not be reached; raised only where a miss would be a wrong answer."""


class _Breaker:
    """Per process and server: after a failure, do not try again for ``retry_after`` seconds."""

    def __init__(self):
        self.down_until = 0.0
        self.lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self.down_until

    def trip(self, retry_after: float) -> bool:
        """Mark the server down; True for the first failure of an outage (worth one log line)."""
        with self.lock:
            first = not self.is_open()
            self.down_until = time.monotonic() + retry_after
            return first

    def reset(self) -> None:
        self.down_until = 0.0


# Django makes one cache object per thread; the breaker is shared by the whole process.
_breakers: dict[str, _Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str) -> _Breaker:
    with _breakers_lock:
        return _breakers.setdefault(location, _Breaker())


def reset_breakers() -> None:
    """Forget every recorded outage (tests, and after an operator fixed Redis in a shell)."""
    with _breakers_lock:
        for breaker in _breakers.values():
            breaker.reset()


class ResilientRedisCache(RedisCache):
    DEFAULT_SOCKET_TIMEOUT = 0.5
    DEFAULT_RETRY_AFTER = 10.0

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", self.DEFAULT_RETRY_AFTER))
        timeout = float(options.pop("SOCKET_TIMEOUT", self.DEFAULT_SOCKET_TIMEOUT))
        options.setdefault("socket_timeout", timeout)
        options.setdefault("socket_connect_timeout", timeout)
        # A timed-out command is not sent again: one timeout is all a request pays.
        options.setdefault("retry_on_timeout", False)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._breaker = breaker_for(server if isinstance(server, str) else ",".join(server))

    def _guard(self, operation, call, fallback):
        if self._breaker.is_open():
            return fallback
        try:
            return call()
        except FAILURES as exc:
            if self._breaker.trip(self.retry_after):
                logger.warning("cache unavailable; serving without it", extra={
                    "operation": operation, "error": type(exc).__name__, "retry_after_s": self.retry_after})
            return fallback

    # Reads: a failure is a miss.
    def get(self, key, default=None, version=None):
        return self._guard("get", lambda: super(ResilientRedisCache, self).get(key, default, version), default)

    def get_many(self, keys, version=None):
        return self._guard("get_many", lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._guard("has_key", lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    # Writes: a failure is ignored (the value is simply not cached).
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guard("set", lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("add", lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), False)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that failed to be inserted.
        return self._guard("set_many", lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
                           list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("touch", lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._guard("delete", lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def delete_many(self, keys, version=None):
        self._guard("delete_many", lambda: super(ResilientRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._guard("clear", lambda: super(ResilientRedisCache, self).clear(), False)

    # Counters: no safe default.
    def incr(self, key, delta=1, version=None):
        marker = object()
        value = self._guard("incr", lambda: super(ResilientRedisCache, self).incr(key, delta, version), marker)
        if value is marker:
            raise CacheUnavailable("cache unavailable")
        return value

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version)
