"""Failed inline jobs: record, retry with backoff from the scheduler tick, requeue by admins."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from ..audit.services import record as audit
from ..core import clock
from ..extensions import db
from .models import JobFailure
from .queue import Job, enqueue, run_inline

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)
LEASE = timedelta(minutes=10)  # a claimed retry is left alone this long by other ticks


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4... minutes after the n-th failure, at most an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def _max_attempts() -> int:
    return int(current_app.config["JOB_RETRIES"]) + 1


def record(job: Job, err: Exception, trace: str, *, failure_id: int | None = None) -> JobFailure:
    """Keep a failure: a new row, or one more try on the row being retried."""
    now = clock.now()
    row = db.session.get(JobFailure, failure_id) if failure_id else None
    if row is None:
        row = JobFailure(func=job.path, args=job.args, kwargs=job.kwargs, attempts=0,
                         first_failed_at=now)
        db.session.add(row)
    row.attempts += 1
    row.error = f"{type(err).__name__}: {err}"[:2000]
    row.traceback = trace[-20000:]
    row.last_failed_at = now
    row.next_attempt_at = now + retry_delay(row.attempts) \
        if row.attempts < _max_attempts() else None
    db.session.commit()
    if row.next_attempt_at is None:
        log.error("job %s gave up after %s tries; kept for admins (/admin/jobs)", job.path,
                  row.attempts)
    return row


def resolve(failure_id: int, by: Any = None) -> None:
    """Mark a failure done with (it ran again, or an admin requeued it)."""
    db.session.execute(update(JobFailure).where(JobFailure.id == failure_id,
                                                JobFailure.resolved_at.is_(None))
                       .values(resolved_at=clock.now(), next_attempt_at=None,
                               resolved_by_id=getattr(by, "id", None)),
                       execution_options={"synchronize_session": False})
    db.session.commit()


def _claim(row_id: int, now: datetime) -> bool:
    result = db.session.execute(
        update(JobFailure).where(JobFailure.id == row_id, JobFailure.resolved_at.is_(None),
                                 JobFailure.next_attempt_at <= now)
        .values(next_attempt_at=now + LEASE), execution_options={"synchronize_session": False})
    db.session.commit()
    return result.rowcount == 1


def retry_due(limit: int = 50) -> tuple[int, int]:
    """Run again the failed inline jobs whose next try is due; (succeeded, failed again).

    Each row is claimed by one guarded UPDATE, so ticks on several servers never run
    one job twice at once.
    """
    now = clock.now()
    ids = list(db.session.scalars(
        select(JobFailure.id).where(JobFailure.resolved_at.is_(None),
                                    JobFailure.next_attempt_at <= now)
        .order_by(JobFailure.next_attempt_at, JobFailure.id).limit(limit)))
    db.session.commit()
    ok = failed = 0
    for row_id in ids:
        if not _claim(row_id, now):
            continue
        row = db.session.get(JobFailure, row_id)
        job = Job(row.func, list(row.args or []), dict(row.kwargs or {}))
        db.session.commit()
        if run_inline(job, failure_id=row_id):
            ok += 1
        else:
            failed += 1
    return ok, failed


def open_failures(limit: int = 200) -> list[JobFailure]:
    """Failures not yet resolved, given-up ones first, newest first."""
    return list(db.session.scalars(
        select(JobFailure).where(JobFailure.resolved_at.is_(None))
        .order_by(JobFailure.next_attempt_at.is_not(None), JobFailure.last_failed_at.desc(),
                  JobFailure.id.desc()).limit(limit)))


def requeue(failure_id: int, admin: Any) -> bool:
    """An admin sends a failed job again (inline: right after this commit; or to RQ)."""
    row = db.session.get(JobFailure, failure_id)
    if row is None or row.resolved_at is not None:
        return False
    row.resolved_at, row.resolved_by_id, row.next_attempt_at = clock.now(), admin.id, None
    audit(admin, "job.requeue", "job", row.id, before={"func": row.func,
                                                      "attempts": row.attempts})
    enqueue(row.func, *(row.args or []), **(row.kwargs or {}))
    db.session.commit()
    return True
