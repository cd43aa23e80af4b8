"""How forum lists are fetched; each stays cheap at any size and any page."""
from __future__ import annotations

from sqlalchemy import Integer, Select, bindparam, false, select
from sqlalchemy.orm import joinedload, selectinload

from ..auth.models import User
from ..communities.models import Board, Community
from ..core.pagination import Page, clamp_page
from ..extensions import db
from .models import Post, Thread, Watch

_NEWEST_FIRST = (Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
_OLDEST_FIRST = (Thread.pinned.asc(), Thread.last_post_at.asc(), Thread.id.asc())
# Threads a moderator hid leave lists (the board's thread_count leaves out hidden ones too).
_VISIBLE = Thread.hidden_at.is_(None)


def _with_people(query: Select) -> Select:
    return query.options(joinedload(Thread.author), joinedload(Thread.last_post_user),
                         joinedload(Thread.case))


def board_threads(board: Board, page: int | None, per_page: int) -> Page[Thread]:
    """One page of a board, pinned first then by latest activity.

    The ids are picked from the covering index alone (a deferred join), and a
    page in the back half is counted from the end in reverse order, so the last
    page costs what the first does and no page reads whole rows before it.
    """
    total = board.thread_count
    number = clamp_page(page, total, per_page)
    result: Page[Thread] = Page(number=number, per_page=per_page, total=total)
    offset = result.offset
    if offset >= total / 2 and total > per_page:
        on_page = min(per_page, total - offset)
        query, skip, take = _BOARD_PAGE_FROM_END, total - offset - on_page, on_page
    else:
        query, skip, take = _BOARD_PAGE, offset, per_page
    result.items = list(db.session.scalars(
        query, {"board_id": board.id, "skip": skip, "take": take}).unique())
    return result


def _board_page_query(order: tuple) -> Select:
    ids = (select(Thread.id).where(Thread.board_id == bindparam("board_id"), _VISIBLE)
           .order_by(*order)
           .offset(bindparam("skip", type_=Integer)).limit(bindparam("take", type_=Integer)))
    return _with_people(select(Thread).where(Thread.id.in_(ids.scalar_subquery()))
                        .order_by(*_NEWEST_FIRST))


_BOARD_PAGE = _board_page_query(_NEWEST_FIRST)
_BOARD_PAGE_FROM_END = _board_page_query(_OLDEST_FIRST)


def thread_posts(thread: Thread, page: int | None, per_page: int) -> Page[Post]:
    """One page of a thread by post number: page N is a range lookup, however deep."""
    total = thread.post_count
    number = clamp_page(page, total, per_page)
    result: Page[Post] = Page(number=number, per_page=per_page, total=total)
    first = result.offset + 1
    result.items = list(db.session.scalars(
        _THREAD_POSTS, {"thread_id": thread.id, "first": first, "last": first + per_page - 1}))
    return result


_THREAD_POSTS = (select(Post).where(Post.thread_id == bindparam("thread_id"),
                                    Post.number.between(bindparam("first"), bindparam("last")))
                 .order_by(Post.number).options(joinedload(Post.author)))


def page_of_post(post: Post, per_page: int) -> int:
    """The thread page a post stands on."""
    return (post.number - 1) // per_page + 1


_THREAD_PAGE = (joinedload(Thread.board).joinedload(Board.community), joinedload(Thread.case))


def thread_for_page(thread_id: int) -> Thread | None:
    """A thread with its board, community and case (if any), for the thread page."""
    return db.session.scalar(select(Thread).where(Thread.id == thread_id)
                             .options(*_THREAD_PAGE))


def thread_for_viewer(thread_id: int, viewer_id: int | None) -> tuple[Thread, bool] | None:
    """`thread_for_page` and whether the viewer watches the thread, in the same one query
    (the thread page of a staff member is at the page budget)."""
    watching = (select(Watch.id).where(Watch.thread_id == Thread.id,
                                       Watch.user_id == viewer_id).exists()
                if viewer_id is not None else false())
    row = db.session.execute(select(Thread, watching.label("watching"))
                             .where(Thread.id == thread_id).options(*_THREAD_PAGE)).first()
    return (row[0], bool(row[1])) if row is not None else None


def is_watching(thread: Thread, user_id: int | None) -> bool:
    """Whether this person watches the thread."""
    if user_id is None:
        return False
    return db.session.scalar(select(Watch.id).where(Watch.thread_id == thread.id,
                                                    Watch.user_id == user_id)) is not None


def latest_threads(limit: int = 10) -> list[Thread]:
    """The most recently active threads of the whole site."""
    query = _with_people(select(Thread).where(_VISIBLE)
                         .order_by(Thread.last_post_at.desc(), Thread.id.desc())
                         .limit(limit)).options(
        joinedload(Thread.board).joinedload(Board.community))
    return list(db.session.scalars(query).unique())


def home_communities() -> list[Community]:
    """Every community with its boards (two queries). The home page shows no board's
    latest thread, so none is loaded (80 thread rows a view; issue 7)."""
    query = (select(Community).where(Community.archived_at.is_(None))
             .order_by(Community.position, Community.id)
             .options(selectinload(Community.boards)))
    return list(db.session.scalars(query))


def site_boards() -> list[Board]:
    """Boards that belong to no community."""
    return list(db.session.scalars(
        select(Board).where(Board.community_id.is_(None)).order_by(Board.position, Board.id)))


def community_by_slug(slug: str) -> Community | None:
    """A community with its boards and their latest threads."""
    return db.session.scalar(
        select(Community).where(Community.slug == slug)
        .options(selectinload(Community.boards).joinedload(Board.last_thread)
                 .joinedload(Thread.last_post_user)))


# Built once with bound parameters: making a statement object costs more than running
# this one (issue 7); SQLAlchemy's compiled cache then serves every request.
_SITE_BOARD = (select(Board).where(Board.slug == bindparam("board"),
                                   Board.community_id.is_(None))
               .options(joinedload(Board.community)))
_COMMUNITY_BOARD = (select(Board).join(Community, Board.community_id == Community.id)
                    .where(Board.slug == bindparam("board"),
                           Community.slug == bindparam("community"))
                    .options(joinedload(Board.community)))


def board_by_slugs(community_slug: str | None, board_slug: str) -> Board | None:
    """A board of a community (or a site-wide board when community_slug is None)."""
    if community_slug is None:
        return db.session.scalar(_SITE_BOARD, {"board": board_slug})
    return db.session.scalar(_COMMUNITY_BOARD,
                             {"board": board_slug, "community": community_slug})


def recent_threads_by(user: User, limit: int = 10, *, include_anonymous: bool = False
                      ) -> list[Thread]:
    """A user's latest threads for the profile page; anonymous complaints only when asked."""
    query = select(Thread).where(Thread.author_id == user.id)
    if not include_anonymous:
        query = query.where(_VISIBLE)
        query = query.where(Thread.anonymous.is_(False))
    return list(db.session.scalars(_with_people(
        query.order_by(Thread.id.desc()).limit(limit)
        .options(joinedload(Thread.board).joinedload(Board.community)))).unique())
