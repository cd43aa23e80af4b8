"""Promise arithmetic: working-time calendar, deadlines, and whether a promise was kept."""
from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.complaints.promises import (HOLIDAY_DATA, Calendar, PromiseKind, PromiseState, add_hours,
                                     default_calendar, evaluate, working_seconds_between)

SHANGHAI = ZoneInfo("Asia/Shanghai")
CN = default_calendar()
HOUR = 3600


def sh(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Shanghai wall-clock moment, handed over as UTC the way callers do."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


def working_deadline(start: datetime, hours: float, calendar: Calendar = CN) -> datetime:
    return add_hours(start, hours, working=True, calendar=calendar)


# 2026-03-09 to 03-18 are ordinary days: no holiday or make-up day near them.
MON, TUE, WED, FRI, SAT, SUN, NEXT_MON, NEXT_WED = (date(2026, 3, d)
                                                   for d in (9, 10, 11, 13, 14, 15, 16, 18))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return sh(day.year, day.month, day.day, hour, minute)


# The calendar


@pytest.mark.parametrize("day, working", [
    (MON, True), (WED, True), (FRI, True), (SAT, False), (SUN, False),
])
def test_weekdays_are_working_days_and_weekends_are_not(day: date, working: bool) -> None:
    assert CN.is_working_day(day) is working


# Each holiday as the State Council notice states it: first day, last day, number of days.
NOTICE_HOLIDAYS = [
    (date(2025, 1, 1), date(2025, 1, 1), 1),     # 元旦
    (date(2025, 1, 28), date(2025, 2, 4), 8),    # 春节
    (date(2025, 4, 4), date(2025, 4, 6), 3),     # 清明节
    (date(2025, 5, 1), date(2025, 5, 5), 5),     # 劳动节
    (date(2025, 5, 31), date(2025, 6, 2), 3),    # 端午节
    (date(2025, 10, 1), date(2025, 10, 8), 8),   # 国庆节、中秋节
    (date(2026, 1, 1), date(2026, 1, 3), 3),     # 元旦
    (date(2026, 2, 15), date(2026, 2, 23), 9),   # 春节
    (date(2026, 4, 4), date(2026, 4, 6), 3),     # 清明节
    (date(2026, 5, 1), date(2026, 5, 5), 5),     # 劳动节
    (date(2026, 6, 19), date(2026, 6, 21), 3),   # 端午节
    (date(2026, 9, 25), date(2026, 9, 27), 3),   # 中秋节
    (date(2026, 10, 1), date(2026, 10, 7), 7),   # 国庆节
]
NOTICE_WORKDAYS = [
    date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27), date(2025, 9, 28), date(2025, 10, 11),
    date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9), date(2026, 9, 20),
    date(2026, 10, 10),
]


@pytest.mark.parametrize("first, last, days", NOTICE_HOLIDAYS, ids=lambda v: str(v))
def test_every_day_of_a_published_holiday_is_a_day_off(first: date, last: date, days: int) -> None:
    span = [first + timedelta(days=i) for i in range((last - first).days + 1)]

    assert len(span) == days
    assert not any(CN.is_working_day(d) for d in span)


@pytest.mark.parametrize("day", NOTICE_WORKDAYS, ids=str)
def test_a_make_up_weekend_day_is_a_working_day(day: date) -> None:
    assert day.weekday() >= 5
    assert CN.is_working_day(day)


def test_the_shipped_data_holds_exactly_the_published_days_for_2025_and_2026() -> None:
    raw = json.loads(HOLIDAY_DATA.read_text(encoding="utf-8"))
    published = {first + timedelta(days=i) for first, last, _ in NOTICE_HOLIDAYS
                 for i in range((last - first).days + 1)}

    assert set(raw) == {"2025", "2026"}
    assert {date.fromisoformat(d) for y in raw.values() for d in y["holidays"]} == published
    assert ({date.fromisoformat(d) for y in raw.values() for d in y["workdays"]}
            == set(NOTICE_WORKDAYS))


def test_an_admin_extra_holiday_is_a_day_off() -> None:
    calendar = default_calendar(extra_holidays=[WED])

    assert not calendar.is_working_day(WED)


def test_an_admin_extra_workday_makes_a_weekend_day_a_working_day() -> None:
    calendar = default_calendar(extra_workdays=[SAT])

    assert calendar.is_working_day(SAT)


