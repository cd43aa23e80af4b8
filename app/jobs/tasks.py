"""The background jobs themselves, and the periodic tick that queues them.

| job | queued by |
|---|---|
| `fan_out_case_event(case_id, event_id)` | every public case event (notifications listener) |
| `send_outbox()` | after a fan-out that queued e-mails; the tick (retries, cron-made notices) |
| `cases_tick()` | the tick: auto-close and broken-promise escalation, one server at a time |

The search index needs no catch-up job: its rows are written in the post's transaction.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from .locks import exclusive
from .queue import enqueue

log = logging.getLogger(__name__)

CASES_TICK_LOCK = "cases-tick"


def fan_out_case_event(case_id: int, event_id: int) -> int:
    """Write the notices (and queue the e-mails) of one committed public case event.

    Idempotent: an event whose notices exist already is left alone (a retried job, or
    one run twice after a worker crash, tells nobody twice)."""
    from ..complaints.models import Case, CaseEvent
    from ..notifications import services
    from ..notifications.models import Notification

    if db.session.scalar(select(Notification.id).where(Notification.event_id == event_id)
                         .limit(1)) is not None:
        return 0
    case, case_event = db.session.get(Case, case_id), db.session.get(CaseEvent, event_id)
    if case is None or case_event is None:
        return 0
    notices = services.notify_case_event(case, case_event)
    if notices:
        enqueue(send_outbox)
    return len(notices)


class OutboxStopped(RuntimeError):
    """The mail server was unreachable: the job fails, so it is retried and seen."""


def send_outbox(limit: int = 200) -> int:
    """Send the due e-mails of the outbox (each row claimed once, whoever else runs)."""
    from ..notifications import outbox
    from ..notifications.mailer import mailer_from_config

    mailer = mailer_from_config(current_app.config)
    if mailer is None:
        return 0  # no mail server: e-mails stay in the outbox (README)
    try:
        report = outbox.send_due(mailer, limit=limit)
    finally:
        mailer.close()
    if report.stopped:
        raise OutboxStopped(f"mail server unavailable: {report.stopped}")
    return report.sent


@dataclass
class TickReport:
    ran: bool
    closed: int = 0
    escalated: int = 0


def cases_tick() -> TickReport:
    """Auto-close and escalate, holding the cluster-wide lock; skip if another server is."""
    from ..complaints import services

    with exclusive(CASES_TICK_LOCK) as mine:
        if not mine:
            log.info("cases tick skipped: another server is running it")
            return TickReport(ran=False)
        report = TickReport(ran=True, closed=services.auto_close_due(),
                            escalated=services.escalate_overdue())
    log.info("cases tick: closed %s, escalated %s", report.closed, report.escalated)
    return report


def run_cases_tick() -> dict:
    """`cases_tick` as a job (the report as plain data for RQ's result)."""
    report = cases_tick()
    return {"ran": report.ran, "closed": report.closed, "escalated": report.escalated}


def tick() -> tuple[int, int]:
    """The one periodic entry (cron: `flask jobs tick` every minute).

    Queues the case checks and an outbox run (workers do them with Redis; here, now,
    without), and retries due failed inline jobs. Safe on every server at once."""
    from .failures import retry_due

    enqueue(run_cases_tick)
    enqueue(send_outbox)
    return retry_due()
