"""Rebuilding the whole index (after a dictionary change, or on a new install)."""
from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

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

    Oldest first (posts and notes merged by date), so the index's order, which
    search takes as newest first, is the order they were written in."""
    index.clear()
    done = 0
    for batch in _batches():
        index.put_new(batch)
        db.session.commit()
        db.session.expunge_all()  # keep memory flat over a million posts
        done += len(batch)
        progress(len(batch))
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
    notes = db.session.scalars(select(CaseNote).order_by(CaseNote.created_at, CaseNote.id)).all()
    cases = {c.id: c for c in db.session.scalars(
        select(Case).where(Case.id.in_({n.case_id for n in notes}))
        .options(joinedload(Case.thread)))} if notes else {}
    for note in notes:
        yield index.note_values(note, cases[note.case_id])


def _posts() -> Iterator[dict]:
    last = 0
    while True:
        batch = list(db.session.scalars(
            select(Post).where(Post.id > last).order_by(Post.id).limit(BATCH)
            .options(joinedload(Post.thread).joinedload(Thread.board),
                     joinedload(Post.thread).joinedload(Thread.case))))
        if not batch:
            return
        last = batch[-1].id
        for post in batch:
            yield index.post_values(post, post.thread, post.thread.board)
