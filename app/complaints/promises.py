"""Deadlines in calendar or working time, and whether each promise was kept.

Pure: no Flask, no database, standard library only; callers pass `now`. Each
category promises a first response, a plan and a resolution within a time limit
(PRODUCT.md "Time limits are promises"); this module does the arithmetic.
Datetimes in and out are timezone-aware; results are UTC.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOLIDAY_DATA = Path(__file__).with_name("calendar_data") / "holidays_cn.json"
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Calendar:
    """When customer relations works: weekday hours, minus holidays, plus make-up days."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()  # 调休上班: weekend days worked to pay back a holiday
    day_start: time = time(9)                # local wall-clock time in `zone`
    day_end: time = time(18)
    zone: ZoneInfo = SHANGHAI

    def __post_init__(self) -> None:
        # Callers may hand in sets or lists; freeze them so the calendar stays hashable and fixed.
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        if self.day_start.tzinfo is not None or self.day_end.tzinfo is not None:
            raise ValueError("day_start and day_end are wall-clock times in `zone`: no tzinfo")
        if self.day_start >= self.day_end:
            raise ValueError(f"the working day must end after it starts "
                             f"({self.day_start:%H:%M}–{self.day_end:%H:%M})")
        clash = self.holidays & self.workdays
        if clash:
            raise ValueError(f"dates cannot be both a holiday and a working day: {sorted(clash)}")

    def is_working_day(self, day: date) -> bool:
        """Whether the local date `day` has working hours."""
        if day in self.workdays:
            return True
        return day not in self.holidays and day.weekday() < 5

    def working_hours(self, day: date) -> tuple[datetime, datetime] | None:
        """The working hours of the local date `day` as UTC instants, or None on a day off."""
        if not self.is_working_day(day):
            return None
        # Built from wall-clock times and only then turned into instants, so a zone with a
        # clock change gives its real length.
        opens = datetime.combine(day, self.day_start, tzinfo=self.zone).astimezone(UTC)
        closes = datetime.combine(day, self.day_end, tzinfo=self.zone).astimezone(UTC)
        return opens, closes


@lru_cache(maxsize=1)
def _shipped_days() -> tuple[frozenset[date], frozenset[date]]:
    """The public holidays and make-up working days shipped in calendar_data/holidays_cn.json."""
    # Shipped years: 2025 (国办发明电〔2024〕12号 of 2024-11-12) and 2026 (notice of 2025-11-04),
    # both taken from the State Council notices as published by Xinhua. A year not in the file
    # falls back to plain Monday–Friday, so Spring Festival would count as working time: add
    # each year when its notice comes out (usually in November), here or as admin extra days.
    raw = json.loads(HOLIDAY_DATA.read_text(encoding="utf-8"))
    return (frozenset(date.fromisoformat(d) for year in raw.values() for d in year["holidays"]),
            frozenset(date.fromisoformat(d) for year in raw.values() for d in year["workdays"]))


def shipped_days() -> tuple[frozenset[date], frozenset[date]]:
    """(holidays, make-up working days) of the shipped file: the seed of the calendar table."""
    return _shipped_days()


def default_calendar(extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = (), *,
                     day_start: time = time(9), day_end: time = time(18)) -> Calendar:
    """The shipped mainland China calendar; an admin's extra days win over the shipped ones."""
    extra_off, extra_on = frozenset(extra_holidays), frozenset(extra_workdays)
    both = extra_off & extra_on
    if both:
        raise ValueError(f"dates cannot be both an extra holiday and an extra working day: "
                         f"{sorted(both)}")
    holidays, workdays = _shipped_days()
    return Calendar(holidays=(holidays | extra_off) - extra_on,
                    workdays=(workdays | extra_on) - extra_off,
                    day_start=day_start, day_end=day_end)


def add_hours(start: datetime, hours: float, *, working: bool, calendar: Calendar) -> datetime:
    """The deadline `hours` after `start`, in calendar time or in the calendar's working time.

    In working time the count starts at the first working moment at or after `start`
    (a case filed on Friday evening starts on Monday at 09:00) and a deadline that uses
    up a day exactly falls at that day's close, not at the next morning's opening.
    """
    start = _as_utc(start, "start")
    if not math.isfinite(hours) or hours < 0:
        raise ValueError(f"hours must be a finite number of zero or more, got {hours!r}")
    remaining = timedelta(hours=hours)
    if not working:
        return start + remaining
    if not remaining:
        return start  # nothing to count, so no reason to wait for the office to open
    cursor = start
    day = start.astimezone(calendar.zone).date()
    while True:
        window = calendar.working_hours(day)
        if window is not None:
            opens, closes = window
            cursor = max(cursor, opens)
            if cursor < closes:
                available = closes - cursor
                if remaining <= available:
                    return cursor + remaining
                remaining -= available
        day += _ONE_DAY


