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


def can(user: Any, rule_name: str, target: Any = None, **context: Any) -> bool:
    """Whether `user` may do the action `rule_name` (e.g. "thread.reply") on `target`."""
    return _rules[rule_name](user, target, **context)


def require(user: Any, rule_name: str, target: Any = None, **context: Any) -> None:
    """Raise NotAllowed unless `user` may do the action `rule_name` on `target`."""
    if not can(user, rule_name, target, **context):
        raise NotAllowed(rule_name)


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
    if thread.locked or thread.board.is_archived or thread.is_hidden:
        return user.has_role(Role.MODERATOR)
    return True


@rule("thread.watch")
def _thread_watch(user: Any, thread: Any, **_: Any) -> bool:
    """Members may watch any thread they can read (all are public); being told harms no one."""
    return bool(user.is_member)


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


@rule("thread.see_author")
def _thread_see_author(user: Any, thread: Any, **_: Any) -> bool:
    """Who may see the real author of an anonymous complaint: the author and staff."""
    return user.has_role(Role.HANDLER) or (bool(user.is_member) and user.id == thread.author_id)


@rule("post.official")
def _post_official(user: Any, thread: Any, **_: Any) -> bool:
    return user.has_role(Role.HANDLER) and not user.is_banned


# --- Complaints -------------------------------------------------------------------

def _works_case(user: Any, case: Any) -> bool:
    """Customer-relations staff work every case; a handler, their department's."""
    if user.is_banned:
        return False
    if user.has_role(Role.STAFF):
        return True
    return user.has_role(Role.HANDLER) and case is not None and \
        case.department_id is not None and case.department_id == user.department_id


@rule("case.file")
def _case_file(user: Any, community: Any, **_: Any) -> bool:
    return _active_member(user)


@rule("case.file_for_owner")
def _case_file_for_owner(user: Any, community: Any, **_: Any) -> bool:
    return user.has_role(Role.STAFF) and not user.is_banned


@rule("case.convert")
def _case_convert(user: Any, thread: Any, **_: Any) -> bool:
    """Staff turn an owner's discussion into a case filed by that owner.

    A thread written by staff (rules, announcements, a pinned notice) has no complaining
    owner: the filer of a case must be a member, so such threads cannot be converted.
    """
    author = thread.author
    return (user.has_role(Role.STAFF) and not user.is_banned and thread.case is None
            and author is not None and not author.is_staff)


@rule("case.act")
def _case_act(user: Any, case: Any, action: Any = None, **_: Any) -> bool:
    """Staff steps of the lifecycle (assign, plan, dispatch, resolve, decline)."""
    return _works_case(user, case)


@rule("case.answer")
def _case_answer(user: Any, case: Any, **_: Any) -> bool:
    return _works_case(user, case)


@rule("case.note")
def _case_note(user: Any, case: Any, **_: Any) -> bool:
    return _works_case(user, case) or (user.has_role(Role.HANDLER) and not user.is_banned)


@rule("case.view_internal")
def _case_view_internal(user: Any, case: Any, **_: Any) -> bool:
    # Internal notes, private owner details, work-order internals: staff roles only.
    return user.has_role(Role.HANDLER)


@rule("case.owner_step")
def _case_owner_step(user: Any, case: Any, **_: Any) -> bool:
    """Confirm, reject or reopen: the owner who filed, while in good standing.

    A case staff filed for an owner without an account (a phone call) is
    answered by staff on the owner's word.
    """
    if case.filer_id is None:
        return _works_case(user, case)
    return _active_member(user) and case.filer_id == user.id


@rule("case.join")
def _case_join(user: Any, case: Any, **_: Any) -> bool:
    """An affected member joins ("me too"); staff act on cases and are never counted as owners."""
    return _active_member(user) and not user.is_staff and case.is_open and \
        case.filer_id != user.id


@rule("case.merge")
def _case_merge(user: Any, case: Any, **_: Any) -> bool:
    return user.has_role(Role.STAFF) and not user.is_banned and case.is_open


@rule("case.see_filer")
def _case_see_filer(user: Any, case: Any, **_: Any) -> bool:
    """Whether the filer of an anonymous case may be shown to this reader."""
    return user.has_role(Role.HANDLER) or (user.is_member and case.filer_id == user.id)


@rule("search.internal")
def _search_internal(user: Any, target: Any = None, **_: Any) -> bool:
    """Staff search also finds internal notes and hidden posts."""
    return user.has_role(Role.HANDLER) and not user.is_banned


@rule("case.mark_defect")
def _case_mark_defect(user: Any, case: Any, **_: Any) -> bool:
    """Mark a case as a product defect (or take the mark back): those who work the case."""
    return _works_case(user, case)


@rule("defect.report")
def _defect_report(user: Any, target: Any = None, **_: Any) -> bool:
    """The defect report and its CSV: staff of every department (design, engineering...)."""
    return user.has_role(Role.HANDLER) and not user.is_banned


# --- background jobs (issue 8) ---

@rule("jobs.manage")
def _jobs_manage(user: Any, target: Any = None, **_: Any) -> bool:
    """See failed background jobs and send them again: admins only."""
    return user.has_role(Role.ADMIN) and not user.is_banned
# --- Moderation (issue 4) ---------------------------------------------------------

def _moderates(user: Any) -> bool:
    return user.has_role(Role.MODERATOR) and not user.is_banned


@rule("post.flag")
def _post_flag(user: Any, post: Any, **_: Any) -> bool:
    """Members report what others wrote, while in good standing and while it is visible."""
    return (_active_member(user) and post.author_id != user.id and not post.is_deleted
            and not post.is_hidden and not post.thread.is_hidden)


