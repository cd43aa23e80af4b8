"""Migration 0009 on a database that already holds documents: PostgreSQL's stored tsvector
is computed for them and the GIN index moves onto it; search still finds them."""
from __future__ import annotations

from pathlib import Path

import flask_migrate
import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db
from app.search.queries import SearchRequest, search
from config import TestingConfig
from tests.conftest import test_database_url
from tests.factories import make_thread

MIGRATIONS = str(Path(__file__).resolve().parents[2] / "migrations")
BEFORE = "0008"  # the revision 0009 follows


def _empty() -> None:
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        conn.execute(text("DROP TABLE IF EXISTS search_fts"))


@pytest.fixture
def before_0009(tmp_path: Path):
    url = test_database_url()
    if url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        _empty()
        flask_migrate.upgrade(directory=MIGRATIONS, revision=BEFORE)
        try:
            yield app
        finally:
            db.session.remove()
            _empty()
            db.engine.dispose()


def test_upgrading_keeps_existing_documents_findable(before_0009) -> None:
    make_thread(title="地库积水", body="B2层积水严重")  # indexed under the schema before 0009

    flask_migrate.upgrade(directory=MIGRATIONS)

    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            stored = conn.execute(text("SELECT search_tsv::text FROM search_docs "
                                       "WHERE title_terms <> ''")).scalar()
            index = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = "
                                      "'ix_search_docs_tsv'")).scalar()
        assert "'积水':" in stored
        assert index.endswith("USING gin (search_tsv)")
    assert [h.thread.title for h in search(SearchRequest(q="积水")).hits] == ["地库积水"]


def test_downgrading_restores_the_expression_index(before_0009) -> None:
    flask_migrate.upgrade(directory=MIGRATIONS)
    make_thread(title="地库积水", body="B2层积水严重")

    flask_migrate.downgrade(directory=MIGRATIONS, revision=BEFORE)

    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM search_docs")).scalar() == 1
        if db.engine.dialect.name == "postgresql":
            index = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = "
                                      "'ix_search_docs_tsv'")).scalar()
            assert "to_tsvector" in index
