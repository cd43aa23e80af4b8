"""Draining the outbox: claim a due row, send it, record the outcome; retry with backoff.

Safe from cron on several servers at once: a row is claimed by one guarded UPDATE
(still unsent and due, then pushed a lease into the future), so two runners never
send one row twice. A failure keeps the row with its error for a later try; after
MAIL_MAX_ATTEMPTS it stops being tried but stays, with its error, until requeued.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from ..core import clock
from ..extensions import db
from .mailer import Mailer, MailerUnavailable, build_message
from .models import OutboxEmail

log = logging.getLogger(__name__)

# How long a claimed row is left alone by other runners while this one sends it.
LEASE = timedelta(minutes=10)
FIRST_RETRY = timedelta(minutes=5)
LONGEST_WAIT = timedelta(hours=6)


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0      # will be tried again
    gave_up: int = 0     # tried MAIL_MAX_ATTEMPTS times; kept with their error
    skipped: int = 0     # another runner had claimed them
    stopped: str = ""    # why the run ended early (the mail server is unreachable)


def retry_delay(attempts: int) -> timedelta:
    """Wait after the n-th failed try: 5 minutes, doubling, at most 6 hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def claim(row_id: int, now: datetime) -> bool:
    """Take one due, unsent row for this runner (True), or learn another runner has it."""
    result = db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == row_id, OutboxEmail.sent_at.is_(None),
               OutboxEmail.next_attempt_at <= now)
        .values(next_attempt_at=now + LEASE, attempts=OutboxEmail.attempts + 1),
        execution_options={"synchronize_session": False})
    db.session.commit()
    return result.rowcount == 1


def _due_ids(now: datetime, limit: int) -> list[int]:
    ids = list(db.session.scalars(
        select(OutboxEmail.id).where(OutboxEmail.sent_at.is_(None),
                                     OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id).limit(limit)))
    db.session.commit()  # end the read; each claim is its own short transaction
    return ids


def _record_failure(row: OutboxEmail, err: Exception, report: SendReport) -> None:
    now = clock.now()
    row.last_error = f"{type(err).__name__}: {err}"[:2000]
    if row.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        row.next_attempt_at = None
        report.gave_up += 1
        log.error("E-mail %s to user %s gave up after %s tries: %s", row.id, row.to_user_id,
                  row.attempts, row.last_error)
    else:
        row.next_attempt_at = now + retry_delay(row.attempts)
        report.failed += 1
        log.warning("E-mail %s to user %s failed (try %s), next try at %s: %s", row.id,
                    row.to_user_id, row.attempts, row.next_attempt_at.isoformat(),
                    row.last_error)
    db.session.commit()


def send_due(mailer: Mailer, *, limit: int = 200) -> SendReport:
    """Send up to `limit` due e-mails, oldest due first; each once, whoever else is running."""
    report = SendReport()
    sender = current_app.config["MAIL_FROM"]
    for row_id in _due_ids(clock.now(), limit):
        if not claim(row_id, clock.now()):
            report.skipped += 1
            continue
        row = db.session.get(OutboxEmail, row_id)
        message = build_message(row_id=row.id, sender=sender, to=row.to_address,
                                subject=row.subject, text=row.body_text, html=row.body_html,
                                unsubscribe_url=row.unsubscribe_url)
        try:
            mailer.send(message)
        except MailerUnavailable as err:
            _record_failure(row, err, report)
            report.stopped = str(err)
            break
        except Exception as err:  # any failure: keep the row and try it later
            _record_failure(row, err, report)
        else:
            row.sent_at = clock.now()
            row.next_attempt_at = None
            db.session.commit()
            report.sent += 1
    return report


def requeue_given_up() -> int:
    """Make the rows that stopped being tried due again, with a fresh count of tries."""
    result = db.session.execute(
        update(OutboxEmail).where(OutboxEmail.sent_at.is_(None),
                                  OutboxEmail.next_attempt_at.is_(None))
        .values(next_attempt_at=clock.now(), attempts=0),
        execution_options={"synchronize_session": False})
    db.session.commit()
    return result.rowcount
