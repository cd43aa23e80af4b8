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


def test_rebuild_writes_the_oldest_first_so_newest_first_is_the_index_order(app, client) -> None:
    from datetime import UTC, datetime

    from tests.factories import first_post

    old = make_thread(title="旧帖积水", body="积水")
    new = make_thread(title="新帖积水", body="积水")
    # Loaded out of order (as the demo and imports do): the later row is the older post.
    first_post(old).created_at = datetime(2026, 5, 1, tzinfo=UTC)
    first_post(new).created_at = datetime(2025, 5, 1, tzinfo=UTC)
    db.session.commit()

    app.test_cli_runner().invoke(args=["search", "rebuild"])

    page = client.get("/search?q=积水&sort=newest").get_data(as_text=True)
    assert page.index("旧帖积水") < page.index("新帖积水")
