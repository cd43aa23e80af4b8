"""What the resolved-case archive and the scorecards show, prepared for the templates.

The figures come from `stats`, the rows from `queries`; this module turns them into
entries, charts and tables in the reader's language, so templates run no queries and do
no arithmetic.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from flask_babel import format_date, format_decimal, format_percent, format_timedelta, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from . import charts, queries, stats
from .models import Case
from .stats import PROMISE_KINDS, Figure, Scorecard

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SUMMARY_CHARS = 140


# --- The archive -------------------------------------------------------------------------

def encode_cursor(case: Case) -> str:
    """A case's place in the archive as a URL value: microseconds since 1970, then the id."""
    return f"{(case.closed_at - _EPOCH) // timedelta(microseconds=1)}-{case.id}"


def decode_cursor(text: str | None) -> queries.Cursor | None:
    """The place a URL value names, or None for anything malformed."""
    if not text:
        return None
    micros, _sep, case_id = text.partition("-")
    if not (micros.isdigit() and case_id.isdigit()) or len(micros) > 18:
        return None
    return queries.Cursor(_EPOCH + timedelta(microseconds=int(micros)), int(case_id))


def span(delta: timedelta | None) -> str:
    """A time taken, precise enough to compare: '2 hours', '30 hours', '9 days', '3 weeks'.

    From a day on, a unit is used from 2.5 of it, so 59 hours stay hours and 9 days stay
    days; under a day, hours from the first ('' for no time at all).
    """
    if delta is None:
        return ""
    return format_timedelta(delta, threshold=1 if delta < timedelta(days=1) else 2.5)


@dataclass
class ArchiveEntry:
    """One closed case as the archive lists it."""

    case: Case
    first_response: str                # time from filing, in words ('' if never)
    to_resolve: str
    promises: list[tuple[str, bool]]   # (promise kind, kept)
    summary: str

    @property
    def all_kept(self) -> bool:
        return all(kept for _kind, kept in self.promises)


@dataclass
class ArchivePage:
    """One keyset page: entries newest first, and the cursors of the pages around it."""

    entries: list[ArchiveEntry] = field(default_factory=list)
    newer: str | None = None
    older: str | None = None
    paged: bool = False   # the reader is not on the first page


def shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The text on one line, cut at `limit` characters with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit - 1].rstrip() + "…"


def _kept(done: datetime | None, due: datetime) -> bool:
    return done is not None and done <= due


def archive_entry(case: Case) -> ArchiveEntry:
    """The archive's view of one closed case."""
    def since_filing(moment: datetime | None) -> timedelta | None:
        return moment - case.created_at if moment else None

    return ArchiveEntry(
        case=case, first_response=span(since_filing(case.first_response_at)),
        to_resolve=span(since_filing(case.resolved_at)),
        promises=[("first_response", _kept(case.first_response_at, case.first_response_due)),
                  ("plan", _kept(case.planned_at, case.plan_due)),
                  ("resolve", _kept(case.resolved_at, case.resolve_due))],
        summary=shorten(case.resolution_summary or ""))


def archive_page(f: queries.ArchiveFilter, *, after: str | None, before: str | None,
                 per_page: int) -> ArchivePage:
    """One page of the archive after (older than) or before (newer than) a cursor."""
    older_than, newer_than = decode_cursor(after), decode_cursor(before)
    if older_than is not None:
        newer_than = None
    rows = queries.archive_rows(queries.resolved_archive(f, after=older_than,
                                                         before=newer_than), per_page + 1)
    more, rows = len(rows) > per_page, rows[:per_page]
    page = ArchivePage(paged=older_than is not None or newer_than is not None)
    if newer_than is not None:
        rows.reverse()
        page.newer = encode_cursor(rows[0]) if more and rows else None
        page.older = encode_cursor(rows[-1]) if rows else None
    else:
        page.older = encode_cursor(rows[-1]) if more else None
        page.newer = encode_cursor(rows[0]) if older_than is not None and rows else None
    page.entries = [archive_entry(row) for row in rows]
    return page


