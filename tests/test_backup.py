"""`flask backup` and `flask restore`: a consistent copy, checked, and a careful restore."""
from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from app.extensions import db
from tests.conftest import make_test_app, test_database_url
from tests.factories import make_thread

pytestmark = pytest.mark.skipif(not test_database_url().startswith("sqlite"),
                                reason="the SQLite backup (PostgreSQL: tests/proofs)")


def _app(path):  # noqa: ANN001, ANN202
    app = make_test_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        db.create_all()
    return app


def _count(path, table: str) -> int:  # noqa: ANN001
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_backup_then_restore_into_a_fresh_database(tmp_path) -> None:
    live = _app(tmp_path / "live.sqlite3")
    with live.app_context():
        make_thread(replies=3)
    (tmp_path / "copies").mkdir()
    result = live.test_cli_runner().invoke(args=["backup", str(tmp_path / "copies")])
    assert result.exit_code == 0, result.output
    copy = next((tmp_path / "copies").glob("ownervoice-*.sqlite3"))
    assert "integrity ok" in result.output
    assert not list((tmp_path / "copies").glob("*.part"))

    fresh = make_test_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    result = fresh.test_cli_runner().invoke(args=["restore", str(copy)])

    assert result.exit_code == 0, result.output
    assert _count(tmp_path / "fresh.sqlite3", "posts") == 4
    with fresh.app_context():
        assert db.session.scalar(sa.text("PRAGMA integrity_check")) == "ok"


def test_restore_refuses_to_overwrite_a_database_without_force(tmp_path) -> None:
    live = _app(tmp_path / "live.sqlite3")
    with live.app_context():
        make_thread()
    live.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.sqlite3")])
    with live.app_context():
        make_thread()

    refused = live.test_cli_runner().invoke(args=["restore", str(tmp_path / "b.sqlite3")])
    assert refused.exit_code != 0 and "--force" in refused.output
    assert _count(tmp_path / "live.sqlite3", "threads") == 2

    forced = live.test_cli_runner().invoke(args=["restore", "--force",
                                                 str(tmp_path / "b.sqlite3")])
    assert forced.exit_code == 0, forced.output
    assert _count(tmp_path / "live.sqlite3", "threads") == 1


def test_a_damaged_backup_is_not_restored(tmp_path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    app = make_test_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'target.sqlite3'}")

    result = app.test_cli_runner().invoke(args=["restore", str(bad)])

    assert result.exit_code != 0
    assert not (tmp_path / "target.sqlite3").exists() or \
        _count(tmp_path / "target.sqlite3", "sqlite_master") == 0
