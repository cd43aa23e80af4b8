"""A full-page cache for visitors, invalidated by generation counters (issue 7).

What is cached: the whole response (status, headers, body) of an anonymous GET of a
public page (home, community, board, thread, the archive, scorecards, profiles, feeds,
search results),
per locale, host and full path. Only when the visitor has no login (no `_user_id`, no
remember cookie) and nothing else in the session (no flashed message), only 200
answers, and never a response that sets a cookie or changed the session (a page that
made a CSRF token for this visitor is never stored). Logged-in users never read or fill
the cache.

Invalidation: every key names the *generations* it depends on,

    meta        names, roles, boards and categories: everything shown on every page
    site        any public change (lists, counts, cases, the archive, scorecards)
    t:<id>      one thread: its posts, its case, the case's timeline

so a thread page's key holds `meta` and `t:<id>`, every other page's `meta` and `site`.
SQLAlchemy session events see what each transaction changed (new, changed and deleted
rows, and the bulk UPDATE/DELETE statements the services use for counters), map it to
generations (`_classify`), and bump them *after* the commit: a page rendered before
the bump is stored under the old generations and never read again. Tables unknown to
the map bump `meta` and `site`, so a model added later is invalidated safely by
default. A time to live (PAGE_CACHE_SECONDS) bounds what depends on the clock
("3 minutes ago", a promise falling due).

Storage: Redis when REDIS_URL is set (pages and generations shared by all workers and
servers); otherwise pages in each process (an LRU within PAGE_CACHE_MAX_BYTES) and
generations in a small memory-mapped file that every process on the machine shares,
so a write in one gunicorn worker invalidates the pages of the others.
"""
from __future__ import annotations

import hashlib
import json
import mmap
import os
import secrets
import struct
import tempfile
import threading
import time
import zlib
from collections import OrderedDict
from typing import Any

import click
from flask import Flask, Response, current_app, g, has_app_context, request, session
from flask.cli import with_appcontext
from flask_babel import get_locale
from sqlalchemy import event, select
from sqlalchemy.orm import Session

# Endpoint -> how to name its thread generation (None: the site generation).
CACHED_ENDPOINTS: dict[str, str | None] = {
    "forum.home": None, "forum.community": None, "forum.board": None,
    "forum.site_board": None, "forum.thread": "thread_id",
    "transparency.resolved": None, "transparency.scorecard": None,
    "transparency.community_scorecard": None, "transparency.ranking": None,
    "auth.profile": None, "search.results": None,
    "feeds.board": None, "feeds.site_board": None,
    "feeds.community_cases": None, "feeds.resolved": None,
}
# Session keys a visitor may carry and still be served from the cache (a CSRF token
# left by the login page is not shown on cached pages).
HARMLESS_SESSION_KEYS = frozenset({"csrf_token", "_permanent", "_fresh"})

# Tables whose rows no public page shows.
PRIVATE_TABLES = frozenset({
    "user_sessions", "notifications", "outbox_emails", "email_opt_outs", "audit_entries",
    "search_docs", "watches", "case_notes", "alembic_version",
    # Issue 4 and 8: reports, verification requests and units, reset links, failed jobs are
    # shown to their owner and to staff only (a verified badge is a users column).
    "flags", "verification_requests", "units", "unit_memberships", "password_resets",
    "job_failures",
})
# Counter columns: changing only these touches lists and counts (site), not every page.
COUNTER_COLUMNS = {
    "users": frozenset({"post_count", "thread_count"}),
    "boards": frozenset({"post_count", "thread_count", "last_post_at", "last_thread_id"}),
    "communities": frozenset({"post_count", "thread_count"}),
}
# User columns no page shows to anybody else.
PRIVATE_USER_COLUMNS = frozenset({"unread_count", "language", "password_hash", "email",
                                  "real_name", "phone", "is_supervisor"})
CASE_CHILD_TABLES = frozenset({"case_events", "case_joins", "case_ratings", "case_defects"})


# --- storage -------------------------------------------------------------------------

