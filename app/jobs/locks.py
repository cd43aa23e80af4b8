"""One runner at a time across every server: `with exclusive("cases-tick") as mine:`.

PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) on a connection held
for the duration; the server lets go by itself if the process dies. SQLite (one machine
by nature): an exclusive `flock` on a file beside the database, also freed by the kernel
when the process dies. An in-memory database (tests): a lock in this process.
Never waits: whoever does not get the lock skips this round.
"""
from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from ..extensions import db

log = logging.getLogger(__name__)

_local_locks: dict[str, threading.Lock] = {}
_guard = threading.Lock()


def _pg_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(f"ownervoice:{name}".encode()).digest()[:8], "big",
                          signed=True)


@contextmanager
def _postgres(name: str) -> Iterator[bool]:
    key = _pg_key(name)
    conn = db.engine.connect()
    got = False
    try:
        got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
        conn.commit()  # the lock belongs to the connection, not the transaction
        yield got
    finally:
        try:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
        except Exception:
            conn.invalidate()  # never return a connection that may still hold the lock
            raise
        finally:
            conn.close()


@contextmanager
def _file(path: str) -> Iterator[bool]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def _in_process(name: str) -> Iterator[bool]:
    with _guard:
        lock = _local_locks.setdefault(name, threading.Lock())
    got = lock.acquire(blocking=False)
    try:
        yield got
    finally:
        if got:
            lock.release()


@contextmanager
def exclusive(name: str) -> Iterator[bool]:
    """Yield True to the one holder of `name`, False to everyone else meanwhile."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with _postgres(name) as got:
            yield got
        return
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:" \
            and not database.startswith("file::memory:"):
        with _file(f"{database}.{name}.lock") as got:
            yield got
        return
    with _in_process(name) as got:
        yield got
