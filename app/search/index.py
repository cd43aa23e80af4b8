"""Keeping the index in step: called inside the transaction that changes a post."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, text, update

from ..extensions import db
from ..text.terms import index_terms
from .models import KIND_NOTE, KIND_POST, SearchDoc


def _sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def _write_fts(doc_id: int, title_terms: str, terms: str) -> None:
    if _sqlite():
        db.session.execute(text("DELETE FROM search_fts WHERE rowid = :id"), {"id": doc_id})
        db.session.execute(text("INSERT INTO search_fts(rowid, title_terms, terms) "
                                "VALUES (:id, :title, :terms)"),
                           {"id": doc_id, "title": title_terms, "terms": terms})


def put(kind: str, source_id: int, *, thread_id: int, board_id: int,
        community_id: int | None, created_at: datetime, body: str, title: str = "",
        public: bool = True) -> None:
    """Index (or re-index) one text; call before the commit of the change it reflects."""
    title_terms, terms = index_terms(title) if title else "", index_terms(body)
    doc_id = db.session.scalar(select(SearchDoc.id).where(SearchDoc.kind == kind,
                                                          SearchDoc.source_id == source_id))
    values = {"thread_id": thread_id, "board_id": board_id, "community_id": community_id,
              "created_at": created_at, "title_terms": title_terms, "terms": terms,
              "public": public}
    if doc_id is None:
        doc = SearchDoc(kind=kind, source_id=source_id, **values)
        db.session.add(doc)
        db.session.flush()
        doc_id = doc.id
    else:
        db.session.execute(update(SearchDoc).where(SearchDoc.id == doc_id).values(**values),
                           execution_options={"synchronize_session": False})
    _write_fts(doc_id, title_terms, terms)


def put_post(post, thread, board) -> None:  # noqa: ANN001
    """Index a forum post (the opening post carries the thread's title)."""
    put(KIND_POST, post.id, thread_id=thread.id, board_id=board.id,
        community_id=board.community_id, created_at=post.created_at, body=post.body_source,
        title=thread.title if post.number == 1 else "",
        public=post.deleted_at is None and getattr(post, "hidden_at", None) is None
        and getattr(thread, "hidden_at", None) is None)


def put_note(note, case) -> None:  # noqa: ANN001
    """Index an internal note of a case: staff search only."""
    thread = case.thread
    put(KIND_NOTE, note.id, thread_id=thread.id, board_id=thread.board_id,
        community_id=case.community_id, created_at=note.created_at, body=note.body_source,
        public=False)


def set_public(kind: str, source_id: int, public: bool) -> None:
    """Show or withhold one document (deleted, hidden, restored) without re-segmenting."""
    db.session.execute(update(SearchDoc).where(SearchDoc.kind == kind,
                                               SearchDoc.source_id == source_id)
                       .values(public=public), execution_options={"synchronize_session": False})


def clear() -> None:
    """Empty the index (before a rebuild)."""
    db.session.execute(delete(SearchDoc))
    if _sqlite():
        db.session.execute(text("DELETE FROM search_fts"))


__all__ = ["KIND_NOTE", "KIND_POST", "clear", "put", "put_note", "put_post", "set_public"]
