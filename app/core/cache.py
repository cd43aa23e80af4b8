"""A small cache with a time to live, for figures that may be a minute old.

Each app keeps its own (in `app.extensions`), so tests and workers never share one.
Values must be plain data, never ORM rows (they outlive the session that loaded them).
With CACHE_REDIS_URL (REDIS_URL by default) the values live in Redis, shared by every
worker and server (`RedisCache`); without it each process keeps its own (`TTLCache`).
Both have the same two methods.
"""
from __future__ import annotations

import hashlib
import logging
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app

T = TypeVar("T")


class TTLCache:
    """Values by key for `ttl` seconds, at most `size` of them (the oldest go first)."""

    def __init__(self, size: int = 256, clock: Callable[[], float] = time.monotonic) -> None:
        self._items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._size = size
        self._clock = clock
        self._lock = threading.Lock()

    def get_or_set(self, key: Hashable, ttl: float, compute: Callable[[], T]) -> T:
        """The value cached under `key` if younger than `ttl` seconds, else `compute()`'s."""
        if ttl <= 0:
            return compute()
        now = self._clock()
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] > now:
                return hit[1]
        value = compute()  # outside the lock: two workers may both compute; both are right
        with self._lock:
            self._items[key] = (now + ttl, value)
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()


log = logging.getLogger(__name__)


class RedisCache:
    """The same interface in Redis: values pickled under `<prefix><hash of the key>`.

    A Redis that fails is not an error for the reader: the value is computed (and
    logged), as with an empty cache. Redis is the site's own trusted store (RQ keeps
    its jobs there pickled too).
    """

    def __init__(self, client: Any, prefix: str = "ownervoice:cache:") -> None:
        self._client = client
        self._prefix = prefix

    def _key(self, key: Hashable) -> str:
        return self._prefix + hashlib.sha256(repr(key).encode()).hexdigest()[:32]

    def get_or_set(self, key: Hashable, ttl: float, compute: Callable[[], T]) -> T:
        """The value cached under `key` if younger than `ttl` seconds, else `compute()`'s."""
        if ttl <= 0:
            return compute()
        name = self._key(key)
        try:
            raw = self._client.get(name)
        except Exception as err:  # Redis down: compute, as if nothing were cached
            log.warning("cache read failed: %s", type(err).__name__)
            return compute()
        if raw is not None:
            try:
                return pickle.loads(raw)  # noqa: S301  (written by this app, below)
            except Exception:  # an old or foreign value: compute afresh
                log.warning("cache value for %s could not be read; recomputing", key)
        value = compute()
        try:
            self._client.set(name, pickle.dumps(value), px=max(int(ttl * 1000), 1))
        except Exception as err:
            log.warning("cache write failed: %s", type(err).__name__)
        return value

    def clear(self) -> None:
        """Forget everything under this cache's prefix."""
        for name in self._client.scan_iter(match=self._prefix + "*", count=500):
            self._client.delete(name)


def app_cache() -> TTLCache | RedisCache:
    """The current app's cache, made on first use: Redis-backed when configured."""
    cache = current_app.extensions.get("ttl_cache")
    if cache is None:
        url = current_app.config.get("CACHE_REDIS_URL")
        if url:
            from ..ops.redis_conn import redis_client

            cache = RedisCache(redis_client(url))
        else:
            cache = TTLCache()
        current_app.extensions["ttl_cache"] = cache
    return cache
