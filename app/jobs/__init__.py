"""Background jobs: `enqueue(func, *args)` runs `func` after the current transaction commits,
on an RQ worker when REDIS_URL is set and inline (in this process) otherwise.

A job is a module-level function under `app.` taking plain JSON values (ids, not rows).
A failed job is retried (RQ's Retry on workers; the scheduler tick inline) and then kept
where admins see it (/admin/jobs), never dropped silently.
"""
from .queue import enqueue

__all__ = ["enqueue"]