@pytest.mark.parametrize("extra, day, working", [
    ({"extra_workdays": [date(2026, 2, 16)]}, date(2026, 2, 16), True),   # shipped holiday
    ({"extra_holidays": [date(2026, 2, 14)]}, date(2026, 2, 14), False),  # shipped make-up day
], ids=["a holiday worked after all", "a make-up day cancelled"])
def test_admin_extra_days_win_over_the_shipped_data(extra: dict, day: date, working: bool) -> None:
    assert default_calendar(**extra).is_working_day(day) is working


def test_a_date_cannot_be_both_an_extra_holiday_and_an_extra_workday() -> None:
    with pytest.raises(ValueError):
        default_calendar(extra_holidays=[WED], extra_workdays=[WED])


def test_a_calendar_refuses_a_date_that_is_both_holiday_and_workday() -> None:
    with pytest.raises(ValueError):
        Calendar(holidays=frozenset({WED}), workdays=frozenset({WED}))


@pytest.mark.parametrize("start, end", [(time(18), time(9)), (time(9), time(9))])
def test_a_calendar_refuses_a_working_day_that_does_not_end_after_it_starts(start: time,
                                                                           end: time) -> None:
    with pytest.raises(ValueError):
        Calendar(day_start=start, day_end=end)


def test_working_hours_are_configurable() -> None:
    calendar = default_calendar(day_start=time(8, 30), day_end=time(17, 30))

    assert working_deadline(at(MON, 7), 1, calendar) == at(MON, 9, 30)
    assert working_seconds_between(at(MON, 0), at(TUE, 0), calendar=calendar) == 9 * HOUR


# Deadlines


@pytest.mark.parametrize("start, hours, deadline", [
    (at(MON, 10), 24, at(TUE, 10)),
    (at(FRI, 20), 24, at(SAT, 20)),
    (at(FRI, 20), 72, at(NEXT_MON, 20)),
    (at(MON, 22), 4, at(TUE, 2)),             # crosses local midnight
    (at(MON, 10), 1.5, at(MON, 11, 30)),
], ids=["a day later", "counts the weekend", "three days later", "crosses midnight", "fractional"])
def test_calendar_hours_count_every_hour_of_the_clock(start: datetime, hours: float,
                                                      deadline: datetime) -> None:
    assert add_hours(start, hours, working=False, calendar=CN) == deadline


@pytest.mark.parametrize("start, hours, deadline", [
    (at(MON, 7, 30), 2, at(MON, 11)),
    (at(MON, 0), 1, at(MON, 10)),
    (at(MON, 9), 2, at(MON, 11)),
], ids=["at 07:30", "at midnight", "at 09:00 sharp"])
def test_working_hours_filed_before_opening_start_counting_at_nine(start: datetime, hours: float,
                                                                   deadline: datetime) -> None:
    assert working_deadline(start, hours) == deadline


@pytest.mark.parametrize("start, hours, deadline", [
    (at(MON, 10), 3, at(MON, 13)),
    (at(MON, 16), 4, at(TUE, 11)),
    (at(MON, 10), 24, at(WED, 16)),
], ids=["same day", "into the next morning", "24 working hours over three days"])
def test_working_hours_filed_during_the_day_count_from_filing(start: datetime, hours: float,
                                                              deadline: datetime) -> None:
    assert working_deadline(start, hours) == deadline


@pytest.mark.parametrize("start", [at(MON, 18), at(MON, 20), at(MON, 23, 59)],
                         ids=["at 18:00 sharp", "at 20:00", "at 23:59"])
def test_working_hours_filed_after_closing_start_counting_next_morning(start: datetime) -> None:
    assert working_deadline(start, 1) == at(TUE, 10)


def test_a_case_filed_on_friday_evening_starts_counting_on_monday_morning() -> None:
    assert working_deadline(at(FRI, 20), 2) == at(NEXT_MON, 11)


@pytest.mark.parametrize("start, hours, deadline", [
    (at(FRI, 15), 5, at(NEXT_MON, 11)),
    (at(SAT, 12), 1, at(NEXT_MON, 10)),
    (at(SUN, 23), 9, at(NEXT_MON, 18)),
], ids=["friday afternoon", "saturday", "sunday night"])
def test_a_working_deadline_skips_the_weekend(start: datetime, hours: float,
                                              deadline: datetime) -> None:
    assert working_deadline(start, hours) == deadline


def test_a_deadline_that_uses_up_a_day_falls_at_closing_not_next_morning() -> None:
    assert working_deadline(at(MON, 9), 9) == at(MON, 18)


