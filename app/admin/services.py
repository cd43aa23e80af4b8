"""What each administration action changes. Every one: the policy rule, every check
before any write (a refused change writes nothing), an audit entry, one commit."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import text
from ..audit.services import record
from ..auth import services as auth_services
from ..auth.models import User
from ..auth.roles import Role
from ..communities.models import Board, BoardKind, Category, Community, Department
from ..core import clock
from ..core.database import commit_or_raise
from ..core.errors import Invalid, NotAllowed
from ..extensions import db
from ..security.policy import require

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def _slug(value: str) -> str:
    slug = (value or "").strip().lower()
    if not SLUG.match(slug):
        raise Invalid(_l("Use 1–40 lower-case letters, digits and -, starting with a letter or "
                         "digit."), field="slug")
    return slug


def _name(value: str, field: str = "name", high: int = 80) -> str:
    name = (value or "").strip()
    if not 1 <= len(name) <= high:
        raise Invalid(_l("Give a name of 1 to %(n)s characters.", n=high), field=field)
    return name


def _position(value: Any) -> int:
    if value is None or isinstance(value, bool) or not isinstance(value, int) or \
            not 0 <= value <= 9999:
        raise Invalid(_l("Give a position from 0 to 9999."), field="position")
    return value


def _changes(obj: Any, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    before = {k: getattr(obj, k) for k, v in values.items() if getattr(obj, k) != v}
    after = {k: values[k] for k in before}
    return before, after


def _apply(obj: Any, values: dict[str, Any]) -> None:
    for key, value in values.items():
        setattr(obj, key, value)


# --- Communities and boards ----------------------------------------------------------

@dataclass
class CommunityInput:
    slug: str = ""
    name: str = ""
    city: str = ""
    description: str = ""
    position: int | None = 0


def create_community(admin: User, data: CommunityInput) -> Community:
    require(admin, "admin.places")
    slug = _slug(data.slug)
    values = dict(name=_name(data.name), city=(data.city or "").strip()[:40],
                  description=(data.description or "").strip(),
                  position=_position(data.position))
    if db.session.scalar(select(Community.id).where(Community.slug == slug)) is not None:
        raise Invalid(_l("A community with this address exists already."), field="slug")
    community = Community(slug=slug, **values)
    db.session.add(community)
    db.session.flush()
    record(admin, "community.create", "community", community.id, after={"slug": slug, **values})
    commit_or_raise(Invalid, _l("A community with this address exists already."))
    return community


def update_community(admin: User, community: Community, data: CommunityInput, *,
                     reason: str = "") -> Community:
    require(admin, "admin.places", community)
    values = dict(name=_name(data.name), city=(data.city or "").strip()[:40],
                  description=(data.description or "").strip(),
                  position=_position(data.position))
    before, after = _changes(community, values)
    if after:
        _apply(community, values)
        record(admin, "community.update", "community", community.id, before=before,
               after=after, reason=reason)
    db.session.commit()
    return community


def set_community_archived(admin: User, community: Community, archived: bool, *,
                           reason: str = "") -> None:
    """Archive a community (off the home page, its boards read-only) or bring it back."""
    require(admin, "admin.places", community)
    if (community.archived_at is not None) == archived:
        return
    now = clock.now() if archived else None
    community.archived_at = now
    for board in community.boards:
        board.archived_at = now
    record(admin, "community.archive" if archived else "community.restore", "community",
           community.id, before={"archived": not archived}, after={"archived": archived},
           reason=reason)
    db.session.commit()


@dataclass
class BoardInput:
    slug: str = ""
    name: str = ""
    description: str = ""
    kind: str = BoardKind.DISCUSSION.value
    position: int | None = 0


def _board_values(data: BoardInput) -> dict[str, Any]:
    if data.kind not in {k.value for k in BoardKind}:
        raise Invalid(_l("Choose a kind of board from the list."), field="kind")
    return dict(name=_name(data.name), description=(data.description or "").strip(),
                kind=data.kind, position=_position(data.position))


def create_board(admin: User, community: Community | None, data: BoardInput) -> Board:
    """A board of a community, or a site-wide board when `community` is None."""
    require(admin, "admin.places", community)
    slug = _slug(data.slug)
    values = _board_values(data)
    clash = select(Board.id).where(Board.slug == slug)
    clash = clash.where(Board.community_id == community.id) if community else \
        clash.where(Board.community_id.is_(None))
    if db.session.scalar(clash) is not None:
        raise Invalid(_l("A board with this address exists already here."), field="slug")
    board = Board(community_id=community.id if community else None, slug=slug, **values)
    db.session.add(board)
    db.session.flush()
    record(admin, "board.create", "board", board.id,
           after={"slug": slug, "community_id": board.community_id, **values})
    commit_or_raise(Invalid, _l("A board with this address exists already here."))
    return board


def update_board(admin: User, board: Board, data: BoardInput, *, reason: str = "") -> Board:
    require(admin, "admin.places", board)
    values = _board_values(data)
    before, after = _changes(board, values)
    if after:
        _apply(board, values)
        record(admin, "board.update", "board", board.id, before=before, after=after,
               reason=reason)
    db.session.commit()
    return board


def set_board_archived(admin: User, board: Board, archived: bool, *, reason: str = "") -> None:
    """Archive a board (read-only, kept) or open it again."""
    require(admin, "admin.places", board)
    if board.is_archived == archived:
        return
    if not archived and board.community is not None and board.community.archived_at:
        raise Invalid(_l("Restore its community first."))
    board.archived_at = clock.now() if archived else None
    record(admin, "board.archive" if archived else "board.restore", "board", board.id,
           before={"archived": not archived}, after={"archived": archived}, reason=reason)
    db.session.commit()


# --- Categories -------------------------------------------------------------------------

@dataclass
class CategoryInput:
    slug: str = ""
    name: str = ""
    position: int | None = 0
    department_id: int | None = None
    standard: str = ""
    first_response_hours: float | None = None
    plan_hours: float | None = None
    resolve_hours: float | None = None
    working_hours: bool | None = None


_LIMITS = ("first_response_hours", "plan_hours", "resolve_hours")


def _category_values(data: CategoryInput, *, profession: bool) -> dict[str, Any]:
    """Checked values. A profession needs its department and limits; an item may leave
    them empty to take its profession's."""
    values: dict[str, Any] = dict(name=_name(data.name), position=_position(data.position))
    department = db.session.get(Department, data.department_id) if data.department_id else None
    if data.department_id and department is None:
        raise Invalid(_l("Choose a department from the list."), field="department_id")
    if profession and department is None:
        raise Invalid(_l("A profession routes its cases to a department: choose one."),
                      field="department_id")
    values["department_id"] = department.id if department else None
    for name in _LIMITS:
        hours = getattr(data, name)
        if hours is None:
            if profession:
                raise Invalid(_l("Give the time limit in hours."), field=name)
        elif not 0.5 <= hours <= 8760:
            raise Invalid(_l("Give a time limit from 0.5 to 8760 hours."), field=name)
        values[name] = float(hours) if hours is not None else None
    if values["first_response_hours"] and values["plan_hours"] and values["resolve_hours"] and \
            not values["first_response_hours"] <= values["plan_hours"] <= values["resolve_hours"]:
        raise Invalid(_l("The limits must grow: first response, then plan, then resolution."),
                      field="plan_hours")
    values["working_hours"] = bool(data.working_hours) if (profession or
                                                         data.working_hours is not None) else None
    standard = (data.standard or "").strip()
    if len(standard) > 5000:
        raise Invalid(_l("Keep the handling standard under 5000 characters."), field="standard")
    values["standard_source"] = standard
    return values


