"""Accounts and their login sessions."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import TYPE_CHECKING
from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import clock
from ..core.database import UTCDateTime
from ..extensions import db
from .roles import IMPLIES, STAFF_ROLES, Role

if TYPE_CHECKING:
    from ..communities.models import Department

class User(UserMixin, db.Model):
    """A registered person. Email is private: shown to the person and to staff only."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)  # stored lower-case
    display_name: Mapped[str] = mapped_column(String(40))
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.MEMBER.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    post_count: Mapped[int] = mapped_column(default=0, server_default="0")
    thread_count: Mapped[int] = mapped_column(default=0, server_default="0")
    banned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ban_reason: Mapped[str | None] = mapped_column(String(500))
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspend_reason: Mapped[str | None] = mapped_column(String(500))
    # Staff who work a department's complaints (handlers); supervisors get escalations.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    is_supervisor: Mapped[bool] = mapped_column(default=False, server_default="0")
    # Private contact details: the person and staff only.
    real_name: Mapped[str | None] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(30))
    # Unread notices, kept on the row so the bell costs no query (notifications/ keeps it).
    unread_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # The language chosen in the footer while logged in; e-mails use it (None: Chinese).
    language: Mapped[str | None] = mapped_column(String(8))
    # When staff first verified the person as an owner of a unit (app/owners): the badge.
    owner_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    department: Mapped[Department | None] = relationship("Department")
    sessions: Mapped[list[UserSession]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    # Set when the user is loaded through a session (or logs in): Flask-Login's id.
    session_token = None  # type: str | None

    def get_id(self) -> str | None:
        """Flask-Login stores the session token, not the user id, so sessions can be ended."""
        return self.session_token

    @property
    def is_member(self) -> bool:
        return True

    @property
    def is_banned(self) -> bool:
        if self.banned_at is not None:
            return True
        return self.suspended_until is not None and self.suspended_until > clock.now()

    @property
    def is_staff(self) -> bool:
        return Role(self.role) in STAFF_ROLES

    @property
    def is_verified_owner(self) -> bool:
        """Whether the badge 认证业主 shows by the name (never the unit itself)."""
        return self.owner_verified_at is not None or self.role == Role.OWNER.value

    def has_role(self, role: Role) -> bool:
        """Whether this user's role includes `role` (an admin is also a moderator...)."""
        return role in IMPLIES[Role(self.role)]

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class AnonymousUser(AnonymousUserMixin):
    """A visitor: a real object that answers no to every question."""

    id = None
    role = None
    is_member = False
    is_banned = False
    is_staff = False
    is_verified_owner = False
    display_name = ""

    def has_role(self, role: Role) -> bool:
        return False


def hash_token(token: str) -> str:
    """Sessions are stored by the hash of their token, so a database leak logs no one in."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A fresh random session token."""
    return secrets.token_urlsafe(32)


class UserSession(db.Model):
    """One logged-in device. Deleting the row ends that session, cookie or no cookie."""

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_agent: Mapped[str] = mapped_column(String(200), default="", server_default="")

    user: Mapped[User] = relationship(back_populates="sessions")



class PasswordReset(db.Model):
    """A one-time link an admin made for a person to set a new password; only its hash is kept."""

    __tablename__ = "password_resets"
    __table_args__ = (Index("ix_password_resets_user_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
