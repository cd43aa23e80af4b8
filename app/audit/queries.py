"""Reading the audit log, newest first, by keyset (fast at any depth)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..core import clock
from ..extensions import db
from .models import AuditEntry


def entries(*, action: str = "", target_type: str = "", actor_id: int | None = None,
            since: date | None = None, until: date | None = None, before_id: int | None = None,
            limit: int = 50) -> list[AuditEntry]:
    """One page of entries matching the filters, older than `before_id` when given."""
    query = select(AuditEntry).options(joinedload(AuditEntry.actor))
    if action:
        query = query.where(AuditEntry.action.startswith(action, autoescape=True))
    if target_type:
        query = query.where(AuditEntry.target_type == target_type)
    if actor_id:
        query = query.where(AuditEntry.actor_id == actor_id)
    zone = clock.now().tzinfo
    if since:
        query = query.where(AuditEntry.at >= datetime.combine(since, time(), tzinfo=zone))
    if until:
        query = query.where(AuditEntry.at < datetime.combine(until + timedelta(days=1), time(),
                                                             tzinfo=zone))
    if before_id:
        query = query.where(AuditEntry.id < before_id)
    return list(db.session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)))
