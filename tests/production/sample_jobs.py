"""Jobs for the tests of app/jobs (allowed as job paths by the `jobs` fixture)."""
from __future__ import annotations

from app.extensions import db
from app.forum.models import Thread

CALLS: list = []
FAILURES = {"left": 0}


def remember(tag: str) -> None:
    CALLS.append(tag)


def read_title(thread_id: int) -> None:
    """Sees only committed data: it runs in a session of its own."""
    thread = db.session.get(Thread, thread_id)
    CALLS.append(thread.title if thread else None)


def explode(tag: str) -> None:
    CALLS.append(f"tried {tag}")
    raise RuntimeError(f"exploded {tag}")


def flaky(tag: str) -> None:
    """Fails while FAILURES["left"] > 0, then succeeds."""
    if FAILURES["left"] > 0:
        FAILURES["left"] -= 1
        raise RuntimeError("not yet")
    CALLS.append(tag)
