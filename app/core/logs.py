"""Structured logs: one JSON object per line on stderr, one line per request.

Every record carries the request id (an X-Request-ID the proxy sent, or a new one, echoed
in the response) while a request is running. Request lines name the route rule and the
endpoint, never the raw path or query string (an unsubscribe link's token is in its path;
searches are in query strings). Whatever a message or a traceback contains, e-mail
addresses, mobile numbers, `password=`/`token=` values and SQL parameters are withheld
before the line is written.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import traceback
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
_GOOD_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_OUR_HANDLER = "ownervoice-stderr"

# What never reaches a log line, whoever wrote the message.
_SCRUBS = (
    (re.compile(r"\[parameters: .*?\](?=\s|$|\n|\()", re.S), "[parameters withheld]"),
    (re.compile(r"(?i)\b(password|passwd|secret|token|csrf_token|session|authorization|cookie)"
                r"(\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s,;&)]+)"), r"\1\2(withheld)"),
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), "(email)"),
    (re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"), "(phone)"),
)

# Fields this module fills itself (never scrubbed: a hex request id may look like a number).
_TRUSTED = frozenset({"ts", "level", "logger", "request_id", "method", "route", "endpoint",
                      "status", "user_id", "duration_ms", "job_id"})

# Attributes every LogRecord has; anything else a caller passes in `extra` is logged as is.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def scrub(text: str) -> str:
    """`text` with e-mail addresses, phone numbers, secrets and SQL parameters withheld."""
    for pattern, replacement in _SCRUBS:
        text = pattern.sub(replacement, text)
    return text


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return scrub(str(value))


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time, level, logger, message, extras, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or _current_request_id()
        if request_id:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_type"] = record.exc_info[0].__name__ if record.exc_info[0] else None
            entry["traceback"] = "".join(traceback.format_exception(*record.exc_info))
        elif record.exc_text:
            entry["traceback"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        clean = {key: value if key in _TRUSTED else _clean(value) for key, value in entry.items()}
        return json.dumps(clean, ensure_ascii=False, default=str)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__()
        self.name = _OUR_HANDLER

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def _current_request_id() -> str | None:
    if has_request_context():
        return g.get("request_id")
    return None


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    """Send every logger's records to stderr as JSON lines (once per process)."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if h.name == _OUR_HANDLER), None)
    if handler is None:
        handler = _StderrHandler()
        root.addHandler(handler)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.setLevel(level.upper())


def _request_id() -> str:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if _GOOD_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def _user_id() -> int | None:
    # Only a user this request already loaded: logging must not cost a query.
    user = g.get("_login_user")
    return getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None


def init_request_logging(app: Flask) -> None:
    """Request ids in and out, and one JSON line per request on the `ownervoice.request`
    logger: method, route, endpoint, status, duration in ms, user id, request id."""
    log = logging.getLogger("ownervoice.request")
    configure_logging(app.config.get("LOG_LEVEL", "INFO"), app.config.get("LOG_FORMAT", "json"))
    app.logger.handlers.clear()  # Flask's own handler would print records a second time
    app.logger.propagate = True

    def start() -> None:
        g.request_id = _request_id()
        g.request_started = time.perf_counter()

    def finish(response: Response) -> Response:
        if "request_id" not in g:  # a hook before ours answered
            start()
        response.headers[REQUEST_ID_HEADER] = g.request_id
        rule = request.url_rule
        log.info("request", extra={
            "request_id": g.request_id, "method": request.method,
            "route": rule.rule if rule is not None else None, "endpoint": request.endpoint,
            "status": response.status_code, "user_id": _user_id(),
            "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 1)})
        return response

    # First of all before_request hooks (the rate limiter may answer before the others).
    app.before_request_funcs.setdefault(None, []).insert(0, start)
    app.after_request(finish)
