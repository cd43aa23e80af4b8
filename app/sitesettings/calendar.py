"""The holiday calendar kept in the database (`calendar_days`), handed to promises.py as data.

The table is seeded from calendar_data/holidays_cn.json by migration 0007 (and by
`seed_calendar`); while it is empty, the shipped file's days are used.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..audit.services import record
from ..complaints import promises
from ..core.errors import Invalid
from ..extensions import db
from ..security.policy import require
from .models import CalendarDay

HOLIDAY, WORKDAY = "holiday", "workday"
_CACHE = "_calendar"


def days() -> list[CalendarDay]:
    """Every holiday and make-up working day, newest first."""
    return list(db.session.scalars(select(CalendarDay).order_by(CalendarDay.day.desc())))


def current_calendar() -> promises.Calendar:
    """The working calendar deadlines are counted in (once per request)."""
    if has_request_context() and _CACHE in g:
        return g.get(_CACHE)
    rows = db.session.execute(select(CalendarDay.day, CalendarDay.kind)).all()
    if rows:
        calendar = promises.Calendar(
            holidays={row.day for row in rows if row.kind == HOLIDAY},
            workdays={row.day for row in rows if row.kind == WORKDAY})
    else:
        calendar = promises.default_calendar()
    if has_request_context():
        setattr(g, _CACHE, calendar)
    return calendar


def seed_calendar() -> int:
    """Copy the shipped days into an empty table; returns how many were added."""
    if db.session.scalar(select(CalendarDay.id).limit(1)) is not None:
        return 0
    holidays, workdays = promises.shipped_days()
    db.session.add_all([CalendarDay(day=d, kind=HOLIDAY) for d in sorted(holidays)]
                       + [CalendarDay(day=d, kind=WORKDAY) for d in sorted(workdays)])
    db.session.commit()
    return len(holidays) + len(workdays)


def _forget() -> None:
    if has_request_context():
        g.pop(_CACHE, None)


def add_day(admin: Any, day: date | None, kind: str, note: str = "") -> CalendarDay:
    """Add a holiday or make-up working day (a date already listed changes its kind)."""
    require(admin, "admin.calendar")
    if day is None:
        raise Invalid(_l("Give a date."), field="day")
    if kind not in (HOLIDAY, WORKDAY):
        raise Invalid(_l("Choose holiday or working day."), field="kind")
    seed_calendar_if_empty()
    row = db.session.scalar(select(CalendarDay).where(CalendarDay.day == day))
    before = {"kind": row.kind, "note": row.note} if row else {}
    if row is None:
        row = CalendarDay(day=day, kind=kind, note=note.strip())
        db.session.add(row)
    else:
        row.kind, row.note = kind, note.strip()
    db.session.flush()
    record(admin, "calendar.set", "calendar_day", row.id, before=before,
           after={"day": day.isoformat(), "kind": kind, "note": note.strip()})
    db.session.commit()
    _forget()
    return row


def remove_day(admin: Any, day_id: int) -> None:
    """Take a day off the calendar (it counts as a plain weekday or weekend again)."""
    require(admin, "admin.calendar")
    row = db.session.get(CalendarDay, day_id)
    if row is None:
        raise Invalid(_l("That day is not on the calendar."))
    record(admin, "calendar.remove", "calendar_day", row.id,
           before={"day": row.day.isoformat(), "kind": row.kind, "note": row.note})
    db.session.delete(row)
    db.session.commit()
    _forget()


def seed_calendar_if_empty() -> bool:
    """Before the first admin change, copy in the shipped days so none are lost."""
    if db.session.scalar(select(CalendarDay.id).limit(1)) is not None:
        return False
    holidays, workdays = promises.shipped_days()
    db.session.add_all([CalendarDay(day=d, kind=HOLIDAY) for d in sorted(holidays)]
                       + [CalendarDay(day=d, kind=WORKDAY) for d in sorted(workdays)])
    db.session.flush()
    return True
