"""What the generator and the load runner share: the repository root, accounts, databases."""
from __future__ import annotations

import os
import platform
import re
import subprocess
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
RESULTS_DIR = BENCH_DIR / "results"

# Every generated account logs in with this password (one scrypt hash, computed once).
BENCH_PASSWORD = "bench-pass-2026"


def normalise_url(url: str) -> str:
    """An SQLAlchemy URL the app understands: psycopg 3 for PostgreSQL, absolute SQLite paths.

    gunicorn and the generator may run from other directories, so a relative SQLite path
    is made absolute against the current directory once, here.
    """
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        path = url[len("sqlite:///"):]
        if path and path != ":memory:":
            url = "sqlite:///" + str(Path(path).resolve())
    return url


def is_sqlite(url: str) -> bool:
    """Whether the URL names an SQLite database."""
    return url.startswith("sqlite")


def sqlite_path(url: str) -> Path:
    """The file behind an SQLite URL."""
    return Path(url[len("sqlite:///"):])


def pg_libpq_url(url: str) -> str:
    """The same PostgreSQL URL as libpq (psycopg.connect) spells it."""
    return re.sub(r"^postgresql\+psycopg://", "postgresql://", url)


def pg_recreate_database(url: str) -> None:
    """Drop and create the database named in a PostgreSQL URL (connecting to `postgres`)."""
    parsed = sa.engine.make_url(url)
    name = parsed.database
    if not name or not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise ValueError(f"refusing to recreate a database named {name!r}")
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"
            " AND pid <> pg_backend_pid()"), {"name": name})
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        # C.UTF-8, so a later pg_trgm or text search sees Chinese characters (PITFALLS.md).
        conn.execute(sa.text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                             "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"))
    admin.dispose()


def machine_info() -> dict[str, object]:
    """The machine a result was measured on."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu_model": model, "ram_mb": mem_kb // 1024,
            "kernel": platform.release(), "python": platform.python_version()}


def command_version(*command: str) -> str:
    """The first line a tool prints about its version, or '' when it is missing."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr) \
        else ""
