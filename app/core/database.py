"""Database plumbing shared by every domain: time type, SQLite setup, commits."""
from __future__ import annotations

from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.types import TypeDecorator

from ..extensions import db
from .errors import Conflict, DomainError

# Whether the current unit of work may write. Requests set it from their method
# (GET/HEAD only read); everything else (CLI, tests, jobs) is assumed to write.
write_intent: ContextVar[bool] = ContextVar("write_intent", default=True)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC: the same on SQLite and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, a busy timeout, and IMMEDIATE write transactions.

    A deferred SQLite transaction that reads and then writes fails at once with
    "database is locked" if another process wrote in between; beginning write
    transactions IMMEDIATE makes concurrent gunicorn workers queue instead.
    Reads (GET) still begin deferred so they never wait for a writer under WAL.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")


def commit_or_raise(error: type[DomainError] = Conflict, message: Any = None) -> None:
    """Commit the session; on a constraint or stale-version failure roll back and raise."""
    try:
        db.session.commit()
    except StaleDataError as exc:  # a version_id_col row changed under us
        db.session.rollback()
        raise Conflict(message) from exc
    except (IntegrityError, OperationalError) as exc:
        db.session.rollback()
        if isinstance(exc, OperationalError) and "locked" not in str(exc):
            raise
        raise error(message) from exc
