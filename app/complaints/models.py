"""Cases (a complaint attached to a thread), their public events, internal notes,
"me too" joins and the owner's rating."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from markupsafe import Markup
from sqlalchemy import (JSON, CheckConstraint, Date, ForeignKey, Index, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import clock
from ..core.database import UTCDateTime
from ..extensions import db
from .workflow import ClosedKind, Status, is_open

if TYPE_CHECKING:
    from ..auth.models import User
    from ..communities.models import Category, Community, Department
    from ..forum.models import Thread
    from ..owners.models import Unit


class Stage(StrEnum):
    """When in the owner's life the problem arose (the "6+2 steps")."""

    PRE_SALE = "pre_sale"            # 温馨牵手
    SIGNING = "signing"              # 喜结连理
    CONSTRUCTION = "construction"    # 亲密接触
    HANDOVER = "handover"            # 恭迎乔迁
    AFTER_MOVE_IN = "after_move_in"  # 嘘寒问暖
    WARRANTY = "warranty"            # 承担责任
    COMMUNITY = "community"          # 一路同行 (+1)
    RENEWAL = "renewal"              # 四年之约 (+2)


class Location(StrEnum):
    UNIT = "unit"      # the owner's own home: the unit itself stays private
    PUBLIC = "public"  # a shared area, described publicly


