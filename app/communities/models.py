"""Communities (小区) and their boards (版块)."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import clock
from ..core.database import UTCDateTime
from ..extensions import db

if TYPE_CHECKING:
    from ..forum.models import Thread


class BoardKind(StrEnum):
    DISCUSSION = "discussion"
    COMPLAINTS = "complaints"
    ANNOUNCEMENTS = "announcements"
    CLUB = "club"


class Community(db.Model):
    """A residential community; boards hang below it. Counters are kept on the row."""

    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    city: Mapped[str] = mapped_column(String(40), default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    thread_count: Mapped[int] = mapped_column(default=0, server_default="0")
    post_count: Mapped[int] = mapped_column(default=0, server_default="0")

    boards: Mapped[list[Board]] = relationship(
        back_populates="community", order_by="Board.position, Board.id"
    )

    def __repr__(self) -> str:
        return f"<Community {self.slug}>"


class Board(db.Model):
    """A board of a community, or a site-wide board when community_id is NULL."""

    __tablename__ = "boards"
    __table_args__ = (
        UniqueConstraint("community_id", "slug"),
        # Site-wide boards have no community; their slugs are unique among themselves.
        Index("uq_boards_site_slug", "slug", unique=True,
              sqlite_where=text("community_id IS NULL"),
              postgresql_where=text("community_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"))
    slug: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    kind: Mapped[str] = mapped_column(String(16), default=BoardKind.DISCUSSION.value)
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    thread_count: Mapped[int] = mapped_column(default=0, server_default="0")
    post_count: Mapped[int] = mapped_column(default=0, server_default="0")
    last_post_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", use_alter=True, ondelete="SET NULL")
    )

    community: Mapped[Community | None] = relationship(back_populates="boards")
    last_thread: Mapped[Thread | None] = relationship(
        "Thread", foreign_keys=[last_thread_id], post_update=True
    )

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_site_wide(self) -> bool:
        return self.community_id is None

    def __repr__(self) -> str:
        return f"<Board {self.slug}>"
