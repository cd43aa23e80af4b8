"""Fill a database with a realistic OwnerVoice site of a given size (see bench/README.md).

    .venv/bin/python bench/generate.py --posts 100000 --database sqlite:///bench/bench.sqlite3
    .venv/bin/python bench/generate.py --posts 1000000 \
        --database postgresql+psycopg://postgres@127.0.0.1:5432/ov_bench --replace --check

The schema comes from the app's migrations; rows are written in bulk with explicit ids
and every counter kept on rows is computed from the rows written (`--check` proves it).
"""
from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

# Run as a script from anywhere: the app lives one directory up, the helpers next door.
sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

import click  # noqa: E402
import flask_migrate  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.services import hash_password  # noqa: E402
from app.communities.defaults import install_defaults  # noqa: E402
from app.communities.models import Category, Department  # noqa: E402
from app.extensions import db  # noqa: E402
from bulk import Bulk  # noqa: E402
from cases import CategoryInfo  # noqa: E402
from common import (BENCH_DIR, BENCH_PASSWORD, is_sqlite, normalise_url,  # noqa: E402
                    pg_recreate_database, sqlite_path)
from config import DevelopmentConfig  # noqa: E402
from siteplan import COMMUNITY_COUNT, Site, plan_site  # noqa: E402
from stream import ThreadStream  # noqa: E402
from textbank import build_bank  # noqa: E402
from verify import verify  # noqa: E402

SEED = 20260707


def prepare_database(url: str, replace: bool) -> None:
    """Start from an empty database: refuse to overwrite data unless told to."""
    if is_sqlite(url):
        path = sqlite_path(url)
        if path.exists() and path.stat().st_size > 0:
            if not replace:
                raise click.ClickException(f"{path} exists; pass --replace to overwrite it")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            has_rows = sa.inspect(conn).has_table("users") and conn.execute(
                sa.text("SELECT 1 FROM users LIMIT 1")).first() is not None
    except sa.exc.OperationalError:
        has_rows = False  # the database does not exist yet
    finally:
        engine.dispose()
    if has_rows and not replace:
        raise click.ClickException("the database holds a site; pass --replace to recreate it")
    pg_recreate_database(url)


def write_counters(bulk: Bulk, site: Site) -> None:
    """Store every counter computed while streaming: boards, communities, users."""
    board_rows, totals = [], [[0, 0] for _ in range(COMMUNITY_COUNT)]
    for board in site.boards:
        last_at, last_id = board.last if board.last else (None, None)
        board_rows.append((board.threads, board.posts, last_at, last_id, board.id))
        if board.community is not None:
            totals[board.community][0] += board.threads
            totals[board.community][1] += board.posts
    bulk.update("boards", "id", ("thread_count", "post_count", "last_post_at", "last_thread_id"),
                board_rows)
    bulk.update("communities", "id", ("thread_count", "post_count"),
                [(t, p, index + 1) for index, (t, p) in enumerate(totals)])
    bulk.update("users", "id", ("post_count", "thread_count"),
                [(site.user_posts[u], site.user_threads[u], u)
                 for u in range(1, site.user_count + 1)
                 if site.user_posts[u] or site.user_threads[u]])
    bulk.commit()


def schema_drift() -> list[str]:
    """Tables and columns the models describe but the database lacks (migrations lagging)."""
    inspector = sa.inspect(db.engine)
    missing = []
    for table in db.metadata.sorted_tables:
        if not inspector.has_table(table.name):
            missing.append(table.name)
            continue
        present = {column["name"] for column in inspector.get_columns(table.name)}
        missing += [f"{table.name}.{c.name}" for c in table.columns if c.name not in present]
    return missing


def load_reference_data(url: str, schema: str) -> tuple[str, dict[str, tuple[int, str]],
                                                        dict[str, CategoryInfo]]:
    """Build the schema, install the default categories, and read back what the generator
    needs (and the one password hash every account shares).

    `schema` is "migrations" (`flask db upgrade`, as production does) or "models"
    (create_all, for a tree whose migration has not caught up with its models yet).
    """
    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        if schema == "models":
            db.create_all()
        else:
            flask_migrate.upgrade()
        missing = schema_drift()
        if missing:
            raise click.ClickException(
                "the migrations do not build what the models describe (missing: "
                + ", ".join(missing[:12]) + (" ..." if len(missing) > 12 else "")
                + "); use --schema models until the migration lands")
        install_defaults()
        departments = {d.slug: (d.id, d.name) for d in db.session.scalars(sa.select(Department))}
        categories = {}
        for item in db.session.scalars(sa.select(Category).where(Category.parent_id.isnot(None))):
            categories[item.slug] = CategoryInfo(
                id=item.id, department_id=item.routed_department_id or 0, limits=item.limits,
                working=item.counts_working_hours,
                engineering=item.parent is not None and item.parent.slug == "engineering")
        password_hash = hash_password(BENCH_PASSWORD)
        db.session.remove()
        db.engine.dispose()
    return password_hash, departments, categories


