"""Time the scorecard, the comparison of communities and the archive on N synthetic cases.

    N=100000 URL=sqlite:////tmp/figures.sqlite3 .venv/bin/python bench/transparency_figures.py
    N=100000 URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench .venv/bin/python ...
    LOAD=0 ... reuses the rows of an earlier run.

The database named by URL is emptied and filled (drop_all, create_all): never point it at
real data. Measured 2026-11 (100 000 cases, best of 3): site scorecard 0.43 s on
PostgreSQL and 1.1–1.5 s on SQLite; one community's 0.13 s / 0.25 s; communities compared
0.10 s / 0.19 s; any archive page, the first or the deepest, 2–11 ms on both.
"""
from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.complaints import queries, stats  # noqa: E402
from app.extensions import db  # noqa: E402
from config import TestingConfig  # noqa: E402

N = int(os.environ.get("N", 100_000))
URL = os.environ.get("URL", "sqlite:////tmp/figures.sqlite3")
STATUSES = ("closed", "declined", "in_progress", "received", "resolved")


def _case(i: int, rng: random.Random, now: datetime) -> tuple[dict, dict, dict | None]:
    filed = now - timedelta(days=rng.uniform(0, 730))
    status = rng.choices(STATUSES, [70, 8, 10, 7, 5])[0]
    answered = filed + timedelta(hours=rng.uniform(0.5, 40))
    planned = answered + timedelta(hours=rng.uniform(1, 60)) \
        if status in ("closed", "in_progress", "resolved") else None
    resolved = planned + timedelta(days=rng.uniform(1, 20)) \
        if planned and status != "in_progress" else None
    closed = resolved + timedelta(days=rng.uniform(0, 8)) if status == "closed" else \
        answered if status == "declined" else None
    kind = rng.choice(["confirmed", "confirmed", "unconfirmed"]) if status == "closed" else None
    thread = {"id": i, "board_id": i % 6 + 1, "author_id": 1, "title": f"投诉{i}",
              "created_at": filed, "last_post_at": filed, "post_count": 1}
    case = {"id": i, "thread_id": i, "community_id": i % 6 + 1, "category_id": 2 + i % 10,
            "filed_by_id": 1, "status": status, "closed_kind": kind, "location": "public",
            "first_response_due": filed + timedelta(hours=24),
            "plan_due": filed + timedelta(hours=72), "resolve_due": filed + timedelta(hours=240),
            "first_response_at": answered, "planned_at": planned, "resolved_at": resolved,
            "closed_at": closed, "reopen_count": int(rng.random() < .1), "created_at": filed,
            "version": 1, "resolution_summary": "已处理" if resolved else ""}
    rating = {"id": i, "case_id": i, "overall": rng.randint(1, 5),
              "buy_again": rng.randint(1, 5), "recommend": rng.randint(1, 5),
              "at": closed} if kind == "confirmed" else None
    return thread, case, rating


def load(now: datetime) -> None:
    """Empty the database and write N cases (with threads and ratings)."""
    db.drop_all()
    db.create_all()
    tables = db.metadata.tables
    rng = random.Random(5)
    with db.engine.begin() as conn:
        conn.execute(tables["users"].insert(), [{
            "id": 1, "username": "u", "display_name": "u", "email": "u@example.com",
            "password_hash": "x", "role": "staff", "created_at": now}])
        conn.execute(tables["communities"].insert(), [
            {"id": i, "slug": f"c{i}", "name": f"小区{i}", "created_at": now} for i in range(1, 7)])
        conn.execute(tables["boards"].insert(), [
            {"id": i, "community_id": i, "slug": "complaints", "name": "投诉",
             "kind": "complaints", "created_at": now} for i in range(1, 7)])
        conn.execute(tables["departments"].insert(), [{"id": 1, "slug": "eng", "name": "工程部"}])
        conn.execute(tables["categories"].insert(), [
            {"id": i, "parent_id": None if i == 1 else 1, "slug": f"k{i}",
             "name": "工程质量" if i == 1 else f"项目{i}", "department_id": 1 if i == 1 else None}
            for i in range(1, 12)])
    rows = [_case(i, rng, now) for i in range(1, N + 1)]
    with db.engine.begin() as conn:
        for position, table in enumerate(("threads", "cases", "case_ratings")):
            chosen = [row[position] for row in rows if row[position] is not None]
            for start in range(0, len(chosen), 5000):
                conn.execute(tables[table].insert(), chosen[start:start + 5000])
        conn.exec_driver_sql("ANALYZE")


def timed(label: str, work: Callable[[], object]) -> None:
    """The best of three runs, each with a fresh session."""
    best = float("inf")
    for _ in range(3):
        db.session.remove()
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    print(f"{label:40s} {best * 1000:8.1f} ms")


def main() -> None:
    """Load (unless LOAD=0) and time each figure and archive page."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=URL)
    now = datetime.now(UTC)
    zone = ZoneInfo("Asia/Shanghai")
    with app.app_context():
        if os.environ.get("LOAD", "1") == "1":
            load(now)
        oldest = db.session.execute(sa.text(
            "SELECT closed_at, id FROM cases WHERE status = 'closed' "
            "ORDER BY closed_at, id LIMIT 1 OFFSET 30")).one()
        closed_at = oldest[0] if isinstance(oldest[0], datetime) else \
            datetime.fromisoformat(oldest[0])
        deep = queries.Cursor(closed_at.replace(tzinfo=UTC), oldest[1])
        site, one = queries.ArchiveFilter(), queries.ArchiveFilter(community_id=3)
        low = queries.ArchiveFilter(rating="1-3")

        def page(f: queries.ArchiveFilter, after: queries.Cursor | None = None) -> object:
            return queries.archive_rows(queries.resolved_archive(f, after=after), 21)

        timed("scorecard, site", lambda: stats.compute_scorecard(
            None, now=now, min_sample=5, zone=zone))
        timed("scorecard, one community", lambda: stats.compute_scorecard(
            1, now=now, min_sample=5, zone=zone))
        timed("communities compared", lambda: stats.community_figures(now=now, min_sample=5))
        timed("archive, first page", lambda: page(site))
        timed("archive, deepest page", lambda: page(site, deep))
        timed("archive, one community, first page", lambda: page(one))
        timed("archive, one community, deepest page", lambda: page(one, deep))
        timed("archive, rated 1-3, first page", lambda: page(low))


if __name__ == "__main__":
    main()
