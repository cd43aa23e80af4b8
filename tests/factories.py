"""Test data with valid defaults; every keyword can be overridden."""
from __future__ import annotations

import itertools
from typing import Any

from app.auth import services as auth_services
from app.auth.roles import Role
from app.communities.models import Board, BoardKind, Category, Community, Department
from app.complaints import services as complaint_services
from app.complaints.models import Case
from app.extensions import db
from app.forum import services as forum_services
from app.forum.models import Post, Thread

PASSWORD = "correct-horse-42"
_seq = itertools.count(1)


def make_user(role: Role | str = Role.MEMBER, **overrides: Any) -> Any:
    """An account that can log in with PASSWORD."""
    n = next(_seq)
    username = overrides.pop("username", f"user{n}")
    user = auth_services.create_account(
        username, overrides.pop("email", f"{username}@example.com"),
        overrides.pop("password", PASSWORD),
        display_name=overrides.pop("display_name", f"业主{n}"), role=Role(role))
    for key, value in overrides.items():
        setattr(user, key, value)
    db.session.commit()
    return user


def make_community(**overrides: Any) -> Community:
    """A community with no boards."""
    n = next(_seq)
    community = Community(slug=overrides.pop("slug", f"garden-{n}"),
                          name=overrides.pop("name", f"花园{n}期"), **overrides)
    db.session.add(community)
    db.session.commit()
    return community


def make_board(community: Community | None = None, kind: BoardKind = BoardKind.DISCUSSION,
               **overrides: Any) -> Board:
    """A board, in a new community unless one is given (pass site_wide=True for none)."""
    site_wide = overrides.pop("site_wide", False)
    if community is None and not site_wide:
        community = make_community()
    n = next(_seq)
    board = Board(community_id=None if site_wide else community.id,
                  slug=overrides.pop("slug", f"board-{n}"),
                  name=overrides.pop("name", f"业主交流{n}"), kind=kind.value, **overrides)
    db.session.add(board)
    db.session.commit()
    return board


def make_thread(board: Board | None = None, author: Any = None, *, replies: int = 0,
                title: str | None = None, body: str = "楼上卫生间漏水了，物业什么时候来看？",
                **overrides: Any) -> Thread:
    """A thread through the real service, with `replies` replies by its author."""
    board = board or make_board()
    author = author or make_user()
    thread = forum_services.create_thread(board, author, title=title or f"话题{next(_seq)}",
                                          body=body)
    for i in range(replies):
        forum_services.reply(thread, author, body=f"第{i + 1}条回复")
    for key, value in overrides.items():
        setattr(thread, key, value)
    db.session.commit()
    return thread


def first_post(thread: Thread) -> Post:
    """The opening post of a thread."""
    return db.session.scalars(db.select(Post).where(Post.thread_id == thread.id,
                                                    Post.number == 1)).one()


def make_department(slug: str | None = None, name: str | None = None) -> Any:
    """A department."""
    n = next(_seq)
    department = Department(slug=slug or f"dept-{n}", name=name or f"工程部{n}")
    db.session.add(department)
    db.session.commit()
    return department


def make_category(department: Any = None, *, limits: tuple = (24, 72, 240),
                  working: bool = False, **overrides: Any) -> Category:
    """An item category under a new profession, routed to `department` (a new one if None)."""
    n = next(_seq)
    department = department or make_department()
    profession = Category(slug=f"prof-{n}", name=f"工程质量{n}", department_id=department.id,
                          first_response_hours=limits[0], plan_hours=limits[1],
                          resolve_hours=limits[2], working_hours=working)
    db.session.add(profession)
    db.session.flush()
    item = Category(parent_id=profession.id, slug=overrides.pop("slug", f"item-{n}"),
                    name=overrides.pop("name", "防水渗漏"),
                    standard_source="保修期5年", standard_html="<p>保修期5年</p>", **overrides)
    db.session.add(item)
    db.session.commit()
    return item


def make_case(filer: Any = None, *, community: Community | None = None,
              category: Category | None = None, anonymous: bool = False,
              title: str = "卫生间天花板漏水", body: str = "楼上卫生间漏水一周了，天花板发黄。",
              **filing: Any) -> Case:
    """A complaint filed through the real service (status received)."""
    filer = filer or make_user(Role.OWNER)
    if community is None:
        board = make_board(kind=BoardKind.COMPLAINTS, slug="complaints")
        community = board.community
    elif not any(b.kind == BoardKind.COMPLAINTS for b in community.boards):
        make_board(community, kind=BoardKind.COMPLAINTS)
    category = category or make_category()
    return complaint_services.file_complaint(community, filer, complaint_services.Filing(
        title=title, body=body, category_id=category.id, anonymous=anonymous,
        wanted_outcome=filing.pop("wanted_outcome", "尽快修好"), **filing))
