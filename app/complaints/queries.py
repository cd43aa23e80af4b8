"""How case data is fetched for pages; each function is one query."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (ColumnElement, Select, and_, false, func, literal_column, or_, select,
                        union_all)
from sqlalchemy.orm import joinedload

from ..communities.models import Category, Community, Department
from ..extensions import db
from ..forum.models import Thread
from .models import Case, CaseDefect, CaseEvent, CaseNote, MeToo, Rating
from .workflow import ClosedKind, Status


def case_details(case_id: int) -> Case | None:
    """A case with what its panel shows: category and profession, department, rating."""
    return db.session.scalar(select(Case).where(Case.id == case_id).options(*_case_options()))


def case_details_for_viewer(case_id: int, viewer_id: int | None) -> tuple[Case, bool]:
    """`case_details` and whether the viewer joined the case ("me too"), in one query (the
    staff case page is at the page budget)."""
    joined = (select(MeToo.id).where(MeToo.case_id == Case.id, MeToo.user_id == viewer_id)
              .exists() if viewer_id is not None else false())
    row = db.session.execute(select(Case, joined.label("joined")).where(Case.id == case_id)
                             .options(*_case_options())).one()
    return row[0], bool(row[1])


def _case_options() -> tuple:
    return (joinedload(Case.category).joinedload(Category.parent),
            joinedload(Case.department), joinedload(Case.rating),
            joinedload(Case.duplicate_of), joinedload(Case.handler),
            joinedload(Case.filer), joinedload(Case.filed_by), joinedload(Case.community),
            joinedload(Case.unit),
            joinedload(Case.defect).joinedload(CaseDefect.category).joinedload(Category.parent),
            joinedload(Case.defect).joinedload(CaseDefect.department))


def timeline(case: Case) -> list[CaseEvent]:
    """The public events of a case, oldest first."""
    return list(db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                   .order_by(CaseEvent.id).options(joinedload(CaseEvent.actor))))


def internal_notes(case: Case) -> list[CaseNote]:
    """Staff-only notes of a case, oldest first (callers check case.view_internal)."""
    return list(db.session.scalars(select(CaseNote).where(CaseNote.case_id == case.id)
                                   .order_by(CaseNote.id).options(joinedload(CaseNote.author))))


def departments_with_members() -> list[Department]:
    """Every department with its staff, for the assign form (one query)."""
    return list(db.session.scalars(
        select(Department).order_by(Department.position, Department.id)
        .options(joinedload(Department.members))).unique())


def professions() -> list[Category]:
    """Category professions with their items, for the filing form (one query, two levels)."""
    return list(db.session.scalars(
        select(Category).where(Category.parent_id.is_(None), Category.archived_at.is_(None))
        .order_by(Category.position, Category.id)
        .options(joinedload(Category.items))).unique())


def communities_for_filing() -> list[Community]:
    """Communities an owner may file in."""
    return list(db.session.scalars(select(Community).order_by(Community.position,
                                                               Community.id)))


# --- The resolved-case archive ------------------------------------------------------------

RATING_FILTERS = ("5", "4+", "1-3", "loyal", "none")


@dataclass(frozen=True)
class ArchiveFilter:
    """What a reader narrowed the archive to; empty fields filter nothing."""

    community_id: int | None = None
    category_ids: tuple[int, ...] = ()   # an item, or every item of a profession
    closed_from: datetime | None = None  # a year, as UTC instants
    closed_until: datetime | None = None
    rating: str = ""                     # one of RATING_FILTERS (the overall answer)
    outcome: str = ""                    # "confirmed" or "unconfirmed"


@dataclass(frozen=True)
class Cursor:
    """A place in the archive: the closing time and id of the last case seen."""

    closed_at: datetime
    case_id: int


def _rating_condition(rating: str) -> ColumnElement[bool] | None:
    loyal = and_(Rating.overall >= 4, Rating.buy_again >= 4, Rating.recommend >= 4)
    return {"5": Case.rating.has(Rating.overall == 5),
            "4+": Case.rating.has(Rating.overall >= 4),
            "1-3": Case.rating.has(Rating.overall <= 3),
            "loyal": Case.rating.has(loyal),
            "none": ~Case.rating.has()}.get(rating)


def resolved_archive(f: ArchiveFilter, *, after: Cursor | None = None,
                     before: Cursor | None = None) -> Select:
    """Closed cases, newest closing first, a keyset page after (older) or before (newer) a
    cursor, with what each entry shows.

    Paging is by keyset on (closed_at, id), never by OFFSET, and nothing is counted:
    ix_cases_archive (status, closed_at, id) and ix_cases_community_archive (community_id,
    status, closed_at, id) serve the order and the cursor's range, so page 1 000 costs
    what page 1 does. Filters on category, rating and outcome are checked on the rows the
    index walk meets. `before` walks oldest first (the caller reverses the rows).
    """
    query = select(Case).where(Case.status == Status.CLOSED.value)
    if f.community_id:
        query = query.where(Case.community_id == f.community_id)
    if f.category_ids:
        query = query.where(Case.category_id.in_(f.category_ids))
    if f.closed_from:
        query = query.where(Case.closed_at >= f.closed_from)
    if f.closed_until:
        query = query.where(Case.closed_at < f.closed_until)
    if f.outcome in (ClosedKind.CONFIRMED, ClosedKind.UNCONFIRMED):
        query = query.where(Case.closed_kind == f.outcome)
    rating = _rating_condition(f.rating)
    if rating is not None:
        query = query.where(rating)
    if after is not None:
        query = query.where(Case.closed_at <= after.closed_at, or_(
            Case.closed_at < after.closed_at,
            and_(Case.closed_at == after.closed_at, Case.id < after.case_id)))
    elif before is not None:
        query = query.where(Case.closed_at >= before.closed_at, or_(
            Case.closed_at > before.closed_at,
            and_(Case.closed_at == before.closed_at, Case.id > before.case_id)))
    order = (Case.closed_at.asc(), Case.id.asc()) if before is not None and after is None \
        else (Case.closed_at.desc(), Case.id.desc())
    return query.order_by(*order).options(
        joinedload(Case.thread), joinedload(Case.community), joinedload(Case.rating),
        joinedload(Case.category).joinedload(Category.parent))


def archive_rows(query: Select, limit: int) -> list[Case]:
    """Up to `limit` rows of an archive query (one query)."""
    return list(db.session.scalars(query.limit(limit)).unique())


def first_closing() -> datetime | None:
    """When the earliest case was closed (an index lookup), for the year filter."""
    return db.session.scalar(select(func.min(Case.closed_at))
                             .where(Case.status == Status.CLOSED.value))


# --- Defect feedback (staff only) -----------------------------------------------------------

@dataclass(frozen=True)
class DefectFilter:
    """The period (by filing time, as UTC instants) and scope of a defect report."""

    since: datetime
    until: datetime
    community_id: int | None = None
    department_id: int | None = None


DEFECT_GROUPS = ("community", "item", "department")


def _defects(f: DefectFilter) -> Select:
    query = (select(CaseDefect).join(Case, Case.id == CaseDefect.case_id)
             .where(Case.created_at >= f.since, Case.created_at < f.until))
    if f.community_id:
        query = query.where(Case.community_id == f.community_id)
    if f.department_id:
        query = query.where(CaseDefect.department_id == f.department_id)
    return query


def _group_keys() -> tuple[tuple[str, Any, Any, Any, ColumnElement[bool]], ...]:
    """(group name, key column, label column, joined table, join condition) per grouping."""
    return (("community", Case.community_id, Community.name, Community,
             Community.id == Case.community_id),
            ("item", CaseDefect.category_id, Category.name, Category,
             Category.id == CaseDefect.category_id),
            ("department", CaseDefect.department_id, Department.name, Department,
             Department.id == CaseDefect.department_id))


def defect_counts(f: DefectFilter) -> list[tuple[str, int, str, int]]:
    """(grouping, key, name, defects) for each community, item and department, most first
    within each grouping (one query)."""
    parts = []
    for group, key, label, table, on in _group_keys():
        parts.append(_defects(f).join(table, on).with_only_columns(
            literal_column(f"'{group}'").label("grouping"), key.label("key"),
            label.label("name"), func.count(CaseDefect.id).label("defects"))
            .group_by(key, label))
    rows = db.session.execute(union_all(*parts)).all()
    return sorted(((g, int(k), n, int(c)) for g, k, n, c in rows),
                  key=lambda r: (DEFECT_GROUPS.index(r[0]), -r[3], r[2]))


def defect_examples(f: DefectFilter, per_group: int = 3) -> list[tuple[str, int, int, str]]:
    """(grouping, key, case id, title) of the latest few cases in each group (one query)."""
    parts = []
    for group, key, _label, _table, _on in _group_keys():
        parts.append(_defects(f).join(Thread, Thread.id == Case.thread_id).with_only_columns(
            literal_column(f"'{group}'").label("grouping"), key.label("key"),
            Case.id.label("case_id"), Thread.title.label("title"),
            func.row_number().over(partition_by=key, order_by=Case.id.desc()).label("rn")))
    ranked = union_all(*parts).subquery("ranked")
    return [(g, int(k), int(cid), title) for g, k, cid, title in db.session.execute(
        select(ranked.c.grouping, ranked.c.key, ranked.c.case_id, ranked.c.title)
        .where(ranked.c.rn <= per_group).order_by(ranked.c.case_id.desc()))]


def defect_list(f: DefectFilter, limit: int) -> list[CaseDefect]:
    """Every defect of the period with its case, newest case first (for the CSV)."""
    return list(db.session.scalars(
        _defects(f).order_by(Case.id.desc()).limit(limit)
        .options(joinedload(CaseDefect.case).joinedload(Case.thread),
                 joinedload(CaseDefect.case).joinedload(Case.community),
                 joinedload(CaseDefect.case).joinedload(Case.category)
                 .joinedload(Category.parent),
                 joinedload(CaseDefect.category).joinedload(Category.parent),
                 joinedload(CaseDefect.department), joinedload(CaseDefect.marked_by))).unique())



def community_by_slug(slug: str) -> Community | None:
    """A community by its address name."""
    return db.session.scalar(select(Community).where(Community.slug == slug))
