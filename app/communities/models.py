"""Communities (小区) and their boards (版块)."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import clock
from ..core.database import UTCDateTime
from ..extensions import db

if TYPE_CHECKING:
    from ..auth.models import User
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
    # Archived (admin): left off the home page, its boards read-only; nothing is deleted.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

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


class Department(db.Model):
    """A department that works complaints: design, engineering, sales, property management..."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0, server_default="0")

    members: Mapped[list[User]] = relationship("User", viewonly=True,
                                               order_by="User.display_name")

    def __repr__(self) -> str:
        return f"<Department {self.slug}>"


class Category(db.Model):
    """A complaint category: a profession (parent NULL) or an item below one.

    An item routes its cases to a department and carries the handling standard
    and the three promised time limits; an item without its own values takes
    its profession's.
    """

    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("parent_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    slug: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    standard_source: Mapped[str] = mapped_column(Text, default="", server_default="")
    standard_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    first_response_hours: Mapped[float | None]
    plan_hours: Mapped[float | None]
    resolve_hours: Mapped[float | None]
    working_hours: Mapped[bool | None]
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    parent: Mapped[Category | None] = relationship(remote_side=[id], back_populates="items")
    items: Mapped[list[Category]] = relationship(back_populates="parent",
                                                 order_by="Category.position, Category.id")
    department: Mapped[Department | None] = relationship()

    def _own_or_parent(self, name: str) -> Any:
        value = getattr(self, name)
        if value is None and self.parent is not None:
            return getattr(self.parent, name)
        return value

    @property
    def routed_department_id(self) -> int | None:
        return self._own_or_parent("department_id")

    @property
    def limits(self) -> tuple[float, float, float]:
        """Hours promised for first response, plan and resolution (defaults 24/72/720)."""
        return (self._own_or_parent("first_response_hours") or 24.0,
                self._own_or_parent("plan_hours") or 72.0,
                self._own_or_parent("resolve_hours") or 720.0)

    @property
    def counts_working_hours(self) -> bool:
        value = self._own_or_parent("working_hours")
        return bool(value)

    @property
    def standard(self) -> Markup:
        """The handling standard as cleaned HTML (rendered at write time)."""
        return Markup(self.standard_html or (self.parent.standard_html if self.parent else ""))

    @property
    def full_name(self) -> str:
        return f"{self.parent.name} · {self.name}" if self.parent else self.name

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"