# --- Scorecard charts ----------------------------------------------------------------------

@dataclass
class ChartView:
    """A chart with its legend and the table of its numbers."""

    chart_id: str
    title: str
    svg: Markup | None     # None: no month has enough cases to draw a point
    head: list[str]
    rows: list[list[str]]
    legend: list[tuple[str, str]] = field(default_factory=list)   # (name, css class)


def percent(figure: Figure) -> str:
    """A share for people: '85%', or 'too few cases'."""
    return format_percent(figure.value) if figure.value is not None else _("too few cases")


def _month_date(key: str) -> date:
    year, month = (int(part) for part in key.split("-"))
    return date(year, month, 1)


def _month_labels(keys: list[str]) -> list[tuple[str, str]]:
    """Axis labels: the month (a number in Chinese, where '10月11月' would run together;
    'Oct' in English) with the year under the first month and each January."""
    locale = get_locale()
    pattern = "L" if locale is None or locale.language == "zh" else "MMM"
    labels = []
    for i, key in enumerate(keys):
        day = _month_date(key)
        # A first December would put its year right beside January's: January's says enough.
        dated = day.month == 1 or (i == 0 and day.month != 12)
        labels.append((format_date(day, pattern), str(day.year) if dated else ""))
    return labels


def month_name(key: str) -> str:
    """'2026年3月' / 'Mar 2026'."""
    return format_skeleton("yMMM", _month_date(key), locale=get_locale())


def _days(seconds: float) -> float:
    return seconds / 86400


def duration_text(figure: Figure) -> str:
    """A median time for people: '3 days', or 'too few cases'."""
    if figure.delta is None:
        return _("too few cases")
    return span(figure.delta)


def _drawn(series: list[charts.Series], draw: Callable[[], Markup]) -> Markup | None:
    """The chart, unless no series has a single value to draw (every month too small)."""
    if not any(v is not None for s in series for v in s.values):
        return None
    return draw()


def scorecard_charts(card: Scorecard, prefix: str) -> list[ChartView]:
    """The four charts of a scorecard, each with its numbers as a table."""
    keys = [m.key for m in card.months]
    labels = _month_labels(keys)
    names = [month_name(k) for k in keys]
    received, closed = _("Received"), _("Closed")
    promise_names = {"first_response": _("First response"), "plan": _("Plan"),
                     "resolve": _("Resolution")}
    views = []

    title = _("Cases by month: received and closed")
    views.append(ChartView(
        f"{prefix}-cases", title, charts.columns(
            f"{prefix}-cases", labels,
            [charts.Series(received, tuple(float(m.received) for m in card.months), "s0"),
             charts.Series(closed, tuple(float(m.closed) for m in card.months), "s1")],
            title=title, desc=_("Columns for each of the last 12 months; the numbers are in "
                                "the table below."),
            fmt=lambda v: format_decimal(v)),
        head=[_("Month"), received, closed],
        rows=[[n, format_decimal(m.received), format_decimal(m.closed)]
              for n, m in zip(names, card.months, strict=True)],
        legend=[(received, "s0"), (closed, "s1")]))

    title = _("Median time to resolve, by month of resolution (days)")
    series = [charts.Series(_("Median days"), tuple(
        _days(m.resolve_median.value) if m.resolve_median.shown else None
        for m in card.months), "s0")]
    views.append(ChartView(
        f"{prefix}-resolve", title, _drawn(series, lambda: charts.lines(
            f"{prefix}-resolve", labels, series,
            title=title, desc=_("A line over the last 12 months; months with too few "
                                "resolved cases are left out."))),
        head=[_("Month"), _("Median time to resolve")],
        rows=[[n, duration_text(m.resolve_median)]
              for n, m in zip(names, card.months, strict=True)]))

    title = _("Promises kept, by month of filing (%)")
    series = [charts.Series(promise_names[kind], tuple(
        m.promises[kind].value * 100 if m.promises[kind].shown else None
        for m in card.months), f"s{i}") for i, kind in enumerate(PROMISE_KINDS)]
    views.append(ChartView(
        f"{prefix}-promises", title, _drawn(series, lambda: charts.lines(
            f"{prefix}-promises", labels, series,
            title=title, desc=_("One line per promise over the last 12 months; months with "
                                "too few cases are left out."),
            fmt=lambda v: f"{charts.plain_number(v)}%", top=100)),
        head=[_("Month"), *promise_names.values()],
        rows=[[n, *(percent(m.promises[kind]) for kind in PROMISE_KINDS)]
              for n, m in zip(names, card.months, strict=True)],
        legend=[(promise_names[kind], f"s{i}") for i, kind in enumerate(PROMISE_KINDS)]))

    if card.categories:
        title = _("Most frequent categories")
        views.append(ChartView(
            f"{prefix}-categories", title, charts.bars(
                f"{prefix}-categories", [name for name, _n in card.categories],
                [float(n) for _name, n in card.categories], title=title,
                desc=_("Bars by number of cases, most first."),
                fmt=lambda v: format_decimal(v)),
            head=[_("Category"), _("Cases")],
            rows=[[name, format_decimal(n)] for name, n in card.categories]))
    return views


