"""`flask seed-demo`: the demo site loads whole, with counters that match real counts."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from app.auth.models import User
from app.auth.roles import Role
from app.communities.models import Board, BoardKind, Community
from app.demo.content import DEMO_PASSWORD
from app.demo.loader import load_demo
from app.extensions import db
from app.forum.models import Post, PostRevision, Thread


def _count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _totals() -> tuple[int, ...]:
    return tuple(_count(model) for model in (Community, Board, User, Thread, Post, PostRevision))


@pytest.fixture
def demo(app: Any) -> list[str]:
    """The demo loaded into the test database; the lines it printed."""
    lines: list[str] = []
    load_demo(echo=lines.append)
    db.session.expire_all()
    return lines


def test_demo_fills_communities_people_threads_and_posts(demo: list[str]) -> None:
    roles = set(db.session.scalars(select(User.role)))

    assert _count(Community) >= 5
    assert _count(User) >= 40
    assert {role.value for role in (Role.ADMIN, Role.MODERATOR, Role.STAFF, Role.HANDLER,
                                    Role.OWNER, Role.MEMBER)} <= roles
    assert _count(Thread) >= 250
    assert _count(Post) >= 800
    assert any("admin" in line and DEMO_PASSWORD in line for line in demo)


def test_every_demo_account_logs_in_with_the_demo_password(demo: list[str]) -> None:
    hashes = set(db.session.scalars(select(User.password_hash)))

    assert len(hashes) == 1
    assert check_password_hash(hashes.pop(), DEMO_PASSWORD)


def test_demo_thread_board_community_and_user_counters_match_real_counts(
        demo: list[str]) -> None:
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
        latest = max(own, key=lambda t: (t.last_post_at, t.id))
        assert board.thread_count == len(own)
        assert board.post_count == sum(posts[thread.id] for thread in own)
        assert (board.last_post_at, board.last_thread_id) == (latest.last_post_at, latest.id)
    for community in db.session.scalars(select(Community)):
        own_boards = [board for board in boards if board.community_id == community.id]
        assert community.thread_count == sum(board.thread_count for board in own_boards)
        assert community.post_count == sum(board.post_count for board in own_boards)
    for user in db.session.scalars(select(User)):
        assert user.post_count == user_posts.get(user.id, 0)
        assert user.thread_count == user_threads.get(user.id, 0)


def test_demo_shows_paging_pins_locks_edits_and_deletions(demo: list[str],
                                                          app: Any) -> None:
    longest_board = db.session.scalar(select(func.max(Board.thread_count)))
    longest_thread = db.session.scalar(select(func.max(Thread.post_count)))
    edited = list(db.session.scalars(select(Post).where(Post.edit_count > 0)))

    assert longest_board > 2 * app.config["THREADS_PER_PAGE"]
    assert longest_thread > 3 * app.config["POSTS_PER_PAGE"]
    assert db.session.scalar(select(func.count()).where(Thread.pinned)) >= 1
    assert db.session.scalar(select(func.count()).where(Thread.locked)) >= 1
    assert edited and all(len(post.revisions) == post.edit_count for post in edited)
    assert db.session.scalar(select(func.count()).where(
        Post.deleted_at.is_not(None), Post.deleted_by_id == Post.author_id)) >= 1


def test_only_staff_post_in_demo_announcement_boards(demo: list[str]) -> None:
    roles = set(db.session.scalars(
        select(User.role).join(Post, Post.author_id == User.id)
        .join(Thread, Thread.id == Post.thread_id).join(Board, Board.id == Thread.board_id)
        .where(Board.kind == BoardKind.ANNOUNCEMENTS.value)))

    assert roles <= {Role.STAFF.value, Role.MODERATOR.value, Role.ADMIN.value}


def test_loading_the_demo_again_changes_nothing(demo: list[str]) -> None:
    before = _totals()
    lines: list[str] = []

    load_demo(echo=lines.append)

    assert _totals() == before
    assert len(lines) == 1 and "already loaded" in lines[0]