def create_category(admin: User, parent: Category | None, data: CategoryInput) -> Category:
    """A profession (parent None) or an item under one."""
    require(admin, "admin.categories", parent)
    if parent is not None and parent.parent_id is not None:
        raise Invalid(_l("Items go under a profession, two levels at most."))
    slug = _slug(data.slug)
    values = _category_values(data, profession=parent is None)
    parent_id = parent.id if parent else None
    taken = select(Category.id).where(Category.slug == slug)
    taken = taken.where(Category.parent_id == parent_id) if parent_id else \
        taken.where(Category.parent_id.is_(None))
    if db.session.scalar(taken) is not None:
        raise Invalid(_l("A category with this address exists already here."), field="slug")
    category = Category(parent_id=parent_id, slug=slug,
                        standard_html=text.render(values["standard_source"]), **values)
    db.session.add(category)
    db.session.flush()
    record(admin, "category.create", "category", category.id,
           after={"slug": slug, "parent_id": parent_id, **values})
    commit_or_raise(Invalid, _l("A category with this address exists already here."))
    return category


def update_category(admin: User, category: Category, data: CategoryInput, *,
                    reason: str = "") -> Category:
    """Change a category; cases filed before keep the deadlines they were promised."""
    require(admin, "admin.categories", category)
    values = _category_values(data, profession=category.parent_id is None)
    before, after = _changes(category, values)
    if after:
        _apply(category, values)
        if "standard_source" in after:
            category.standard_html = text.render(values["standard_source"])
        record(admin, "category.update", "category", category.id, before=before, after=after,
               reason=reason)
    db.session.commit()
    return category


