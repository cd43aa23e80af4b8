"""Jobs that failed when run inline (no Redis): kept for retries and for admins to see."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core import clock
from ..core.database import UTCDateTime
from ..extensions import db


class JobFailure(db.Model):
    """One inline job that raised: what it was, why, how often; retried until given up.

    `next_attempt_at` empty and `resolved_at` empty: given up, waiting for an admin.
    `resolved_at` set: it ran again successfully, or an admin requeued it.
    """

    __tablename__ = "job_failures"
    __table_args__ = (Index("ix_job_failures_open", "resolved_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    func: Mapped[str] = mapped_column(String(200))
    args: Mapped[list] = mapped_column(JSON, default=list)
    kwargs: Mapped[dict] = mapped_column(JSON, default=dict)
    attempts: Mapped[int] = mapped_column(default=1)
    error: Mapped[str] = mapped_column(Text, default="")
    traceback: Mapped[str] = mapped_column(Text, default="")
    first_failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def given_up(self) -> bool:
        return self.resolved_at is None and self.next_attempt_at is None
