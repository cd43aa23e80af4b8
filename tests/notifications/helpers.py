"""Shortcuts for notice tests: people around a case, steps through the services, the outbox."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.auth.roles import Role
from app.complaints import services
from app.complaints.models import Case, CaseEvent
from app.extensions import db
from app.forum import services as forum_services
from app.notifications.models import Notification, OutboxEmail
from tests.factories import make_user


def fresh_case(case: Case) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case.id)


def take(case: Case, action: str, actor: Any, **fields: Any) -> CaseEvent:
    """One staff step through the service, with valid defaults for its fields."""
    case = fresh_case(case)
    defaults = {
        "assign": {"department_id": case.category.routed_department_id},
        "plan": {"committed_date": date.today() + timedelta(days=3), "note": "下周二上门维修"},
        "dispatch": {"work_order_number": "WO-2026-001"},
        "resolve": {"resolution_summary": "已重做防水层"},
        "decline": {"decline_reason": "不属于保修范围"},
    }[action]
    return services.take_step(case, action, actor,
                              services.StepInput(**{**defaults, **fields}),
                              seen_version=case.version)


def walk(case: Case, actor: Any, *actions: str) -> None:
    """Take several staff steps in order."""
    for action in actions:
        take(case, action, actor)


def joiner_of(case: Case, **overrides: Any) -> Any:
    """A new owner who joined the case ("me too")."""
    user = make_user(Role.OWNER, **overrides)
    services.join_case(fresh_case(case), user)
    return user


def watcher_of(case: Case, **overrides: Any) -> Any:
    """A new member who watches the case's thread."""
    user = make_user(**overrides)
    forum_services.set_watch(fresh_case(case).thread, user, on=True)
    return user


def notices_of(user: Any) -> list[Notification]:
    """A person's notices, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.id)))


def told(user: Any, event: CaseEvent) -> bool:
    """Whether this person got a notice of this event."""
    return any(n.event_id == event.id for n in notices_of(user))


def emails_to(user: Any) -> list[OutboxEmail]:
    """The outbox rows addressed to a person, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_user_id == user.id)
                                   .order_by(OutboxEmail.id)))