def test_a_working_deadline_crosses_midnight_to_the_next_working_day() -> None:
    assert working_deadline(at(MON, 17, 30), 1) == at(TUE, 9, 30)


def test_the_working_day_is_the_local_date_not_the_utc_date() -> None:
    # Monday 07:00 in Shanghai is still Sunday 23:00 in UTC.
    start = datetime(2026, 3, 8, 23, 0, tzinfo=UTC)

    assert working_deadline(start, 1) == at(MON, 10)


@pytest.mark.parametrize("start, hours, deadline", [
    (at(MON, 17, 30), 1.5, at(TUE, 10)),
    (at(MON, 10), 0.25, at(MON, 10, 15)),
    (at(MON, 17, 59), 1 / 60, at(MON, 18)),
], ids=["hour and a half overnight", "quarter hour", "one minute to closing"])
def test_fractional_working_hours(start: datetime, hours: float, deadline: datetime) -> None:
    assert working_deadline(start, hours) == deadline


@pytest.mark.parametrize("start, hours, deadline", [
    (sh(2026, 2, 13, 17), 2, sh(2026, 2, 14, 10)),   # into the make-up Saturday before the break
    (sh(2026, 2, 14, 17), 2, sh(2026, 2, 24, 10)),   # over the nine days off
    (sh(2026, 2, 13, 9), 24, sh(2026, 2, 24, 15)),
    (sh(2026, 2, 16, 10), 1, sh(2026, 2, 24, 10)),   # filed during the break
    (sh(2026, 2, 27, 17), 2, sh(2026, 2, 28, 10)),   # the make-up Saturday after it
], ids=["friday to make-up saturday", "across the break", "24 hours", "filed in the break",
        "make-up saturday after"])
def test_working_deadlines_skip_the_2026_spring_festival(start: datetime, hours: float,
                                                         deadline: datetime) -> None:
    assert working_deadline(start, hours) == deadline


@pytest.mark.parametrize("start, hours, deadline", [
    (sh(2026, 9, 30, 17), 2, sh(2026, 10, 8, 10)),
    (sh(2026, 10, 9, 17), 2, sh(2026, 10, 10, 10)),   # make-up Saturday 10-10
    (sh(2026, 9, 19, 12), 1, sh(2026, 9, 20, 10)),    # make-up Sunday 09-20
    (sh(2026, 9, 24, 17), 2, sh(2026, 9, 28, 10)),    # Mid-Autumn, Friday to Sunday
    (sh(2025, 9, 30, 17), 2, sh(2025, 10, 9, 10)),    # 2025: National Day with Mid-Autumn, 8 days
], ids=["2026 across the break", "2026 make-up saturday", "2026 make-up sunday", "2026 mid-autumn",
        "2025 across the break"])
def test_working_deadlines_skip_national_day(start: datetime, hours: float,
                                             deadline: datetime) -> None:
    assert working_deadline(start, hours) == deadline


def test_a_make_up_sunday_counts_right_after_a_holiday() -> None:
    # New Year 2026: Thursday 1 January to Saturday 3 January off, Sunday 4 January worked.
    assert working_deadline(sh(2026, 1, 2, 10), 1) == sh(2026, 1, 4, 10)


def test_an_admin_extra_holiday_is_skipped_by_working_deadlines() -> None:
    calendar = default_calendar(extra_holidays=[TUE])

    assert working_deadline(at(MON, 17), 2, calendar) == at(WED, 10)


def test_zero_hours_leave_the_start_unchanged() -> None:
    assert working_deadline(at(SAT, 12), 0) == at(SAT, 12)


@pytest.mark.parametrize("hours", [-1, float("nan"), float("inf")])
def test_negative_or_non_finite_hours_are_refused(hours: float) -> None:
    with pytest.raises(ValueError):
        working_deadline(at(MON, 10), hours)


@pytest.mark.parametrize("working", [True, False])
def test_deadlines_come_back_as_aware_utc(working: bool) -> None:
    deadline = add_hours(at(MON, 10), 3, working=working, calendar=CN)

    assert deadline.tzinfo is UTC


def test_a_start_given_in_shanghai_time_gives_the_same_deadline_as_in_utc() -> None:
    local = datetime(2026, 3, 13, 20, tzinfo=SHANGHAI)

    assert working_deadline(local, 2) == working_deadline(local.astimezone(UTC), 2)


