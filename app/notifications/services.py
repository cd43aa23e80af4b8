"""What notices change: writing them (and their e-mails) for a case event, reading, opting out."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import case as sql_case
from sqlalchemy import delete, update

from ..auth.models import User
from ..complaints.models import Case, CaseEvent
from ..core import clock
from ..core.database import commit_or_raise
from ..core.errors import Conflict, Invalid
from ..extensions import db
from . import queries
from .emails import render_case_notice
from .models import EmailOptOut, Kind, Notification, OutboxEmail
from .tokens import read_unsubscribe_token

# Case events that go to the supervisors as well as to the case's followers.
_ESCALATIONS = frozenset({"escalated", "grouped"})
_ASSIGNMENT = "assign"


def recipients(case: Case, event: CaseEvent) -> dict[int, Kind]:
    """Who is told of a public case event, and as what: the filer, joiners and watchers;
    the department's handlers of an assignment; the supervisors of an escalation. Never
    the person who acted. One who is both a follower and staff gets the staff notice."""
    people = dict.fromkeys(queries.case_followers(case), Kind.CASE_EVENT)
    if event.action == _ASSIGNMENT and case.department_id is not None:
        people.update(dict.fromkeys(queries.department_staff(case.department_id),
                                    Kind.ASSIGNED))
    if event.action in _ESCALATIONS:
        people.update(dict.fromkeys(queries.supervisors(), Kind.ESCALATED))
    people.pop(event.actor_id, None)
    return people


def notify_case_event(case: Case, event: CaseEvent) -> list[Notification]:
    """Write the notices of one committed case event and queue their e-mails, in one
    transaction. Internal notes never come here: they send no signal."""
    people = recipients(case, event)
    if not people:
        return []
    now = clock.now()
    refused = queries.opted_out(set(people))
    notices = []
    for user in queries.users_by_id(set(people)):
        kind = people[user.id]
        notices.append(Notification(user_id=user.id, kind=kind.value, thread_id=case.thread_id,
                                    case_id=case.id, event_id=event.id, created_at=now))
        if (user.id, kind.value) not in refused:
            mail = render_case_notice(user, kind, case, event)
            db.session.add(OutboxEmail(
                to_user_id=user.id, to_address=user.email, kind=kind.value,
                subject=mail.subject, body_text=mail.body_text, body_html=mail.body_html,
                unsubscribe_url=mail.unsubscribe_url, created_at=now, next_attempt_at=now))
    db.session.add_all(notices)
    # The bell's counter moves with the rows, atomically, in the same transaction.
    db.session.execute(update(User).where(User.id.in_([n.user_id for n in notices]))
                       .values(unread_count=User.unread_count + 1),
                       execution_options={"synchronize_session": False})
    db.session.commit()
    return notices


def _take_from_counter(user_id: int, read: int) -> None:
    if read:
        db.session.execute(
            update(User).where(User.id == user_id)
            .values(unread_count=sql_case((User.unread_count > read, User.unread_count - read),
                                          else_=0)),
            execution_options={"synchronize_session": False})


def mark_all_read(user: User) -> int:
    """Mark every unread notice of `user` read; returns how many were unread."""
    result = db.session.execute(
        update(Notification).where(Notification.user_id == user.id,
                                   Notification.read_at.is_(None))
        .values(read_at=clock.now()), execution_options={"synchronize_session": False})
    # Only what this statement flipped is taken off, so two clicks at once count once.
    _take_from_counter(user.id, result.rowcount)
    db.session.commit()
    return result.rowcount


def mark_read(user: User, notification_id: int) -> None:
    """Mark one of `user`'s notices read (someone else's, or a read one, changes nothing)."""
    result = db.session.execute(
        update(Notification).where(Notification.id == notification_id,
                                   Notification.user_id == user.id,
                                   Notification.read_at.is_(None))
        .values(read_at=clock.now()), execution_options={"synchronize_session": False})
    _take_from_counter(user.id, result.rowcount)
    db.session.commit()


def opt_out(user_id: int, kind: Kind) -> None:
    """Stop one kind of e-mail to one person (in-site notices go on). Idempotent."""
    if (user_id, kind.value) in queries.opted_out({user_id}):
        return
    db.session.add(EmailOptOut(user_id=user_id, kind=kind.value, created_at=clock.now()))
    try:
        commit_or_raise()
    except Conflict:
        pass  # the same link clicked twice at once: the unique key kept one opt-out


def set_email_choices(user: User, wanted: dict[Kind, bool]) -> None:
    """Switch each kind of e-mail on or off for `user`, as the settings form says."""
    refused = queries.opted_out_kinds(user.id)
    for kind, on in wanted.items():
        if on and kind.value in refused:
            db.session.execute(delete(EmailOptOut).where(EmailOptOut.user_id == user.id,
                                                         EmailOptOut.kind == kind.value))
        elif not on and kind.value not in refused:
            db.session.add(EmailOptOut(user_id=user.id, kind=kind.value, created_at=clock.now()))
    try:
        commit_or_raise()
    except Conflict:
        pass  # an unsubscribe link was clicked at the same moment: it is off either way


def kinds_for(user: User) -> list[Kind]:
    """The kinds of notice this person can receive (the settings page lists only those)."""
    kinds = [Kind.CASE_EVENT]
    if user.department_id is not None:
        kinds.append(Kind.ASSIGNED)
    if user.is_supervisor:
        kinds.append(Kind.ESCALATED)
    return kinds


def unsubscribe(token: str) -> Kind:
    """Stop the kind of e-mail a signed unsubscribe link names (no login: the link is proof)."""
    found = read_unsubscribe_token(token)
    if found is None or db.session.get(User, found[0]) is None:
        raise Invalid(_l("This unsubscribe link is not valid."))
    opt_out(*found)
    return found[1]


def notify_verification(request: Any) -> Notification:
    """Tell a member staff decided their owner verification (in the site only, no e-mail).

    Part of the caller's transaction: the decision and its notice commit together."""
    notice = Notification(user_id=request.user_id, kind=Kind.VERIFICATION.value,
                          verification_id=request.id, created_at=clock.now())
    db.session.add(notice)
    db.session.execute(update(User).where(User.id == request.user_id)
                       .values(unread_count=User.unread_count + 1),
                       execution_options={"synchronize_session": False})
    return notice
