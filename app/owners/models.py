"""Units (房号) of a community, the members verified for them, and verification requests.

Everything here is private: the owner and staff see it, nobody else. Other members
only ever see the badge (`User.is_verified_owner`), never a unit.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import clock
from ..core.database import UTCDateTime
from ..extensions import db

if TYPE_CHECKING:
    from ..auth.models import User
    from ..communities.models import Community


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Unit(db.Model):
    """One home: building (栋), unit (单元) and room (房号) in a community."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("community_id", "building", "entrance", "room"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    building: Mapped[str] = mapped_column(String(10))
    entrance: Mapped[str] = mapped_column(String(10))  # the 单元 (stairwell) of the building
    room: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    community: Mapped[Community] = relationship("Community")
    memberships: Mapped[list[UnitMembership]] = relationship(back_populates="unit")

    @property
    def label(self) -> str:
        """How staff read it, e.g. 3栋2单元1203."""
        return f"{self.building}栋{self.entrance}单元{self.room}"

    def __repr__(self) -> str:
        return f"<Unit {self.community_id}:{self.label}>"


class UnitMembership(db.Model):
    """A member verified for a unit: a unit may have several (a family), a member several units."""

    __tablename__ = "unit_memberships"
    __table_args__ = (UniqueConstraint("unit_id", "user_id"),
                      Index("ix_unit_memberships_user_id", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit: Mapped[Unit] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship("User", foreign_keys=[user_id])


class VerificationRequest(db.Model):
    """A member asks to be verified for a unit; staff approve or reject it with a reason."""

    __tablename__ = "verification_requests"
    __table_args__ = (Index("ix_verification_requests_status", "status", "id"),
                      Index("ix_verification_requests_user_id", "user_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    building: Mapped[str] = mapped_column(String(10))
    entrance: Mapped[str] = mapped_column(String(10))
    room: Mapped[str] = mapped_column(String(10))
    contract_name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default=RequestStatus.PENDING.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))

    user: Mapped[User] = relationship("User", foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship("User", foreign_keys=[decided_by_id])
    community: Mapped[Community] = relationship("Community")
    unit: Mapped[Unit | None] = relationship("Unit")

    @property
    def unit_label(self) -> str:
        return f"{self.building}栋{self.entrance}单元{self.room}"

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING.value
