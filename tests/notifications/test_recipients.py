"""Who is told of a case event: followers of every public step, handlers of an assignment,
supervisors of an escalation; never the actor, never of an internal note."""
from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import func, select

from app.auth.roles import Role
from app.complaints import services
from app.core import clock
from app.extensions import db
from app.forum import services as forum_services
from app.jobs.models import JobFailure
from app.notifications import services as notice_services
from app.notifications.models import Notification, OutboxEmail
from tests.complaints.helpers import step
from tests.factories import make_case, make_department, make_user
from tests.notifications.helpers import fresh_case, joiner_of, notices_of, take, told, watcher_of


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_filer_joiners_and_watchers_are_told_of_a_public_step(app, owner, staff) -> None:
    case = make_case(owner)
    joiner = joiner_of(case)
    watcher = watcher_of(case)

    event = take(case, "assign", staff)

    assert told(owner, event) and told(joiner, event) and told(watcher, event)
    assert {n.kind for n in notices_of(watcher)} == {"case_event"}


def test_the_actor_of_a_step_is_not_told_of_it(app, owner, staff) -> None:
    case = make_case(owner)
    joiner = joiner_of(case)
    take(case, "assign", staff)
    take(case, "plan", staff)
    take(case, "dispatch", staff)
    take(case, "resolve", staff)

    event = services.reject(fresh_case(case), owner, reason="还是漏水")

    assert told(joiner, event)
    assert not told(owner, event)


def test_staff_are_not_told_of_their_own_step_on_a_case_they_watch(app, owner, staff) -> None:
    case = make_case(owner)
    forum_services.set_watch(case.thread, staff, on=True)

    event = take(case, "assign", staff)

    assert not told(staff, event)


def test_the_department_handlers_are_told_of_an_assignment(app, owner, staff) -> None:
    case = make_case(owner)
    department = make_department(name="工程部")
    handler = make_user(Role.HANDLER, department_id=department.id)
    elsewhere = make_user(Role.HANDLER, department_id=make_department().id)

    event = take(case, "assign", staff, department_id=department.id)

    assert [n.kind for n in notices_of(handler) if n.event_id == event.id] == ["assigned"]
    assert not told(elsewhere, event)


def test_handlers_are_not_told_of_steps_other_than_assignment(app, owner, staff) -> None:
    case = make_case(owner)
    handler = make_user(Role.HANDLER, department_id=case.category.routed_department_id)
    take(case, "assign", staff)

    event = take(case, "plan", staff)

    assert not told(handler, event)


def test_supervisors_are_told_of_an_escalation(app, monkeypatch, owner) -> None:
    make_case(owner)
    supervisor = make_user(Role.STAFF, is_supervisor=True)
    colleague = make_user(Role.STAFF)
    later = clock.now() + timedelta(days=30)
    monkeypatch.setattr(clock, "now", lambda: later)

    assert services.escalate_overdue() == 1

    assert [n.kind for n in notices_of(supervisor)] == ["escalated"]
    assert [n.kind for n in notices_of(owner)] == ["case_event"]
    assert notices_of(colleague) == []


def test_supervisors_are_told_of_a_group_complaint(app, owner) -> None:
    app.config["GROUP_MIN_JOINS"] = 2
    case = make_case(owner)
    supervisor = make_user(Role.STAFF, is_supervisor=True)

    joiner_of(case)
    joiner_of(case)

    assert [n.kind for n in notices_of(supervisor)] == ["escalated"]


def test_an_internal_note_notifies_nobody(app, owner, staff) -> None:
    case = make_case(owner)
    joiner_of(case)
    watcher_of(case)
    make_user(Role.STAFF, is_supervisor=True)
    before = (_count(Notification), _count(OutboxEmail))

    services.add_note(fresh_case(case), staff, body="业主电话里态度激动，注意沟通")

    assert (_count(Notification), _count(OutboxEmail)) == before


def test_a_failing_listener_is_logged_and_the_step_still_stands(client, login, monkeypatch,
                                                                caplog, owner, staff) -> None:
    case = make_case(owner)
    monkeypatch.setattr(notice_services, "render_case_notice",
                        lambda *a, **k: (_ for _ in ()).throw(RuntimeError("template broke")))
    login(staff)

    with caplog.at_level(logging.ERROR, logger="app.jobs.queue"):
        response = step(client, case, "assign")

    assert response.status_code == 302
    assert fresh_case(case).status == "assigned"
    assert "job app.jobs.tasks:fan_out_case_event failed" in caplog.text
    assert notices_of(owner) == []
    # The failed fan-out is kept to be retried, then shown to admins (/admin/jobs).
    [failure] = db.session.scalars(select(JobFailure)).all()
    assert failure.func == "app.jobs.tasks:fan_out_case_event" and "template broke" in \
        failure.error and failure.next_attempt_at is not None
