"""What owner verification changes: a member's request, and staff approving or rejecting it.

Each public function is one unit of work: permission, rules, writes, audit, one commit.
"""
from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from ..audit.services import record
from ..auth.roles import Role
from ..communities.models import Community
from ..core import clock
from ..core.database import commit_or_raise
from ..core.errors import Conflict, Invalid
from ..extensions import db
from ..notifications.services import notify_verification
from ..security.policy import require
from .models import RequestStatus, Unit, UnitMembership, VerificationRequest

# A mainland mobile number (11 digits from 13… to 19…), or a landline with its area code.
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
PART = re.compile(r"^[0-9A-Za-z]{1,10}$")
MAX_PENDING = 3


def normalise_phone(raw: str) -> str:
    """The phone number without spaces and a leading +86, as it is stored."""
    phone = re.sub(r"[\s()]", "", raw or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("0086"):
        phone = phone[4:]
    return phone


def phone_problem(raw: str) -> Any:
    """Why a phone number cannot be right, or None."""
    phone = normalise_phone(raw)
    if not phone:
        return _l("Give the phone number on the contract.")
    if phone.startswith("1") and not MOBILE.match(phone):
        return _l("A mobile number has 11 digits and starts with 13 to 19, e.g. 13912345678.")
    if not (MOBILE.match(phone) or LANDLINE.match(phone)):
        return _l("Give a mobile number (e.g. 13912345678) or a landline with its area code "
                  "(e.g. 0755-12345678).")
    return None


def _clean_part(value: str) -> str:
    """A building, unit or room as typed, without the 栋/单元/室 people add."""
    value = (value or "").strip().upper()
    return re.sub(r"(栋|幢|号楼|单元|室|号)$", "", value).strip()


def request_verification(user: Any, *, community_id: int | None, building: str, entrance: str,
                         room: str, contract_name: str, phone: str) -> VerificationRequest:
    """A member asks to be verified as an owner of one unit."""
    require(user, "verification.request")
    community = db.session.get(Community, community_id) if community_id else None
    if community is None:
        raise Invalid(_l("Choose your community from the list."), field="community_id")
    parts = {"building": _clean_part(building), "entrance": _clean_part(entrance),
             "room": _clean_part(room)}
    messages = {"building": _l("Give the building number, e.g. 3 or A2."),
                "entrance": _l("Give the unit (stairwell) number, e.g. 2."),
                "room": _l("Give the room number, e.g. 1203.")}
    for name, value in parts.items():
        if not PART.match(value):
            raise Invalid(messages[name], field=name)
    contract_name = (contract_name or "").strip()
    if not 2 <= len(contract_name) <= 40:
        raise Invalid(_l("Give the name on the purchase contract (2 to 40 characters)."),
                      field="contract_name")
    problem = phone_problem(phone)
    if problem:
        raise Invalid(problem, field="phone")
    same = dict(community_id=community.id, **parts)
    verified = db.session.scalar(
        select(UnitMembership.id).join(Unit, Unit.id == UnitMembership.unit_id)
        .where(UnitMembership.user_id == user.id,
               *[getattr(Unit, key) == value for key, value in same.items()]))
    if verified is not None:
        raise Invalid(_l("You are already verified for this unit."))
    pending = db.session.scalars(select(VerificationRequest).where(
        VerificationRequest.user_id == user.id,
        VerificationRequest.status == RequestStatus.PENDING.value)).all()
    if any(all(getattr(r, k) == v for k, v in same.items()) for r in pending):
        raise Invalid(_l("You have asked for this unit already; staff will look at it soon."))
    if len(pending) >= MAX_PENDING:
        raise Invalid(_l("You have %(n)s requests waiting; please wait for staff to decide them.",
                         n=len(pending)))
    request = VerificationRequest(user_id=user.id, contract_name=contract_name,
                                  phone=normalise_phone(phone), created_at=clock.now(), **same)
    db.session.add(request)
    db.session.commit()
    return request


def _decide(request: VerificationRequest, staff: Any, status: RequestStatus, reason: str) -> None:
    """Move a pending request on, once: a second reviewer at the same moment gets Conflict."""
    moved = db.session.execute(
        update(VerificationRequest)
        .where(VerificationRequest.id == request.id,
               VerificationRequest.status == RequestStatus.PENDING.value)
        .values(status=status.value, decided_at=clock.now(), decided_by_id=staff.id,
                reason=reason), execution_options={"synchronize_session": False})
    if moved.rowcount != 1:
        db.session.rollback()
        raise Conflict(_l("Someone else decided this request already."))
    db.session.refresh(request)


def approve(request: VerificationRequest, staff: Any, *, reason: str = "") -> UnitMembership:
    """Verify the member for the unit: the unit (made if new), a membership, the badge, and
    the owner role for a plain member; the member is told."""
    require(staff, "verification.review", request)
    _decide(request, staff, RequestStatus.APPROVED, reason.strip())
    unit = db.session.scalar(select(Unit).where(
        Unit.community_id == request.community_id, Unit.building == request.building,
        Unit.entrance == request.entrance, Unit.room == request.room))
    if unit is None:
        unit = Unit(community_id=request.community_id, building=request.building,
                    entrance=request.entrance, room=request.room)
        db.session.add(unit)
        db.session.flush()
    request.unit_id = unit.id
    membership = db.session.scalar(select(UnitMembership).where(
        UnitMembership.unit_id == unit.id, UnitMembership.user_id == request.user_id))
    if membership is None:
        membership = UnitMembership(unit_id=unit.id, user_id=request.user_id,
                                    verified_at=clock.now(), verified_by_id=staff.id)
        db.session.add(membership)
    member = request.user
    before = {"role": member.role, "verified": member.owner_verified_at is not None}
    member.owner_verified_at = member.owner_verified_at or clock.now()
    if member.role == Role.MEMBER.value:
        member.role = Role.OWNER.value  # a verified owner; staff keep their own role
    member.real_name = member.real_name or request.contract_name
    member.phone = member.phone or request.phone
    record(staff, "verification.approve", "verification", request.id,
           before={"status": RequestStatus.PENDING.value, **before},
           after={"status": RequestStatus.APPROVED.value, "role": member.role,
                  "verified": True, "user_id": member.id}, reason=reason)
    notify_verification(request)
    commit_or_raise(Conflict)
    return membership


def reject(request: VerificationRequest, staff: Any, *, reason: str) -> None:
    """Refuse a request with a reason the member reads; the member is told."""
    require(staff, "verification.review", request)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise Invalid(_l("Tell the member why, so they can correct it."), field="reason")
    _decide(request, staff, RequestStatus.REJECTED, reason)
    record(staff, "verification.reject", "verification", request.id,
           before={"status": RequestStatus.PENDING.value},
           after={"status": RequestStatus.REJECTED.value, "user_id": request.user_id},
           reason=reason)
    notify_verification(request)
    commit_or_raise(Conflict)


def pending_count() -> int:
    """How many requests wait for staff."""
    return db.session.scalar(select(func.count()).select_from(VerificationRequest).where(
        VerificationRequest.status == RequestStatus.PENDING.value)) or 0
