"""A small key/value table of site settings, and the holiday calendar's days."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core import clock
from ..core.database import UTCDateTime
from ..extensions import db


class SiteSetting(db.Model):
    """One setting an admin changed; a setting without a row takes config.py's value."""

    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CalendarDay(db.Model):
    """A public holiday (day off) or a make-up working day (调休上班) of the calendar."""

    __tablename__ = "calendar_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # "holiday" or "workday"
    note: Mapped[str] = mapped_column(String(100), default="", server_default="")
