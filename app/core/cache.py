"""A tiny in-process cache with a time to live, for figures that may be a minute old.

Each app keeps its own (in `app.extensions`), so tests and workers never share one.
Values must be plain data, never ORM rows (they outlive the session that loaded them).
Several workers each keep their own copy: fine for a short TTL; Redis can replace it later.
"""
from __future__ import annotations

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


def app_cache() -> TTLCache:
    """The current app's cache, made on first use."""
    return current_app.extensions.setdefault("ttl_cache", TTLCache())
