"""How notices and their recipients are fetched; each function is one query."""
from __future__ import annotations

from sqlalchemy import select, union
from sqlalchemy.orm import joinedload

from ..auth.models import User
from ..complaints.models import Case, MeToo
from ..extensions import db
from ..forum.models import Watch
from .models import EmailOptOut, Notification, OutboxEmail


def case_followers(case: Case) -> set[int]:
    """Who follows a case: its filer (if an account), everyone who joined, the thread's watchers."""
    joiners = select(MeToo.user_id).where(MeToo.case_id == case.id)
    watchers = select(Watch.user_id).where(Watch.thread_id == case.thread_id)
    ids = set(db.session.scalars(union(joiners, watchers)))
    if case.filer_id is not None:
        ids.add(case.filer_id)
    return ids


def department_staff(department_id: int) -> set[int]:
    """The handlers of a department (the staff whose department it is)."""
    return set(db.session.scalars(select(User.id).where(User.department_id == department_id)))


def supervisors() -> set[int]:
    """Everyone escalations go to."""
    return set(db.session.scalars(select(User.id).where(User.is_supervisor.is_(True))))


def users_by_id(ids: set[int]) -> list[User]:
    """The accounts with these ids, in id order."""
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)))


def opted_out(user_ids: set[int]) -> set[tuple[int, str]]:
    """(user id, kind) for every e-mail opt-out of these people."""
    rows = db.session.execute(select(EmailOptOut.user_id, EmailOptOut.kind)
                              .where(EmailOptOut.user_id.in_(user_ids)))
    return {(row.user_id, row.kind) for row in rows}


def opted_out_kinds(user_id: int) -> set[str]:
    """The kinds of e-mail one person switched off."""
    return set(db.session.scalars(select(EmailOptOut.kind)
                                  .where(EmailOptOut.user_id == user_id)))


def notices_for(user_id: int, *, before: int | None, limit: int) -> list[Notification]:
    """One page of a person's notices, newest first, from before notice id `before`.

    Pages by id (a keyset), so no page counts or skips rows; asks for one extra row,
    so the caller knows whether an older page exists.
    """
    query = select(Notification).where(Notification.user_id == user_id)
    if before is not None:
        query = query.where(Notification.id < before)
    return list(db.session.scalars(
        query.order_by(Notification.id.desc()).limit(limit + 1)
        .options(joinedload(Notification.thread), joinedload(Notification.case),
                 joinedload(Notification.event), joinedload(Notification.flag),
                 joinedload(Notification.verification))))


def outbox_waiting() -> int:
    """How many e-mails are in the outbox, not sent (due, waiting to retry, or given up)."""
    return db.session.scalar(select(db.func.count()).select_from(OutboxEmail)
                             .where(OutboxEmail.sent_at.is_(None))) or 0