# --- Scorecard figures ---------------------------------------------------------------------

@dataclass
class Tile:
    """One headline figure: its name, the value as shown, and a line of context."""

    label: str
    value: str
    note: str = ""
    withheld: bool = False   # "too few cases" instead of a figure


def _share_tile(label: str, figure: Figure, note: str = "") -> Tile:
    if not figure.shown:
        return Tile(label, _("too few cases"), note, withheld=True)
    return Tile(label, percent(figure), note or _("%(part)s of %(n)s", part=format_decimal(
        figure.part or 0), n=format_decimal(figure.n)))


def _duration_tile(label: str, figure: Figure) -> Tile:
    if not figure.shown:
        return Tile(label, _("too few cases"), withheld=True)
    return Tile(label, duration_text(figure), _("median of %(n)s cases",
                                                n=format_decimal(figure.n)))


def mean_text(figure: Figure) -> str:
    """A mean answer for people: '4.3 / 5', or 'too few cases'."""
    if figure.value is None:
        return _("too few cases")
    return _("%(mean)s / 5", mean=format_decimal(round(figure.value, 1), "0.0"))


def scorecard_tiles(card: Scorecard) -> list[tuple[str, list[Tile]]]:
    """The headline figures of a scorecard in groups, each with its heading."""
    overall = card.satisfaction["overall"]
    volume = [
        Tile(_("Cases received"), format_decimal(card.received),
             _("%(n)s declined", n=format_decimal(card.declined))),
        Tile(_("Open now"), format_decimal(card.open_now),
             _("%(n)s awaiting the owner's confirmation",
               n=format_decimal(card.awaiting_owner))),
        Tile(_("Cases closed"), format_decimal(card.closed),
             _("%(confirmed)s confirmed by the owner, %(unconfirmed)s without an answer",
               confirmed=format_decimal(card.confirmed),
               unconfirmed=format_decimal(card.unconfirmed))),
        Tile(_("Group complaints"), format_decimal(card.group_complaints),
             _("many owners joined one case within days")),
    ]
    speed = [
        _duration_tile(_("Median time to first response"), card.medians["first_response"]),
        _duration_tile(_("Median time to a plan"), card.medians["plan"]),
        _duration_tile(_("Median time to resolve"), card.medians["resolve"]),
    ]
    kept = [
        _share_tile(_("First-response promises kept"), card.promises["first_response"]),
        _share_tile(_("Plan promises kept"), card.promises["plan"]),
        _share_tile(_("Resolution promises kept"), card.promises["resolve"]),
    ]
    outcome = [
        _share_tile(_("Closed with the owner's confirmation"), card.confirmed_share),
        _share_tile(_("Sent back or reopened by the owner"), card.reopen_share),
        Tile(_("Satisfaction"), mean_text(overall),
             _("%(share)s answered 4 or 5", share=percent(card.satisfied["overall"]))
             if overall.shown else "", withheld=not overall.shown),
        _share_tile(_("Loyalty"), card.loyalty, _("all three answers 4 or 5")),
    ]
    return [(_("Cases"), volume), (_("Speed, counted from filing"), speed),
            (_("Promises kept on time"), kept), (_("Outcome and satisfaction"), outcome)]