def test_a_window_containing_a_clock_change_lasts_its_real_length() -> None:
    # Berlin springs forward at 02:00 on Sunday 29 March 2026: 01:00–05:00 lasts 3 real hours.
    berlin = Calendar(zone=ZoneInfo("Europe/Berlin"), workdays=frozenset({date(2026, 3, 29)}),
                      day_start=time(1), day_end=time(5))
    opens = datetime(2026, 3, 29, 1, tzinfo=ZoneInfo("Europe/Berlin"))

    assert working_seconds_between(opens, opens + timedelta(days=1), calendar=berlin) == 3 * HOUR
    assert add_hours(opens, 3, working=True, calendar=berlin) == datetime(
        2026, 3, 29, 5, tzinfo=ZoneInfo("Europe/Berlin"))


NAIVE = datetime(2026, 3, 9, 10)


@pytest.mark.parametrize("call", [
    lambda: add_hours(NAIVE, 1, working=True, calendar=CN),
    lambda: add_hours(NAIVE, 1, working=False, calendar=CN),
    lambda: working_seconds_between(NAIVE, at(TUE, 10), calendar=CN),
    lambda: working_seconds_between(at(MON, 10), NAIVE, calendar=CN),
    lambda: evaluate(PromiseKind.PLAN, started_at=NAIVE, limit_hours=1, working=True,
                     done_at=None, now=at(TUE, 10), calendar=CN),
    lambda: evaluate(PromiseKind.PLAN, started_at=at(MON, 10), limit_hours=1, working=True,
                     done_at=NAIVE, now=at(TUE, 10), calendar=CN),
    lambda: evaluate(PromiseKind.PLAN, started_at=at(MON, 10), limit_hours=1, working=True,
                     done_at=None, now=NAIVE, calendar=CN),
], ids=["add working", "add calendar", "between start", "between end", "evaluate started_at",
        "evaluate done_at", "evaluate now"])
def test_naive_datetimes_are_refused(call) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        call()


# Working time between two moments


@pytest.mark.parametrize("start, end, hours", [
    (at(MON, 9), at(MON, 18), 9),
    (at(MON, 0), at(TUE, 0), 9),
    (at(MON, 18), at(TUE, 9), 0),
    (at(FRI, 17), at(NEXT_MON, 10), 2),
    (at(SAT, 0), at(NEXT_MON, 0), 0),
    (at(MON, 10, 30), at(MON, 10, 45), 0.25),
    (sh(2026, 2, 13, 9), sh(2026, 2, 24, 9), 18),     # Friday and the make-up Saturday only
    (sh(2026, 9, 30, 9), sh(2026, 10, 9, 9), 9 + 9),  # 30 Sept and 8 Oct only
], ids=["one day", "midnight to midnight", "overnight", "friday to monday", "weekend",
        "quarter hour", "spring festival 2026", "national day 2026"])
def test_working_time_between_two_moments(start: datetime, end: datetime, hours: float) -> None:
    assert working_seconds_between(start, end, calendar=CN) == hours * HOUR


def test_working_time_between_is_negative_when_the_end_comes_first() -> None:
    assert working_seconds_between(at(TUE, 10), at(MON, 17), calendar=CN) == -2 * HOUR


def random_moment(rng: random.Random) -> datetime:
    """A minute anywhere in 2025–2026 Shanghai time, so holidays and make-up days come up."""
    day = date(2025, 1, 1) + timedelta(days=rng.randrange(730))
    return sh(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60))


