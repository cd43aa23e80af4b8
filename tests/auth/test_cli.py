"""The operator creates accounts from the command line."""
from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db


def test_user_create_makes_an_admin(app) -> None:
    result = app.test_cli_runner().invoke(args=[
        "user", "create", "--username", "boss", "--email", "boss@example.com",
        "--password", "strong-admin-pass-1", "--role", "admin"])

    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.username == "boss")).role == "admin"


def test_user_create_refuses_a_weak_password(app) -> None:
    result = app.test_cli_runner().invoke(args=[
        "user", "create", "--username", "boss", "--email", "boss@example.com",
        "--password", "123456", "--role", "admin"])

    assert result.exit_code != 0
    assert db.session.scalar(select(User)) is None


def test_user_create_without_a_terminal_asks_for_the_missing_option(app) -> None:
    result = app.test_cli_runner().invoke(args=["user", "create", "--username", "boss"])

    assert result.exit_code != 0
    assert "--email" in result.output


def test_user_create_prompts_for_what_is_missing_when_interactive(app, monkeypatch) -> None:
    monkeypatch.setattr("app.cli._interactive", lambda: True)

    result = app.test_cli_runner().invoke(
        args=["user", "create", "--username", "boss", "--role", "staff"],
        input="boss@example.com\nstrong-admin-pass-1\nstrong-admin-pass-1\n")

    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.username == "boss")).role == "staff"
