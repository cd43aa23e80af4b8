"""With Redis as the store, a login limit holds across workers (two app instances here)."""
from __future__ import annotations

import os

import pytest
import redis

from app.auth import services
from app.extensions import db
from tests.conftest import make_test_app

REDIS_URL = os.environ.get("TEST_REDIS_URL")

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL not set (no Redis)")


def test_the_login_limit_is_shared_by_two_workers(tmp_path) -> None:
    redis.Redis.from_url(REDIS_URL).flushdb()
    settings = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shared.db'}",
                "RATELIMIT_STORAGE_URI": REDIS_URL, "LOGIN_RATE_LIMIT": "4 per minute"}
    workers = [make_test_app(**settings) for _ in range(2)]
    with workers[0].app_context():
        db.create_all()
        services.create_account("wang3", "wang3@example.com", "correct-horse-42")
    clients = [w.test_client() for w in workers]

    codes = [clients[i % 2].post("/login", data={"login": "wang3",
                                                 "password": "wrong-pass-1"}).status_code
             for i in range(6)]

    assert codes == [400, 400, 400, 400, 429, 429]
