"""How case data is fetched for pages; each function is one query."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..communities.models import Category, Community, Department
from ..extensions import db
from .models import Case, CaseEvent, CaseNote


def case_details(case_id: int) -> Case | None:
    """A case with what its panel shows: category and profession, department, rating."""
    return db.session.scalar(
        select(Case).where(Case.id == case_id)
        .options(joinedload(Case.category).joinedload(Category.parent),
                 joinedload(Case.department), joinedload(Case.rating),
                 joinedload(Case.duplicate_of), joinedload(Case.handler),
                 joinedload(Case.filer), joinedload(Case.filed_by), joinedload(Case.community)))


def timeline(case: Case) -> list[CaseEvent]:
    """The public events of a case, oldest first."""
    return list(db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                   .order_by(CaseEvent.id)))


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
