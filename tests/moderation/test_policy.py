"""The moderation rules per role: who may report, moderate, read hidden text, suspend."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.auth.models import AnonymousUser
from app.auth.roles import Role
from app.core import clock
from app.security.policy import can
from tests.factories import first_post, make_thread, make_user

ROLES = ["visitor", "member", "owner", "handler", "staff", "moderator", "admin"]


def _persona(role: str):
    return AnonymousUser() if role == "visitor" else make_user(Role(role))


@pytest.mark.parametrize("role,flag,moderate,reads_hidden,sees_redacted", [
    ("visitor", False, False, False, False),
    ("member", True, False, False, False),
    ("owner", True, False, False, False),
    ("handler", True, False, False, False),
    ("staff", True, False, True, True),
    ("moderator", True, True, True, True),
    ("admin", True, True, True, True),
])
def test_each_role_gets_exactly_its_moderation_rights(app, role, flag, moderate, reads_hidden,
                                                      sees_redacted) -> None:
    thread = make_thread(replies=1)
    post = first_post(thread)
    user = _persona(role)

    assert can(user, "post.flag", post) is flag
    assert can(user, "mod.flags") is moderate
    assert can(user, "post.hide", post) is moderate
    assert can(user, "post.mod_edit", post) is moderate
    assert can(user, "thread.moderate", thread) is moderate
    assert can(user, "post.view_hidden", post) is reads_hidden
    assert can(user, "thread.view_hidden", thread) is reads_hidden
    assert can(user, "revision.view_redacted", post) is sees_redacted


def test_the_author_reads_their_hidden_post_but_not_redacted_originals(app) -> None:
    thread = make_thread()
    post = first_post(thread)
    author = thread.author

    assert can(author, "post.view_hidden", post) and can(author, "thread.view_hidden", thread)
    assert not can(author, "revision.view_redacted", post)
    assert not can(author, "post.flag", post)  # nobody reports their own words


@pytest.mark.parametrize("actor,target,allowed", [
    ("moderator", "member", True), ("moderator", "owner", True), ("moderator", "staff", True),
    ("moderator", "moderator", False), ("moderator", "admin", False),
    ("admin", "moderator", True), ("admin", "member", True),
    ("staff", "member", False), ("handler", "member", False), ("member", "member", False),
    ("visitor", "member", False),
])
def test_who_may_suspend_whom(app, actor, target, allowed) -> None:
    assert can(_persona(actor), "user.suspend", _persona(target)) is allowed


def test_nobody_suspends_themselves(app) -> None:
    admin = make_user(Role.ADMIN)
    assert not can(admin, "user.suspend", admin)


def test_a_suspended_member_is_treated_as_banned_until_the_time_passes(app,
                                                                       monkeypatch) -> None:
    thread = make_thread()
    member = make_user(Role.OWNER)
    member.suspended_until = clock.now() + timedelta(days=3)

    assert member.is_banned
    for rule, target in (("thread.reply", thread), ("board.post", thread.board),
                         ("post.flag", first_post(thread)), ("case.file", None)):
        assert not can(member, rule, target), rule

    later = clock.now() + timedelta(days=3, minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert not member.is_banned
    assert can(member, "thread.reply", thread) and can(member, "post.flag", first_post(thread))


def test_a_suspended_moderator_moderates_nothing(app) -> None:
    moderator = make_user(Role.MODERATOR)
    moderator.suspended_until = clock.now() + timedelta(days=1)
    thread = make_thread()

    assert not can(moderator, "thread.moderate", thread)
    assert not can(moderator, "mod.flags")


def test_hidden_or_deleted_posts_cannot_be_reported(app) -> None:
    thread = make_thread(replies=1)
    post = first_post(thread)
    member = make_user()
    thread.hidden_at = clock.now()

    assert not can(member, "post.flag", post)
    assert not can(member, "thread.reply", thread)  # a hidden thread takes no replies