def generate(url: str, posts: int, users: int, per_topic: int, processes: int, seed: int,
             schema: str = "migrations") -> dict[str, float | int]:
    """Fill the (empty) database at `url`; returns timings and sizes."""
    rng = random.Random(seed)
    timings: dict[str, float | int] = {}
    started = time.perf_counter()
    password_hash, departments, categories = load_reference_data(url, schema)
    timings["schema_s"] = time.perf_counter() - started

    mark = time.perf_counter()
    bank = build_bank(seed, per_topic, processes)
    timings["bank_s"] = time.perf_counter() - mark
    timings["bank_rendered"] = bank.rendered
    timings["bank_render_s"] = bank.render_seconds
    click.echo(f"Text bank: {bank.posts_drafted} drafted texts, {bank.rendered} distinct "
               f"rendered in {bank.render_seconds:.1f} s "
               f"({bank.render_seconds / max(bank.rendered, 1) * 1e6:.0f} µs each, "
               f"{processes} process(es)).")

    bulk = Bulk(url)
    site, plans = plan_site(rng, bulk, posts, users, password_hash, departments, categories)
    stream = ThreadStream(rng, site, bank, bulk)
    mark = time.perf_counter()
    with click.progressbar(length=posts, label=f"Writing {posts:,} posts",
                           show_eta=True, show_percent=True) as bar:
        for thread_id, plan in enumerate(plans, start=1):
            bar.update(stream.write(thread_id, plan))
        stream.buffers.flush(bulk)
    timings["rows_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    write_counters(bulk, site)
    bulk.finish()
    timings["finish_s"] = time.perf_counter() - mark
    timings["total_s"] = time.perf_counter() - started
    timings.update(posts=stream.next_post - 1, threads=len(plans), users=site.user_count,
                   cases=stream.case_count, case_events=stream.cases.next_event - 1,
                   case_joins=stream.cases.next_join - 1, boards=len(site.boards),
                   communities=COMMUNITY_COUNT)
    return timings


@click.command()
@click.option("--posts", type=click.IntRange(1_000, 5_000_000), default=100_000,
              show_default=True, help="How many posts the site holds.")
@click.option("--database", "database", default=f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}",
              show_default=True, help="SQLAlchemy URL: sqlite:///FILE or postgresql+psycopg://…")
@click.option("--users", type=int, default=None, help="Accounts (default: posts/40, 1k–25k).")
@click.option("--replace", is_flag=True, help="Drop an existing database first.")
@click.option("--check", is_flag=True, help="Afterwards compare every counter with COUNTs.")
@click.option("--check-only", is_flag=True, help="Only check an existing database.")
@click.option("--processes", type=int, default=os.cpu_count() or 1, show_default=True,
              help="Processes rendering the text bank.")
@click.option("--schema", type=click.Choice(["migrations", "models"]), default="migrations",
              show_default=True, help="Build tables with `flask db upgrade`, or from the "
              "models when the migrations lag behind them.")
@click.option("--seed", type=int, default=SEED, show_default=True)
@click.option("--smoke", is_flag=True, help="CI: 3,000 posts in a temporary SQLite file, checked.")
def main(posts: int, database: str, users: int | None, replace: bool, check: bool,
         check_only: bool, processes: int, schema: str, seed: int, smoke: bool) -> None:
    """Fill a database with a realistic site of a given size."""
    if smoke:
        posts, replace, check = 3_000, True, True
        database = f"sqlite:///{Path(tempfile.gettempdir()) / 'ownervoice-bench-smoke.sqlite3'}"
    url = normalise_url(database)
    if not check_only:
        prepare_database(url, replace)
        users = users or min(25_000, max(1_000, posts // 40))
        per_topic = min(40, max(8, posts // 2_500))
        result = generate(url, posts, users, per_topic, processes, seed, schema)
        click.echo(f"Generated {result['posts']:,} posts in {result['threads']:,} threads, "
                   f"{result['users']:,} users, {result['cases']:,} cases "
                   f"({result['case_events']:,} events, {result['case_joins']:,} joins) in "
                   f"{result['total_s']:.1f} s (schema {result['schema_s']:.1f} s, text "
                   f"{result['bank_s']:.1f} s, rows {result['rows_s']:.1f} s, counters and "
                   f"statistics {result['finish_s']:.1f} s).")
    if check or check_only:
        problems = verify(url, echo=click.echo)
        if problems:
            raise click.ClickException(f"{problems} counter check(s) failed")
        click.echo("Every counter matches the rows.")


if __name__ == "__main__":
    main()
