"""The RQ side: the queue in Redis, the job wrapper a worker runs, failed jobs, the worker.

Every job goes to RQ as `perform(path, args, kwargs)`: the wrapper gives the job an app
context of its own (a fresh database session, write intent) in whatever process runs it,
`flask worker` or a plain `rq worker`. Each job has RQ's Retry (JOB_RETRIES tries,
JOB_RETRY_INTERVALS apart: workers run RQ's scheduler for that); a job that used them all
stays in RQ's failed-job registry, listed on /admin/jobs until requeued.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, current_app, has_app_context

from ..core.database import write_intent
from ..extensions import db
from .queue import Job, load

log = logging.getLogger(__name__)

PERFORM = "app.jobs.rq_queue.perform"
FAILURE_TTL = 90 * 24 * 3600  # failed jobs stay visible three months
RESULT_TTL = 3600

_worker_app: Flask | None = None


def _connection(url: str | None = None) -> Any:
    from ..ops.redis_conn import redis_client

    return redis_client(url or current_app.config["REDIS_URL"])


def queue(url: str | None = None) -> Any:
    """The app's RQ queue."""
    from rq import Queue

    return Queue(current_app.config["JOB_QUEUE"], connection=_connection(url))


def push(job: Job) -> str:
    """Put one job on the queue with its retries; returns the RQ job id."""
    from rq import Retry

    config = current_app.config
    intervals = list(config["JOB_RETRY_INTERVALS"])
    retries = int(config["JOB_RETRIES"])
    rq_job = queue().enqueue(
        PERFORM, job.path, job.args, job.kwargs,
        retry=Retry(max=retries, interval=intervals) if retries > 0 else None,
        job_timeout=int(config["JOB_TIMEOUT"]), failure_ttl=FAILURE_TTL,
        result_ttl=RESULT_TTL, description=job.path)
    log.info("job queued", extra={"job_id": rq_job.id, "job": job.path})
    return rq_job.id


def _app() -> Flask:
    """The app for this process: the one `flask worker` runs in, else one made here once."""
    global _worker_app
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined]
    if _worker_app is None:
        from app import create_app

        _worker_app = create_app()
    return _worker_app


_LOADED_IN = os.getpid()  # the worker's main process; its work horses are forks of it


def _after_fork(app: Flask) -> None:
    # A forked work horse must not share the parent's pooled database connections.
    pid = os.getpid()
    if pid != _LOADED_IN and app.extensions.get("jobs_pid") != pid:
        db.engine.dispose(close=False)
        app.extensions["jobs_pid"] = pid


def perform(path: str, args: list, kwargs: dict) -> Any:
    """What an RQ worker runs for every job (see the module's docstring)."""
    from rq import get_current_job

    app = _app()
    with app.app_context():
        _after_fork(app)
        token = write_intent.set(True)
        try:
            return load(path)(*args, **kwargs)
        except Exception:
            db.session.rollback()
            rq_job = get_current_job()
            left = rq_job.retries_left if rq_job is not None else 0
            if left:
                log.warning("job %s failed; %s retries left", path, left, exc_info=True,
                            extra={"job_id": rq_job.id})
            else:
                log.error("job %s failed for good; kept for admins (/admin/jobs)", path,
                          exc_info=True, extra={"job_id": rq_job.id if rq_job else None})
            raise
        finally:
            write_intent.reset(token)


@dataclass
class FailedRQJob:
    id: str
    func: str
    args: list
    kwargs: dict
    error: str
    traceback: str
    failed_at: datetime | None
    enqueued_at: datetime | None


def _describe(rq_job: Any) -> FailedRQJob:
    try:
        path, args, kwargs = rq_job.args if rq_job.func_name == PERFORM else (
            rq_job.func_name, list(rq_job.args), dict(rq_job.kwargs))
    except Exception:  # a job that cannot be unpickled any more
        path, args, kwargs = "(unreadable job)", [], {}
    trace = ""
    try:
        result = rq_job.latest_result()
        trace = (result.exc_string if result is not None else "") or ""
    except Exception:
        trace = ""
    lines = [line for line in trace.strip().splitlines() if line.strip()]
    return FailedRQJob(id=rq_job.id, func=path, args=list(args), kwargs=dict(kwargs),
                       error=lines[-1] if lines else "", traceback=trace,
                       failed_at=rq_job.ended_at, enqueued_at=rq_job.enqueued_at)


def failed_jobs(limit: int = 200) -> list[FailedRQJob]:
    """Jobs that used up their retries (newest first), from RQ's failed-job registry."""
    from rq.job import Job as RQJob

    q = queue()
    ids = q.failed_job_registry.get_job_ids(0, limit - 1, desc=True)
    return [_describe(j) for j in RQJob.fetch_many(ids, connection=q.connection) if j]


def failed_count() -> int:
    return queue().failed_job_registry.count


def requeue(job_id: str) -> bool:
    """Put a failed job back on the queue (its tries start again); False if it is gone."""
    from rq.exceptions import InvalidJobOperation, NoSuchJobError

    registry = queue().failed_job_registry
    try:
        registry.requeue(job_id)
    except (NoSuchJobError, InvalidJobOperation):
        return False
    return True


def queue_stats() -> dict[str, int]:
    """Waiting, running, scheduled (retry) and failed counts, and workers listening."""
    from rq import Worker

    q = queue()
    return {"waiting": q.count, "running": q.started_job_registry.count,
            "scheduled": q.scheduled_job_registry.count,
            "failed": q.failed_job_registry.count,
            "workers": Worker.count(queue=q)}


def work(*, burst: bool = False, url: str | None = None) -> bool:
    """Run an RQ worker on the app's queue, with RQ's scheduler (for retry intervals)."""
    import redis
    from rq import Worker

    config = current_app.config
    # A connection of its own, without a read timeout: the worker blocks waiting for jobs.
    connection = redis.Redis.from_url(url or config["REDIS_URL"])
    from rq import Queue

    worker = Worker([Queue(config["JOB_QUEUE"], connection=connection)], connection=connection)
    return worker.work(burst=burst, with_scheduler=True,
                       logging_level=config.get("LOG_LEVEL", "INFO"))
