"""What each moderation action changes; every one writes an audit entry in its transaction.

Design:
- Flags target posts; a thread is reported through its opening post.
- Hiding the opening post is hiding the thread (one state, kept on the thread), so a
  thread is never left standing without its first post.
- A hidden thread leaves board lists, feeds, the home page and search; its counters come
  off its board and community. A complaint thread keeps its case: the case stays in every
  statistic and in the archive (with its title withheld); its page shows the case panel.
- Nothing is deleted: hidden text stays for its author (with the reason) and staff.
"""
from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, false, select, update

from .. import text
from ..audit.services import record
from ..auth.models import User
from ..communities.models import Board, Community
from ..core import clock
from ..core.database import commit_or_raise
from ..core.errors import Conflict, Invalid
from ..extensions import db
from ..forum.models import Post, PostRevision, Thread
from ..notifications.models import Kind, Notification
from ..search.models import KIND_POST, SearchDoc
from ..search import index as search_index
from ..security.policy import require
from .models import Flag, Outcome, Reason

SUSPEND_MAX_DAYS = 3650


# --- Flags ------------------------------------------------------------------------

def flag_post(post: Post, reporter: User, *, reason: str, note: str = "") -> Flag:
    """Report a post (the opening post stands for its thread). One open flag per member
    per post: a second report while the first is open is refused."""
    require(reporter, "post.flag", post)
    if reason not in {r.value for r in Reason}:
        raise Invalid(_l("Choose a reason."), field="reason")
    note = (note or "").strip()[:500]
    flag = Flag(post_id=post.id, thread_id=post.thread_id, reporter_id=reporter.id,
                reason=reason, note=note, created_at=clock.now(),
                open_key=f"{reporter.id}:{post.id}")
    db.session.add(flag)
    commit_or_raise(Conflict, _l("You have already reported this. A moderator will look at it."))
    return flag


def has_open_flag(post: Post, reporter: User) -> bool:
    return db.session.scalar(select(Flag.id).where(
        Flag.open_key == f"{reporter.id}:{post.id}")) is not None


def _resolve_flags(post_ids: list[int], actor: User, outcome: Outcome) -> list[Flag]:
    """Close the open flags on these posts and tell each reporter, in this transaction."""
    if not post_ids:
        return []
    flags = list(db.session.scalars(select(Flag).where(Flag.post_id.in_(post_ids),
                                                       Flag.resolved_at.is_(None))))
    now = clock.now()
    told: list[int] = []
    for flag in flags:
        flag.resolved_at, flag.resolved_by_id = now, actor.id
        flag.outcome, flag.open_key = outcome.value, None
        if flag.reporter_id != actor.id:
            db.session.add(Notification(user_id=flag.reporter_id, kind=Kind.FLAG_OUTCOME.value,
                                        thread_id=flag.thread_id, flag=flag, created_at=now))
            told.append(flag.reporter_id)
    for user_id in set(told):
        db.session.execute(update(User).where(User.id == user_id)
                           .values(unread_count=User.unread_count + told.count(user_id)),
                           execution_options={"synchronize_session": False})
    return flags


def dismiss_flags(post: Post, actor: User, *, reason: str = "") -> int:
    """A moderator looked and leaves the post as it is; the reporters are told."""
    require(actor, "mod.flags", post)
    flags = _resolve_flags([post.id], actor, Outcome.DISMISSED)
    if not flags:
        raise Invalid(_l("These reports were already handled."))
    record(actor, "flag.dismiss", "post", post.id, before={"open_flags": len(flags)},
           after={"open_flags": 0}, reason=reason)
    db.session.commit()
    return len(flags)


# --- Hiding -----------------------------------------------------------------------

def _reason_needed(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_l("Give a reason: the author will see it."), field="reason")
    return reason[:500]


