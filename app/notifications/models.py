"""Notices in the site, e-mails waiting in the outbox, and e-mail opt-outs."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import clock
from ..core.database import UTCDateTime
from ..extensions import db

if TYPE_CHECKING:
    from ..complaints.models import Case, CaseEvent
    from ..forum.models import Thread
    from ..moderation.models import Flag
    from ..owners.models import VerificationRequest


class Kind(StrEnum):
    """Why a person is told: each kind can be switched off for e-mail on its own."""

    CASE_EVENT = "case_event"  # a case they filed, joined or watch moved
    ASSIGNED = "assigned"      # a case was assigned to their department
    ESCALATED = "escalated"    # a case was escalated to the supervisors
    FLAG_OUTCOME = "flag_outcome"  # a moderator acted on a post they reported (in-site only)
    VERIFICATION = "verification"  # staff decided the person's owner verification (in-site only)


KIND_LABELS = {
    Kind.CASE_EVENT: _l("Progress of complaints I filed, joined or watch"),
    Kind.ASSIGNED: _l("Complaints assigned to my department"),
    Kind.ESCALATED: _l("Complaints escalated to the supervisors"),
    Kind.FLAG_OUTCOME: _l("What moderators did about posts I reported"),
    Kind.VERIFICATION: _l("Decisions on my owner verification"),
}


class Notification(db.Model):
    """One notice to one person, shown under the bell until read."""

    __tablename__ = "notifications"
    __table_args__ = (
        # Serves the unread list and the newest-first page of one person.
        Index("ix_notifications_user_unread", "user_id", "read_at", "id"),
        # One notice per person per event, however often a listener runs.
        UniqueConstraint("user_id", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("case_events.id"))
    # The report a moderator acted on (kind flag_outcome; issue 4).
    flag_id: Mapped[int | None] = mapped_column(ForeignKey("flags.id"))
    # A notice about an owner verification decision (no thread): see app/owners.
    verification_id: Mapped[int | None] = mapped_column(ForeignKey("verification_requests.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    thread: Mapped[Thread | None] = relationship("Thread")
    case: Mapped[Case | None] = relationship("Case")
    event: Mapped[CaseEvent | None] = relationship("CaseEvent")
    flag: Mapped[Flag | None] = relationship("Flag")
    verification: Mapped[VerificationRequest | None] = relationship("VerificationRequest")

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class OutboxEmail(db.Model):
    """An e-mail, rendered when its notice was made, waiting to be sent (or kept).

    `flask mail send-outbox` claims a row by moving `next_attempt_at` forward in a
    guarded UPDATE, so two runners never send one row twice; a failed send keeps
    its error and is tried again later with a growing delay.
    """

    __tablename__ = "outbox_emails"
    __table_args__ = (Index("ix_outbox_emails_due", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    to_address: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # The one-click link (RFC 8058) for the List-Unsubscribe header.
    unsubscribe_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # When the next try is due; NULL once the row gave up (its error stays for an operator).
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=clock.now)
    last_error: Mapped[str | None] = mapped_column(Text)


class EmailOptOut(db.Model):
    """A person asked for no more e-mail of one kind (in-site notices go on)."""

    __tablename__ = "email_opt_outs"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