class FileGenerations:
    """Generations in a memory-mapped file shared by every process of this machine.

    A bump writes a fresh random 64-bit value (never an increment), so two processes
    bumping at once cannot lose a bump: each leaves a value no page was stored under.
    Names hash into 4,096 slots; two names sharing a slot only cost extra misses.
    """

    SLOTS = 4096

    def __init__(self, path: str) -> None:
        size = self.SLOTS * 8
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.fstat(fd).st_size < size:
                os.ftruncate(fd, size)
            self._map = mmap.mmap(fd, size)
        finally:
            os.close(fd)

    def _offset(self, name: str) -> int:
        return (zlib.crc32(name.encode()) % self.SLOTS) * 8

    def get(self, names: list[str]) -> list[int]:
        return [struct.unpack_from("<Q", self._map, self._offset(n))[0] for n in names]

    def bump(self, names: set[str]) -> None:
        for name in names:
            struct.pack_into("<Q", self._map, self._offset(name), secrets.randbits(64))


class MemoryPages:
    """Pages in this process: least recently used go first beyond `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self._items: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._bytes = 0
        self._max = max_bytes
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                return None
            if hit[0] < time.monotonic():
                self._drop(key)
                return None
            self._items.move_to_end(key)
            return hit[1]

    def set(self, key: str, value: bytes, ttl: int) -> None:
        if len(value) > self._max // 4:
            return
        with self._lock:
            if key in self._items:
                self._drop(key)
            self._items[key] = (time.monotonic() + ttl, value)
            self._bytes += len(value)
            while self._bytes > self._max and self._items:
                self._drop(next(iter(self._items)))

    def _drop(self, key: str) -> None:
        self._bytes -= len(self._items.pop(key)[1])

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


class LocalStore:
    """No Redis: pages per process, generations shared through a file."""

    def __init__(self, gen_path: str, max_bytes: int) -> None:
        self.gens = FileGenerations(gen_path)
        self.pages = MemoryPages(max_bytes)

    def generations(self, names: list[str]) -> list[int]:
        return self.gens.get(names)

    def bump(self, names: set[str]) -> None:
        self.gens.bump(names)

    def get(self, key: str) -> bytes | None:
        return self.pages.get(key)

    def lookup(self, names: list[str], head: str, tail: str) -> tuple[str, bytes | None]:
        key = head + ".".join(map(str, self.generations(names))) + tail
        return key, self.pages.get(key)

    def set(self, key: str, value: bytes, ttl: int) -> None:
        self.pages.set(key, value, ttl)


class RedisStore:
    """Pages and generations in Redis, shared by every worker and server."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis  # the limiter's dependency already

        self._redis = redis.Redis.from_url(url, socket_timeout=0.5,
                                           socket_connect_timeout=0.5)
        self._prefix = prefix

    def generations(self, names: list[str]) -> list[int]:
        values = self._redis.mget([f"{self._prefix}g:{n}" for n in names])
        return [int(v) if v else 0 for v in values]

    def bump(self, names: set[str]) -> None:
        pipe = self._redis.pipeline(transaction=False)
        for name in names:
            pipe.incr(f"{self._prefix}g:{name}")
        pipe.execute()

    def get(self, key: str) -> bytes | None:
        return self._redis.get(self._prefix + key)

    # The generations and the page in one round trip (a hit is two Redis reads).
    _LOOKUP = """
    local gens = redis.call('MGET', unpack(KEYS))
    for i, v in ipairs(gens) do if not v then gens[i] = '0' end end
    local key = ARGV[1] .. table.concat(gens, '.') .. ARGV[2]
    return {key, redis.call('GET', ARGV[3] .. key)}
    """

    def lookup(self, names: list[str], head: str, tail: str) -> tuple[str, bytes | None]:
        if not hasattr(self, "_script"):
            self._script = self._redis.register_script(self._LOOKUP)
        key, raw = self._script(keys=[f"{self._prefix}g:{n}" for n in names],
                                args=[head, tail, self._prefix])
        return key.decode(), raw

    def set(self, key: str, value: bytes, ttl: int) -> None:
        self._redis.set(self._prefix + key, value, ex=ttl)


def _store(app: Flask) -> Any:  # noqa: ANN401
    store = app.extensions.get("pagecache")
    if store is None:
        namespace = hashlib.sha1(
            (app.config["SQLALCHEMY_DATABASE_URI"] + str(app.config.get("SECRET_KEY"))
             ).encode()).hexdigest()[:10]
        if app.config.get("REDIS_URL"):
            store = RedisStore(app.config["REDIS_URL"], f"ov:pc:{namespace}:")
        else:
            path = app.config.get("PAGE_CACHE_GEN_FILE") or os.path.join(
                tempfile.gettempdir(), f"ownervoice-pagecache-{namespace}.gen")
            store = LocalStore(path, app.config.get("PAGE_CACHE_MAX_BYTES", 16 << 20))
        app.extensions["pagecache"] = store
    return store


