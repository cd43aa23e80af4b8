"""Search speed at scale (issue 6): index build time and query latency (README.md, "Search").

    .venv/bin/python bench/search.py --posts 1000000 \
        --database sqlite:///bench/search-1000000.sqlite3
    .venv/bin/python bench/search.py --posts 1000000 \\
        --database postgresql+psycopg://postgres@127.0.0.1:5432/test_gbench
    .venv/bin/python bench/search.py --smoke

The database is generated with bench/generate.py unless it holds a site of that size (its posts are
indexed for search by the generator's bulk path); `--rebuild` also times
`flask search rebuild` over all of it. Then every query of QUERIES runs `--repeat`
times through the app's own search functions (app/search/queries.py: the SQL, loading
the hits and making the snippets; not the page rendering, which bench/run.py measures),
and the median and p95 of each and of all are printed and written as JSON to
bench/results/. The machine's load is recorded before and after, since the machine
may be shared.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

import click  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.search import rebuild as search_rebuild  # noqa: E402
from app.search.queries import SearchRequest, search, similar_cases  # noqa: E402
from common import (BENCH_DIR, RESULTS_DIR, is_sqlite, machine_info,  # noqa: E402
                    normalise_url, sqlite_path)
from config import DevelopmentConfig  # noqa: E402

TARGET_P95_MS = 50.0


@dataclass
class Query:
    """One benchmark query: a search request, or a similar-cases lookup (`similar`)."""

    label: str
    q: str = ""
    similar: str = ""
    options: dict = field(default_factory=dict)


QUERIES = [
    Query("漏水 (common)", "漏水"),
    Query("电梯 (common)", "电梯"),
    Query("物业 (very common)", "物业"),
    Query("物业 page 20", "物业", options={"page": 20}),
    Query("困人 (rarer)", "困人"),
    Query("荔枝 (rare)", "荔枝"),
    Query("游泳池 (rare)", "游泳池"),
    Query("物业费 涨价 (two words)", "物业费 涨价"),
    Query("B座 1203 (mixed)", "B座 1203"),
    Query("15栋 1203 (mixed)", "15栋 1203"),
    Query("TS-000123 (case number)", "TS-000123"),
    Query("\"电梯困人\" (phrase)", "\"电梯困人\""),
    Query("\"物业费\" (phrase)", "\"物业费\""),
    Query("漏水 in a community", "漏水", options={"community": 2}),
    Query("电梯 complaints", "电梯", options={"kind": "complaint"}),
    Query("物业 closed cases", "物业", options={"status": "closed"}),
    Query("漏水 since 2026", "漏水", options={"since": date(2026, 1, 1)}),
    Query("物业 newest", "物业", options={"sort": "newest"}),
    Query("漏水 newest page 5", "漏水", options={"sort": "newest", "page": 5}),
    Query("staff: 漏水 with notes", "漏水", options={"include_internal": True}),
    Query("similar: 电梯困人", similar="3栋电梯又坏了，困人半小时，物业一直不来修",
          options={"community": 1}),
    Query("similar: 卫生间漏水", similar="楼上卫生间漏水，我家天花板渗水发霉",
          options={"community": 3}),
]


def load_average() -> list[float]:
    """The 1, 5 and 15-minute load averages."""
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def site_posts(url: str) -> int:
    """How many posts the database's site holds (0: no database or no site)."""
    if is_sqlite(url) and not sqlite_path(url).exists():
        return 0
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("posts"):
                return 0
            return conn.execute(sa.text("SELECT count(*) FROM posts")).scalar() or 0
    except sa.exc.OperationalError:
        return 0
    finally:
        engine.dispose()


def generate(url: str, posts: int) -> float:
    """Generate the site with bench/generate.py; returns its wall time."""
    started = time.perf_counter()
    subprocess.run([sys.executable, str(BENCH_DIR / "generate.py"), "--posts", str(posts),
                    "--database", url, "--replace"], check=True)
    return time.perf_counter() - started


def community_ids() -> list[int]:
    """Community ids, biggest first (the options name them by position)."""
    return list(db.session.scalars(sa.text(
        "SELECT id FROM communities ORDER BY post_count DESC, id")))


def run_query(query: Query, communities: list[int]) -> int:
    """Run one query once; returns how many results it showed."""
    options = dict(query.options)
    if "community" in options:
        options["community_id"] = communities[options.pop("community") - 1]
    if query.similar:
        return len(similar_cases(query.similar, community_id=options.get("community_id")))
    results = search(SearchRequest(q=query.q, **options))
    return len(results.hits)


