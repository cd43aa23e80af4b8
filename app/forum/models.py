"""Threads, posts, the earlier versions of edited posts, and who watches a thread."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from markupsafe import Markup
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import clock
from ..core.database import UTCDateTime
from ..extensions import db

if TYPE_CHECKING:
    from ..auth.models import User
    from ..communities.models import Board
    from ..complaints.models import Case


class Thread(db.Model):
    """A topic in a board. Post count and last activity are kept on the row."""

    __tablename__ = "threads"
    __table_args__ = (
        # Serves the board page (pinned first, then latest activity) and its deep pages;
        # partial, so the listing's "not hidden" condition is answered by the index alone.
        Index("ix_threads_board_listing", "board_id", "pinned", "last_post_at", "id",
              sqlite_where=text("hidden_at IS NULL"), postgresql_where=text("hidden_at IS NULL")),
        Index("ix_threads_author_id", "author_id", "id"),
        Index("ix_threads_last_post_at", "last_post_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_post_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_post_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Posts ever written here, the opening post included; also the last post's number.
    post_count: Mapped[int] = mapped_column(default=0, server_default="0")
    pinned: Mapped[bool] = mapped_column(default=False, server_default="0")
    locked: Mapped[bool] = mapped_column(default=False, server_default="0")
    # Shown publicly as "an owner of <community>" (匿名投诉): staff still see who.
    anonymous: Mapped[bool] = mapped_column(default=False, server_default="0")
    # Hidden by a moderator (issue 4): readers see a tombstone, the author the reason.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hidden_reason: Mapped[str | None] = mapped_column(String(500))

    board: Mapped[Board] = relationship("Board", foreign_keys=[board_id])
    author: Mapped[User] = relationship("User", foreign_keys=[author_id])
    last_post_user: Mapped[User | None] = relationship("User", foreign_keys=[last_post_user_id])
    case: Mapped[Case | None] = relationship("Case", uselist=False, viewonly=True,
                                             back_populates="thread")

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def hides_author(self, user_id: int | None) -> bool:
        """Whether posts by this user in this thread show as the anonymous filer."""
        return self.anonymous and user_id == self.author_id

    @property
    def reply_count(self) -> int:
        return max(0, self.post_count - 1)

    def __repr__(self) -> str:
        return f"<Thread {self.id}>"


class Post(db.Model):
    """A message in a thread, numbered 1.. in order; number 1 opens the thread.

    `body_source` is the Markdown as typed, `body_html` its sanitised rendering
    made once at write time. A deleted post keeps both for staff; readers see a
    tombstone.
    """

    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("thread_id", "number"),
        Index("ix_posts_author_id", "author_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"))
    number: Mapped[int]
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    render_version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edit_count: Mapped[int] = mapped_column(default=0, server_default="0")
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # An official reply (官方回复): written by staff in their official role.
    is_official: Mapped[bool] = mapped_column(default=False, server_default="0")
    # Hidden by a moderator (issue 4); a hidden opening post means a hidden thread instead.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    # Personal data cut out by a moderator: the public sees a mark, staff the original.
    redacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    thread: Mapped[Thread] = relationship()
    author: Mapped[User] = relationship("User", foreign_keys=[author_id])
    revisions: Mapped[list[PostRevision]] = relationship(
        back_populates="post", order_by="PostRevision.number"
    )

    @property
    def body(self) -> Markup:
        """The cleaned HTML; sanitised at write time, so templates need no `|safe`."""
        return Markup(self.body_html)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_opening(self) -> bool:
        return self.number == 1

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def __repr__(self) -> str:
        return f"<Post {self.thread_id}#{self.number}>"


class PostRevision(db.Model):
    """An earlier version of an edited post, kept whole (nothing written is lost)."""

    __tablename__ = "post_revisions"
    __table_args__ = (UniqueConstraint("post_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"))
    number: Mapped[int]
    title: Mapped[str | None] = mapped_column(String(120))
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    editor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # A version that held personal data a moderator redacted: staff only, not the author.
    staff_only: Mapped[bool] = mapped_column(default=False, server_default="0")

    post: Mapped[Post] = relationship(back_populates="revisions")
    editor: Mapped[User] = relationship("User")

    @property
    def body(self) -> Markup:
        return Markup(self.body_html)


class Watch(db.Model):
    """A member follows a thread: they are told when its complaint moves a step."""

    __tablename__ = "watches"
    __table_args__ = (UniqueConstraint("user_id", "thread_id"),
                      Index("ix_watches_thread_id", "thread_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
