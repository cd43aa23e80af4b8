"""Flags: a member reports a post (a thread is reported through its opening post)."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import clock
from ..core.database import UTCDateTime
from ..extensions import db

if TYPE_CHECKING:
    from ..auth.models import User
    from ..forum.models import Post, Thread


class Reason(StrEnum):
    SPAM = "spam"
    ABUSE = "abuse"
    PERSONAL_DATA = "personal_data"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


REASON_LABELS = {
    Reason.SPAM: _l("Spam or advertising"),
    Reason.ABUSE: _l("Abuse or harassment"),
    Reason.PERSONAL_DATA: _l("Personal data exposed"),
    Reason.OFF_TOPIC: _l("Off-topic"),
    Reason.OTHER: _l("Something else"),
}


class Outcome(StrEnum):
    """What a moderator did about a flag; the flagger is told."""

    HIDDEN = "hidden"
    EDITED = "edited"
    REDACTED = "redacted"
    DISMISSED = "dismissed"


OUTCOME_LABELS = {
    Outcome.HIDDEN: _l("A moderator hid it."),
    Outcome.EDITED: _l("A moderator edited it."),
    Outcome.REDACTED: _l("A moderator removed the personal data."),
    Outcome.DISMISSED: _l("A moderator looked and left it as it is."),
}


class Flag(db.Model):
    """One member's report of one post, open until a moderator acts on the post.

    `open_key` is "<reporter>:<post>" while the flag is open and NULL after: its
    unique constraint allows one open flag per member per post on every engine.
    """

    __tablename__ = "flags"
    __table_args__ = (
        Index("ix_flags_open", "resolved_at", "post_id"),
        Index("ix_flags_post_id", "post_id"),
        Index("ix_flags_reporter_id", "reporter_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(500), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    open_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = mapped_column(String(20))

    post: Mapped[Post] = relationship("Post")
    thread: Mapped[Thread] = relationship("Thread")
    reporter: Mapped[User] = relationship("User", foreign_keys=[reporter_id])
    resolved_by: Mapped[User | None] = relationship("User", foreign_keys=[resolved_by_id])

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def reason_label(self) -> str:
        return str(REASON_LABELS.get(Reason(self.reason), self.reason))

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS[Outcome(self.outcome)]) if self.outcome else ""
