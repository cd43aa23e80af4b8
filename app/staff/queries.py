"""The staff queue: cases filtered and ordered by urgency, with counts."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, case, func, or_, select, type_coerce
from sqlalchemy.orm import joinedload

from ..auth.models import User
from ..communities.models import Category
from ..complaints.models import Case
from ..complaints.workflow import OPEN, Status
from ..core.database import UTCDateTime
from ..core.ids import db_int
from ..extensions import db
from ..forum.models import Thread

# The deadline of the first promise not yet met; NULL once a case is no longer open.
# Coerced to the UTC type so comparisons with aware datetimes bind like the columns do.
_OPEN_NOW = Case.status.in_([s.value for s in OPEN])
NEXT_DUE = type_coerce(case(
    (and_(_OPEN_NOW, Case.first_response_at.is_(None)), Case.first_response_due),
    (and_(_OPEN_NOW, Case.planned_at.is_(None)), Case.plan_due),
    (and_(_OPEN_NOW, Case.resolved_at.is_(None)), Case.resolve_due),
    else_=None,
), UTCDateTime())
VIEWS = ("all", "mine", "department", "unassigned", "overdue", "awaiting_owner")


@dataclass
class QueueFilter:
    """What the staff member asked for; empty fields filter nothing."""

    view: str = "all"
    status: str = ""
    community_id: int | None = None
    department_id: int | None = None
    category_id: int | None = None
    handler_id: int | None = None
    promise: str = ""          # "overdue" or "due_soon"
    group: bool = False
    since: date | None = None
    until: date | None = None
    q: str = ""
    extra: dict = field(default_factory=dict)


def _number(q: str) -> int | None:
    text = q.strip().upper().removeprefix("TS-")
    return db_int(int(text)) if text.isdigit() else None


def queue_query(f: QueueFilter, viewer: User, now: datetime) -> Select:
    """The filtered cases, most urgent first: broken promises, then the nearest deadline."""
    query = select(Case).join(Thread, Thread.id == Case.thread_id)
    conditions = []
    if f.view == "mine":
        conditions.append(Case.handler_id == viewer.id)
    elif f.view == "department":
        conditions.append(Case.department_id == viewer.department_id)
    elif f.view == "unassigned":
        conditions.append(Case.status == Status.RECEIVED.value)
    elif f.view == "overdue":
        conditions.append(NEXT_DUE < now)
    elif f.view == "awaiting_owner":
        conditions.append(Case.status == Status.RESOLVED.value)
    if f.status == "open":
        conditions.append(Case.status.in_([s.value for s in OPEN]))
    elif f.status:
        conditions.append(Case.status == f.status)
    for column, value in ((Case.community_id, f.community_id),
                          (Case.department_id, f.department_id),
                          (Case.category_id, f.category_id), (Case.handler_id, f.handler_id)):
        if value:
            conditions.append(column == value)
    if f.promise == "overdue":
        conditions.append(NEXT_DUE < now)
    elif f.promise == "due_soon":
        conditions.append(and_(NEXT_DUE >= now, NEXT_DUE < now + timedelta(hours=24)))
    if f.group:
        conditions.append(Case.group_flagged_at.is_not(None))
    if f.since:
        conditions.append(Case.created_at >= datetime.combine(f.since, datetime.min.time(),
                                                              tzinfo=now.tzinfo))
    if f.until:
        conditions.append(Case.created_at < datetime.combine(f.until + timedelta(days=1),
                                                             datetime.min.time(),
                                                             tzinfo=now.tzinfo))
    if f.q.strip():
        number = _number(f.q)
        title = Thread.title.contains(f.q.strip(), autoescape=True)
        conditions.append(or_(Case.id == number, title) if number else title)
    if conditions:
        query = query.where(*conditions)
    return query.order_by(NEXT_DUE.is_(None), NEXT_DUE, Case.id.desc())


def queue_page(query: Select, page: int, per_page: int) -> list[Case]:
    """One page of the queue with what each row shows (one query)."""
    return list(db.session.scalars(
        query.options(joinedload(Case.thread), joinedload(Case.community),
                      joinedload(Case.category).joinedload(Category.parent),
                      joinedload(Case.filer),
                      joinedload(Case.handler), joinedload(Case.department))
        .offset((page - 1) * per_page).limit(per_page)).unique())


def queue_total(query: Select) -> int:
    """How many cases the filter matches."""
    return db.session.scalar(select(func.count()).select_from(
        query.order_by(None).with_only_columns(Case.id).subquery())) or 0


def status_counts(now: datetime) -> dict[str, int]:
    """Cases per status, plus open cases overdue and due within 24 hours (one query)."""
    rows = db.session.execute(
        select(Case.status, func.count(),
               func.sum(case((NEXT_DUE < now, 1), else_=0)),
               func.sum(case((and_(NEXT_DUE >= now, NEXT_DUE < now + timedelta(hours=24)), 1),
                             else_=0)))
        .group_by(Case.status)).all()
    counts = {status: count for status, count, _, _ in rows}
    counts["overdue"] = sum(int(o or 0) for _, _, o, _ in rows)
    counts["due_soon"] = sum(int(d or 0) for _, _, _, d in rows)
    return counts


def next_due(case_row: Case) -> datetime | None:
    """The deadline a row shows: the first promise not yet met, while the case is open."""
    if not case_row.is_open:
        return None
    for done, due in ((case_row.first_response_at, case_row.first_response_due),
                      (case_row.planned_at, case_row.plan_due),
                      (case_row.resolved_at, case_row.resolve_due)):
        if done is None:
            return due
    return None