def working_seconds_between(start: datetime, end: datetime, *, calendar: Calendar) -> float:
    """Working seconds from `start` to `end`; negative when `end` comes first."""
    start, end = _as_utc(start, "start"), _as_utc(end, "end")
    if end < start:
        return -working_seconds_between(end, start, calendar=calendar)
    total = timedelta()
    day = start.astimezone(calendar.zone).date()
    last = end.astimezone(calendar.zone).date()
    while day <= last:
        window = calendar.working_hours(day)
        if window is not None:
            overlap = min(window[1], end) - max(window[0], start)
            if overlap > timedelta():
                total += overlap
        day += _ONE_DAY
    return total.total_seconds()


class PromiseKind(StrEnum):
    """The three time limits a category publishes."""

    FIRST_RESPONSE = "first_response"  # 首次回复
    PLAN = "plan"                      # 方案
    RESOLVE = "resolve"                # 解决


class PromiseState(StrEnum):
    """Where a promise stands at a given moment."""

    RUNNING = "running"  # not done, deadline not passed
    MET = "met"          # done at or before the deadline
    BROKEN = "broken"    # the deadline passed first, whether done late or still not done


@dataclass(frozen=True)
class Promise:
    """One time limit of one case as it stood at the `now` it was evaluated for."""

    kind: PromiseKind
    limit_hours: float
    working: bool                # whether `limit_hours` counts working time or calendar time
    started_at: datetime
    deadline: datetime
    done_at: datetime | None     # None while not done as of `now`
    state: PromiseState
    took: timedelta | None       # done_at - started_at, once done
    time_left: timedelta | None  # deadline - now, while running
    late_by: timedelta | None    # done_at - deadline if done late, now - deadline if still open


def evaluate(kind: PromiseKind | str, *, started_at: datetime, limit_hours: float, working: bool,
             done_at: datetime | None, now: datetime, calendar: Calendar) -> Promise:
    """Where one promise stands at `now`: running, met or broken.

    The deadline itself is inside the promise: done exactly at the deadline is met, and an
    open promise whose deadline is exactly `now` is still running with no time left, not
    yet broken. A `done_at` later than `now` is not yet known at `now`, so the promise is
    judged as still open: a scorecard can evaluate cases as they stood on an earlier day.
    """
    kind = PromiseKind(kind)
    started_at, now = _as_utc(started_at, "started_at"), _as_utc(now, "now")
    if done_at is not None:
        done_at = _as_utc(done_at, "done_at")
        if done_at < started_at:
            raise ValueError(f"done_at {done_at} is before started_at {started_at}")
    if not math.isfinite(limit_hours) or limit_hours <= 0:
        raise ValueError(f"limit_hours must be a finite number above zero, got {limit_hours!r}")
    if now < started_at:
        raise ValueError(f"now {now} is before the promise started at {started_at}")
    deadline = add_hours(started_at, limit_hours, working=working, calendar=calendar)
    return judge(kind, started_at=started_at, deadline=deadline, done_at=done_at, now=now,
                 limit_hours=limit_hours, working=working)


def judge(kind: PromiseKind | str, *, started_at: datetime, deadline: datetime,
          done_at: datetime | None, now: datetime, limit_hours: float, working: bool) -> Promise:
    """Where a promise with a known deadline stands at `now` (the rules of `evaluate`).

    Cases keep the deadline computed when they were filed: a later change to a
    category's limits or to the holiday list never moves a promise already made.
    """
    kind = PromiseKind(kind)
    started_at, now = _as_utc(started_at, "started_at"), _as_utc(now, "now")
    deadline = _as_utc(deadline, "deadline")
    if done_at is not None:
        done_at = _as_utc(done_at, "done_at")
    if done_at is not None and done_at > now:
        done_at = None

    took = time_left = late_by = None
    if done_at is not None:
        took = done_at - started_at
        if done_at <= deadline:
            state = PromiseState.MET
        else:
            state, late_by = PromiseState.BROKEN, done_at - deadline
    elif now <= deadline:
        state, time_left = PromiseState.RUNNING, deadline - now
    else:
        state, late_by = PromiseState.BROKEN, now - deadline
    return Promise(kind=kind, limit_hours=limit_hours, working=working, started_at=started_at,
                   deadline=deadline, done_at=done_at, state=state, took=took,
                   time_left=time_left, late_by=late_by)


def _as_utc(value: datetime, name: str) -> datetime:
    """`value` as UTC, refusing a naive datetime because its zone would be a guess."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")
    return value.astimezone(UTC)
