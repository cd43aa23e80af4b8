"""What the proofs share: fresh databases, a gunicorn they start and kill, a browser-like
HTTP client (cookies, CSRF tokens from the page, real form posts), and the row counts
that check what clients were told against what the database holds.

Only the standard library speaks HTTP here, so the proofs need nothing a fresh machine
lacks besides the project's own requirements.
"""
from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
if not GUNICORN.exists():  # a virtualenv elsewhere: the interpreter's own scripts
    GUNICORN = Path(sys.executable).parent / "gunicorn"

PASSWORD = "proof-pass-2026"
# The proofs log in dozens of sessions and post hundreds of times a minute from one
# address (127.0.0.1): with the production limits (20 posts a minute) they would measure
# 429 pages. The limiter still runs on every POST; only its numbers are raised.
PROOF_LIMIT = "1000000 per minute"
LIMITS_ENV = {"POST_RATE_LIMIT": PROOF_LIMIT, "FILE_RATE_LIMIT": PROOF_LIMIT,
              "LOGIN_RATE_LIMIT": PROOF_LIMIT, "REGISTER_RATE_LIMIT": PROOF_LIMIT}
MARKER_RE = re.compile(r"PRF[0-9a-z]+X")


def is_long() -> bool:
    """The long versions run with PROOFS_LONG=1 (make proofs)."""
    return os.environ.get("PROOFS_LONG", "") not in ("", "0")


# --- databases -------------------------------------------------------------------------

def postgres_server() -> str | None:
    """The PostgreSQL URL of TEST_DATABASE_URL, when the suite runs on PostgreSQL."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


def backend() -> str:
    return "postgresql" if postgres_server() else "sqlite"


def pg_database_url(name: str) -> str:
    """A fresh database of our own on the test server: `<test db>_<name>`, never `test`."""
    base = sa.engine.make_url(postgres_server())
    db_name = f"{base.database}_{name}"
    if not re.fullmatch(r"[A-Za-z0-9_]+", db_name) or db_name == "test":
        raise ValueError(f"refusing to use a database named {db_name!r}")
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": db_name})
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db_name}"'))
        conn.execute(sa.text(f"CREATE DATABASE \"{db_name}\" TEMPLATE template0 ENCODING 'UTF8' "
                             "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"))
    admin.dispose()
    return base.set(database=db_name).render_as_string(hide_password=False)


def fresh_database(tmp: Path, name: str) -> str:
    """An empty database for one proof: an SQLite file, or a PostgreSQL database."""
    if postgres_server():
        return pg_database_url(name)
    return f"sqlite:///{tmp / (name + '.sqlite3')}"


def drop_pg_database(url: str) -> None:
    """Drop one of our own PostgreSQL databases after a proof (keeps the server tidy)."""
    if not url.startswith("postgresql"):
        return
    parsed = sa.engine.make_url(url)
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = :n AND pid <> pg_backend_pid()"),
                     {"n": parsed.database})
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{parsed.database}"'))
    admin.dispose()


@dataclass
class Site:
    """What the seed made: accounts, places, threads and cases the clients act on."""

    url: str
    community_slug: str
    category_ids: list[int]
    department_ids: list[int]
    owners: list[str]
    staff: list[str]
    thread_ids: list[int]
    case_ids: dict[int, int]  # case id -> thread id


def seed_site(url: str, *, owners: int, staff: int, threads: int = 12, cases: int = 6) -> Site:
    """Build the schema and a small site through the app's own services."""
    from app import create_app
    from app.auth import services as auth_services
    from app.auth.roles import Role
    from app.communities.defaults import install_defaults
    from app.communities.models import Board, BoardKind, Category, Community, Department
    from app.complaints import services as complaint_services
    from app.extensions import db
    from app.forum import services as forum_services
    from config import TestingConfig

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.create_all()
        install_defaults()
        community = Community(slug="proof-garden", name="证明花园")
        db.session.add(community)
        db.session.flush()
        talk = Board(community_id=community.id, slug="talk", name="业主交流",
                     kind=BoardKind.DISCUSSION.value)
        complaints = Board(community_id=community.id, slug="complaints", name="投诉",
                           kind=BoardKind.COMPLAINTS.value, position=1)
        db.session.add_all([talk, complaints])
        db.session.commit()
        owner_users = [auth_services.create_account(
            f"owner{i}", f"owner{i}@proof.test", PASSWORD, display_name=f"业主{i}",
            role=Role.OWNER) for i in range(owners)]
        for i in range(staff):
            auth_services.create_account(f"staff{i}", f"staff{i}@proof.test", PASSWORD,
                                         display_name=f"客服{i}", role=Role.STAFF)
        thread_ids = [forum_services.create_thread(
            talk, owner_users[i % owners], title=f"证明话题{i}",
            body="楼上卫生间漏水了，物业什么时候来看？").id for i in range(threads)]
        items = list(db.session.scalars(sa.select(Category).where(
            Category.parent_id.is_not(None)).order_by(Category.id)))
        case_ids = {}
        for i in range(cases):
            case = complaint_services.file_complaint(
                community, owner_users[i % owners], complaint_services.Filing(
                    title=f"证明投诉{i}电梯停运", body="电梯经常停运，已经一周了。",
                    category_id=items[i % len(items)].id, wanted_outcome="尽快修好"))
            case_ids[case.id] = case.thread_id
        site = Site(url=url, community_slug=community.slug,
                    category_ids=[c.id for c in items],
                    department_ids=list(db.session.scalars(sa.select(Department.id))),
                    owners=[u.username for u in owner_users],
                    staff=[f"staff{i}" for i in range(staff)],
                    thread_ids=thread_ids, case_ids=case_ids)
        db.session.remove()
        db.engine.dispose()
    return site


