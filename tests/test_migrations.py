"""The migrations build exactly the schema the models describe (SQLite and PostgreSQL)."""
from __future__ import annotations

from pathlib import Path

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from app import create_app
from app.extensions import db
from app.search.models import engine_owned
from config import TestingConfig
from tests.conftest import test_database_url

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


def _ours(obj, name, type_, reflected, compare_to) -> bool:  # noqa: ANN001
    """Compare what the models describe; the search engine's own tables stay out."""
    return not engine_owned(name or "")


def _empty(url: str) -> None:
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        conn.execute(text("DROP TABLE IF EXISTS search_fts"))


def test_upgraded_empty_database_matches_the_models(tmp_path: Path) -> None:
    url = test_database_url()
    if url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        _empty(url)
        try:
            flask_migrate.upgrade(directory=MIGRATIONS)
            with db.engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(
                    conn, opts={"compare_type": True, "compare_server_default": False,
                                "include_object": _ours}), db.metadata)
        finally:
            db.session.remove()
            _empty(url)
            db.engine.dispose()

    assert diff == []
