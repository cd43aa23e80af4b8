"""The proof of issue 8 on this machine: two gunicorn servers on different ports and one
RQ worker, sharing one PostgreSQL database and one Redis.

- a post written through server A is read through server B at once, and a session made
  on A works on B (no stickiness: sessions are rows in the database);
- a notification e-mail queued by a request on A is sent by the worker (file mail backend);
- the login rate limit trips at the same count whichever server is hit.

Runs when TEST_DATABASE_URL is PostgreSQL and TEST_REDIS_URL is set (`make test` does both
when they answer); skipped with a message otherwise.
"""
from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from app.extensions import db
from app.notifications.models import OutboxEmail
from tests.conftest import make_test_app, test_database_url
from tests.factories import PASSWORD, make_case, make_thread, make_user

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("TEST_REDIS_URL")
DATABASE_URL = test_database_url()
LOGIN_LIMIT = 6

pytestmark = pytest.mark.skipif(
    not (DATABASE_URL.startswith("postgresql") and REDIS_URL),
    reason="the two-server proof needs PostgreSQL (TEST_DATABASE_URL) and Redis "
           "(TEST_REDIS_URL)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  self._NoRedirect())
        self.csrf = ""

    def request(self, url: str, data: dict | None = None) -> tuple[int, str]:
        body = None
        if data is not None:
            body = urllib.parse.urlencode({"csrf_token": self.csrf, **data}).encode()
        try:
            with self.opener.open(urllib.request.Request(url, data=body), timeout=30) as r:
                status, page = r.status, r.read().decode()
        except urllib.error.HTTPError as err:
            status, page = err.code, err.read().decode(errors="replace")
        # Members' pages carry the token in a meta tag; a visitor's login form in its field.
        found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page) or \
            re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        if found:
            self.csrf = found.group(1)
        return status, page


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[dict]:
    """The migrated database with a case and a thread; two servers and a worker running."""
    tmp = tmp_path_factory.mktemp("two-servers")
    app = make_test_app(SQLALCHEMY_DATABASE_URI=DATABASE_URL)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    run_id = secrets.token_hex(4)
    ports = [_free_port(), _free_port()]
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MAIL_", "REDIS", "APP_", "SECURE_", "BEHIND_", "CACHE_"))}
    env.update(APP_ENV="production", SECRET_KEY=secrets.token_hex(32),
               DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS_URL, WEB_CONCURRENCY="2",
               LOGIN_RATE_LIMIT=f"{LOGIN_LIMIT} per minute",
               MAIL_FILE_DIR=str(tmp / "mail"), SITE_URL=f"http://127.0.0.1:{ports[0]}",
               JOB_QUEUE=f"proof-{run_id}", RATELIMIT_KEY_PREFIX=f"proof-{run_id}",
               JOB_RETRY_INTERVALS="1,2,4", LOG_LEVEL="WARNING")
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=120)
    with app.app_context():
        owner = make_user("owner", email=f"owner-{run_id}@example.com")
        staff = make_user("staff")
        case = make_case(owner, title="地库渗水严重")
        thread = make_thread(title="小区停车位")
        data = {"owner": owner.username, "owner_email": owner.email, "staff": staff.username,
                "case_id": case.id, "department_id": case.category.routed_department_id,
                "thread_id": thread.id, "version": case.version, "app": app}
        db.session.remove()
        db.engine.dispose()

    processes = []
    logs = []
    for name, command in [
            ("a", [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"]),
            ("b", [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"]),
            ("worker", [str(BIN / "flask"), "--app", "wsgi", "worker"])]:
        log = open(tmp / f"{name}.log", "w")  # noqa: SIM115  (closed below)
        logs.append(log)
        bind = {"a": ports[0], "b": ports[1]}.get(name)
        processes.append(subprocess.Popen(
            command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            # Only the worker can send e-mail (servers have no mail server): a sent
            # message proves the worker did it.
            env={**env, "BIND": f"127.0.0.1:{bind}"} if bind
            else {**env, "MAIL_BACKEND": "file"}))
    try:
        servers = [f"http://127.0.0.1:{port}" for port in ports]
        deadline = time.monotonic() + 45
        for server in servers:
            while True:
                try:
                    with urllib.request.urlopen(f"{server}/readyz", timeout=5) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                    logs_text = "\n".join((tmp / f"{n}.log").read_text()[-3000:]
                                          for n in ("a", "b", "worker"))
                    pytest.fail(f"the servers did not become ready:\n{logs_text}")
                time.sleep(0.3)
        yield {**data, "a": servers[0], "b": servers[1], "mail": tmp / "mail", "tmp": tmp,
               "logins": 0}
    finally:
        for process in processes:  # only what this fixture started, by its own group
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for log in logs:
            log.close()
        _forget_queue(env["JOB_QUEUE"])
        with app.app_context():
            db.drop_all()
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.engine.dispose()


def _forget_queue(name: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"rq:*{name}*", count=1000):
        client.delete(key)


def _log_in(site: dict, browser: Browser, server: str, username: str) -> None:
    browser.request(f"{server}/login")
    status, page = browser.request(f"{server}/login", {"login": username, "password": PASSWORD})
    site["logins"] += 1  # each counts against this address's login limit
    assert status == 302, page[:2000]
    browser.request(f"{server}/")  # a page, for the new session's CSRF token


def test_a_post_written_through_a_is_read_through_b_at_once(site) -> None:
    owner = Browser()
    _log_in(site, owner, site["a"], site["owner"])

    status, _ = owner.request(f"{site['a']}/t/{site['thread_id']}/reply",
                              {"body": "B栋地库的车位划线什么时候重新画？"})
    assert status == 302

    status, page = Browser().request(f"{site['b']}/t/{site['thread_id']}")
    assert status == 200 and "B栋地库的车位划线什么时候重新画？" in page
    # The session made on A is a database row: B knows the owner without stickiness.
    status, _ = owner.request(f"{site['b']}/settings")
    assert status == 200


def test_a_notification_queued_on_a_is_sent_by_the_worker(site) -> None:
    staff = Browser()
    _log_in(site, staff, site["a"], site["staff"])
    staff.request(f"{site['a']}/t/{site['case_id']}")

    status, page = staff.request(f"{site['a']}/cases/{site['case_id']}/steps", {
        "step": "assign", "assign-version": site["version"],
        "assign-department_id": site["department_id"]})
    assert status == 302, page[:2000]

    deadline, sent = time.monotonic() + 30, []
    while time.monotonic() < deadline and not sent:
        sent = [p for p in site["mail"].glob("*.eml") if site["owner_email"] in p.read_text()]
        time.sleep(0.2)
    worker_log = (site["tmp"] / "worker.log").read_text()[-3000:]
    assert sent, f"no e-mail was sent; worker log:\n{worker_log}"
    assert "TS-" in sent[0].read_text()
    with site["app"].app_context():
        row = db.session.scalars(select(OutboxEmail).where(
            OutboxEmail.to_address == site["owner_email"])).one()
        assert row.sent_at is not None and row.attempts == 1
        db.session.remove()
        db.engine.dispose()


def test_the_login_limit_trips_at_the_same_count_whichever_server_is_hit(site) -> None:
    used = site["logins"]  # the logins of the tests above count against this address
    browser = Browser()
    codes = []
    for i in range(LOGIN_LIMIT - used + 2):
        server = site["a"] if i % 2 == 0 else site["b"]
        browser.request(f"{server}/login")
        codes.append(browser.request(f"{server}/login", {"login": "nobody-here",
                                                         "password": "wrong-pass-1"})[0])

    # One limit for the pair: alone, each server would allow LOGIN_LIMIT attempts.
    assert codes == [400] * (LOGIN_LIMIT - used) + [429, 429]
