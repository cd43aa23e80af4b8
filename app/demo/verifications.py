"""Demo owner verification: verified owners (a family sharing a unit, an owner of two units),
requests waiting for staff, rejected ones with their reason; the holiday calendar table and
a changed site setting, each with its audit entry.

Uses its own random generator, so the forum and the cases stay as they were.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from ..audit.models import AuditEntry
from ..auth.roles import Role
from ..communities.models import Community
from ..extensions import db
from ..notifications.models import Kind, Notification
from ..owners.models import RequestStatus, Unit, UnitMembership, VerificationRequest
from ..sitesettings import calendar as calendar_store
from ..sitesettings import services as settings_services
from .content import COMMUNITIES
from .staffing import REAL_NAMES, phone_number
from .writer import Person

REVIEWERS = ("kefu_chen", "kefu_li", "kefu_wang")
# Who shares a home with whom: the second is verified for the first one's unit.
FAMILIES = (("wang_3dong", "lin_nvshi"), ("jiajia_ma", "xie_xs"))
SECOND_HOME = ("zhou_1802", 15, "1", "0602")  # an owner of two units in one community
WAITING = ("tony_zx", "ajie_run", "kevin_bh", "susu", "song_song")
JOINING = ("erbao_ma", "wang_3dong")  # asks for the unit wang_3dong's family is verified for
REJECTED = {
    "haibian_mao": "合同上的买受人姓名与填写的不一致，请按购房合同填写后重新申请。",
    "abin": "该房号在销售系统中不存在，请核对楼栋、单元和房号。",
}
_SURNAME_GIVEN = ("陈", "林", "黄", "张", "李", "吴", "刘", "杨")


def _contract_name(rng: random.Random, person: Person) -> str:
    return REAL_NAMES.get(person.spec.username) or person.user.real_name or \
        rng.choice(_SURNAME_GIVEN) + rng.choice(("建华", "丽萍", "志强", "晓燕", "国栋", "美玲"))


def seed_owner_verifications(rng: random.Random, now: datetime,
                             people: dict[str, Person]) -> None:
    """Verify the demo's owners for their units, and leave a queue for staff. Before the cases
    are replayed, so a verified owner's complaints carry their unit."""
    communities = {c.slug: c for c in db.session.query(Community)}
    community_of = {index: communities[spec.slug] for index, spec in enumerate(COMMUNITIES)}
    reviewers = [people[name].user for name in REVIEWERS]
    units: dict[tuple, Unit] = {}
    family_of = {second: first for first, second in FAMILIES}

    def unit_for(person: Person, building: str, entrance: str, room: str) -> Unit:
        community = community_of[person.spec.home]
        key = (community.id, building, entrance, room)
        if key not in units:
            units[key] = Unit(community_id=community.id, building=building, entrance=entrance,
                              room=room, created_at=person.user.created_at)
            db.session.add(units[key])
        return units[key]

    def request(person: Person, building: str, entrance: str, room: str, status: str,
                asked: datetime, reason: str = "") -> VerificationRequest:
        decided = asked + timedelta(hours=rng.randint(2, 40)) if status != "pending" else None
        row = VerificationRequest(
            user_id=person.user.id, community_id=community_of[person.spec.home].id,
            building=building, entrance=entrance, room=room,
            contract_name=_contract_name(rng, person),
            phone=person.user.phone or phone_number(rng), status=status, created_at=asked,
            decided_at=decided, reason=reason,
            decided_by_id=rng.choice(reviewers).id if decided else None)
        db.session.add(row)
        return row

    def parts(person: Person) -> tuple[str, str, str]:
        return str(person.building), str(person.unit), person.room

    approved: list[tuple[VerificationRequest, Person]] = []
    for person in people.values():
        if person.spec.role != Role.OWNER or person.spec.home is None:
            continue
        if person.spec.username in family_of:
            building, entrance, room = parts(people[family_of[person.spec.username]])
        else:
            building, entrance, room = parts(person)
        asked = person.user.created_at + timedelta(days=rng.randint(1, 10))
        approved.append((request(person, building, entrance, room, "approved", asked), person))
        if person.spec.username == SECOND_HOME[0]:
            approved.append((request(person, *map(str, SECOND_HOME[1:]), "approved",
                                     asked + timedelta(days=60)), person))
    for row, person in approved:
        unit = unit_for(person, row.building, row.entrance, row.room)
        db.session.flush()
        row.unit_id = unit.id
        db.session.add(UnitMembership(unit_id=unit.id, user_id=person.user.id,
                                      verified_at=row.decided_at,
                                      verified_by_id=row.decided_by_id))
        person.user.owner_verified_at = min(filter(None, (person.user.owner_verified_at,
                                                          row.decided_at)))
        person.user.real_name = person.user.real_name or row.contract_name
        db.session.add(AuditEntry(actor_id=row.decided_by_id, action="verification.approve",
                                  target_type="verification", target_id=row.id,
                                  at=row.decided_at,
                                  before={"status": "pending", "role": "member",
                                          "verified": False},
                                  after={"status": "approved", "role": "owner",
                                         "verified": True, "user_id": person.user.id}))

    for username, reason in REJECTED.items():
        person = people[username]
        asked = now - timedelta(days=rng.randint(5, 20))
        row = request(person, *parts(person), "rejected", asked, reason)
        db.session.flush()
        db.session.add(AuditEntry(actor_id=row.decided_by_id, action="verification.reject",
                                  target_type="verification", target_id=row.id,
                                  at=row.decided_at, before={"status": "pending"},
                                  after={"status": "rejected", "user_id": person.user.id},
                                  reason=reason))
        db.session.add(Notification(user_id=person.user.id, kind=Kind.VERIFICATION.value,
                                    verification_id=row.id, created_at=row.decided_at))
        person.user.unread_count += 1
    for username in WAITING:
        person = people[username]
        request(person, *parts(person), RequestStatus.PENDING.value,
                now - timedelta(hours=rng.randint(1, 96)))
    # A grown-up child asks for the family home: staff see who is verified there already.
    request(people[JOINING[0]], *parts(people[JOINING[1]]), RequestStatus.PENDING.value,
            now - timedelta(hours=5))
    db.session.commit()


def seed_site_settings(people: dict[str, Person]) -> None:
    """The holiday calendar as a table, and one setting the admin changed (with its audit)."""
    calendar_store.seed_calendar()
    settings_services.change_settings(
        people["admin"].user, {"REOPEN_WINDOW_DAYS": 45},
        reason="业主委员会建议：给业主更长时间确认维修效果。")