def bump(names: set[str], app: Flask | None = None) -> None:
    """Invalidate every page that depends on these generations (after the data changed)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    if names and app.config.get("PAGE_CACHE_SECONDS", 0) > 0:
        try:
            _store(app).bump(names)
        except Exception:  # noqa: BLE001  (an unreachable store must not fail a write…)
            app.logger.exception("page cache: could not bump %s", sorted(names))
            # …but then no page may be served from it any more in this process.
            app.config["PAGE_CACHE_SECONDS"] = 0


def clear(app: Flask | None = None) -> None:
    """Invalidate every cached page (after a bulk load or a restore)."""
    bump({"meta", "site"}, app)


# --- what a transaction changed -------------------------------------------------------

def _pending(sess: Session) -> dict:
    return sess.info.setdefault("pagecache", {"names": set(), "cases": set()})


def _changed_columns(obj: Any) -> set[str]:  # noqa: ANN401
    from sqlalchemy import inspect

    state = inspect(obj)
    return {attr.key for attr in state.attrs if attr.history.has_changes()}


def _classify_table(table: str, columns: set[str] | None, ids: list | None,
                    pending: dict) -> None:
    """Map a change to `table` (columns changed, row ids when known) to generations."""
    names: set[str] = pending["names"]
    if table in PRIVATE_TABLES:
        return
    if table == "users":
        shown = (columns or {"*"}) - PRIVATE_USER_COLUMNS
        if not shown:
            return
        names.add("site")
        if shown - COUNTER_COLUMNS["users"]:
            names.add("meta")
        return
    if table in COUNTER_COLUMNS:
        names.add("site")
        if columns is None or columns - COUNTER_COLUMNS[table]:
            names.add("meta")
        return
    if table in ("threads", "posts", "post_revisions") and ids is not None:
        names.add("site")
        names.update(f"t:{i}" for i in ids)
        return
    if table == "cases" and ids is not None:
        names.add("site")
        pending["cases"].update(ids)
        return
    names.update(("site", "meta"))


def _after_flush(sess: Session, _ctx: Any) -> None:  # noqa: ANN401
    pending = _pending(sess)
    for obj in (*sess.new, *sess.dirty, *sess.deleted):
        table = getattr(getattr(obj, "__table__", None), "name", None)
        if table is None:
            continue
        if table in PRIVATE_TABLES:
            continue
        if obj in sess.dirty and not sess.is_modified(obj):
            continue
        columns = None if obj in sess.new or obj in sess.deleted else _changed_columns(obj)
        if table == "users" and obj in sess.new:
            pending["names"].add("site")  # a new account is on no page yet
            continue
        if table == "threads":
            _classify_table(table, columns, [obj.id], pending)
        elif table in ("posts", "post_revisions"):
            thread_id = getattr(obj, "thread_id", None)
            if thread_id is None and getattr(obj, "post", None) is not None:
                thread_id = obj.post.thread_id
            _classify_table(table, columns, [thread_id] if thread_id else None, pending)
        elif table == "cases":
            pending["names"].update(("site", f"t:{obj.thread_id}"))
        elif table in CASE_CHILD_TABLES or hasattr(obj, "case_id"):
            pending["names"].add("site")
            pending["cases"].add(obj.case_id)
        else:
            _classify_table(table, columns, None, pending)
    _resolve_cases(sess, pending)


def _ids_from_where(stmt: Any) -> list | None:  # noqa: ANN401
    """The ids of `WHERE <table>.id = x` or `… id IN (…)`, else None (unknown rows)."""
    clause = getattr(stmt, "whereclause", None)
    if clause is None:
        return None
    parts = getattr(clause, "clauses", None) or [clause]
    for part in parts:
        left, right = getattr(part, "left", None), getattr(part, "right", None)
        if getattr(left, "key", None) == "id" and hasattr(right, "value"):
            value = right.value
            return list(value) if isinstance(value, (list, tuple, set)) else [value]
    return None


def _on_execute(state: Any) -> None:  # noqa: ANN401
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    stmt = state.statement
    table = getattr(getattr(stmt, "table", None), "name", None)
    if table is None:
        _pending(state.session)["names"].update(("site", "meta"))
        return
    values = getattr(stmt, "_values", None)
    columns = {getattr(k, "key", str(k)) for k in values} if values and state.is_update else None
    ids = _ids_from_where(stmt) if not state.is_insert else None
    _classify_table(table, columns, ids, _pending(state.session))


def _resolve_cases(sess: Session, pending: dict) -> None:
    """Cases to their threads: from the session when loaded, else one query."""
    cases: set = pending["cases"]
    if not cases:
        return
    from ..complaints.models import Case

    missing = []
    for case_id in list(cases):
        obj = sess.identity_map.get(sess.identity_key(Case, case_id)) if case_id else None
        if obj is not None and obj.thread_id is not None:
            pending["names"].add(f"t:{obj.thread_id}")
        elif case_id is not None:
            missing.append(case_id)
    if missing:
        rows = sess.connection().execute(select(Case.thread_id).where(Case.id.in_(missing)))
        pending["names"].update(f"t:{tid}" for (tid,) in rows)
    cases.clear()


def _before_commit(sess: Session) -> None:
    if "pagecache" in sess.info:
        _resolve_cases(sess, sess.info["pagecache"])


def _after_commit(sess: Session) -> None:
    pending = sess.info.pop("pagecache", None)
    if pending and pending["names"] and has_app_context():
        bump(pending["names"])


def _after_rollback(sess: Session) -> None:
    sess.info.pop("pagecache", None)


_listening = False


def _listen() -> None:
    global _listening  # noqa: PLW0603
    if _listening:
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _on_execute)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_soft_rollback", lambda s, _t: _after_rollback(s))
    _listening = True


# --- the request side ------------------------------------------------------------------

def _names(endpoint: str | None, view_args: dict | None) -> list[str] | None:
    """The generations a cached endpoint's page depends on (None: not cached)."""
    if endpoint not in CACHED_ENDPOINTS:
        return None
    arg = CACHED_ENDPOINTS[endpoint]
    if arg is None:
        return ["meta", "site"]
    return ["meta", f"t:{(view_args or {}).get(arg)}"]


