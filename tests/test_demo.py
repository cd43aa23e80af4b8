"""`flask seed-demo`: the demo site loads whole, with counters that match real counts, and
complaints as tracked cases in every state, replayed through the real services."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from app.auth.models import User
from app.auth.roles import STAFF_ROLES, Role
from app.communities.models import Board, BoardKind, Community
from app.complaints.models import Case, CaseEvent, CaseNote, MeToo, Rating
from app.complaints.signals import case_event
from app.complaints.workflow import OPEN, ClosedKind, Status
from app.core import clock
from app.demo.content import DEMO_PASSWORD
from app.demo.loader import load_demo
from app.extensions import db
from app.forum.models import Post, PostRevision, Thread
from app.search.models import KIND_NOTE, KIND_POST, SearchDoc
from tests.conftest import make_test_app


@dataclass
class Demo:
    """The loaded demo: its app, what the loader printed, what listeners were sent."""

    app: Any
    lines: list[str]
    signalled: list[Any]


def _count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _totals() -> tuple[int, ...]:
    return tuple(_count(model) for model in (Community, Board, User, Thread, Post, PostRevision,
                                             Case, CaseEvent, CaseNote, MeToo, Rating))


def _cases(*conditions: Any) -> list[Case]:
    return list(db.session.scalars(select(Case).where(*conditions)))


@pytest.fixture(scope="module")
def loaded() -> Iterator[Demo]:
    """The demo, loaded once for the module (a load replays ~150 cases through the services).

    A `case_event` listener is connected during the load, as notifications will be.
    """
    app = make_test_app()
    with app.app_context():
        db.drop_all()
        db.create_all()
        demo = Demo(app, [], [])

        def listener(case: Case, **_: Any) -> None:
            demo.signalled.append(case.id)

        with case_event.connected_to(listener):
            load_demo(echo=demo.lines.append)
        yield demo
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def demo(loaded: Demo) -> Demo:
    """The loaded demo, read afresh."""
    db.session.expire_all()
    return loaded


def test_demo_fills_communities_people_threads_and_posts(demo: Demo) -> None:
    roles = set(db.session.scalars(select(User.role)))

    assert _count(Community) >= 5
    assert _count(User) >= 40
    assert {role.value for role in (Role.ADMIN, Role.MODERATOR, Role.STAFF, Role.HANDLER,
                                    Role.OWNER, Role.MEMBER)} <= roles
    assert _count(Thread) >= 250
    assert _count(Post) >= 800
    assert any("admin" in line and DEMO_PASSWORD in line for line in demo.lines)


def test_every_demo_account_logs_in_with_the_demo_password(demo: Demo) -> None:
    hashes = set(db.session.scalars(select(User.password_hash)))

    assert len(hashes) == 1
    assert check_password_hash(hashes.pop(), DEMO_PASSWORD)


def test_demo_thread_board_community_and_user_counters_match_real_counts(demo: Demo) -> None:
    posts = dict(db.session.execute(
        select(Post.thread_id, func.count()).group_by(Post.thread_id)).all())
    last_posts = {post.thread_id: post for post in db.session.scalars(
        select(Post).join(Thread, Thread.id == Post.thread_id)
        .where(Post.number == Thread.post_count))}
    threads = list(db.session.scalars(select(Thread)))
    boards = list(db.session.scalars(select(Board)))
    user_posts = dict(db.session.execute(
        select(Post.author_id, func.count()).group_by(Post.author_id)).all())
    user_threads = dict(db.session.execute(
        select(Thread.author_id, func.count()).group_by(Thread.author_id)).all())

    for thread in threads:
        assert thread.post_count == posts[thread.id]
        assert thread.last_post_at == last_posts[thread.id].created_at
        assert thread.last_post_user_id == last_posts[thread.id].author_id
    for board in boards:
        own = [thread for thread in threads if thread.board_id == board.id]
        # A thread a moderator hid leaves its board's list and thread count (issue 4).
        visible = [thread for thread in own if thread.hidden_at is None]
        latest = max(visible, key=lambda t: (t.last_post_at, t.id))
        assert board.thread_count == len(visible)
        assert board.post_count == sum(posts[thread.id] for thread in own)
        assert (board.last_post_at, board.last_thread_id) == (latest.last_post_at, latest.id)
    for community in db.session.scalars(select(Community)):
        own_boards = [board for board in boards if board.community_id == community.id]
        assert community.thread_count == sum(board.thread_count for board in own_boards)
        assert community.post_count == sum(board.post_count for board in own_boards)
    for user in db.session.scalars(select(User)):
        assert user.post_count == user_posts.get(user.id, 0)
        assert user.thread_count == user_threads.get(user.id, 0)


def test_demo_shows_paging_pins_locks_edits_and_deletions(demo: Demo) -> None:
    longest_board = db.session.scalar(select(func.max(Board.thread_count)))
    longest_thread = db.session.scalar(select(func.max(Thread.post_count)))
    edited = list(db.session.scalars(select(Post).where(Post.edit_count > 0)))

    assert longest_board > 2 * demo.app.config["THREADS_PER_PAGE"]
    assert longest_thread > 3 * demo.app.config["POSTS_PER_PAGE"]
    assert db.session.scalar(select(func.count()).where(Thread.pinned)) >= 1
    assert db.session.scalar(select(func.count()).where(Thread.locked)) >= 1
    assert edited and all(len(post.revisions) == post.edit_count for post in edited)
    assert db.session.scalar(select(func.count()).where(
        Post.deleted_at.is_not(None), Post.deleted_by_id == Post.author_id)) >= 1


def test_only_staff_post_in_demo_announcement_boards(demo: Demo) -> None:
    roles = set(db.session.scalars(
        select(User.role).join(Post, Post.author_id == User.id)
        .join(Thread, Thread.id == Post.thread_id).join(Board, Board.id == Thread.board_id)
        .where(Board.kind == BoardKind.ANNOUNCEMENTS.value)))

    assert roles <= {Role.STAFF.value, Role.MODERATOR.value, Role.ADMIN.value}


# Complaint cases ------------------------------------------------------------------------

def test_demo_has_cases_in_every_status_across_every_community(demo: Demo) -> None:
    statuses = Counter(db.session.scalars(select(Case.status)))
    communities = set(db.session.scalars(select(Case.community_id)))

    assert 120 <= sum(statuses.values()) <= 200
    assert set(statuses) == {status.value for status in Status}
    assert communities == set(db.session.scalars(select(Community.id)))
    assert any("Complaint cases:" in line for line in demo.lines)


def test_demo_cases_are_filed_in_complaints_boards_over_the_last_year_and_a_half(
        demo: Demo) -> None:
    kinds = set(db.session.scalars(select(Board.kind).join(Thread, Thread.board_id == Board.id)
                                   .join(Case, Case.thread_id == Thread.id)))
    oldest = db.session.scalar(select(func.min(Case.created_at)))

    assert kinds == {BoardKind.COMPLAINTS.value}
    assert (clock.now() - oldest).days > 365


def test_demo_closes_cases_confirmed_with_ratings_and_unconfirmed_without(demo: Demo) -> None:
    confirmed = _cases(Case.closed_kind == ClosedKind.CONFIRMED.value)
    unconfirmed = _cases(Case.closed_kind == ClosedKind.UNCONFIRMED.value)
    ratings = list(db.session.scalars(select(Rating)))
    rated = {rating.case_id for rating in ratings}

    assert confirmed and unconfirmed
    assert {case.id for case in confirmed} == rated
    assert all(case.status == Status.CLOSED for case in confirmed + unconfirmed)
    assert all(case.events[-1].action == "auto_close" for case in unconfirmed)
    assert sum(rating.overall >= 4 for rating in ratings) > len(ratings) / 2
    assert any(rating.loyal for rating in ratings) and any(not r.loyal for r in ratings)
    assert any(rating.overall <= 2 for rating in ratings)


def test_demo_status_matches_the_last_step_on_each_timeline(demo: Demo) -> None:
    now = clock.now()

    for case in _cases():
        steps = [event for event in case.events if event.after]
        times = [event.at for event in case.events]
        assert steps[-1].after == case.status, case.number
        assert times == sorted(times) and times[-1] <= now, case.number
        if case.status != Status.RECEIVED:
            assert case.first_response_at is not None, case.number


def test_demo_open_cases_carry_their_plan_and_work_order(demo: Demo) -> None:
    planned = _cases(Case.status.in_([Status.PLANNED.value, Status.IN_PROGRESS.value]))
    working = _cases(Case.status == Status.IN_PROGRESS.value)
    resolved = _cases(Case.status.in_([Status.RESOLVED.value, Status.CLOSED.value]))

    assert all(case.committed_date is not None for case in planned)
    assert all(case.work_order_number for case in working)
    assert all(case.resolution_summary for case in resolved)


def test_demo_joins_match_each_cases_me_too_counter(demo: Demo) -> None:
    joins = dict(db.session.execute(
        select(MeToo.case_id, func.count()).group_by(MeToo.case_id)).all())

    for case in _cases():
        assert case.metoo_count == joins.get(case.id, 0), case.number
    assert sum(joins.values()) > 0


def test_demo_has_group_complaints_that_were_escalated(demo: Demo) -> None:
    groups = _cases(Case.group_flagged_at.is_not(None))

    assert len(groups) >= 2
    for case in groups:
        assert case.escalated_at is not None
        assert case.metoo_count >= demo.app.config["GROUP_MIN_JOINS"]
        assert any(event.action == "grouped" for event in case.events)


def test_demo_has_broken_promises_escalated_in_public_and_kept_ones(demo: Demo) -> None:
    escalated = db.session.scalars(select(CaseEvent.case_id)
                                   .where(CaseEvent.action == "escalated")).all()
    kept = _cases(Case.resolved_at.is_not(None), Case.resolved_at <= Case.resolve_due)

    assert len(escalated) >= 10
    assert len(set(escalated)) == len(escalated)  # once per case
    assert _cases(Case.escalated_at.is_not(None), Case.status.in_([s.value for s in OPEN]))
    assert len(kept) > len(escalated)


def test_demo_merges_duplicates_into_the_case_they_repeat(demo: Demo) -> None:
    duplicates = _cases(Case.duplicate_of_id.is_not(None))

    assert duplicates
    for case in duplicates:
        assert case.status == Status.DECLINED and case.decline_reason
        assert case.duplicate_of.status != Status.DECLINED
        carried = db.session.scalar(select(func.count()).where(
            MeToo.case_id == case.duplicate_of_id, MeToo.merged_from_id == case.id))
        assert carried == 1
    assert _cases(Case.status == Status.DECLINED.value, Case.duplicate_of_id.is_(None))


def test_demo_has_sent_back_and_reopened_cases(demo: Demo) -> None:
    actions = Counter(db.session.scalars(select(CaseEvent.action)))

    assert actions["reject"] >= 3 and actions["reopen"] >= 3
    assert _cases(Case.reopen_count > 0, Case.status == Status.CLOSED.value)


def test_demo_has_anonymous_and_staff_filed_complaints(demo: Demo) -> None:
    anonymous = _cases(Case.thread.has(Thread.anonymous.is_(True)))
    for_owners = _cases(Case.filed_by_id != Case.filer_id)
    without_account = _cases(Case.filer_id.is_(None))

    assert anonymous and all(case.filer_id is not None for case in anonymous)
    assert for_owners
    assert without_account
    assert all(case.contact_name and case.contact_phone for case in without_account)


def test_demo_official_replies_and_internal_notes_come_from_staff(demo: Demo) -> None:
    staff_roles = {role.value for role in STAFF_ROLES}
    reply_roles = set(db.session.scalars(
        select(User.role).join(Post, Post.author_id == User.id).where(Post.is_official)))
    note_roles = set(db.session.scalars(
        select(User.role).join(CaseNote, CaseNote.author_id == User.id)))
    answered = db.session.scalar(select(func.count(func.distinct(Thread.id)))
                                 .join(Post, Post.thread_id == Thread.id)
                                 .where(Post.is_official))

    assert reply_roles and reply_roles <= staff_roles
    assert note_roles and note_roles <= staff_roles
    assert answered > _count(Case) / 2
    assert db.session.scalar(select(func.count(func.distinct(CaseNote.case_id)))) > 40


def test_demo_staff_have_departments_supervisors_and_owners_private_details(
        demo: Demo) -> None:
    handlers = _users(User.role == Role.HANDLER.value)
    supervisors = _users(User.is_supervisor.is_(True))

    assert handlers and all(user.department_id is not None for user in handlers)
    assert {user.role for user in supervisors} >= {Role.STAFF.value, Role.HANDLER.value}
    assert _users(User.phone.is_not(None), User.real_name.is_not(None))


def _users(*conditions: Any) -> list[User]:
    return list(db.session.scalars(select(User).where(*conditions)))


def test_every_demo_post_and_note_is_in_the_search_index(demo: Demo) -> None:
    indexed = Counter(db.session.scalars(select(SearchDoc.kind)))

    assert indexed[KIND_POST] == _count(Post)
    assert indexed[KIND_NOTE] == _count(CaseNote)


def test_replaying_history_tells_no_listener(demo: Demo) -> None:
    assert demo.signalled == []


def test_loading_the_demo_again_changes_nothing(demo: Demo) -> None:
    before = _totals()
    lines: list[str] = []

    load_demo(echo=lines.append)

    assert _totals() == before
    assert len(lines) == 1 and "already loaded" in lines[0]


def test_demo_has_a_moderation_history_made_through_the_services(demo: Demo) -> None:
    from app.audit.models import AuditEntry
    from app.moderation.models import Flag
    from app.notifications.models import Notification

    flags = list(db.session.scalars(select(Flag)))
    open_reasons = {f.reason for f in flags if f.is_open}
    assert {"spam", "abuse", "personal_data", "off_topic", "other"} <= open_reasons
    assert {"hidden", "redacted", "dismissed"} <= {f.outcome for f in flags if not f.is_open}
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"thread.hide", "post.hide", "post.redact", "flag.dismiss", "thread.lock",
            "thread.pin", "user.suspend", "user.ban"} <= actions
    assert _count(Notification) and db.session.scalar(
        select(func.count()).select_from(Notification).where(Notification.kind == "flag_outcome"))
    people = {u.username: u for u in db.session.scalars(select(User).where(
        User.username.in_(["abin", "youhui_888"])))}
    assert people["abin"].is_banned and people["abin"].suspend_reason
    assert people["youhui_888"].banned_at is not None and people["youhui_888"].ban_reason
    assert db.session.scalar(select(func.count()).select_from(Post)
                             .where(Post.redacted_at.is_not(None))) == 1
    assert "13812345678" not in " ".join(db.session.scalars(
        select(Post.body_source).where(Post.redacted_at.is_not(None))))
def test_demo_has_verification_requests_verified_families_and_settings(demo: Demo) -> None:
    """Issue 4: requests in every state, a unit shared by a family, owners' cases carrying
    their unit, the calendar table and a changed setting with its audit entry."""
    from app.audit.models import AuditEntry
    from app.owners.models import Unit, UnitMembership, VerificationRequest
    from app.sitesettings.models import CalendarDay, SiteSetting

    statuses = {row.status for row in db.session.scalars(select(VerificationRequest))}
    assert statuses == {"pending", "approved", "rejected"}
    assert all(r.reason for r in db.session.scalars(
        select(VerificationRequest).where(VerificationRequest.status == "rejected")))
    shared = db.session.scalar(select(func.count()).select_from(
        select(UnitMembership.unit_id).group_by(UnitMembership.unit_id)
        .having(func.count() > 1).subquery()))
    assert shared >= 1
    owners = _users(User.owner_verified_at.is_not(None))
    assert owners and all(user.role == Role.OWNER.value for user in owners)
    assert _cases(Case.unit_id.is_not(None))
    assert _count(Unit) and _count(CalendarDay) > 50
    assert db.session.get(SiteSetting, "REOPEN_WINDOW_DAYS").value == "45"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "setting.change"))
def test_the_demo_shows_photos_on_complaints_official_replies_and_discussions(
        demo: Demo) -> None:
    from app.photos.models import Photo

    rows = db.session.execute(select(Photo, Post).join(Post, Photo.post_id == Post.id)).all()

    assert 10 <= len(rows) <= 40  # a few, so the demo stays quick to load
    assert any(post.is_official for _, post in rows)
    thread_ids = {post.thread_id for _, post in rows}
    with_case = set(db.session.scalars(select(Case.thread_id).where(
        Case.thread_id.in_(thread_ids))))
    assert with_case and thread_ids - with_case  # complaints and a discussion
    showcase = db.session.scalar(select(User.id).where(User.username == "wang_3dong"))
    assert any(photo.uploader_id == showcase for photo, _ in rows)
