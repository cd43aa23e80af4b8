"""The audit log: every moderation and administration action, never edited."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import clock
from ..core.database import UTCDateTime
from ..extensions import db

if TYPE_CHECKING:
    from ..auth.models import User


class AuditEntry(db.Model):
    """Who did what to which row, when, with the values before and after and the reason.

    Rows are only ever inserted: no service updates or deletes them.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_at", "at", "id"),
        Index("ix_audit_entries_target", "target_type", "target_id"),
        Index("ix_audit_entries_actor_id", "actor_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))       # e.g. post.hide, user.ban
    target_type: Mapped[str] = mapped_column(String(20))  # post, thread, user, board...
    target_id: Mapped[int | None]
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    after: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    actor: Mapped[User | None] = relationship("User")