def schedstat(pid: int | str) -> tuple[int, int]:
    """Nanoseconds a process has run on a CPU, and waited for one (/proc/PID/schedstat)."""
    try:
        ran, waited = Path(f"/proc/{pid}/schedstat").read_text().split()[:2]
    except (OSError, ValueError):
        return 0, 0
    return int(ran), int(waited)


def database_pid() -> int | None:
    """The PostgreSQL backend serving this session (on this machine), else None."""
    if db.engine.dialect.name != "postgresql":
        return None
    pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
    db.session.rollback()
    return pid if Path(f"/proc/{pid}").exists() else None


def measure(repeat: int, warmup: int) -> tuple[list[dict], dict]:
    """Every query `repeat` times (after `warmup` untimed rounds), interleaved.

    Besides wall time, each run's CPU time (this process plus the PostgreSQL backend)
    and the time both spent waiting for a CPU are read from /proc: on a shared machine
    the wall time is the CPU time plus that wait."""
    communities = community_ids()
    backend = database_pid()
    pids = ["self"] + ([backend] if backend else [])
    times: dict[str, list[float]] = {q.label: [] for q in QUERIES}
    cpu: dict[str, list[float]] = {q.label: [] for q in QUERIES}
    waits: list[float] = []
    shown: dict[str, int] = {}
    for round_ in range(warmup + repeat):
        for query in QUERIES:
            before = [schedstat(pid) for pid in pids]
            started, used = time.perf_counter(), time.process_time()
            shown[query.label] = run_query(query, communities)
            db.session.rollback()  # end the read transaction, as a request would
            elapsed = (time.perf_counter() - started) * 1000
            used = time.process_time() - used
            after = [schedstat(pid) for pid in pids]
            if round_ >= warmup:
                times[query.label].append(elapsed)
                cpu[query.label].append(used * 1000 + sum(
                    a[0] - b[0] for a, b in zip(after[1:], before[1:])) / 1e6)
                waits.append(sum(a[1] - b[1] for a, b in zip(after, before)) / 1e6)
    rows = []
    for query in QUERIES:
        samples, used = sorted(times[query.label]), sorted(cpu[query.label])
        rows.append({"query": query.label, "shown": shown[query.label],
                     "median_ms": statistics.median(samples), "p95_ms": percentile(samples, 95),
                     "max_ms": samples[-1], "cpu_median_ms": statistics.median(used),
                     "cpu_p95_ms": percentile(used, 95)})
    everything = sorted(t for samples in times.values() for t in samples)
    all_cpu = sorted(t for samples in cpu.values() for t in samples)
    overall = {"median_ms": statistics.median(everything),
               "p95_ms": percentile(everything, 95), "max_ms": everything[-1],
               "cpu_median_ms": statistics.median(all_cpu), "cpu_p95_ms": percentile(all_cpu, 95),
               "cpu_wait_share": sum(waits) / max(sum(everything), 1e-9),
               "samples": len(everything), "backend_cpu_measured": backend is not None}
    return rows, overall