@pytest.mark.parametrize("seed", range(5))
def test_working_time_to_a_working_deadline_is_the_hours_asked_for(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(200):
        start, hours = random_moment(rng), rng.randrange(1, 400) / 4

        deadline = working_deadline(start, hours)

        assert working_seconds_between(start, deadline, calendar=CN) == pytest.approx(
            hours * HOUR, abs=1e-6), (start, hours)


@pytest.mark.parametrize("seed", range(5))
def test_a_working_deadline_falls_inside_working_hours_of_a_working_day(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(200):
        start, hours = random_moment(rng), rng.randrange(1, 400) / 4

        local = working_deadline(start, hours).astimezone(SHANGHAI)

        assert CN.is_working_day(local.date()), (start, hours)
        assert time(9) < local.time() <= time(18), (start, hours)


@pytest.mark.parametrize("seed", range(5))
def test_adding_the_working_time_between_two_moments_reaches_the_last_working_moment(
        seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(200):
        start = random_moment(rng)
        end = start + timedelta(minutes=rng.randrange(0, 30 * 24 * 60))
        seconds = working_seconds_between(start, end, calendar=CN)

        reached = working_deadline(start, seconds / HOUR)

        assert reached <= end, (start, end)
        assert working_seconds_between(reached, end, calendar=CN) == 0, (start, end)


@pytest.mark.parametrize("seed", range(3))
def test_calendar_deadlines_are_exactly_the_hours_later(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(200):
        start, hours = random_moment(rng), rng.randrange(1, 400) / 4

        deadline = add_hours(start, hours, working=False, calendar=CN)

        assert deadline - start == timedelta(hours=hours)


# Evaluating a promise

FILED = at(MON, 10)  # with a 24-hour calendar limit the deadline is Tuesday 10:00


def first_response(*, now: datetime, done_at: datetime | None = None, limit_hours: float = 24,
                   working: bool = False):
    return evaluate(PromiseKind.FIRST_RESPONSE, started_at=FILED, limit_hours=limit_hours,
                    working=working, done_at=done_at, now=now, calendar=CN)


def test_an_open_promise_before_its_deadline_is_running_with_time_left() -> None:
    promise = first_response(now=at(MON, 16))

    assert promise.state == PromiseState.RUNNING
    assert promise.deadline == at(TUE, 10)
    assert promise.time_left == timedelta(hours=18)
    assert (promise.took, promise.late_by) == (None, None)


def test_an_open_promise_at_exactly_its_deadline_is_still_running_with_no_time_left() -> None:
    promise = first_response(now=at(TUE, 10))

    assert promise.state == PromiseState.RUNNING
    assert promise.time_left == timedelta(0)


def test_a_promise_done_before_its_deadline_is_met_and_says_how_long_it_took() -> None:
    promise = first_response(done_at=at(MON, 12), now=at(WED, 10))

    assert promise.state == PromiseState.MET
    assert promise.took == timedelta(hours=2)
    assert (promise.time_left, promise.late_by) == (None, None)


def test_a_promise_done_exactly_at_its_deadline_is_met() -> None:
    promise = first_response(done_at=at(TUE, 10), now=at(WED, 10))

    assert promise.state == PromiseState.MET
    assert promise.late_by is None


def test_a_promise_done_late_is_broken_and_says_by_how_much() -> None:
    promise = first_response(done_at=at(TUE, 13), now=at(WED, 10))

    assert promise.state == PromiseState.BROKEN
    assert promise.late_by == timedelta(hours=3)
    assert promise.took == timedelta(hours=27)
    assert promise.time_left is None


def test_a_promise_still_open_after_its_deadline_is_broken_and_late_until_now() -> None:
    promise = first_response(now=at(WED, 10, 30))

    assert promise.state == PromiseState.BROKEN
    assert promise.late_by == timedelta(hours=24, minutes=30)
    assert (promise.took, promise.time_left) == (None, None)


def test_a_promise_is_judged_as_it_stood_at_now_when_done_later() -> None:
    promise = first_response(done_at=at(TUE, 13), now=at(MON, 16))

    assert promise.state == PromiseState.RUNNING
    assert promise.done_at is None


def test_a_working_time_promise_counts_working_hours() -> None:
    promise = evaluate(PromiseKind.RESOLVE, started_at=at(FRI, 20), limit_hours=24, working=True,
                       done_at=None, now=at(SAT, 12), calendar=CN)

    assert promise.deadline == at(NEXT_WED, 15)  # Monday 9 h, Tuesday 9 h, Wednesday 6 h
    assert promise.state == PromiseState.RUNNING


def test_a_promise_remembers_its_kind_and_limit() -> None:
    promise = evaluate("plan", started_at=FILED, limit_hours=48, working=True, done_at=None,
                       now=FILED, calendar=CN)

    assert promise.kind is PromiseKind.PLAN
    assert (promise.limit_hours, promise.working) == (48, True)


@pytest.mark.parametrize("limit_hours", [0, -1, -0.5, float("nan")])
def test_a_limit_of_zero_hours_or_less_is_refused(limit_hours: float) -> None:
    with pytest.raises(ValueError):
        first_response(now=at(TUE, 10), limit_hours=limit_hours)


def test_a_promise_done_before_it_started_is_refused() -> None:
    with pytest.raises(ValueError):
        first_response(done_at=at(MON, 9), now=at(TUE, 10))


def test_a_promise_evaluated_before_it_started_is_refused() -> None:
    with pytest.raises(ValueError):
        first_response(now=at(MON, 9))
