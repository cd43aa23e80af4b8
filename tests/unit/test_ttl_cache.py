"""The in-process TTL cache behind the scorecards."""
from __future__ import annotations

from app.core.cache import TTLCache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_value_is_reused_until_its_time_is_up() -> None:
    clock, calls = Clock(), []
    cache = TTLCache(clock=clock)

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.get_or_set("k", 60, compute) == 1
    clock.now = 59
    assert cache.get_or_set("k", 60, compute) == 1
    clock.now = 61
    assert cache.get_or_set("k", 60, compute) == 2


def test_a_ttl_of_zero_never_caches() -> None:
    cache, calls = TTLCache(), []

    for _ in range(3):
        cache.get_or_set("k", 0, lambda: calls.append(1))

    assert len(calls) == 3


def test_the_oldest_entries_go_when_full() -> None:
    cache = TTLCache(size=2)
    for key in ("a", "b", "c"):
        cache.get_or_set(key, 60, lambda key=key: key)

    assert cache.get_or_set("a", 60, lambda: "recomputed") == "recomputed"
    assert cache.get_or_set("c", 60, lambda: "recomputed") == "c"
