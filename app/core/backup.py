"""Online backup and restore: `flask backup DEST`, `flask restore SRC`.

SQLite: the sqlite3 online backup API copies every page in one step, inside one read
transaction, so the copy is the database as it was at one instant while writers go on
(WAL: readers and writers do not block each other). The copy is written beside the
destination, checked with `PRAGMA integrity_check`, then renamed into place, so a
half-written backup never carries the final name.

PostgreSQL: `pg_dump --format=custom` (one consistent snapshot, writers go on) and
`pg_restore` into an empty database. Connection details go to the tools through the
PG* environment variables, never on the command line (where `ps` would show a password).
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy.engine import make_url


class BackupError(click.ClickException):
    """A backup or restore that could not be done; the message says what to do."""


@dataclass
class Outcome:
    path: Path
    size: int
    seconds: float
    detail: str


def _sqlite_path(url: str) -> Path:
    parsed = make_url(url)
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("This SQLite database lives in memory; there is nothing to back up.")
    return Path(parsed.database).resolve()


def _integrity(conn: sqlite3.Connection) -> str:
    return "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0


def sqlite_backup(source: Path, dest: Path) -> Outcome:
    """Copy a live SQLite database to `dest`, consistent while other processes write."""
    if not source.exists():
        raise BackupError(f"No database at {source}.")
    started = time.monotonic()
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    part.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)
    out = sqlite3.connect(part)
    try:
        src.execute("PRAGMA busy_timeout=30000")
        src.backup(out)  # pages=-1: all pages in one step, one read snapshot
        out.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        check = _integrity(out)
    finally:
        out.close()
        src.close()
    if check != "ok":
        part.unlink(missing_ok=True)
        raise BackupError(f"The copy failed its integrity check ({check}); nothing was kept.")
    with part.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(part, dest)
    return Outcome(dest, dest.stat().st_size, time.monotonic() - started, "integrity ok")


def sqlite_restore(backup: Path, target: Path, *, force: bool) -> Outcome:
    """Copy a backup into the configured database (stop the app servers first)."""
    if not backup.exists():
        raise BackupError(f"No backup at {backup}.")
    started = time.monotonic()
    src = sqlite3.connect(backup)
    try:
        check = _integrity(src)
        if check != "ok":
            raise BackupError(f"The backup fails its integrity check ({check}); not restored.")
        target.parent.mkdir(parents=True, exist_ok=True)
        out = sqlite3.connect(target, timeout=30)
        try:
            if _has_tables(out) and not force:
                raise BackupError(f"{target} already holds a database. Stop the app servers, "
                                  "then run again with --force to replace it.")
            src.backup(out)
            out.execute("PRAGMA journal_mode=WAL")
            check = _integrity(out)
        finally:
            out.close()
    finally:
        src.close()
    return Outcome(target, target.stat().st_size, time.monotonic() - started,
                   f"integrity {check}")


def _pg_env(url: str) -> dict[str, str]:
    parsed = make_url(url)
    env = dict(os.environ)
    for key, value in (("PGHOST", parsed.host), ("PGPORT", parsed.port),
                       ("PGUSER", parsed.username), ("PGPASSWORD", parsed.password),
                       ("PGDATABASE", parsed.database)):
        if value:
            env[key] = str(value)
    return env


def _pg_tool(name: str, url: str) -> str:
    found = shutil.which(name)
    if found is None:
        parsed = make_url(url)
        raise BackupError(
            f"{name} is not installed here (apt-get install postgresql-client). Run it where "
            f"it is: {name} {'--format=custom --file=BACKUP' if name == 'pg_dump' else ''}"
            f" --host={parsed.host or 'localhost'} --username={parsed.username or 'postgres'}"
            f" {parsed.database}")
    return found


def pg_backup(url: str, dest: Path) -> Outcome:
    """pg_dump in its custom format: one consistent snapshot while writers go on."""
    tool = _pg_tool("pg_dump", url)
    started = time.monotonic()
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    done = subprocess.run([tool, "--format=custom", "--no-owner", f"--file={part}"],
                          env=_pg_env(url), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        part.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    os.replace(part, dest)
    return Outcome(dest, dest.stat().st_size, time.monotonic() - started, "pg_dump ok")


def pg_restore(backup: Path, url: str, *, force: bool) -> Outcome:
    """pg_restore into the configured (empty, or with --force replaced) database."""
    tool = _pg_tool("pg_restore", url)
    if not backup.exists():
        raise BackupError(f"No backup at {backup}.")
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.connect() as conn:
        tables = conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = "
                                   "'public'")).scalar()
    engine.dispose()
    if tables and not force:
        raise BackupError("The database already holds tables. Restore into a new empty "
                          "database (createdb), or stop the app servers and pass --force.")
    started = time.monotonic()
    command = [tool, "--no-owner", "--exit-on-error", "--single-transaction",
               f"--dbname={make_url(url).database}"]
    if tables:
        command += ["--clean", "--if-exists"]
    done = subprocess.run([*command, str(backup)], env=_pg_env(url), capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
    return Outcome(backup, backup.stat().st_size, time.monotonic() - started, "pg_restore ok")


def register_backup_cli(app: Flask) -> None:
    """`flask backup DEST` and `flask restore SRC [--force]`."""

    @app.cli.command("backup")
    @click.argument("dest", type=click.Path(dir_okay=True, path_type=Path))
    def backup(dest: Path) -> None:
        """Back up the database while the site runs (SQLite: a file; PostgreSQL: pg_dump).

        DEST may be a directory: the backup is then named by the time.
        """
        url = current_app.config["SQLALCHEMY_DATABASE_URI"]
        is_sqlite = url.startswith("sqlite")
        if dest.is_dir():
            stamp = time.strftime("%Y%m%d-%H%M%S")
            dest = dest / f"ownervoice-{stamp}.{'sqlite3' if is_sqlite else 'dump'}"
        outcome = sqlite_backup(_sqlite_path(url), dest) if is_sqlite else pg_backup(url, dest)
        click.echo(f"Backed up to {outcome.path} ({outcome.size:,} bytes, "
                   f"{outcome.seconds:.1f} s, {outcome.detail}).")

    @app.cli.command("restore")
    @click.argument("src", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--force", is_flag=True,
                  help="Replace a database that is there already (stop the servers first).")
    def restore(src: Path, force: bool) -> None:
        """Restore a backup made by `flask backup` into the configured database."""
        url = current_app.config["SQLALCHEMY_DATABASE_URI"]
        if url.startswith("sqlite"):
            outcome = sqlite_restore(src, _sqlite_path(url), force=force)
        else:
            outcome = pg_restore(src, url, force=force)
        click.echo(f"Restored {src} ({outcome.seconds:.1f} s, {outcome.detail}).")
