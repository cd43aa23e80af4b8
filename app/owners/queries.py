"""Reading units, memberships and requests; each function is one query."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import joinedload

from ..extensions import db
from .models import RequestStatus, Unit, UnitMembership, VerificationRequest


def units_of(user_id: int) -> list[Unit]:
    """The units a member is verified for, with their communities."""
    return list(db.session.scalars(
        select(Unit).join(UnitMembership, UnitMembership.unit_id == Unit.id)
        .where(UnitMembership.user_id == user_id)
        .options(joinedload(Unit.community)).order_by(Unit.id)))


def owner_unit_for(user: Any, community_id: int, wanted: int | None = None) -> int | None:
    """The verified unit of `user` in a community a new case links to: the one asked for
    (if theirs), else their first there; None when they are verified for none there."""
    if not getattr(user, "owner_verified_at", None):
        return None  # no query for the many who never verified
    ids = list(db.session.scalars(
        select(Unit.id).join(UnitMembership, UnitMembership.unit_id == Unit.id)
        .where(UnitMembership.user_id == user.id, Unit.community_id == community_id)
        .order_by(Unit.id)))
    if wanted in ids:
        return wanted
    return ids[0] if ids else None


def requests_of(user_id: int) -> list[VerificationRequest]:
    """A member's own requests, newest first."""
    return list(db.session.scalars(
        select(VerificationRequest).where(VerificationRequest.user_id == user_id)
        .options(joinedload(VerificationRequest.community))
        .order_by(VerificationRequest.id.desc())))


def queue(status: str, *, limit: int = 50, before: int | None = None) -> list[VerificationRequest]:
    """Requests in one status for the staff queue: pending oldest first, decided newest first."""
    query = select(VerificationRequest).where(VerificationRequest.status == status).options(
        joinedload(VerificationRequest.user), joinedload(VerificationRequest.community),
        joinedload(VerificationRequest.decided_by))
    if status == RequestStatus.PENDING.value:
        query = query.order_by(VerificationRequest.id)
    else:
        if before is not None:
            query = query.where(VerificationRequest.id < before)
        query = query.order_by(VerificationRequest.id.desc())
    return list(db.session.scalars(query.limit(limit)))


def households(requests: list[VerificationRequest]) -> dict[tuple, list[Any]]:
    """The verified members of every unit the requests name, in one query."""
    keys = {(r.community_id, r.building, r.entrance, r.room) for r in requests}
    if not keys:
        return {}
    rows = db.session.execute(
        select(Unit.community_id, Unit.building, Unit.entrance, Unit.room, UnitMembership)
        .join(UnitMembership, UnitMembership.unit_id == Unit.id)
        .where(tuple_(Unit.community_id, Unit.building, Unit.entrance, Unit.room)
               .in_(sorted(keys)))
        .options(joinedload(UnitMembership.user))).all()
    found: dict[tuple, list[Any]] = {}
    for row in rows:
        key = (row.community_id, row.building, row.entrance, row.room)
        if key in keys:
            found.setdefault(key, []).append(row.UnitMembership.user)
    return found
