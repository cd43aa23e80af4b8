"""`/healthz` (the process answers) and `/readyz` (its database and Redis answer).

Both are plain JSON for load balancers: no session, no cookie, no rate limit, no
template, no login lookup. `/readyz` says which dependency failed (503), never how
to reach it (no address or password in the body).
"""
from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text

from ..extensions import db, limiter
from .redis_conn import redis_client

bp = Blueprint("ops", __name__)
log = logging.getLogger(__name__)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
@limiter.exempt
def healthz() -> Response:
    """The process is up and serving; touches nothing else."""
    return _no_store(jsonify(status="ok"))


def check_database() -> str:
    """"ok", or the kind of error connecting to and querying the database."""
    # Through the request's session (the pool's connection), so a check never opens a second
    # transaction beside one the session holds (SQLite's single test connection).
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as err:  # any failure means not ready
        db.session.rollback()
        log.warning("readiness: database check failed: %s", type(err).__name__)
        return f"error: {type(err).__name__}"
    return "ok"


def check_redis() -> str:
    """"ok", "not configured" (single-machine mode), or the kind of error."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "not configured"
    try:
        redis_client(url).ping()
    except Exception as err:
        log.warning("readiness: Redis check failed: %s", type(err).__name__)
        return f"error: {type(err).__name__}"
    return "ok"


@bp.get("/readyz")
@limiter.exempt
def readyz() -> tuple[Response, int]:
    """200 when the database (and Redis, if configured) answer; else 503 naming which not."""
    checks = {"database": check_database(), "redis": check_redis()}
    ready = all(not value.startswith("error") for value in checks.values())
    return _no_store(jsonify(status="ok" if ready else "unavailable", checks=checks)), \
        200 if ready else 503