def engine_for(url: str) -> sa.Engine:
    return sa.create_engine(url)


def sqlite_integrity(url: str) -> tuple[str, int]:
    """`PRAGMA integrity_check` and the number of foreign-key violations of an SQLite file."""
    import sqlite3
    path = url[len("sqlite:///"):]
    conn = sqlite3.connect(path)
    try:
        integrity = "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
        violations = len(conn.execute("PRAGMA foreign_key_check").fetchall())
    finally:
        conn.close()
    return integrity, violations


# --- the server -------------------------------------------------------------------------

def free_port() -> int:
    """A free port: the first of 5110-5119 (this project's range here), else any."""
    for port in [*range(5110, 5120), 0]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError("no free port")


@dataclass
class Server:
    """gunicorn started by a proof: its master in a process group of its own."""

    database_url: str
    log: Path
    workers: int = 4
    port: int = field(default_factory=free_port)
    secret: str = field(default_factory=lambda: secrets.token_hex(32))
    process: subprocess.Popen | None = None
    starts: int = 0

    @property
    def base(self) -> str:
        return f"127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("REDIS_URL", "DATABASE_URL", "TEST_DATABASE_URL")}
        env.update(APP_ENV="production", SECRET_KEY=self.secret,
                   DATABASE_URL=self.database_url, LOG_LEVEL="INFO", **LIMITS_ENV)
        return env

    def start(self, timeout: float = 120) -> None:
        """Start gunicorn (same port and key every time) and poll until a page answers."""
        command = [str(GUNICORN), "-w", str(self.workers), "-b", self.base,
                   "--timeout", "60", "--graceful-timeout", "5", "--chdir", str(ROOT),
                   "wsgi:app"]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(command, env=self.env(), cwd=ROOT, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        self.starts += 1
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}: "
                                   f"{self.log.read_text()[-3000:]}")
            try:
                if get_status(self.base, "/login") == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer in {timeout} s: {self.log.read_text()[-3000:]}")

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat[stat.rindex(")") + 2:].split()[1]) == self.process.pid:
                    found.append(int(entry.name))
        return found

    def kill_worker(self) -> int | None:
        """kill -9 one worker (the master starts another)."""
        pids = self.worker_pids()
        if not pids:
            return None
        pid = secrets.choice(pids)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return None
        return pid

    def kill_all(self) -> None:
        """kill -9 the master and every worker at once (their process group)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill_all()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


# --- the client ---------------------------------------------------------------------------

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class Refused(Exception):
    """The server answered, but not with what the client wanted (kept for the figures)."""


def get_status(base: str, path: str) -> int:
    conn = http.client.HTTPConnection(base, timeout=5)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


@dataclass
class Answer:
    status: int
    location: str
    body: str


class Browser:
    """One person's browser: its cookies, and forms posted with the page's CSRF token."""

    def __init__(self, base: str, *, timeout: float = 60) -> None:
        self.base = base
        self.timeout = timeout
        self.cookies: dict[str, str] = {"lang": "en"}  # messages the proofs can read
        self.requests = 0

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, form: list[tuple[str, str]] | None = None
                ) -> Answer:
        conn = http.client.HTTPConnection(self.base, timeout=self.timeout)
        headers = {"Cookie": self._cookie_header(), "User-Agent": "ownervoice-proof"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.requests += 1
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    cookie_value = rest.split(";", 1)[0]
                    if cookie_value and "max-age=0" not in value.lower():
                        self.cookies[name.strip()] = cookie_value
                    else:
                        self.cookies.pop(name.strip(), None)
            return Answer(response.status, response.getheader("Location", "") or "", text)
        finally:
            conn.close()

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: list[tuple[str, str]]) -> Answer:
        return self.request("POST", path, form)

    @staticmethod
    def token(page: str) -> str:
        match = CSRF_RE.search(page)
        if match is None:
            raise Refused("no CSRF token on the page")
        return match.group(1)

    def login(self, username: str, password: str = PASSWORD) -> None:
        page = self.get("/login")
        answer = self.post("/login", [("csrf_token", self.token(page.body)),
                                      ("login", username), ("password", password)])
        if answer.status != 302:
            raise Refused(f"login of {username} answered {answer.status}")


def path_of(location: str) -> str:
    """The path (and query, fragment) of a Location header, absolute or not."""
    parsed = urllib.parse.urlsplit(location)
    path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
    return path + (f"#{parsed.fragment}" if parsed.fragment else "")


# --- what the clients were told, against the rows --------------------------------------

@dataclass
class Ack:
    """One acknowledged write: its kind, its marker and what the server answered."""

    kind: str
    marker: str
    location: str
    target: int = 0  # thread id of a reply, case id of a step


MARKED_COLUMNS = {
    # kind -> (table, column) whose text carries the marker of that kind of write
    "reply": ("posts", "body_source"),
    "answer": ("posts", "body_source"),
    "filing": ("threads", "title"),
    "step": ("case_events", "note_html"),
    "reject": ("case_events", "note_html"),
    "confirm": ("case_ratings", "comment"),
}


def count_markers(url: str) -> dict[tuple[str, str], Counter]:
    """How many rows carry each marker, per (table, column)."""
    found: dict[tuple[str, str], Counter] = {}
    engine = engine_for(url)
    with engine.connect() as conn:
        for table, column in set(MARKED_COLUMNS.values()):
            counter: Counter = Counter()
            rows = conn.execute(sa.text(f"SELECT {column} FROM {table} "
                                        f"WHERE {column} LIKE '%PRF%'"))
            for (value,) in rows:
                counter.update(set(MARKER_RE.findall(value or "")))
            found[(table, column)] = counter
    engine.dispose()
    return found


def check_acks(url: str, acks: list[Ack]) -> dict[str, Any]:
    """Every acknowledged write exactly once; no marker anywhere twice; replies where told."""
    counts = count_markers(url)
    missing, duplicated, misplaced = [], [], []
    for ack in acks:
        n = counts[MARKED_COLUMNS[ack.kind]][ack.marker]
        if n == 0:
            missing.append(ack)
        elif n > 1:
            duplicated.append(ack)
    everywhere_twice = [(key, marker) for key, counter in counts.items()
                        for marker, n in counter.items() if n > 1]
    engine = engine_for(url)
    with engine.connect() as conn:
        for ack in acks:
            if ack.kind == "reply":  # the redirect names the post: /t/<id>?page=N#p<number>
                number = int(ack.location.rsplit("#p", 1)[1])
                body = conn.execute(sa.text(
                    "SELECT body_source FROM posts WHERE thread_id = :t AND number = :n"),
                    {"t": ack.target, "n": number}).scalar()
                if body is None or ack.marker not in body:
                    misplaced.append(ack)
            elif ack.kind == "filing":  # the redirect names the new thread, with its case
                thread_id = int(re.search(r"/t/(\d+)", ack.location).group(1))
                row = conn.execute(sa.text(
                    "SELECT t.title, c.id FROM threads t LEFT JOIN cases c "
                    "ON c.thread_id = t.id WHERE t.id = :t"), {"t": thread_id}).first()
                if row is None or ack.marker not in row[0] or row[1] is None:
                    misplaced.append(ack)
            elif ack.kind in ("step", "reject"):
                case_id = conn.execute(sa.text(
                    "SELECT case_id FROM case_events WHERE note_html LIKE :m"),
                    {"m": f"%{ack.marker}%"}).scalar()
                if case_id != ack.target:
                    misplaced.append(ack)
    engine.dispose()
    rows = sum(sum(c.values()) for c in counts.values())
    return {"acknowledged": len(acks), "rows_with_markers": rows, "missing": missing,
            "duplicated": duplicated, "misplaced": misplaced,
            "markers_twice": everywhere_twice}


def scan_log(text: str) -> dict[str, int]:
    """What the server's log says went wrong."""
    return {"database is locked": text.count("database is locked"),
            "Traceback": text.count("Traceback"),
            "worker timeouts": text.count("WORKER TIMEOUT")}