def _sync_thread_search(thread: Thread) -> None:
    """Every post of the thread is findable exactly when it and its thread are visible."""
    public = false() if thread.hidden_at is not None else exists().where(
        Post.id == SearchDoc.source_id, Post.deleted_at.is_(None), Post.hidden_at.is_(None))
    db.session.execute(
        update(SearchDoc).where(SearchDoc.kind == KIND_POST, SearchDoc.thread_id == thread.id)
        .values(public=public), execution_options={"synchronize_session": False})


def _latest_visible_thread(board_id: int) -> Thread | None:
    return db.session.scalar(select(Thread).where(Thread.board_id == board_id,
                                                  Thread.hidden_at.is_(None))
                             .order_by(Thread.last_post_at.desc(), Thread.id.desc()).limit(1))


def refresh_board_preview(board: Board) -> None:
    """The board's "latest thread" preview never points at a hidden thread."""
    latest = _latest_visible_thread(board.id)
    board.last_thread_id = latest.id if latest else None
    board.last_post_at = latest.last_post_at if latest else None


def _count_thread(board: Board, step: int) -> None:
    db.session.execute(update(Board).where(Board.id == board.id)
                       .values(thread_count=Board.thread_count + step),
                       execution_options={"synchronize_session": False})
    if board.community_id is not None:
        db.session.execute(update(Community).where(Community.id == board.community_id)
                           .values(thread_count=Community.thread_count + step),
                           execution_options={"synchronize_session": False})


def hide_thread(thread: Thread, actor: User, *, reason: str) -> None:
    """Hide a whole thread: a tombstone for readers, the reason for its author."""
    require(actor, "thread.moderate", thread)
    reason = _reason_needed(reason)
    if thread.is_hidden:
        raise Invalid(_l("This is already hidden."))
    thread.hidden_at, thread.hidden_by_id, thread.hidden_reason = clock.now(), actor.id, reason
    db.session.flush()
    _sync_thread_search(thread)
    _count_thread(thread.board, -1)
    refresh_board_preview(thread.board)
    post_ids = list(db.session.scalars(select(Post.id).where(Post.thread_id == thread.id)))
    _resolve_flags(post_ids, actor, Outcome.HIDDEN)
    record(actor, "thread.hide", "thread", thread.id, before={"hidden": False},
           after={"hidden": True}, reason=reason)
    db.session.commit()


def restore_thread(thread: Thread, actor: User, *, reason: str = "") -> None:
    require(actor, "thread.moderate", thread)
    if not thread.is_hidden:
        raise Invalid(_l("This is not hidden."))
    before = {"hidden": True, "hidden_reason": thread.hidden_reason}
    thread.hidden_at = thread.hidden_by_id = thread.hidden_reason = None
    db.session.flush()
    _sync_thread_search(thread)
    _count_thread(thread.board, +1)
    refresh_board_preview(thread.board)
    record(actor, "thread.restore", "thread", thread.id, before=before,
           after={"hidden": False}, reason=reason)
    db.session.commit()


def hide_post(post: Post, actor: User, *, reason: str) -> None:
    """Hide one post; the opening post hides its thread (the one design, see above)."""
    if post.is_opening:
        hide_thread(post.thread, actor, reason=reason)
        return
    require(actor, "post.hide", post)
    reason = _reason_needed(reason)
    if post.is_hidden:
        raise Invalid(_l("This is already hidden."))
    post.hidden_at, post.hidden_by_id, post.hidden_reason = clock.now(), actor.id, reason
    search_index.set_public(KIND_POST, post.id, False)
    _resolve_flags([post.id], actor, Outcome.HIDDEN)
    record(actor, "post.hide", "post", post.id, before={"hidden": False},
           after={"hidden": True}, reason=reason)
    db.session.commit()


def restore_post(post: Post, actor: User, *, reason: str = "") -> None:
    if post.is_opening and post.thread.is_hidden:
        restore_thread(post.thread, actor, reason=reason)
        return
    require(actor, "post.hide", post)
    if not post.is_hidden:
        raise Invalid(_l("This is not hidden."))
    before = {"hidden": True, "hidden_reason": post.hidden_reason}
    post.hidden_at = post.hidden_by_id = post.hidden_reason = None
    search_index.set_public(KIND_POST, post.id, not post.is_deleted
                            and not post.thread.is_hidden)
    record(actor, "post.restore", "post", post.id, before=before, after={"hidden": False},
           reason=reason)
    db.session.commit()