def set_category_archived(admin: User, category: Category, archived: bool, *,
                          reason: str = "") -> None:
    """An archived category is offered no more to new complaints; its cases keep it."""
    require(admin, "admin.categories", category)
    if (category.archived_at is not None) == archived:
        return
    category.archived_at = clock.now() if archived else None
    record(admin, "category.archive" if archived else "category.restore", "category",
           category.id, before={"archived": not archived}, after={"archived": archived},
           reason=reason)
    db.session.commit()


# --- Departments ------------------------------------------------------------------------

def create_department(admin: User, *, slug: str, name: str) -> Department:
    require(admin, "admin.departments")
    slug, name = _slug(slug), _name(name)
    if db.session.scalar(select(Department.id).where(Department.slug == slug)) is not None:
        raise Invalid(_l("A department with this address exists already."), field="slug")
    position = (db.session.scalar(select(func.max(Department.position))) or 0) + 1
    department = Department(slug=slug, name=name, position=position)
    db.session.add(department)
    db.session.flush()
    record(admin, "department.create", "department", department.id,
           after={"slug": slug, "name": name})
    commit_or_raise(Invalid, _l("A department with this address exists already."))
    return department


def rename_department(admin: User, department: Department, *, name: str,
                      position: int | None) -> None:
    require(admin, "admin.departments", department)
    values = dict(name=_name(name), position=_position(position))
    before, after = _changes(department, values)
    if after:
        _apply(department, values)
        record(admin, "department.update", "department", department.id, before=before,
               after=after)
    db.session.commit()


def set_membership(admin: User, user: User, department: Department | None, *,
                   supervisor: bool, reason: str = "") -> None:
    """Put a person in a department (or none) and say whether they receive escalations."""
    require(admin, "admin.departments", user)
    if department is not None and not user.has_role(Role.HANDLER):
        raise Invalid(_l("Only handlers and other staff work in a department: give the person "
                         "a staff role first."), field="username")
    values = dict(department_id=department.id if department else None,
                  is_supervisor=bool(supervisor))
    if supervisor and not user.has_role(Role.HANDLER):
        raise Invalid(_l("Only staff can be supervisors."), field="supervisor")
    before, after = _changes(user, values)
    if not after:
        return
    _apply(user, values)
    record(admin, "user.department", "user", user.id, before=before, after=after,
           reason=reason)
    db.session.commit()


# --- Users ------------------------------------------------------------------------------

def admin_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(
        User.role == Role.ADMIN.value, User.banned_at.is_(None))) or 0


def set_role(admin: User, user: User, role: str, *, reason: str = "") -> None:
    """Give an account a role. The last admin cannot stop being one (the site would have none)."""
    require(admin, "admin.set_role", user, role=role)
    try:
        new = Role(role)
    except ValueError:
        raise Invalid(_l("Choose a role from the list."), field="role") from None
    if user.role == new.value:
        return
    if user.role == Role.ADMIN.value and new != Role.ADMIN and admin_count() <= 1:
        raise Invalid(_l("%(name)s is the last administrator: make someone else an "
                         "administrator first.", name=user.display_name), field="role")
    if new == Role.OWNER and user.owner_verified_at is None:
        raise Invalid(_l("Owners are verified through an owner verification request, "
                         "not given the role by hand."), field="role")
    before = {"role": user.role, "verified": user.is_verified_owner}
    user.role = new.value
    if new == Role.MEMBER:  # a plain member again: the verified-owner badge goes too
        user.owner_verified_at = None
    if not user.has_role(Role.HANDLER):  # no longer staff: out of departments and escalations
        user.department_id, user.is_supervisor = None, False
    record(admin, "user.role", "user", user.id, before=before,
           after={"role": new.value, "verified": user.is_verified_owner}, reason=reason)
    db.session.commit()


def make_reset_link(admin: User, user: User) -> str:
    """A one-time, expiring password link for `user`: the token, to show the admin once."""
    require(admin, "admin.reset_link", user)
    if user.banned_at is not None:
        raise NotAllowed("admin.reset_link")
    token = auth_services.make_reset_link_token(user, created_by=admin)
    record(admin, "user.reset_link", "user", user.id,
           after={"expires_hours": auth_services.RESET_HOURS})
    db.session.commit()
    return token


def search_users(query: str, *, role: str = "", limit: int = 50) -> list[User]:
    """Accounts whose username, display name or e-mail contains the words (admins only)."""
    statement = select(User)
    words = (query or "").strip().lower()
    if words:
        like = f"%{words.replace('%', '').replace('_', '')}%"
        statement = statement.where(User.username.like(like) | User.email.like(like)
                                    | func.lower(User.display_name).like(like))
    if role:
        statement = statement.where(User.role == role)
    return list(db.session.scalars(statement.order_by(User.id.desc()).limit(limit)))
