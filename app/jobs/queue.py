"""`enqueue()`: after commit, to RQ (REDIS_URL set) or inline; and the session hooks behind it.

"After commit" is kept with SQLAlchemy session events: a job enqueued inside a
transaction waits in `session.info` until that transaction commits, and is dropped
if it rolls back (a transaction that wrote nothing counts as committed when it ends,
since nothing of it can be lost). Outside a transaction the job goes at once.

Inline, a job runs in an app context of its own (so its own database session: it
never sees or commits the caller's unfinished work) with write intent, exactly as
on a worker. A failing inline job is logged and recorded in `job_failures`
(retried by the scheduler tick, then shown to admins); the caller never sees it.
"""
from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.utils import import_string

from ..core.database import write_intent
from ..extensions import db

log = logging.getLogger(__name__)

_PENDING = "ownervoice_jobs_pending"
_WROTE = "ownervoice_jobs_wrote"
# Jobs are this app's functions; nothing else is imported by name (tests add their own).
ALLOWED_PREFIXES: tuple[str, ...] = ("app.",)


@dataclass
class Job:
    path: str  # "package.module:function"
    args: list = field(default_factory=list)
    kwargs: dict = field(default_factory=dict)


def job_path(func: Callable[..., Any] | str) -> str:
    """`module:qualname` of a job function (a string is taken as such a path)."""
    path = func if isinstance(func, str) else f"{func.__module__}:{func.__qualname__}"
    if not path.startswith(ALLOWED_PREFIXES) or "<" in path:
        raise ValueError(f"{path} is not a module-level function of this app")
    return path


def load(path: str) -> Callable[..., Any]:
    """The function a job path names (only this app's)."""
    return import_string(job_path(path))


def enqueue(func: Callable[..., Any] | str, *args: Any, **kwargs: Any) -> None:
    """Run `func(*args, **kwargs)` in the background once the current transaction commits.

    Arguments must be plain JSON values (ids, not rows): they cross to another process.
    Call it after the writes the job needs (in the same transaction, or after commit).
    """
    job = Job(job_path(func), list(args), dict(kwargs))
    json.dumps([job.args, job.kwargs])  # TypeError now, not on a worker later
    session = db.session()
    if session.in_transaction():
        session.info.setdefault(_PENDING, []).append(job)
    else:
        dispatch([job])


def dispatch(jobs: list[Job]) -> None:
    """Hand jobs to RQ, or run them here; never raises (a failure is logged and kept)."""
    url = current_app.config.get("REDIS_URL")
    for job in jobs:
        if url:
            try:
                from .rq_queue import push

                push(job)
                continue
            except Exception:  # Redis unreachable: do the work here rather than lose it
                log.exception("could not queue job %s on Redis; running it inline", job.path)
        run_inline(job)


def run_inline(job: Job, failure_id: int | None = None) -> bool:
    """Run one job in its own app context and session; True when it succeeded."""
    from . import failures

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with app.app_context():
        token = write_intent.set(True)
        try:
            load(job.path)(*job.args, **job.kwargs)
        except Exception as err:
            db.session.rollback()
            log.exception("job %s failed (inline)", job.path)
            try:
                failures.record(job, err, traceback.format_exc(), failure_id=failure_id)
            except Exception:  # the database itself may be what failed: the log has it
                db.session.rollback()
                log.exception("could not record the failure of job %s", job.path)
            return False
        finally:
            write_intent.reset(token)
    if failure_id is not None:
        with app.app_context():
            failures.resolve(failure_id)
    return True


# --- Session hooks: hold jobs until commit ---------------------------------------------

@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: Any) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: the real commit is later
        return
    session.info.pop(_WROTE, None)
    jobs = session.info.pop(_PENDING, None)
    if jobs:
        dispatch(jobs)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is not None or transaction.nested:
        return
    wrote = session.info.pop(_WROTE, False)
    jobs = session.info.pop(_PENDING, None)
    if not jobs:
        return
    if wrote:
        log.info("transaction rolled back: %s queued job(s) dropped (%s)", len(jobs),
                 ", ".join(j.path for j in jobs))
    else:  # a read-only transaction ended: nothing to wait for
        dispatch(jobs)
