"""Defect feedback (缺陷反馈): staff mark a case as a product defect, or take the mark back.

Staff only and never public: no event on the timeline, nothing in feeds or figures.
Each function is one unit of work ending in its commit.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from ..auth.models import User
from ..communities.models import Category, Department
from ..core import clock
from ..core.database import commit_or_raise
from ..core.errors import Invalid
from ..extensions import db
from ..security.policy import require
from .models import Case, CaseDefect


def _set_flag(case: Case, value: bool) -> None:
    # An UPDATE that leaves the case's version alone: marking a defect never makes a
    # colleague's open step form stale.
    db.session.execute(update(Case).where(Case.id == case.id).values(is_defect=value),
                       execution_options={"synchronize_session": False})


def mark_defect(case: Case, staff: User, *, category_id: int | None,
                department_id: int | None, cause: str) -> CaseDefect:
    """Record (or correct) the item, responsible department and root cause of a defect."""
    require(staff, "case.mark_defect", case)
    item = db.session.get(Category, category_id) if category_id else None
    if item is None or item.parent_id is None:
        raise Invalid(_l("Choose the item from the list."), field="category_id")
    department = db.session.get(Department, department_id) if department_id else None
    if department is None:
        raise Invalid(_l("Choose the responsible department."), field="department_id")
    if not cause.strip():
        raise Invalid(_l("Describe the root cause."), field="cause")
    defect = db.session.scalar(db.select(CaseDefect).where(CaseDefect.case_id == case.id))
    if defect is None:
        defect = CaseDefect(case_id=case.id)
        db.session.add(defect)
    defect.category_id, defect.department_id = item.id, department.id
    defect.cause = cause.strip()
    defect.marked_at, defect.marked_by_id = clock.now(), staff.id
    _set_flag(case, True)
    commit_or_raise()
    return defect


def clear_defect(case: Case, staff: User) -> None:
    """Take back a defect mark given in error."""
    require(staff, "case.mark_defect", case)
    defect = db.session.scalar(db.select(CaseDefect).where(CaseDefect.case_id == case.id))
    if defect is not None:
        db.session.delete(defect)
    _set_flag(case, False)
    commit_or_raise()
