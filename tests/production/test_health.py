"""/healthz: the process answers. /readyz: the database and Redis answer, else 503 naming
which. Neither is rate-limited or sets a cookie."""
from __future__ import annotations

import os

import pytest

from app.extensions import db
from tests.conftest import make_test_app

# Nothing listens on these ports (this helper's range): a database or Redis that is down.
DOWN_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5109/nothing"
DOWN_REDIS = "redis://127.0.0.1:5108/0"


def test_healthz_answers_without_touching_anything(app, client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_checks_the_database(app, client) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok",
                                                              "redis": "not configured"}}
    assert "Set-Cookie" not in response.headers


def test_readyz_is_503_naming_the_database_when_it_is_down() -> None:
    app = make_test_app(SQLALCHEMY_DATABASE_URI=DOWN_POSTGRES,
                        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}})

    response = app.test_client().get("/readyz")

    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable" and body["checks"]["database"].startswith("error")
    assert "5109" not in response.get_data(as_text=True)  # no address in the body
    assert app.test_client().get("/healthz").status_code == 200  # still alive


def test_readyz_is_503_naming_redis_when_it_is_down(app) -> None:
    app.config["REDIS_URL"] = DOWN_REDIS

    response = app.test_client().get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": "ok",
                                             "redis": "error: ConnectionError"}


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL not set")
def test_readyz_checks_redis_when_configured(app) -> None:
    app.config["REDIS_URL"] = os.environ["TEST_REDIS_URL"]

    assert app.test_client().get("/readyz").get_json()["checks"]["redis"] == "ok"


def test_health_endpoints_are_not_rate_limited() -> None:
    from app.extensions import limiter

    app = make_test_app(RATELIMIT_DEFAULT="2 per minute")
    try:
        with app.app_context():
            db.create_all()
            client = app.test_client()

            codes = {client.get(path).status_code for path in ["/healthz", "/readyz"] * 5}

            assert codes == {200}
            assert [client.get("/login").status_code for _ in range(3)] == [200, 200, 429]
            db.session.remove()
            db.engine.dispose()
    finally:  # the limiter is one object for every app: no default limit for later tests
        limiter.limit_manager.set_default_limits([])


def test_health_endpoints_set_no_session_cookie_even_for_a_logged_in_client(client, login,
                                                                             member) -> None:
    login(member)

    for path in ("/healthz", "/readyz"):
        response = client.get(path)
        assert "Set-Cookie" not in response.headers, path
