"""Sending the outbox: by SMTP when configured, each row once, failures retried with their
error kept; without a mail server the e-mails stay in the outbox."""
from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

import pytest

from app.core import clock
from app.extensions import db
from app.notifications import mailer as mailer_module
from app.notifications import outbox
from app.notifications.models import OutboxEmail
from tests.factories import make_case
from tests.notifications.helpers import emails_to, take


class FakeSMTP:
    """Stands in for smtplib.SMTP: records what it is given, or fails as told."""

    sent: list = []
    refuse_with: Exception | None = None
    connections = 0

    def __init__(self, host: str, port: int, timeout: float | None = None) -> None:
        type(self).connections += 1
        self.host, self.port = host, port

    def starttls(self, context: Any = None) -> None:
        pass

    def login(self, user: str, password: str) -> None:
        pass

    def send_message(self, message: Any) -> None:
        if type(self).refuse_with is not None:
            raise type(self).refuse_with
        type(self).sent.append(message)

    def quit(self) -> None:
        pass

    def close(self) -> None:
        pass


@pytest.fixture
def smtp(app, monkeypatch) -> type[FakeSMTP]:
    app.config.update(MAIL_SERVER="smtp.example.test", MAIL_FROM="业主之声 <notice@ownervoice.test>")
    monkeypatch.setattr(FakeSMTP, "sent", [])
    monkeypatch.setattr(FakeSMTP, "refuse_with", None)
    monkeypatch.setattr(FakeSMTP, "connections", 0)
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    return FakeSMTP


def _send(app) -> Any:
    return app.test_cli_runner().invoke(args=["mail", "send-outbox"])


@pytest.fixture
def queued(app, owner, staff, monkeypatch) -> OutboxEmail:
    """One e-mail waiting in the outbox (the owner is told of an assignment), as when the
    sending job has not run yet (it runs inline after the commit without Redis)."""
    with monkeypatch.context() as patch:
        patch.setattr(mailer_module, "mailer_from_config", lambda config: None)
        take(make_case(owner), "assign", staff)
    [mail] = emails_to(owner)
    return mail


def test_send_outbox_sends_each_row_once(app, smtp, queued) -> None:
    first = _send(app)
    second = _send(app)

    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert len(smtp.sent) == 1
    row = db.session.get(OutboxEmail, queued.id)
    assert row.sent_at is not None and row.attempts == 1


def test_a_sent_email_has_text_html_and_the_one_click_unsubscribe_headers(app, smtp,
                                                                          queued) -> None:
    _send(app)

    [message] = smtp.sent
    assert message["To"] == queued.to_address
    assert message["List-Unsubscribe"] == f"<{queued.unsubscribe_url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert {part.get_content_type() for part in message.iter_parts()} == {"text/plain",
                                                                         "text/html"}


def test_a_failing_smtp_send_is_retried_later_and_its_error_kept(app, monkeypatch, smtp,
                                                                  queued) -> None:
    smtp.refuse_with = smtplib.SMTPDataError(451, b"try again later")

    _send(app)

    db.session.expire_all()
    row = db.session.get(OutboxEmail, queued.id)
    assert row.sent_at is None and row.attempts == 1
    assert "try again later" in row.last_error
    assert row.next_attempt_at > clock.now() + timedelta(minutes=4)
    smtp.refuse_with = None
    _send(app)
    assert smtp.sent == []  # not due yet
    later = clock.now() + timedelta(minutes=6)
    monkeypatch.setattr(clock, "now", lambda: later)
    _send(app)
    assert len(smtp.sent) == 1
    assert db.session.get(OutboxEmail, queued.id).sent_at is not None


def test_an_unreachable_mail_server_stops_the_run_and_loses_nothing(app, monkeypatch, smtp,
                                                                    owner, staff) -> None:
    case = make_case(owner)
    with monkeypatch.context() as patch:  # the two e-mails wait in the outbox
        patch.setattr(mailer_module, "mailer_from_config", lambda config: None)
        take(case, "assign", staff)
        take(case, "plan", staff)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("connection refused")

    monkeypatch.setattr(smtplib, "SMTP", refuse)
    result = _send(app)

    assert result.exit_code == 1 and "unavailable" in result.output
    rows = emails_to(owner)
    assert [r.sent_at for r in rows] == [None, None]
    assert [r.attempts for r in rows] == [1, 0]  # the rest wait for the next run
    assert "connection refused" in rows[0].last_error


def test_an_email_that_used_up_its_tries_stays_with_its_error(app, monkeypatch, smtp,
                                                               queued) -> None:
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    smtp.refuse_with = smtplib.SMTPRecipientsRefused({queued.to_address: (550, b"no such user")})
    now = clock.now()
    for hours in (0, 1, 2):
        monkeypatch.setattr(clock, "now", lambda h=hours: now + timedelta(hours=h))
        _send(app)

    db.session.expire_all()
    row = db.session.get(OutboxEmail, queued.id)
    assert row.attempts == 2 and row.sent_at is None and row.next_attempt_at is None
    assert "no such user" in row.last_error


def test_a_row_claimed_by_one_runner_is_not_claimed_by_another(app, queued) -> None:
    now = clock.now()

    first = outbox.claim(queued.id, now)
    second = outbox.claim(queued.id, now)

    assert (first, second) == (True, False)


def test_without_a_mail_server_emails_are_kept_in_the_outbox(app, queued) -> None:
    result = _send(app)

    assert result.exit_code == 0
    assert "MAIL_SERVER is not set: 1 e-mails kept" in result.output
    row = db.session.get(OutboxEmail, queued.id)
    assert row.sent_at is None and row.attempts == 0


def test_the_retry_delay_grows_and_stops_growing() -> None:
    delays = [outbox.retry_delay(n) for n in range(1, 10)]

    assert delays[:3] == [timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20)]
    assert delays[-1] == timedelta(hours=6)


def test_without_redis_the_email_of_a_case_step_is_sent_right_after_its_commit(
        app, smtp, owner, staff) -> None:
    take(make_case(owner), "assign", staff)

    [message] = smtp.sent
    [mail] = emails_to(owner)
    assert message["To"] == mail.to_address and mail.sent_at is not None
