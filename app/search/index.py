"""Keeping the index in step: called inside the transaction that changes a post."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select, text, update

from ..extensions import db
from ..text.terms import index_terms
from .models import CASE_MARK, KIND_NOTE, KIND_POST, SearchDoc


def _sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def _write_fts(doc_id: int, title_terms: str, terms: str) -> None:
    if _sqlite():
        db.session.execute(text("DELETE FROM search_fts WHERE rowid = :id"), {"id": doc_id})
        db.session.execute(text("INSERT INTO search_fts(rowid, title_terms, terms) "
                                "VALUES (:id, :title, :terms)"),
                           {"id": doc_id, "title": title_terms, "terms": terms})


def title_terms(title: str, *, case: bool = False) -> str:
    """The stored terms of a thread's title (a complaint's begin with CASE_MARK)."""
    terms = index_terms(title)
    return f"{CASE_MARK} {terms}" if case else terms


def put(kind: str, source_id: int, *, thread_id: int, board_id: int,
        community_id: int | None, created_at: datetime, body: str, title: str = "",
        public: bool = True, case: bool = False) -> None:
    """Index (or re-index) one text; call before the commit of the change it reflects."""
    title_terms_, terms = title_terms(title, case=case) if title else "", index_terms(body)
    doc_id = db.session.scalar(select(SearchDoc.id).where(SearchDoc.kind == kind,
                                                          SearchDoc.source_id == source_id))
    values = {"thread_id": thread_id, "board_id": board_id, "community_id": community_id,
              "created_at": created_at, "title_terms": title_terms_, "terms": terms,
              "public": public}
    if doc_id is None:
        doc = SearchDoc(kind=kind, source_id=source_id, **values)
        db.session.add(doc)
        db.session.flush()
        doc_id = doc.id
    else:
        db.session.execute(update(SearchDoc).where(SearchDoc.id == doc_id).values(**values),
                           execution_options={"synchronize_session": False})
    _write_fts(doc_id, title_terms_, terms)


def post_values(post, thread, board) -> dict:  # noqa: ANN001
    """What put() takes for a forum post (the opening post carries the thread's title)."""
    opening = post.number == 1
    return {"kind": KIND_POST, "source_id": post.id, "thread_id": thread.id,
            "board_id": board.id, "community_id": board.community_id,
            "created_at": post.created_at, "body": post.body_source,
            "title": thread.title if opening else "",
            "case": opening and thread.case is not None,
            "public": post.deleted_at is None and post.hidden_at is None
            and thread.hidden_at is None}


def note_values(note, case) -> dict:  # noqa: ANN001
    """What put() takes for an internal note of a case (never public)."""
    return {"kind": KIND_NOTE, "source_id": note.id, "thread_id": case.thread_id,
            "board_id": case.thread.board_id, "community_id": case.community_id,
            "created_at": note.created_at, "body": note.body_source, "public": False}


def put_post(post, thread, board) -> None:  # noqa: ANN001
    """Index a forum post (the opening post carries the thread's title)."""
    values = post_values(post, thread, board)
    put(values.pop("kind"), values.pop("source_id"), **values)


def put_new(documents: list[dict]) -> None:
    """Index many texts not in the index yet (a rebuild after clear()), in this order:
    one multi-row INSERT instead of a lookup and an insert per text."""
    rows = []
    for doc in documents:
        rows.append({"kind": doc["kind"], "source_id": doc["source_id"],
                     "thread_id": doc["thread_id"], "board_id": doc["board_id"],
                     "community_id": doc["community_id"], "created_at": doc["created_at"],
                     "public": doc["public"], "terms": index_terms(doc["body"]),
                     "title_terms": title_terms(doc["title"], case=doc.get("case", False))
                     if doc.get("title") else ""})
    if not rows:
        return
    ids = db.session.scalars(insert(SearchDoc).returning(SearchDoc.id,
                                                         sort_by_parameter_order=True), rows).all()
    if _sqlite():
        db.session.execute(text("INSERT INTO search_fts(rowid, title_terms, terms) "
                                "VALUES (:id, :title, :terms)"),
                           [{"id": i, "title": r["title_terms"], "terms": r["terms"]}
                            for i, r in zip(ids, rows, strict=True)])


def mark_case(thread_id: int) -> None:
    """A thread became a complaint (filed or converted): mark its opening post's terms,
    in the transaction that makes the case."""
    row = db.session.execute(
        select(SearchDoc.id, SearchDoc.title_terms, SearchDoc.terms)
        .where(SearchDoc.thread_id == thread_id, SearchDoc.kind == KIND_POST,
               SearchDoc.title_terms != "")).first()
    if row is None or row.title_terms.startswith(CASE_MARK):
        return
    marked = f"{CASE_MARK} {row.title_terms}"
    db.session.execute(update(SearchDoc).where(SearchDoc.id == row.id)
                       .values(title_terms=marked),
                       execution_options={"synchronize_session": False})
    _write_fts(row.id, marked, row.terms)


def put_note(note, case) -> None:  # noqa: ANN001
    """Index an internal note of a case: staff search only."""
    values = note_values(note, case)
    put(values.pop("kind"), values.pop("source_id"), **values)


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


__all__ = ["KIND_NOTE", "KIND_POST", "clear", "mark_case", "note_values", "post_values",
           "put", "put_new", "put_note", "put_post", "set_public", "title_terms"]