def _plan() -> list[str] | None:
    """The generations this request's page depends on, or None if it is not cacheable."""
    if request.method != "GET":
        return None
    names = _names(request.endpoint, request.view_args)
    if names is None:
        return None
    if request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")):
        return None
    if set(session.keys()) - HARMLESS_SESSION_KEYS:
        return None  # logged in, or a flashed message waits to be shown
    return names


def _key_parts(req: Any, locale: str) -> tuple[str, str]:  # noqa: ANN401
    """A page's key is head + generations + tail."""
    raw = f"{req.scheme}://{req.host}{req.full_path}"
    digest = hashlib.sha1(raw.encode("utf-8", "surrogateescape")).hexdigest()
    return f"p:{locale}:", f":{digest}"


def visitor_locale(app: Flask, req: Any) -> str:  # noqa: ANN401
    """app.select_locale for a visitor, without a request context (the two must agree;
    a test checks they do): the `lang` cookie, else the browser's, else Chinese."""
    languages = app.config["LANGUAGES"]
    chosen = req.cookies.get("lang")
    if chosen in languages:
        return chosen
    return req.accept_languages.best_match(languages) or languages[0]


def _pack(response: Response) -> bytes:
    headers = [(k, v) for k, v in response.headers.items()
               if k.lower() not in ("set-cookie", "x-page-cache", "content-length")]
    head = json.dumps({"s": response.status_code, "h": headers}).encode()
    return head + b"\n" + response.get_data()


def _unpack(raw: bytes) -> Response:
    head, _, body = raw.partition(b"\n")
    meta = json.loads(head)
    response = Response(body, status=meta["s"])
    response.headers.clear()
    for key, value in meta["h"]:
        response.headers.add(key, value)
    response.headers["Content-Length"] = str(len(body))
    return response


