"""Sending one e-mail: the one interface (`Mailer.send`) and its SMTP implementation."""
from __future__ import annotations

import re
import smtplib
import ssl
import time
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from pathlib import Path
from typing import Any, Protocol


class MailerUnavailable(Exception):
    """The mail server cannot be reached or refuses us: no message of this run can go."""


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Hand one message to the mail server, or raise."""

    def close(self) -> None:
        """Let go of the connection, if any."""


class SmtpMailer:
    """SMTP by smtplib: one connection per run, STARTTLS and login when configured."""

    def __init__(self, server: str, port: int, *, username: str | None = None,
                 password: str | None = None, use_tls: bool = True, timeout: int = 20) -> None:
        self.server, self.port, self.timeout = server, port, timeout
        self.username, self.password, self.use_tls = username, password, use_tls
        self._smtp: smtplib.SMTP | None = None

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            smtp = None
            try:
                smtp = smtplib.SMTP(self.server, self.port, timeout=self.timeout)
                if self.use_tls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password or "")
            except OSError as err:  # smtplib's errors are OSErrors too
                if smtp is not None:
                    smtp.close()
                raise MailerUnavailable(f"{type(err).__name__}: {err}") from err
            self._smtp = smtp
        return self._smtp

    def send(self, message: EmailMessage) -> None:
        """Send one message; a refused recipient or message raises smtplib's error."""
        smtp = self._connection()
        try:
            smtp.send_message(message)
        except smtplib.SMTPServerDisconnected as err:
            self._smtp = None
            raise MailerUnavailable(f"{type(err).__name__}: {err}") from err

    def close(self) -> None:
        """Say goodbye to the server (quietly: the messages are already handed over)."""
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except OSError:
                pass
            self._smtp = None


class FileMailer:
    """MAIL_BACKEND=file: each message written to MAIL_FILE_DIR as an .eml file (staging,
    development, the multi-server proof); nothing leaves the machine."""

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)

    def send(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9@._-]", "", str(message["Message-ID"] or "")) or "message"
        target = self.directory / f"{time.time_ns()}-{name}.eml"
        partial = target.with_suffix(".part")
        partial.write_bytes(bytes(message))
        partial.rename(target)  # readers never see half a message

    def close(self) -> None:
        """Nothing to let go of."""


def mailer_from_config(config: Any) -> SmtpMailer | FileMailer | None:
    """The configured mailer, or None when MAIL_SERVER is unset (e-mails stay in the outbox)."""
    if config.get("MAIL_BACKEND") == "file":
        return FileMailer(config["MAIL_FILE_DIR"])
    if not config.get("MAIL_SERVER"):
        return None
    return SmtpMailer(config["MAIL_SERVER"], int(config["MAIL_PORT"]),
                      username=config.get("MAIL_USERNAME"),
                      password=config.get("MAIL_PASSWORD"),
                      use_tls=bool(config.get("MAIL_USE_TLS")),
                      timeout=int(config.get("MAIL_TIMEOUT", 20)))


def build_message(*, row_id: int, sender: str, to: str, subject: str, text: str, html: str,
                  unsubscribe_url: str = "") -> EmailMessage:
    """A text + HTML message with a one-click unsubscribe header (RFC 2369 and RFC 8058).

    The Message-ID is the outbox row's, so if a crash makes a row go out twice, mail
    programs can tell it is the same message.
    """
    domain = parseaddr(sender)[1].partition("@")[2] or "localhost"
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = f"<outbox-{row_id}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"
    if unsubscribe_url:
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message
