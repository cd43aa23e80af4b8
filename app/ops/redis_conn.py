"""One Redis client per URL and process (redis-py's pool re-opens itself after a fork)."""
from __future__ import annotations

import threading

import redis

_clients: dict[str, redis.Redis] = {}
_lock = threading.Lock()

TIMEOUT = 5  # seconds: a Redis that does not answer must not hang a request for long


def redis_client(url: str) -> redis.Redis:
    """The shared client for `url` (binary replies: RQ and the cache store bytes)."""
    client = _clients.get(url)
    if client is None:
        with _lock:
            client = _clients.get(url)
            if client is None:
                client = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT,
                                              socket_timeout=TIMEOUT * 6,
                                              health_check_interval=30)
                _clients[url] = client
    return client