def _before_request() -> Response | None:
    ttl = current_app.config.get("PAGE_CACHE_SECONDS", 0)
    if ttl <= 0:
        return None
    names = _plan()
    if names is None:
        return None
    g.pagecache_cacheable = True
    try:
        key, raw = _store(current_app).lookup(names, *_key_parts(request, str(get_locale())))
    except Exception:  # noqa: BLE001  (the cache is an optimisation: render instead)
        current_app.logger.warning("page cache unavailable", exc_info=True)
        return None
    if raw is None:
        g.pagecache_key = key
        return None
    response = _unpack(raw)
    response.headers["X-Page-Cache"] = "hit"
    g.pagecache_hit = True
    return response


def _after_request(response: Response) -> Response:
    if not g.get("pagecache_cacheable"):
        return response
    response.vary.update(("Cookie", "Accept-Language"))
    if g.get("pagecache_hit"):
        return response
    key = g.get("pagecache_key")
    storable = (key is not None and response.status_code == 200
                and not response.is_streamed and not response.direct_passthrough
                and "Set-Cookie" not in response.headers and not session.modified)
    if storable:
        try:
            _store(current_app).set(key, _pack(response),
                                    current_app.config["PAGE_CACHE_SECONDS"])
        except Exception:  # noqa: BLE001
            current_app.logger.warning("page cache: could not store", exc_info=True)
        response.headers["X-Page-Cache"] = "miss"
    return response


@click.group("pagecache")
def pagecache_cli() -> None:
    """The visitors' page cache."""


@pagecache_cli.command("clear")
@with_appcontext
def clear_command() -> None:
    """Invalidate every cached page (after loading rows outside the app, or a restore)."""
    clear()
    click.echo("Page cache cleared.")


class HitServer:
    """The WSGI layer that answers a cookie-less visitor's hit before Flask starts.

    A hit through Flask costs a request context, the before-request hooks and a
    Response; here it is a URL match, the locale and one store lookup. Anything else
    (a session or remember cookie, a miss, an error) goes on to Flask, which serves
    hits for visitors with a harmless session and renders and stores misses.
    """

    def __init__(self, app: Flask, inner: Any) -> None:  # noqa: ANN401
        self.app = app
        self.inner = inner

    def __call__(self, environ: dict, start_response: Any) -> Any:  # noqa: ANN401
        if environ.get("REQUEST_METHOD") == "GET":
            hit = self._hit(environ)
            if hit is not None:
                start_response(*hit[:2])
                return [hit[2]]
        return self.inner(environ, start_response)

    def _hit(self, environ: dict) -> tuple[str, list, bytes] | None:
        from werkzeug.wrappers import Request as PlainRequest

        app = self.app
        if app.config.get("PAGE_CACHE_SECONDS", 0) <= 0:
            return None
        req = PlainRequest(environ)
        cookies = req.cookies
        if app.config["SESSION_COOKIE_NAME"] in cookies or \
                app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in cookies:
            return None
        try:
            endpoint, args = app.create_url_adapter(req).match()  # type: ignore[union-attr]
            names = _names(endpoint, args)
            if names is None:
                return None
            _key, raw = _store(app).lookup(names, *_key_parts(req, visitor_locale(app, req)))
        except Exception:  # noqa: BLE001  (a redirect, a 404, the store: Flask decides)
            return None
        if raw is None:
            return None
        head, _, body = raw.partition(b"\n")
        meta = json.loads(head)
        headers = [(k, v) for k, v in meta["h"]]
        headers += [("Content-Length", str(len(body))), ("X-Page-Cache", "hit")]
        from werkzeug.http import HTTP_STATUS_CODES

        status = f"{meta['s']} {HTTP_STATUS_CODES.get(meta['s'], '')}"
        return status, headers, body


def init_app(app: Flask) -> None:
    """Serve cached visitor pages before the views run; store them after; invalidate."""
    _listen()
    app.before_request(_before_request)
    # Last of the after-request hooks, so the stored headers are the final ones (CSP…).
    app.after_request_funcs.setdefault(None, []).insert(0, _after_request)
    app.cli.add_command(pagecache_cli)
    # Inside a ProxyFix, so the scheme and host in the keys are the client's.
    outer = app.wsgi_app
    if hasattr(outer, "x_for") and hasattr(outer, "app"):
        outer.app = HitServer(app, outer.app)
    else:
        app.wsgi_app = HitServer(app, outer)  # type: ignore[method-assign]
