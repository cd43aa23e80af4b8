"""Where a page's time goes: in-process timing, SQL statements, and CPU by package.

    .venv/bin/python bench/profile_pages.py --database sqlite:///bench/bench.sqlite3 \
        / /c/siji-garden/talk "/t/123?page=5"
    .venv/bin/python bench/profile_pages.py --database ... --login siji_1 --sql /t/123

Runs the production app (as bench/wsgi_bench.py builds it) through Flask's test client,
so no network or other worker is involved: the figures are the page's own cost. The
package shares come from cProfile (which slows Python code more than C, so read them
as proportions, not milliseconds); `--top` lists the costliest functions too.
"""
from __future__ import annotations

import cProfile
import os
import pstats
import re
import sys
import time
from collections import Counter
from pathlib import Path

# Run as a script from anywhere: the app lives one directory up, the helpers next door.
sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

import click  # noqa: E402
from sqlalchemy import event  # noqa: E402

from common import BENCH_PASSWORD, ROOT, normalise_url  # noqa: E402

SITE_PACKAGES = re.compile(r"site-packages/([A-Za-z_]+)")
DRIVER_CALLS = re.compile(r"of '(sqlite3|psycopg)[^']*' objects|psycopg")


def package_of(filename: str, function: str) -> str:
    """A profiler entry's owner: the app, its templates, a library, or the database driver."""
    if filename.startswith(str(ROOT / "templates")):
        return "templates"
    if filename.startswith(str(ROOT / "app")):
        return "app"
    if DRIVER_CALLS.search(function) or "psycopg" in filename:
        return "database driver"
    found = SITE_PACKAGES.search(filename)
    if found:
        return found.group(1)
    return "python (builtins, stdlib)"


@click.command()
@click.option("--database", required=True, help="The generated site's SQLAlchemy URL.")
@click.option("--login", "username", default=None, help="View the pages as this account.")
@click.option("--repeat", type=int, default=30, show_default=True)
@click.option("--sql", is_flag=True, help="Print each page's SQL statements once.")
@click.option("--top", type=int, default=0, help="Also list the N costliest functions.")
@click.argument("paths", nargs=-1, required=True)
def main(database: str, username: str | None, repeat: int, sql: bool, top: int,
         paths: tuple[str, ...]) -> None:
    """Profile pages of a generated site in-process."""
    os.environ.update(APP_ENV="production", SECRET_KEY="profile-only",
                      DATABASE_URL=normalise_url(database))
    from wsgi_bench import app  # after the environment is set: create_app() reads it

    from app.extensions import db

    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute",
                     lambda *args: statements.append(args[2]))
    client = app.test_client()
    if username:
        app.config["WTF_CSRF_ENABLED"] = False  # only for logging in here
        answer = client.post("/login", data={"login": username, "password": BENCH_PASSWORD})
        if answer.status_code != 302:
            raise click.ClickException(f"logging in as {username} failed")
    for path in paths:
        for _ in range(3):  # warm: templates compiled, caches filled
            page = client.get(path)
        if page.status_code != 200:
            raise click.ClickException(f"{path} answered {page.status_code}")
        statements.clear()
        started = time.perf_counter()
        for _ in range(repeat):
            client.get(path)
        elapsed = (time.perf_counter() - started) / repeat
        queries = len(statements) // repeat
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(repeat):
            client.get(path)
        profiler.disable()
        shares: Counter[str] = Counter()
        stats = pstats.Stats(profiler)
        for (filename, _, function), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
            shares[package_of(filename, function)] += own
        total = sum(shares.values()) or 1.0
        click.echo(f"{path}: {elapsed * 1000:.1f} ms, {queries} SQL statements, "
                   f"{len(page.data) / 1024:.1f} KB")
        click.echo("  " + ", ".join(f"{name} {100 * value / total:.0f}%"
                                    for name, value in shares.most_common(8)))
        if sql:
            for statement in statements[:queries]:
                click.echo("  SQL " + " ".join(statement.split())[:160])
        if top:
            stats.sort_stats("tottime").print_stats(top)


if __name__ == "__main__":
    main()
