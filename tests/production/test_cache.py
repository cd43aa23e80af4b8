"""The cache keeps one interface: in each process without Redis, shared in Redis with it."""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import pytest
import redis

from app.core.cache import RedisCache, TTLCache, app_cache
from tests.conftest import make_test_app

REDIS_URL = os.environ.get("TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL not set (no Redis)")


@dataclass(frozen=True)
class Figures:
    cases: int
    share: float | None


def test_without_redis_each_app_keeps_its_own_cache(app) -> None:
    assert isinstance(app_cache(), TTLCache)


@needs_redis
def test_with_redis_two_servers_share_one_cache() -> None:
    prefix = f"test:{uuid.uuid4().hex}:"
    client = redis.Redis.from_url(REDIS_URL)
    servers = [RedisCache(client, prefix=prefix), RedisCache(redis.Redis.from_url(REDIS_URL),
                                                             prefix=prefix)]
    calls = []

    def compute() -> Figures:
        calls.append(1)
        return Figures(cases=12, share=0.75)

    try:
        assert servers[0].get_or_set(("scorecard", 3), 60, compute) == Figures(12, 0.75)
        assert servers[1].get_or_set(("scorecard", 3), 60, compute) == Figures(12, 0.75)
        assert calls == [1]  # the second server read the first one's value
        assert servers[1].get_or_set(("scorecard", 4), 0, compute) == Figures(12, 0.75)
        assert calls == [1, 1]  # a ttl of 0 never caches
        assert 0 < client.pttl(next(client.scan_iter(match=prefix + "*"))) <= 60_000
        servers[0].clear()
        servers[1].get_or_set(("scorecard", 3), 60, compute)
        assert len(calls) == 3
    finally:
        servers[0].clear()


def test_a_redis_that_is_down_only_means_computing() -> None:
    cache = RedisCache(redis.Redis.from_url("redis://127.0.0.1:5108/0",
                                            socket_connect_timeout=1))

    assert cache.get_or_set("k", 60, lambda: 41 + 1) == 42


@needs_redis
def test_the_app_uses_redis_when_configured() -> None:
    app = make_test_app(CACHE_REDIS_URL=REDIS_URL)
    with app.app_context():
        assert isinstance(app_cache(), RedisCache)