# --- Lock, pin, move --------------------------------------------------------------

def _set_thread_switch(thread: Thread, actor: User, name: str, on: bool, actions: tuple,
                       reason: str) -> None:
    """Turn a thread's `locked` or `pinned` on or off, audit-logged as actions[on]."""
    require(actor, "thread.moderate", thread)
    if getattr(thread, name) == on:
        return
    setattr(thread, name, on)
    record(actor, actions[on], "thread", thread.id, before={name: not on}, after={name: on},
           reason=reason)
    db.session.commit()


def set_locked(thread: Thread, actor: User, *, on: bool, reason: str = "") -> None:
    _set_thread_switch(thread, actor, "locked", on, ("thread.unlock", "thread.lock"), reason)


def set_pinned(thread: Thread, actor: User, *, on: bool, reason: str = "") -> None:
    _set_thread_switch(thread, actor, "pinned", on, ("thread.unpin", "thread.pin"), reason)


def move_thread(thread: Thread, actor: User, board: Board, *, reason: str = "") -> None:
    """Move a thread to another board: counters of both boards (and communities) and the
    search index follow. A complaint stays in its community (its case belongs there)."""
    require(actor, "thread.moderate", thread)
    old = thread.board
    if board.id == old.id:
        raise Invalid(_l("The thread is already in that board."), field="board_id")
    if board.is_archived:
        raise Invalid(_l("That board is archived."), field="board_id")
    if thread.case is not None and board.community_id != old.community_id:
        raise Invalid(_l("A complaint stays in its community's boards."), field="board_id")
    threads = 0 if thread.is_hidden else 1
    for source, sign in ((old, -1), (board, +1)):
        db.session.execute(update(Board).where(Board.id == source.id).values(
            thread_count=Board.thread_count + sign * threads,
            post_count=Board.post_count + sign * thread.post_count),
            execution_options={"synchronize_session": False})
    if old.community_id != board.community_id:
        for community_id, sign in ((old.community_id, -1), (board.community_id, +1)):
            if community_id is not None:
                db.session.execute(update(Community).where(Community.id == community_id).values(
                    thread_count=Community.thread_count + sign * threads,
                    post_count=Community.post_count + sign * thread.post_count),
                    execution_options={"synchronize_session": False})
    thread.board_id = board.id
    thread.board = board
    db.session.flush()
    db.session.execute(update(SearchDoc).where(SearchDoc.thread_id == thread.id)
                       .values(board_id=board.id, community_id=board.community_id),
                       execution_options={"synchronize_session": False})
    refresh_board_preview(old)
    refresh_board_preview(board)
    record(actor, "thread.move", "thread", thread.id, before={"board": old.slug,
           "board_id": old.id}, after={"board": board.slug, "board_id": board.id},
           reason=reason)
    db.session.commit()


# --- Editing and redacting --------------------------------------------------------