@rule("mod.flags")
def _mod_flags(user: Any, target: Any = None, **_: Any) -> bool:
    """The flags queue and moderation tools: moderators and admins."""
    return _moderates(user)


@rule("post.hide")
def _post_hide(user: Any, post: Any, **_: Any) -> bool:
    return _moderates(user) and not post.is_deleted


@rule("post.mod_edit")
def _post_mod_edit(user: Any, post: Any, **_: Any) -> bool:
    """Edit (original kept) or redact someone's post: moderators."""
    return _moderates(user) and not post.is_deleted


@rule("post.view_hidden")
def _post_view_hidden(user: Any, post: Any, **_: Any) -> bool:
    """Who reads a hidden post (or a hidden thread's posts): staff, and the author with the
    moderator's reason."""
    return user.has_role(Role.STAFF) or (bool(user.is_member) and post.author_id == user.id)


@rule("thread.view_hidden")
def _thread_view_hidden(user: Any, thread: Any, **_: Any) -> bool:
    return user.has_role(Role.STAFF) or (bool(user.is_member) and thread.author_id == user.id)


@rule("revision.view_redacted")
def _revision_view_redacted(user: Any, post: Any, **_: Any) -> bool:
    """Versions holding personal data a moderator redacted: staff only, not even the author."""
    return user.has_role(Role.STAFF)


@rule("thread.moderate")
def _thread_moderate(user: Any, thread: Any, **_: Any) -> bool:
    """Hide, restore, lock, pin and move a thread: moderators."""
    return _moderates(user)


@rule("user.suspend")
def _user_suspend(user: Any, other: Any, **_: Any) -> bool:
    """Suspend, ban or lift either: moderators and admins, never themselves; only an admin
    acts on another moderator or an admin."""
    if not _moderates(user) or other is None or other.id == user.id:
        return False
    return user.has_role(Role.ADMIN) or not other.has_role(Role.MODERATOR)
# --- Owner verification and administration (issue 4) ------------------------------

@rule("verification.request")
def _verification_request(user: Any, target: Any = None, **_: Any) -> bool:
    """Any member in good standing may ask to be verified as an owner (of more units, too)."""
    return _active_member(user)


@rule("verification.review")
def _verification_review(user: Any, request: Any = None, **_: Any) -> bool:
    """Customer-relations staff and above decide requests (not department handlers); no one
    decides their own."""
    if not user.has_role(Role.STAFF) or user.is_banned:
        return False
    return request is None or request.user_id != user.id


def _admin(user: Any) -> bool:
    return user.has_role(Role.ADMIN) and not user.is_banned


@rule("admin.access")
def _admin_access(user: Any, target: Any = None, **_: Any) -> bool:
    return _admin(user)


@rule("admin.places")
def _admin_places(user: Any, target: Any = None, **_: Any) -> bool:
    """Create, rename, order and archive communities and boards."""
    return _admin(user)


@rule("admin.categories")
def _admin_categories(user: Any, target: Any = None, **_: Any) -> bool:
    return _admin(user)


@rule("admin.calendar")
def _admin_calendar(user: Any, target: Any = None, **_: Any) -> bool:
    return _admin(user)


@rule("admin.departments")
def _admin_departments(user: Any, target: Any = None, **_: Any) -> bool:
    return _admin(user)


@rule("admin.users")
def _admin_users(user: Any, target: Any = None, **_: Any) -> bool:
    """Search accounts and see their private details."""
    return _admin(user)


@rule("admin.set_role")
def _admin_set_role(user: Any, target: Any = None, role: Any = None, **_: Any) -> bool:
    """Change a role; the last-admin guard is a rule of the data (admin/services.py)."""
    return _admin(user) and target is not None


@rule("admin.reset_link")
def _admin_reset_link(user: Any, target: Any = None, **_: Any) -> bool:
    """A one-time password link for someone else (an admin changes their own in settings)."""
    return _admin(user) and target is not None and target.id != user.id


@rule("admin.settings")
def _admin_settings(user: Any, target: Any = None, **_: Any) -> bool:
    return _admin(user)


# --- Photos (issue 9) ---------------------------------------------------------------

def post_visible(user: Any, post: Any) -> bool:
    """Whether `user` may see this post at all: the one place photos ask (and the place to
    hide). Deleted posts only for staff; a post a moderator hid, or one in a hidden thread,
    only for those who read hidden posts (staff, and its author with the reason)."""
    if post.is_deleted:
        return can(user, "post.view_deleted", post)
    if post.is_hidden or post.thread.is_hidden:
        return can(user, "post.view_hidden", post)
    return True


@rule("photo.upload")
def _photo_upload(user: Any, target: Any = None, **_: Any) -> bool:
    return _active_member(user)


@rule("photo.view")
def _photo_view(user: Any, photo: Any, **_: Any) -> bool:
    """A photo is seen by whoever may see its post; a pending one by its uploader only; a
    hidden one by moderators only (to review it)."""
    if photo.is_hidden:
        return user.has_role(Role.MODERATOR) and not user.is_banned
    if photo.post_id is None:
        return bool(user.is_member) and user.id == photo.uploader_id
    return post_visible(user, photo.post)


@rule("photo.hide")
def _photo_hide(user: Any, photo: Any, **_: Any) -> bool:
    return user.has_role(Role.MODERATOR) and not user.is_banned and not photo.is_hidden \
        and photo.post_id is not None


@rule("photo.unhide")
def _photo_unhide(user: Any, photo: Any, **_: Any) -> bool:
    return user.has_role(Role.MODERATOR) and not user.is_banned and photo.is_hidden
