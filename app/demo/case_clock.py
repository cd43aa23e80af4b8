"""The demo's clock for replaying complaint history, and when people plausibly act.

The loader drives the real complaint services (filing, steps, answers, joins, the cron
jobs) at historical moments, so every event, promise deadline and counter is the one the
services themselves would have written then.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from unittest.mock import patch

from ..complaints.signals import case_event
from .writer import LOCAL_TZ

STAFF_HOURS = (time(8, 30), time(20, 30))   # the customer-relations centre's day
OWNER_HOURS = (time(7, 0), time(23, 30))
WEEKDAYS = "一二三四五六日"


class SimClock:
    """The moment being replayed; `now` stands in for `app.core.clock.now`."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        """The replayed moment."""
        return self.at


@contextmanager
def replaying(sim: SimClock) -> Iterator[None]:
    """Make every service see `sim`'s moment as the current time.

    Services take the time from `app.core.clock.now()` and offer no other way to say
    "this happened last March"; patching that one function (as the tests do) is the only
    way to replay history through them unchanged. Demo code only: nothing else patches it.
    """
    with patch("app.core.clock.now", sim.now):
        yield


@contextmanager
def listeners_muted() -> Iterator[None]:
    """Keep `case_event` listeners (notifications) quiet while history is replayed.

    Replayed steps are not news: nobody should get an e-mail about a case closed a year
    ago, and thousands of notices would make the load slow. The signal is restored on exit,
    and the loader works the same with or without listeners connected.
    """
    with case_event.muted():
        yield


def local(at: datetime) -> datetime:
    """`at` on the communities' wall clock."""
    return at.astimezone(LOCAL_TZ)


def within_hours(rng: random.Random, at: datetime, hours: tuple[time, time]) -> datetime:
    """`at` if it falls in the daily window `hours`, else a little after the next opening."""
    wall = local(at)
    opens = datetime.combine(wall.date(), hours[0], tzinfo=LOCAL_TZ)
    closes = datetime.combine(wall.date(), hours[1], tzinfo=LOCAL_TZ)
    if opens <= wall < closes:
        return at
    if wall >= closes:
        opens += timedelta(days=1)
    return (opens + timedelta(minutes=rng.uniform(3, 95))).astimezone(UTC)


def office_before(rng: random.Random, start: datetime, by: datetime,
                  hours: tuple[time, time] = STAFF_HOURS) -> datetime:
    """A moment between `start` and `by`: in office hours if there is room, else any time."""
    day = local(by).date()
    for offset in (0, 1):
        opens = datetime.combine(day - timedelta(days=offset), hours[0], tzinfo=LOCAL_TZ)
        closes = datetime.combine(day - timedelta(days=offset), hours[1], tzinfo=LOCAL_TZ)
        low, high = max(opens, start), min(closes, by)
        if high - low > timedelta(minutes=20):
            return between(rng, low, high, 0.1, 0.9)
    return between(rng, start, by, 0.3, 0.9)


def between(rng: random.Random, start: datetime, end: datetime, low: float = 0.2,
            high: float = 0.8) -> datetime:
    """A moment part of the way from `start` to `end`."""
    return start + (end - start) * rng.uniform(low, high)


def day_end(day: date) -> datetime:
    """The close of a local working day (18:00), as an instant."""
    return datetime.combine(day, time(18), tzinfo=LOCAL_TZ).astimezone(UTC)


def chinese_date(day: date) -> str:
    """A date as owners write it: 6月12日."""
    return f"{day.month}月{day.day}日"


def visit_text(rng: random.Random, day: date) -> str:
    """A visit slot as staff announce it: 6月12日（周四）上午."""
    return f"{chinese_date(day)}（周{WEEKDAYS[day.weekday()]}）{rng.choice(('上午', '下午'))}"