def moderate_text(post: Post, actor: User, *, body: str, title: str | None = None,
                  reason: str, redact: bool) -> None:
    """A moderator edits someone's post, the original kept as a revision.

    `redact`: the change removes personal data. The public sees a mark; the versions
    that held the data (this one and every earlier one) become staff-only, so not even
    the post's history page shows them to the author or anyone else.
    """
    require(actor, "post.mod_edit", post)
    reason = _reason_needed(reason)
    thread = post.thread
    body = body.strip()
    if body == post.body_source.strip() and (title is None or title.strip() == thread.title):
        raise Invalid(_l("Nothing was changed."), field="body")
    db.session.add(PostRevision(
        post_id=post.id, number=post.edit_count + 1,
        title=thread.title if post.is_opening else None,
        body_source=post.body_source, body_html=post.body_html,
        written_at=post.edited_at or post.created_at, editor_id=actor.id,
        staff_only=redact))
    if redact:
        db.session.execute(update(PostRevision).where(PostRevision.post_id == post.id)
                           .values(staff_only=True),
                           execution_options={"synchronize_session": False})
    before = {"edit_count": post.edit_count, "redacted": post.redacted_at is not None}
    post.body_source = body
    post.body_html = text.render(body)
    post.render_version = text.RENDER_VERSION
    now = clock.now()
    post.edited_at = now
    post.edit_count += 1
    if redact:
        post.redacted_at = now
    if title is not None and post.is_opening:
        thread.title = title.strip()
    search_index.put_post(post, thread, thread.board)
    if thread.is_hidden:
        search_index.set_public(KIND_POST, post.id, False)
    _resolve_flags([post.id], actor, Outcome.REDACTED if redact else Outcome.EDITED)
    record(actor, "post.redact" if redact else "post.mod_edit", "post", post.id,
           before=before, after={"edit_count": post.edit_count,
                                 "redacted": post.redacted_at is not None}, reason=reason)
    commit_or_raise(Conflict)


# --- Suspensions and bans ---------------------------------------------------------

def _standing(user: User) -> dict:
    return {"banned": user.banned_at is not None,
            "suspended_until": user.suspended_until.isoformat(timespec="minutes")
            if user.suspended_until else None}


def suspend(user: User, actor: User, *, days: int | None, reason: str) -> None:
    """Suspend for `days` days, or ban (days None) until lifted. The member sees the reason
    on every page and cannot post, reply, flag, file or join meanwhile."""
    require(actor, "user.suspend", user)
    reason = _reason_needed(reason)
    before = _standing(user)
    if days is None:
        user.banned_at, user.ban_reason = clock.now(), reason
        user.suspended_until = user.suspend_reason = None
        action = "user.ban"
    else:
        if not 1 <= days <= SUSPEND_MAX_DAYS:
            raise Invalid(_l("Between 1 and %(n)s days.", n=SUSPEND_MAX_DAYS), field="days")
        user.suspended_until = clock.now() + timedelta(days=days)
        user.suspend_reason = reason
        user.banned_at = user.ban_reason = None
        action = "user.suspend"
    record(actor, action, "user", user.id, before=before,
           after={**_standing(user), "days": days}, reason=reason)
    db.session.commit()


def unsuspend(user: User, actor: User, *, reason: str = "") -> None:
    """Lift a suspension or a ban."""
    require(actor, "user.suspend", user)
    if user.banned_at is None and user.suspended_until is None:
        raise Invalid(_l("This member is not suspended or banned."))
    before = _standing(user)
    action = "user.unban" if user.banned_at is not None else "user.unsuspend"
    user.banned_at = user.ban_reason = None
    user.suspended_until = user.suspend_reason = None
    record(actor, action, "user", user.id, before=before, after=_standing(user),
           reason=reason)
    db.session.commit()


def standing(user: User) -> dict | None:
    """What a member's banner says: banned or suspended until when, and why; None if free."""
    if not getattr(user, "is_authenticated", False) or not user.is_banned:
        return None
    if user.banned_at is not None:
        return {"kind": "banned", "until": None, "reason": user.ban_reason or ""}
    return {"kind": "suspended", "until": user.suspended_until,
            "reason": user.suspend_reason or ""}


def refusal() -> str | None:
    """The 403 message for a suspended or banned member (None: the usual message)."""
    from flask_babel import format_datetime
    from flask_babel import gettext as _
    from flask_login import current_user

    found = standing(current_user)
    if found is None:
        return None
    if found["kind"] == "banned":
        return _("Your account is banned, so it cannot post. Reason: %(reason)s",
                 reason=found["reason"])
    return _("Your account is suspended until %(until)s, so it cannot post until then. "
             "Reason: %(reason)s", until=format_datetime(found["until"], "short"),
             reason=found["reason"])
