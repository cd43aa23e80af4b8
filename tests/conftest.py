"""Fixtures: the app around the factory, personas, logging in through the real form."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient

from app import create_app
from app.auth.roles import Role
from app.extensions import db
from config import TestingConfig
from tests.factories import PASSWORD, make_user


def test_database_url() -> str:
    """In-memory SQLite unless TEST_DATABASE_URL names another database (PostgreSQL)."""
    return os.environ.get("TEST_DATABASE_URL", "sqlite://")


test_database_url.__test__ = False  # type: ignore[attr-defined]


class RequestClient(FlaskClient):
    """A test client whose requests each start with an empty `g`.

    Tests keep one app context open (so factories and requests share the
    in-memory database); in a real server each request has its own context, so
    per-request state kept on `g` (Flask-Login's current user) must not leak
    from one test request into the next.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            vars(g._get_current_object()).clear()
        return super().open(*args, **kwargs)


def make_test_app(**overrides: Any) -> Any:
    """The app as tests run it: TestingConfig on the test database."""
    overrides.setdefault("SQLALCHEMY_DATABASE_URI", test_database_url())
    app = create_app(TestingConfig, **overrides)
    app.test_client_class = RequestClient
    return app


def with_tables(app: Any) -> Iterator[Any]:
    """`app` inside its context with fresh tables for one test, dropped afterwards (for
    fixtures that need an app configured differently: `yield from with_tables(app)`)."""
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app() -> Iterator[Any]:
    yield from with_tables(make_test_app())


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture
def login(client: Any) -> Callable[..., Any]:
    """Log a user in through the real form."""

    def _login(user: Any, remember: bool = False) -> Any:
        response = client.post("/login", data={"login": user.username, "password": PASSWORD,
                                               "remember": "y" if remember else ""})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return _login


@pytest.fixture
def owner() -> Any:
    return make_user(Role.OWNER, display_name="3栋王先生")


@pytest.fixture
def other_owner() -> Any:
    return make_user(Role.OWNER, display_name="5栋林女士")


@pytest.fixture
def member() -> Any:
    return make_user(Role.MEMBER)


@pytest.fixture
def staff() -> Any:
    return make_user(Role.STAFF, display_name="客服小陈")


@pytest.fixture
def moderator() -> Any:
    return make_user(Role.MODERATOR)


@pytest.fixture
def admin() -> Any:
    return make_user(Role.ADMIN)
