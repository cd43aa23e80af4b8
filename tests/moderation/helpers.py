"""Shortcuts for moderation tests."""
from __future__ import annotations

from typing import Any

from app.audit.models import AuditEntry
from app.extensions import db
from app.forum.models import Post
from app.moderation import services
from tests.factories import make_thread, make_user


def audit_actions() -> list[str]:
    return list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)))


def last_audit() -> AuditEntry:
    return db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id.desc())).first()


def flagged_reply(author: Any = None, **kwargs: Any) -> Any:
    """A thread with one reply by `author`; returns (thread, reply post)."""
    author = author or make_user()
    thread = make_thread(author=author, replies=1, title="电梯又坏了怎么办", **kwargs)
    reply = db.session.scalars(db.select(Post).where(Post.thread_id == thread.id,
                                                     Post.number == 2)).one()
    return thread, reply


def flag(post: Any, reason: str = "abuse", reporter: Any = None, note: str = "") -> Any:
    return services.flag_post(post, reporter or make_user(), reason=reason, note=note)
