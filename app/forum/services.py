"""What each forum action changes: threads, replies, edits, deletions, watches."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select, update

from .. import text
from ..auth.models import User
from ..communities.models import Board, Community
from ..core import clock
from ..core.database import commit_or_raise
from ..core.errors import Conflict
from ..extensions import db
from ..photos import services as photo_services
from ..search import index as search_index
from ..security.policy import require
from .models import Post, PostRevision, Thread, Watch


def _new_post(thread_id: int, number: int, author: User, body: str) -> Post:
    return Post(thread_id=thread_id, number=number, author_id=author.id, body_source=body,
                body_html=text.render(body), render_version=text.RENDER_VERSION,
                created_at=clock.now())


def _count_post(board: Board, thread_id: int, author: User, *, new_thread: bool) -> None:
    """Bump the counters a new post changes, as atomic UPDATEs (no read-modify-write)."""
    now = clock.now()
    grow = 1 if new_thread else 0
    db.session.execute(
        update(Board).where(Board.id == board.id).values(
            post_count=Board.post_count + 1, thread_count=Board.thread_count + grow,
            last_post_at=now, last_thread_id=thread_id),
        execution_options={"synchronize_session": False})
    if board.community_id is not None:
        db.session.execute(
            update(Community).where(Community.id == board.community_id).values(
                post_count=Community.post_count + 1,
                thread_count=Community.thread_count + grow),
            execution_options={"synchronize_session": False})
    db.session.execute(
        update(User).where(User.id == author.id).values(
            post_count=User.post_count + 1, thread_count=User.thread_count + grow),
        execution_options={"synchronize_session": False})


def open_thread(board: Board, author: User, *, title: str, body: str,
                anonymous: bool = False, photo_ids: Sequence[int] = (),
                photo_uploader: User | None = None) -> Thread:
    """Write a thread, its opening post and the counters, without committing.

    For services that open a thread as part of a larger unit of work (filing a
    complaint); permission checks are the caller's.
    """
    now = clock.now()
    thread = Thread(board_id=board.id, author_id=author.id, title=title.strip(),
                    created_at=now, last_post_at=now, last_post_user_id=author.id,
                    post_count=1, anonymous=anonymous)
    db.session.add(thread)
    db.session.flush()
    post = _new_post(thread.id, 1, author, body)
    db.session.add(post)
    db.session.flush()
    # Staff filing for an owner attach the photos they uploaded themselves.
    photo_services.attach(post, photo_uploader or author, photo_ids)
    search_index.put_post(post, thread, board)  # findable the moment the commit lands
    _count_post(board, thread.id, author, new_thread=True)
    return thread


def create_thread(board: Board, author: User, *, title: str, body: str,
                  photo_ids: Sequence[int] = ()) -> Thread:
    """Open a thread: the thread row, its opening post and the counters, in one transaction."""
    require(author, "board.post", board)
    thread = open_thread(board, author, title=title, body=body, photo_ids=photo_ids)
    commit_or_raise()
    return thread


def add_reply(thread: Thread, author: User, *, body: str, official: bool = False,
              photo_ids: Sequence[int] = ()) -> Post:
    """Write a reply and bump the counters, without committing (permission is the caller's)."""
    now = clock.now()
    number = db.session.execute(
        update(Thread).where(Thread.id == thread.id)
        .values(post_count=Thread.post_count + 1, last_post_at=now,
                last_post_user_id=author.id)
        .returning(Thread.post_count),
        execution_options={"synchronize_session": False},
    ).scalar_one()
    post = _new_post(thread.id, number, author, body)
    post.is_official = official
    db.session.add(post)
    db.session.flush()
    photo_services.attach(post, author, photo_ids)
    search_index.put_post(post, thread, thread.board)
    _count_post(thread.board, thread.id, author, new_thread=False)
    return post


def reply(thread: Thread, author: User, *, body: str, official: bool = False,
          photo_ids: Sequence[int] = ()) -> Post:
    """Add a post to a thread; its number comes from an atomic bump of the thread's count."""
    require(author, "thread.reply", thread)
    if official:
        require(author, "post.official", thread)
    post = add_reply(thread, author, body=body, official=official, photo_ids=photo_ids)
    commit_or_raise()
    return post


def edit_post(post: Post, editor: User, *, body: str, title: str | None = None) -> None:
    """Replace a post's text, keeping the previous version whole; the opening post may retitle."""
    require(editor, "post.edit", post)
    thread = post.thread
    db.session.add(PostRevision(
        post_id=post.id, number=post.edit_count + 1,
        title=thread.title if post.is_opening else None,
        body_source=post.body_source, body_html=post.body_html,
        written_at=post.edited_at or post.created_at, editor_id=editor.id))
    post.body_source = body
    post.body_html = text.render(body)
    post.render_version = text.RENDER_VERSION
    post.edited_at = clock.now()
    post.edit_count += 1
    if title is not None and post.is_opening:
        thread.title = title.strip()
    search_index.put_post(post, thread, thread.board)
    # Two edits from the same starting version collide on (post_id, number): one wins.
    commit_or_raise(Conflict)


def delete_post(post: Post, actor: User) -> None:
    """Withdraw one's own post: readers see a tombstone; the text stays for staff."""
    require(actor, "post.delete", post)
    post.deleted_at = clock.now()
    post.deleted_by_id = actor.id
    search_index.set_public(search_index.KIND_POST, post.id, False)
    db.session.commit()


def set_watch(thread: Thread, user: User, *, on: bool) -> None:
    """Start or stop watching a thread (watchers are told when its complaint moves).

    Idempotent: asking for the state one is already in changes nothing.
    """
    require(user, "thread.watch", thread)
    mine = (Watch.thread_id == thread.id, Watch.user_id == user.id)
    if not on:
        db.session.execute(delete(Watch).where(*mine))
    elif db.session.scalar(select(Watch.id).where(*mine)) is None:
        db.session.add(Watch(thread_id=thread.id, user_id=user.id, created_at=clock.now()))
    try:
        commit_or_raise()
    except Conflict:
        pass  # two clicks at once: the unique (user, thread) key kept exactly one watch