def satisfaction_rows(card: Scorecard) -> list[tuple[str, str, str]]:
    """(question, mean answer, share answering 4–5) for the three questions."""
    questions = {"overall": _("Overall satisfaction"), "buy_again": _("Would buy again"),
                 "recommend": _("Would recommend")}
    return [(label, mean_text(card.satisfaction[q]), percent(card.satisfied[q]))
            for q, label in questions.items()]


# --- The archive's filters -----------------------------------------------------------------

FILTER_ARGS = ("community", "category", "year", "rating", "outcome")


def archive_years(first_closed: datetime | None, now: datetime, zone: ZoneInfo) -> list[int]:
    """The years the archive can be narrowed to, newest first."""
    last = now.astimezone(zone).year
    first = first_closed.astimezone(zone).year if first_closed else last
    return list(range(last, min(first, last) - 1, -1))


def archive_filter(form: Any, communities: list, professions: list, years: list[int],
                   zone: ZoneInfo) -> queries.ArchiveFilter:
    """The filter the reader's choices describe; unknown values filter nothing."""
    community = next((c for c in communities if c.slug == form.community.data), None)
    category_ids: tuple[int, ...] = ()
    for profession in professions:
        if profession.id == form.category.data:
            category_ids = tuple(i.id for i in profession.items) or (profession.id,)
        for item in profession.items:
            if item.id == form.category.data:
                category_ids = (item.id,)
    closed_from = closed_until = None
    if form.year.data in years:
        closed_from, closed_until = stats.year_bounds(form.year.data, zone)
    return queries.ArchiveFilter(
        community_id=community.id if community else None, category_ids=category_ids,
        closed_from=closed_from, closed_until=closed_until,
        rating=form.rating.data if form.rating.data in queries.RATING_FILTERS else "",
        outcome=form.outcome.data if form.outcome.data in ("confirmed", "unconfirmed") else "")


# --- Communities compared ------------------------------------------------------------------

def measure_labels() -> dict[str, str]:
    """What each ranking measure is called."""
    return {"confirmed": _("Confirmed resolutions"), "promises": _("Promises kept"),
            "loyalty": _("Loyalty")}


@dataclass
class RankRow:
    """One community's line on the comparison page, ready to show."""

    rank: int | None
    name: str
    slug: str
    cells: dict[str, str]     # by measure
    closed: str
    mark: str = ""            # "best" (红榜) or "worst" (黑榜)


def ranking_rows(ranked: list[stats.CommunityFigures],
                 unranked: list[stats.CommunityFigures]) -> list[RankRow]:
    """The ranked communities, best first, then those with too few cases."""
    rows = []
    for i, item in enumerate([*ranked, *unranked]):
        in_rank = i < len(ranked)
        mark = ""
        if in_rank and len(ranked) > 1:
            mark = "best" if i == 0 else "worst" if i == len(ranked) - 1 else ""
        rows.append(RankRow(rank=i + 1 if in_rank else None, name=item.name, slug=item.slug,
                            cells={m: percent(item.measure(m)) for m in stats.MEASURES},
                            closed=format_decimal(item.closed), mark=mark))
    return rows
