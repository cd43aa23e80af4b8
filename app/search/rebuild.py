"""Rebuilding the whole index (after a dictionary change, or on a new install)."""
from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator

from sqlalchemy import func, select, text

from ..communities.models import Board
from ..complaints.models import Case, CaseNote
from ..extensions import db
from ..forum.models import Post, Thread
from . import index
from .models import SearchDoc

BATCH = 1000


def count_documents() -> int:
    """How many texts a rebuild will index."""
    posts = db.session.scalar(select(func.count()).select_from(Post)) or 0
    notes = db.session.scalar(select(func.count()).select_from(CaseNote)) or 0
    return posts + notes


def indexed_count() -> int:
    """How many texts the index holds."""
    return db.session.scalar(select(func.count()).select_from(SearchDoc)) or 0


def rebuild(progress: Callable[[int], None] = lambda n: None) -> int:
    """Index every post and internal note again, in batches; returns how many.

    Oldest first (posts and notes merged by date), so the index's order, which search
    takes as newest first, is the order they were written in, whatever order the rows
    were loaded in (the demo and bulk imports write old posts late)."""
    index.clear()
    done = 0
    for batch in _batches():
        index.put_new(batch)
        db.session.commit()
        done += len(batch)
        progress(len(batch))
    if db.engine.dialect.name == "postgresql":
        # The old rows are dead and still in the GIN and primary-key indexes: every
        # search would visit them until autovacuum comes by. Clear them now.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE) search_docs"))
    return done


def _batches() -> Iterator[list[dict]]:
    batch: list[dict] = []
    for document in heapq.merge(_posts(), _notes(), key=lambda d: d["created_at"]):
        batch.append(document)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _notes() -> Iterator[dict]:
    rows = db.session.execute(
        select(CaseNote.id, CaseNote.created_at, CaseNote.body_source, Case.thread_id,
               Case.community_id, Thread.board_id)
        .join(Case, Case.id == CaseNote.case_id).join(Thread, Thread.id == Case.thread_id)
        .order_by(CaseNote.created_at, CaseNote.id)).all()
    for row in rows:
        yield {"kind": index.KIND_NOTE, "source_id": row.id, "thread_id": row.thread_id,
               "board_id": row.board_id, "community_id": row.community_id,
               "created_at": row.created_at, "body": row.body_source, "public": False}


def _posts() -> Iterator[dict]:
    """Every post, oldest first: the ids in date order (a list of ints, 8 bytes a post),
    then the rows a batch of ids at a time."""
    order = db.session.scalars(select(Post.id).order_by(Post.created_at, Post.id)).all()
    posts = Post.__table__.c
    query = (select(posts.id, posts.number, posts.created_at, posts.body_source,
                    posts.deleted_at, posts.hidden_at, Thread.hidden_at.label("thread_hidden_at"),
                    Thread.id.label("thread_id"), Thread.title, Thread.board_id,
                    Board.community_id, Case.id.label("case_id"))
             .join(Thread, Thread.id == posts.thread_id).join(Board, Board.id == Thread.board_id)
             .outerjoin(Case, Case.thread_id == Thread.id))
    for start in range(0, len(order), BATCH):
        ids = order[start:start + BATCH]
        rows = {r.id: r for r in db.session.execute(query.where(posts.id.in_(ids)))}
        yield from (_post_document(rows[i]) for i in ids if i in rows)


def _post_document(row) -> dict:  # noqa: ANN001
    opening = row.number == 1
    return {"kind": index.KIND_POST, "source_id": row.id, "thread_id": row.thread_id,
            "board_id": row.board_id, "community_id": row.community_id,
            "created_at": row.created_at, "body": row.body_source,
            "title": row.title if opening else "", "case": opening and row.case_id is not None,
            # Findable when neither the post nor its thread was deleted or hidden.
            "public": row.deleted_at is None and row.hidden_at is None
            and row.thread_hidden_at is None}
