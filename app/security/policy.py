"""Every permission rule of the site, each defined once.

Services call `require`; templates ask `can(...)`; listings use the same rules.
Action names are `noun.verb`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..auth.roles import Role
from ..communities.models import BoardKind
from ..core.errors import NotAllowed

Rule = Callable[..., bool]
_rules: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    """Register the check for one action; a second definition is a bug."""

    def register(check: Rule) -> Rule:
        if name in _rules:
            raise ValueError(f"rule {name!r} is defined twice")
        _rules[name] = check
        return check

    return register


def can(user: Any, action: str, target: Any = None, **context: Any) -> bool:
    """Whether `user` may do `action` on `target`."""
    return _rules[action](user, target, **context)


def require(user: Any, action: str, target: Any = None, **context: Any) -> None:
    """Raise NotAllowed unless `user` may do `action` on `target`."""
    if not can(user, action, target, **context):
        raise NotAllowed(action)


def actions() -> frozenset[str]:
    """Every defined action name (tests walk the table)."""
    return frozenset(_rules)


def _active_member(user: Any) -> bool:
    return bool(user.is_member) and not user.is_banned


@rule("board.post")
def _board_post(user: Any, board: Any, **_: Any) -> bool:
    if not _active_member(user) or board.is_archived:
        return False
    if board.kind == BoardKind.ANNOUNCEMENTS:
        return user.has_role(Role.STAFF)
    return True


@rule("thread.reply")
def _thread_reply(user: Any, thread: Any, **_: Any) -> bool:
    if not _active_member(user):
        return False
    if thread.locked or thread.board.is_archived:
        return user.has_role(Role.MODERATOR)
    return True


@rule("post.edit")
def _post_edit(user: Any, post: Any, **_: Any) -> bool:
    if post.is_deleted:
        return False
    if user.has_role(Role.MODERATOR):
        return True
    return _active_member(user) and post.author_id == user.id and not post.thread.locked


@rule("post.delete")
def _post_delete(user: Any, post: Any, **_: Any) -> bool:
    # Authors remove their own words (a tombstone stays); moderators hide instead (issue 4).
    return not post.is_deleted and _active_member(user) and post.author_id == user.id


@rule("post.view_history")
def _post_history(user: Any, post: Any, **_: Any) -> bool:
    # Earlier versions may hold what the author chose to remove (a phone number):
    # only the author and staff see them.
    return bool(user.is_member) and (post.author_id == user.id or user.has_role(Role.STAFF))


@rule("post.view_deleted")
def _post_view_deleted(user: Any, post: Any, **_: Any) -> bool:
    return user.has_role(Role.STAFF)


@rule("user.view_private")
def _user_private(user: Any, other: Any, **_: Any) -> bool:
    return bool(user.is_member) and (user.id == other.id or user.has_role(Role.STAFF))