def percentile(samples: list[float], pct: float) -> float:
    """The nearest-rank percentile of sorted samples."""
    rank = max(1, -(-len(samples) * pct // 100))
    return samples[int(rank) - 1]


def database_version() -> str:
    if db.engine.dialect.name == "sqlite":
        return "SQLite " + db.session.scalar(sa.text("SELECT sqlite_version()"))
    return db.session.scalar(sa.text("SHOW server_version")).split()[0].join(("PostgreSQL ", ""))


@click.command()
@click.option("--database", default=f"sqlite:///{BENCH_DIR / 'search-1000000.sqlite3'}",
              show_default=True, help="SQLAlchemy URL: sqlite:///FILE or postgresql+psycopg://…")
@click.option("--posts", type=int, default=1_000_000, show_default=True,
              help="Posts to generate when the database holds no site.")
@click.option("--regenerate", is_flag=True, help="Generate the site even when there is one.")
@click.option("--rebuild", is_flag=True, help="Time `flask search rebuild` over every post.")
@click.option("--repeat", type=int, default=30, show_default=True)
@click.option("--warmup", type=int, default=3, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--smoke", is_flag=True, help="CI: 3,000 posts in a temporary SQLite file, "
              "rebuilt, 3 rounds; exits 1 when a query fails.")
def main(database: str, posts: int, regenerate: bool, rebuild: bool, repeat: int, warmup: int,
         out: Path | None, smoke: bool) -> None:
    """Time search over a generated site."""
    if smoke:
        posts, rebuild, repeat, warmup = 3_000, True, 3, 1
        database = f"sqlite:///{Path(tempfile.gettempdir()) / 'ownervoice-search-smoke.sqlite3'}"
        regenerate = True
    url = normalise_url(database)
    report: dict = {"database_url": url.split("@")[-1], "machine": machine_info(),
                    "started": datetime.now(UTC).isoformat(timespec="seconds"),
                    "load_before": load_average()}
    if regenerate or site_posts(url) != posts:  # reused only when it has the size asked
        report["generate_s"] = round(generate(url, posts), 1)
        click.echo(f"Generated in {report['generate_s']} s (posts indexed by the bulk path).")
    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        report["database"] = database_version()
        report["posts"] = db.session.scalar(sa.text("SELECT count(*) FROM posts"))
        if rebuild:
            load, backend = load_average(), database_pid()
            before = schedstat(backend) if backend else (0, 0)
            started, used = time.perf_counter(), time.process_time()
            total = search_rebuild.rebuild()
            report["rebuild_s"] = round(time.perf_counter() - started, 1)
            after = schedstat(backend) if backend else (0, 0)
            report["rebuild_cpu_s"] = round(time.process_time() - used
                                            + (after[0] - before[0]) / 1e9, 1)
            report["rebuild_documents"] = total
            report["rebuild_load"] = [load, load_average()]
            click.echo(f"flask search rebuild: {total:,} texts in {report['rebuild_s']} s, "
                       f"{report['rebuild_cpu_s']} CPU-s (load {load[0]:.1f} → "
                       f"{load_average()[0]:.1f}).")
        report["documents"] = search_rebuild.indexed_count()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:  # fresh planner statistics after a rebuild
                conn.execute(sa.text("ANALYZE search_docs"))
                conn.commit()
        report["load_start"] = load_average()
        rows, overall = measure(repeat, warmup)
        report["load_end"] = load_average()
    report.update(queries=rows, overall=overall, repeat=repeat)
    click.echo(f"\n{report['database']}, {report['posts']:,} posts, "
               f"{report['documents']:,} documents; {repeat} runs each; load "
               f"{report['load_start'][0]:.1f} → {report['load_end'][0]:.1f} "
               f"({os.cpu_count()} cores)")
    width = max(len(r["query"]) for r in rows) + 2
    click.echo(f"{'query':<{width}} {'shown':>5} {'median':>8} {'p95':>8} {'max':>8} "
               f"{'cpu med':>8} {'cpu p95':>8}  (ms)")
    for r in [*rows, {"query": "all", "shown": "", **overall}]:
        click.echo(f"{r['query']:<{width}} {r['shown']:>5} {r['median_ms']:>8.1f} "
                   f"{r['p95_ms']:>8.1f} {r['max_ms']:>8.1f} {r['cpu_median_ms']:>8.1f} "
                   f"{r['cpu_p95_ms']:>8.1f}")
    click.echo(f"Waiting for a CPU (other processes running): {overall['cpu_wait_share']:.0%} "
               f"of the wall time" + ("" if overall["backend_cpu_measured"] or
                                      report["database"].startswith("SQLite")
                                      else " (the database server's CPU is not on this "
                                      "machine: CPU columns are this process only)"))
    verdict = "pass" if overall["p95_ms"] <= TARGET_P95_MS else "MISS"
    cpu_verdict = "pass" if overall["cpu_p95_ms"] <= TARGET_P95_MS else "MISS"
    click.echo(f"target p95 ≤ {TARGET_P95_MS:.0f} ms over all queries: wall {verdict}, "
               f"CPU {cpu_verdict}")
    report["target"] = {"p95_ms": TARGET_P95_MS, "verdict": verdict,
                        "cpu_verdict": cpu_verdict}
    RESULTS_DIR.mkdir(exist_ok=True)
    engine = "sqlite" if is_sqlite(url) else "postgresql"
    out = out or RESULTS_DIR / (f"search-{engine}-{report['posts']}-"
                                f"{datetime.now(UTC):%Y%m%dT%H%M%S}.json")
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    click.echo(f"Written to {out}")


if __name__ == "__main__":
    main()