class Case(db.Model):
    """The tracked complaint on a thread: status, routing, promises and outcome.

    Deadlines are computed once at filing from the category's limits and kept
    on the row, so the staff queue can sort by them; `version` makes two staff
    acting at once collide instead of overwriting each other.
    """

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_community_status", "community_id", "status"),
        Index("ix_cases_status_resolved_at", "status", "resolved_at"),
        Index("ix_cases_closed_at", "closed_at"),
        Index("ix_cases_filer_id", "filer_id"),
        # The resolved-case archive walks these newest first by keyset, site-wide or for one
        # community, so any page deep in the archive is a short index range scan.
        Index("ix_cases_archive", "status", "closed_at", "id"),
        Index("ix_cases_community_archive", "community_id", "status", "closed_at", "id"),
        Index("ix_cases_community_id_id", "community_id", "id"),  # a community's cases feed
        CheckConstraint("metoo_count >= 0", name="metoo_count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"), unique=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    filer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16), default=Status.RECEIVED.value)
    closed_kind: Mapped[str | None] = mapped_column(String(16))
    stage: Mapped[str | None] = mapped_column(String(20))
    location: Mapped[str] = mapped_column(String(10), default=Location.PUBLIC.value)
    location_text: Mapped[str] = mapped_column(String(200), default="", server_default="")
    wanted_outcome: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Private: seen by the filer and staff only (never by other members or visitors).
    unit_text: Mapped[str | None] = mapped_column(String(100))
    # The filer's verified unit (app/owners), linked when a verified owner files: private too.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    contact_name: Mapped[str | None] = mapped_column(String(40))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    # Public outcome fields.
    committed_date: Mapped[date | None] = mapped_column(Date)
    resolution_summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    decline_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    # Work order: the number is public, its details are internal.
    work_order_number: Mapped[str | None] = mapped_column(String(40))
    work_order_details: Mapped[str | None] = mapped_column(Text)
    # Promise clocks.
    first_response_due: Mapped[datetime] = mapped_column(UTCDateTime)
    plan_due: Mapped[datetime] = mapped_column(UTCDateTime)
    resolve_due: Mapped[datetime] = mapped_column(UTCDateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    planned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    group_flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    metoo_count: Mapped[int] = mapped_column(default=0, server_default="0")
    reopen_count: Mapped[int] = mapped_column(default=0, server_default="0")
    is_defect: Mapped[bool] = mapped_column(default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    thread: Mapped[Thread] = relationship("Thread", back_populates="case")
    community: Mapped[Community] = relationship("Community")
    category: Mapped[Category] = relationship("Category")
    department: Mapped[Department | None] = relationship("Department")
    handler: Mapped[User | None] = relationship("User", foreign_keys=[handler_id])
    filer: Mapped[User | None] = relationship("User", foreign_keys=[filer_id])
    filed_by: Mapped[User] = relationship("User", foreign_keys=[filed_by_id])
    duplicate_of: Mapped[Case | None] = relationship(remote_side=[id])
    events: Mapped[list[CaseEvent]] = relationship(back_populates="case",
                                                   order_by="CaseEvent.id")
    rating: Mapped[Rating | None] = relationship(back_populates="case", uselist=False)
    defect: Mapped[CaseDefect | None] = relationship(back_populates="case", uselist=False)
    unit: Mapped[Unit | None] = relationship("Unit")

    @property
    def number(self) -> str:
        """The public case number owners quote on the phone, e.g. TS-000123."""
        return f"TS-{self.id:06d}"

    @property
    def is_open(self) -> bool:
        return is_open(self.status)

    @property
    def is_group(self) -> bool:
        return self.group_flagged_at is not None

    @property
    def is_escalated(self) -> bool:
        return self.escalated_at is not None

    @property
    def confirmed(self) -> bool:
        return self.closed_kind == ClosedKind.CONFIRMED

    def __repr__(self) -> str:
        return f"<Case {self.id} {self.status}>"


class CaseEvent(db.Model):
    """One public step on a case's timeline: who, when, from, to, and a public note."""

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_case_id", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the system
    # How the actor is shown publicly: a department name or a handler's name.
    actor_label: Mapped[str] = mapped_column(String(80), default="", server_default="")
    action: Mapped[str] = mapped_column(String(20))  # a workflow Action, or filed/escalated...
    before: Mapped[str | None] = mapped_column(String(16))
    after: Mapped[str | None] = mapped_column(String(16))
    note_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    case: Mapped[Case] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship("User")

    @property
    def note(self) -> Markup:
        return Markup(self.note_html)


class CaseNote(db.Model):
    """An internal note: staff only. Never shown, counted, searched or fed to anyone else.

    Kept apart from posts on purpose, so no public listing can ever reach it.
    """

    __tablename__ = "case_notes"
    __table_args__ = (Index("ix_case_notes_case_id", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    author: Mapped[User] = relationship("User")

    @property
    def body(self) -> Markup:
        return Markup(self.body_html)


class MeToo(db.Model):
    """A member who has the same problem joined the case instead of filing a copy."""

    __tablename__ = "case_joins"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),
                      Index("ix_case_joins_user_id", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # Carried over from a merged duplicate (its filer or its joiners).
    merged_from_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))

    user: Mapped[User] = relationship("User")


class Rating(db.Model):
    """The filing owner's answer at closure: three 1–5 questions and a comment."""

    __tablename__ = "case_ratings"
    __table_args__ = tuple(
        CheckConstraint(f"{name} BETWEEN 1 AND 5", name=f"{name}_1_to_5")
        for name in ("overall", "buy_again", "recommend"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    overall: Mapped[int]
    buy_again: Mapped[int]
    recommend: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    comment_public: Mapped[bool] = mapped_column(default=True, server_default="1")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    case: Mapped[Case] = relationship(back_populates="rating")

    @property
    def loyal(self) -> bool:
        """Loyal: all three answers high (4 or 5)."""
        return min(self.overall, self.buy_again, self.recommend) >= 4

    @property
    def mean(self) -> float:
        return (self.overall + self.buy_again + self.recommend) / 3


class CaseDefect(db.Model):
    """Staff's finding that a case shows a product defect (缺陷反馈): the item, the department
    responsible and the root cause, for the design and engineering teams' report.

    Staff only, like internal notes; kept apart from the case row so marking a defect never
    makes a colleague's open step form stale (the case's version stays).
    """

    __tablename__ = "case_defects"
    __table_args__ = (Index("ix_case_defects_category_id", "category_id"),
                      Index("ix_case_defects_department_id", "department_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))  # the item
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    cause: Mapped[str] = mapped_column(Text)
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    marked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="defect")
    category: Mapped[Category] = relationship("Category")
    department: Mapped[Department] = relationship("Department")
    marked_by: Mapped[User] = relationship("User")
