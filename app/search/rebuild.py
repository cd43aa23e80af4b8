"""Rebuilding the whole index (after a dictionary change, or on a new install)."""
from __future__ import annotations

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
    """Index every post and internal note again, in batches; returns how many."""
    index.clear()
    done = 0
    for batch in _post_batches():
        for post in batch:
            index.put_post(post, post.thread, post.thread.board)
        db.session.commit()
        done += len(batch)
        progress(len(batch))
    notes = db.session.scalars(select(CaseNote).order_by(CaseNote.id)).all()
    cases = {c.id: c for c in db.session.scalars(
        select(Case).where(Case.id.in_({n.case_id for n in notes}))
        .options(joinedload(Case.thread)))} if notes else {}
    for note in notes:
        index.put_note(note, cases[note.case_id])
    db.session.commit()
    progress(len(notes))
    return done + len(notes)


def _post_batches() -> Iterator[list[Post]]:
    last = 0
    while True:
        batch = list(db.session.scalars(
            select(Post).where(Post.id > last).order_by(Post.id).limit(BATCH)
            .options(joinedload(Post.thread).joinedload(Thread.board)
                     .joinedload(Board.community))))
        if not batch:
            return
        yield batch
        last = batch[-1].id
        db.session.expunge_all()  # keep memory flat over a million posts
