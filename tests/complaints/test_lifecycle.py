"""The case lifecycle through the pages: staff steps, owner steps, windows, versions."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.roles import Role
from app.complaints import services
from app.complaints.models import CaseEvent, Rating
from app.core import clock
from app.extensions import db
from tests.complaints.helpers import fresh_case, step, walk_to
from tests.factories import make_case, make_department, make_user

RATING = {"overall": 5, "buy_again": 4, "recommend": 4, "comment": "维修师傅很专业",
          "comment_public": "y"}


def test_the_whole_journey_filed_to_confirmed_with_ratings(client, login, owner,
                                                           staff) -> None:
    case = make_case(owner)
    login(staff)
    walk_to(client, case, "resolved")
    client.post("/logout")
    login(owner)

    response = client.post(f"/cases/{case.id}/confirm", data=RATING)

    case = fresh_case(case)
    assert response.status_code == 302
    assert (case.status, case.closed_kind) == ("closed", "confirmed")
    assert [e.action for e in case.events] == ["filed", "assign", "plan", "dispatch",
                                               "resolve", "confirm"]
    assert [(e.before, e.after) for e in case.events][1:] == [
        ("received", "assigned"), ("assigned", "planned"), ("planned", "in_progress"),
        ("in_progress", "resolved"), ("resolved", "closed")]
    assert case.rating.loyal and case.rating.comment == "维修师傅很专业"
    assert case.first_response_at and case.planned_at and case.resolved_at and case.closed_at
    assert case.work_order_number == "WO-2026-001"


def test_every_event_is_on_the_public_timeline_with_its_note(client, login, owner,
                                                               staff) -> None:
    case = make_case(owner)
    login(staff)
    walk_to(client, case, "planned")
    client.post("/logout")

    page = client.get(f"/t/{case.thread_id}").get_data(as_text=True)

    assert "下周二上门维修防水层" in page
    assert page.count('class="event event-') == 3


def test_rejected_then_resolved_again_then_closed_by_auto_close(app, client, login, owner,
                                                               staff, monkeypatch) -> None:
    case = make_case(owner)
    login(staff)
    walk_to(client, case, "resolved")
    client.post("/logout")
    login(owner)
    client.post(f"/cases/{case.id}/reject", data={"reason": "还是漏水"})
    assert (fresh_case(case).status, fresh_case(case).reopen_count) == ("in_progress", 1)
    client.post("/logout")
    login(staff)
    step(client, case, "resolve", resolution_summary="更换了整段排水管")
    later = clock.now() + timedelta(days=app.config["AUTO_CLOSE_DAYS"], minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)

    result = app.test_cli_runner().invoke(args=["cases", "auto-close"])
    again = app.test_cli_runner().invoke(args=["cases", "auto-close"])

    case = fresh_case(case)
    assert "Closed 1" in result.output and "Closed 0" in again.output
    assert (case.status, case.closed_kind) == ("closed", "unconfirmed")
    assert case.events[-1].action == "auto_close" and case.events[-1].actor_id is None


def test_auto_close_leaves_recently_resolved_cases_alone(app, client, login, owner,
                                                         staff) -> None:
    case = make_case(owner)
    login(staff)
    walk_to(client, case, "resolved")

    assert services.auto_close_due() == 0
    assert fresh_case(case).status == "resolved"


def test_the_owner_reopens_within_the_window(client, login, owner, staff) -> None:
    case = make_case(owner)
    login(staff)
    walk_to(client, case, "resolved")
    client.post("/logout")
    login(owner)
    client.post(f"/cases/{case.id}/confirm", data=RATING)

    client.post(f"/cases/{case.id}/reopen", data={"reason": "又开始漏了"})

    case = fresh_case(case)
    assert (case.status, case.reopen_count, case.closed_kind) == ("assigned", 1, None)


def test_reopening_after_the_window_is_refused_and_changes_nothing(app, client, login, owner,
                                                                   staff, monkeypatch) -> None:
    case = make_case(owner)
    login(staff)
    walk_to(client, case, "resolved")
    client.post("/logout")
    login(owner)
    client.post(f"/cases/{case.id}/confirm", data=RATING)
    later = clock.now() + timedelta(days=app.config["REOPEN_WINDOW_DAYS"] + 1)
    monkeypatch.setattr(clock, "now", lambda: later)
    login(owner)  # the old session has expired by then

    response = client.post(f"/cases/{case.id}/reopen", data={"reason": "又开始漏了"})

    assert response.status_code == 400
    assert fresh_case(case).status == "closed"


def test_a_step_the_lifecycle_does_not_allow_is_refused_with_a_message(client, login,
                                                                        staff) -> None:
    case = make_case()
    login(staff)

    response = step(client, case, "resolve")

    assert response.status_code == 400
    assert fresh_case(case).status == "received"
    assert len(fresh_case(case).events) == 1


@pytest.mark.parametrize(("action", "missing"), [
    ("assign", {"department_id": ""}), ("plan", {"committed_date": ""}),
    ("plan", {"note": ""}), ("decline", {"decline_reason": ""}),
])
def test_a_step_without_its_required_field_is_refused(client, login, staff, action,
                                                      missing) -> None:
    case = make_case()
    login(staff)
    if action == "plan":
        walk_to(client, case, "assigned")
    before = fresh_case(case).status

    response = step(client, case, action, **missing)

    assert response.status_code == 400
    assert fresh_case(case).status == before


def test_two_staff_acting_on_the_same_version_the_second_is_told(client, login,
                                                                 staff) -> None:
    case = make_case()
    seen = case.version
    login(staff)

    first = step(client, case, "assign", version=seen)
    second = step(client, case, "decline", version=seen)

    case = fresh_case(case)
    assert first.status_code == 302 and second.status_code == 409
    assert case.status == "assigned"
    assert "不予受理" not in [e.after for e in case.events]
    assert "已分派" in second.get_data(as_text=True) or "assigned" in second.get_data(as_text=True)


def test_a_step_repeated_from_the_same_version_changes_the_version_once(client, login,
                                                                      staff) -> None:
    """Giving the same plan again changes no column; it must still move the version, or two
    staff repeating a step at once would both succeed (found by tests/proofs)."""
    case = make_case()
    login(staff)
    walk_to(client, case, "planned")
    seen = fresh_case(case).version

    first = step(client, case, "plan", version=seen)
    second = step(client, case, "plan", version=seen)

    assert first.status_code == 302 and second.status_code == 409
    assert fresh_case(case).version == seen + 1
    assert [e.action for e in fresh_case(case).events].count("plan") == 2  # walk + first


def test_a_step_made_impossible_by_a_colleague_is_told_the_case_changed(client, login,
                                                                        staff) -> None:
    """The second of two simultaneous dispatches hears "changed", not "not possible"."""
    case = make_case()
    login(staff)
    walk_to(client, case, "planned")
    seen = fresh_case(case).version

    first = step(client, case, "dispatch", version=seen)
    second = step(client, case, "dispatch", version=seen)

    assert first.status_code == 302 and second.status_code == 409
    client.set_cookie("lang", "en")
    third = step(client, case, "resolve", version=seen)
    assert third.status_code == 409
    assert "Someone else changed this at the same time" in third.get_data(as_text=True)
    assert fresh_case(case).status == "in_progress"


def test_staff_reply_officially_and_it_meets_the_first_response_promise(client, login,
                                                                       staff) -> None:
    case = make_case()
    login(staff)

    client.post(f"/cases/{case.id}/answer", data={"body": "您好，已收到，明天上午上门查看。"})

    case = fresh_case(case)
    assert case.first_response_at is not None
    page = client.get(f"/t/{case.thread_id}").get_data(as_text=True)
    assert "post-official" in page and "明天上午上门查看" in page


# --- who may do what ------------------------------------------------------------

@pytest.mark.parametrize(("who", "allowed"), [
    ("staff", True), ("moderator", True), ("admin", True), ("own_handler", True),
    ("other_handler", False), ("owner", False), ("member", False),
])
def test_staff_steps_by_role(client, login, who, allowed) -> None:
    case = make_case()
    people = {
        "staff": lambda: make_user(Role.STAFF), "moderator": lambda: make_user(Role.MODERATOR),
        "admin": lambda: make_user(Role.ADMIN),
        "own_handler": lambda: make_user(Role.HANDLER,
                                         department_id=case.category.routed_department_id),
        "other_handler": lambda: make_user(Role.HANDLER,
                                           department_id=make_department().id),
        "owner": lambda: case.filer, "member": lambda: make_user(Role.MEMBER),
    }
    login(people[who]())

    response = step(client, case, "assign")

    assert (response.status_code == 302) is allowed
    assert (fresh_case(case).status == "assigned") is allowed


@pytest.mark.parametrize("who", ["other_owner", "staff", "visitor"])
def test_only_the_filing_owner_confirms(client, login, owner, staff, other_owner, who) -> None:
    case = make_case(owner)
    login(staff)
    walk_to(client, case, "resolved")
    client.post("/logout")
    if who != "visitor":
        login({"other_owner": other_owner, "staff": staff}[who])

    client.post(f"/cases/{case.id}/confirm", data=RATING)
    client.post(f"/cases/{case.id}/reject", data={"reason": "不行"})

    assert fresh_case(case).status == "resolved"


def test_staff_confirm_for_an_owner_without_an_account(app, client, login, staff) -> None:
    case = make_case()
    case.filer_id = None
    db.session.commit()
    login(staff)
    walk_to(client, case, "resolved")

    client.post(f"/cases/{case.id}/confirm", data=RATING)

    assert fresh_case(case).status == "closed"


def test_ratings_must_be_one_to_five(client, login, owner, staff) -> None:
    case = make_case(owner)
    login(staff)
    walk_to(client, case, "resolved")
    client.post("/logout")
    login(owner)

    response = client.post(f"/cases/{case.id}/confirm", data={**RATING, "overall": 9})

    assert response.status_code == 400
    assert fresh_case(case).status == "resolved"
    assert db.session.scalar(select(Rating)) is None


# --- promises and escalation ------------------------------------------------------

def test_a_broken_promise_escalates_once_with_a_public_event(app, monkeypatch) -> None:
    case = make_case()
    later = clock.now() + timedelta(hours=25)
    monkeypatch.setattr(clock, "now", lambda: later)

    first = app.test_cli_runner().invoke(args=["cases", "escalate"])
    second = app.test_cli_runner().invoke(args=["cases", "escalate"])

    case = fresh_case(case)
    assert "Escalated 1" in first.output and "Escalated 0" in second.output
    assert case.escalated_at is not None
    assert [e.action for e in case.events] == ["filed", "escalated"]
    assert case.events[-1].data == {"promise": "first_response"}


def test_a_kept_promise_does_not_escalate(app, client, login, staff, monkeypatch) -> None:
    case = make_case()
    login(staff)
    client.post(f"/cases/{case.id}/answer", data={"body": "已收到"})
    later = clock.now() + timedelta(hours=30)
    monkeypatch.setattr(clock, "now", lambda: later)

    assert services.escalate_overdue() == 0


def test_the_case_panel_shows_each_promise_state(client, login, staff, monkeypatch) -> None:
    case = make_case()
    login(staff)
    client.post(f"/cases/{case.id}/answer", data={"body": "已收到"})
    later = clock.now() + timedelta(hours=100)
    monkeypatch.setattr(clock, "now", lambda: later)

    page = client.get(f"/t/{case.thread_id}").get_data(as_text=True)

    assert page.count("promise-met") == 1       # first response
    assert page.count("promise-broken") == 1    # plan (72 h)
    assert page.count("promise-running") == 1   # resolution (240 h)


# --- me too, group complaints, merge ----------------------------------------------

def test_me_too_joins_once_and_counts(client, login, other_owner) -> None:
    case = make_case()
    login(other_owner)

    client.post(f"/cases/{case.id}/join")
    client.post(f"/cases/{case.id}/join")

    assert fresh_case(case).metoo_count == 1


def test_the_filer_cannot_join_their_own_case(client, login, owner) -> None:
    case = make_case(owner)
    login(owner)

    client.post(f"/cases/{case.id}/join")

    assert fresh_case(case).metoo_count == 0


def test_enough_joins_within_the_window_make_a_group_complaint(app, client) -> None:
    app.config.update(GROUP_MIN_JOINS=3, GROUP_WINDOW_DAYS=7)
    case = make_case()
    joiners = [make_user(Role.OWNER) for _ in range(3)]

    services.join_case(case, joiners[0])
    services.join_case(case, joiners[1])
    assert fresh_case(case).group_flagged_at is None
    services.join_case(case, joiners[2])

    case = fresh_case(case)
    assert case.is_group and case.escalated_at is not None
    assert case.events[-1].action == "grouped"


def test_old_joins_outside_the_window_do_not_count(app, monkeypatch) -> None:
    app.config.update(GROUP_MIN_JOINS=3, GROUP_WINDOW_DAYS=7)
    case = make_case()
    start = clock.now()
    for days, user in zip((0, 10, 20), [make_user() for _ in range(3)], strict=True):
        monkeypatch.setattr(clock, "now", lambda d=days: start + timedelta(days=d))
        services.join_case(case, user)

    assert fresh_case(case).group_flagged_at is None


def test_a_join_does_not_make_a_staff_form_stale(client, login, staff, other_owner) -> None:
    case = make_case()
    seen = case.version
    services.join_case(case, other_owner)
    login(staff)

    assert step(client, case, "assign", version=seen).status_code == 302


def test_merging_a_duplicate_carries_its_people_and_points_to_the_case(client, login,
                                                                       staff) -> None:
    main = make_case(title="3栋电梯困人")
    joiner = make_user(Role.OWNER)
    duplicate = make_case(community=main.community, title="电梯又坏了")
    services.join_case(duplicate, joiner)
    login(staff)

    response = client.post(f"/cases/{duplicate.id}/merge",
                           data={"into": main.id, "version": fresh_case(duplicate).version})

    duplicate, main = fresh_case(duplicate), fresh_case(main)
    assert response.status_code == 302
    assert duplicate.status == "declined" and duplicate.duplicate_of_id == main.id
    assert main.metoo_count == 2
    assert db.session.scalar(select(CaseEvent.action).where(CaseEvent.case_id == main.id)
                             .order_by(CaseEvent.id.desc()).limit(1)) == "merged_in"


def test_a_refused_case_form_says_why_even_when_the_page_no_longer_shows_it(
        client, login, staff, owner) -> None:
    """Found by the form fuzzing (tests/proofs): a second confirmation with a bad rating was
    refused with 400 and no reason, as the closed case no longer shows the rating form."""
    case = make_case(owner)
    login(staff)
    walk_to(client, case, "resolved")
    client.post("/logout")
    login(owner)
    stars = {"overall": "5", "buy_again": "5", "recommend": "5"}
    assert client.post(f"/cases/{case.id}/confirm", data=stars).status_code == 302
    client.set_cookie("lang", "en")

    answer = client.post(f"/cases/{case.id}/confirm", data={**stars, "recommend": "-79"})

    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert 'class="flash flash-error"' in page and "Not a valid choice" in page


def test_a_bad_hidden_version_is_refused_with_a_reason(client, login, staff) -> None:
    case = make_case()
    login(staff)
    client.set_cookie("lang", "en")

    answer = step(client, case, "assign", version="长长")

    assert answer.status_code == 400
    assert "The form expired or was sent from elsewhere" in answer.get_data(as_text=True)
    assert fresh_case(case).status == "received"
