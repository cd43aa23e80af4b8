"""Rebuilding the index from the posts (after bulk loads or a dictionary change)."""
from __future__ import annotations

from sqlalchemy import delete, text

from app.extensions import db
from app.search.models import SearchDoc
from tests.factories import make_thread


def _forget_index() -> None:
    db.session.execute(delete(SearchDoc))
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("DELETE FROM search_fts"))
    db.session.commit()


def test_rebuild_indexes_every_post_again(app, client) -> None:
    make_thread(title="地库积水", body="B2层积水严重", replies=2)
    _forget_index()
    assert "地库积水" not in client.get("/search?q=积水").get_data(as_text=True)

    result = app.test_cli_runner().invoke(args=["search", "rebuild"])

    assert "Indexed 3 texts" in result.output
    assert "地库积水" in client.get("/search?q=积水").get_data(as_text=True)


def test_rebuild_if_empty_leaves_a_filled_index_alone(app) -> None:
    make_thread(title="地库积水", body="B2层积水严重")

    result = app.test_cli_runner().invoke(args=["search", "rebuild", "--if-empty"])

    assert "in place" in result.output
