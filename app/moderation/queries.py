"""The flags queue: open flags grouped by post, most reported first; a few queries a page."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..auth.models import User
from ..communities.models import Board
from ..extensions import db
from ..forum.models import Post, Thread
from .models import Flag


@dataclass
class FlagGroup:
    """One row of the queue: a post with all its open flags."""

    post: Post
    count: int
    first_at: datetime
    flags: list[Flag] = field(default_factory=list)

    @property
    def reasons(self) -> list[tuple[str, int]]:
        seen: dict[str, int] = {}
        for flag in self.flags:
            seen[flag.reason_label] = seen.get(flag.reason_label, 0) + 1
        return sorted(seen.items(), key=lambda kv: -kv[1])


def open_counts() -> tuple[int, int, dict[str, int]]:
    """Open flags, flagged posts, and open flags by reason (one query)."""
    rows = db.session.execute(select(Flag.reason, func.count(Flag.id),
                                     func.count(func.distinct(Flag.post_id)))
                              .where(Flag.resolved_at.is_(None)).group_by(Flag.reason)).all()
    by_reason = {reason: n for reason, n, _posts in rows}
    posts = db.session.scalar(select(func.count(func.distinct(Flag.post_id)))
                              .where(Flag.resolved_at.is_(None))) if rows else 0
    return sum(by_reason.values()), posts or 0, by_reason


def open_groups(*, reason: str = "", page: int = 1, per_page: int = 30
                ) -> tuple[list[FlagGroup], bool]:
    """One page of flagged posts, most flags first then oldest; and whether more follow."""
    base = select(Flag.post_id, func.count(Flag.id).label("n"),
                  func.min(Flag.created_at).label("first_at")).where(Flag.resolved_at.is_(None))
    if reason:
        base = base.where(Flag.post_id.in_(select(Flag.post_id).where(
            Flag.resolved_at.is_(None), Flag.reason == reason)))
    rows = db.session.execute(base.group_by(Flag.post_id)
                              .order_by(func.count(Flag.id).desc(), func.min(Flag.created_at),
                                        Flag.post_id)
                              .offset((page - 1) * per_page).limit(per_page + 1)).all()
    more = len(rows) > per_page
    rows = rows[:per_page]
    if not rows:
        return [], False
    ids = [row.post_id for row in rows]
    posts = {p.id: p for p in db.session.scalars(
        select(Post).where(Post.id.in_(ids)).options(
            joinedload(Post.author),
            joinedload(Post.thread).joinedload(Thread.board).joinedload(Board.community)))}
    groups = {row.post_id: FlagGroup(post=posts[row.post_id], count=row.n,
                                     first_at=row.first_at) for row in rows}
    for flag in db.session.scalars(select(Flag).where(Flag.post_id.in_(ids),
                                                      Flag.resolved_at.is_(None))
                                   .options(joinedload(Flag.reporter))
                                   .order_by(Flag.id)):
        groups[flag.post_id].flags.append(flag)
    return [groups[i] for i in ids], more


def recently_handled(limit: int = 10) -> list[Flag]:
    """The latest handled flags, for the queue's "recently handled" list."""
    return list(db.session.scalars(
        select(Flag).where(Flag.resolved_at.is_not(None))
        .order_by(Flag.resolved_at.desc(), Flag.id.desc()).limit(limit)
        .options(joinedload(Flag.resolved_by), joinedload(Flag.thread))))


def user_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username.strip().lower()))


def move_targets() -> list[Board]:
    """Boards a thread may move to (not archived), with their communities."""
    return list(db.session.scalars(select(Board).where(Board.archived_at.is_(None))
                                   .options(joinedload(Board.community))
                                   .order_by(Board.community_id, Board.position, Board.id)))


def hidden_recently(limit: int = 50) -> tuple[list[Thread], list[Post]]:
    """The latest hidden threads and hidden replies, for moderators to review or restore."""
    threads = list(db.session.scalars(
        select(Thread).where(Thread.hidden_at.is_not(None))
        .order_by(Thread.hidden_at.desc(), Thread.id.desc()).limit(limit)
        .options(joinedload(Thread.author), joinedload(Thread.board).joinedload(Board.community))
    ).unique())
    posts = list(db.session.scalars(
        select(Post).where(Post.hidden_at.is_not(None))
        .order_by(Post.hidden_at.desc(), Post.id.desc()).limit(limit)
        .options(joinedload(Post.author), joinedload(Post.thread))).unique())
    return threads, posts
