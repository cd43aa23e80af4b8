"""Subscriptions to domain signals: a committed case event becomes notices and e-mails."""
from __future__ import annotations

import logging

from sqlalchemy import inspect

from ..complaints.models import Case, CaseEvent
from ..complaints.signals import case_event
from ..extensions import db

log = logging.getLogger(__name__)


def register_listeners() -> None:
    """Connect the listeners (create_app calls this; connecting twice changes nothing)."""
    case_event.connect(on_case_event)


def on_case_event(case: Case, *, event: CaseEvent, **_: object) -> None:
    """Tell the case's followers (and staff, for assignments and escalations).

    Runs after the commit that recorded the event: the fan-out is a background job
    (app/jobs: an RQ worker with Redis, inline right here without). A failure here is
    logged and swallowed, because the case change already stands and the person who
    made it must not see an error for it; a failing job is retried and kept for admins.
    """
    from ..jobs import enqueue
    from ..jobs.tasks import fan_out_case_event

    try:
        # Identities read without touching the database (the objects are expired).
        enqueue(fan_out_case_event, inspect(case).identity[0], inspect(event).identity[0])
    except Exception:
        db.session.rollback()
        # Identities read without touching the database, which may be what failed.
        log.exception("Could not write the notices of case event %s (case %s)",
                      inspect(event).identity, inspect(case).identity)
