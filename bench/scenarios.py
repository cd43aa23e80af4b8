"""What the load runner requests: addresses found in the generated data, and real sessions.

Addresses are chosen from the database (the biggest board, the longest thread, the case
with the longest timeline) and optional pages from the app's url_map, so the runner
follows the app as it grows. Sessions come from the real login form, and CSRF tokens
from the pages, exactly as a browser gets them.
"""
from __future__ import annotations

import html
import http.cookiejar
import re
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

from app import create_app
from app.demo.topics import STAFF_UPDATES
from common import BENCH_PASSWORD
from config import Config, DevelopmentConfig

USER_AGENT = "ownervoice-bench/1 (wrk)"
SEARCH_WORD = "漏水"
DEEP_PAGE = 500
# Optional pages the issue names, found by endpoint name once the app has them:
# (name, label, endpoint words, whether to load a deep page).
OPTIONAL = (("archive", "resolved archive, deep page", ("archive", "resolved"), True),
            ("scorecard", "scorecard", ("scorecard",), False))
# How far a keyset-paged list is walked to find its "deep" page.
MAX_WALK = DEEP_PAGE - 1


@dataclass
class Page:
    """One address to load: a short name, what it is, and the path."""

    name: str
    label: str
    path: str


@dataclass
class Session:
    """A logged-in browser: its cookie header and its CSRF token."""

    username: str
    role: str
    cookie: str
    csrf: str


@dataclass
class Targets:
    """Everything the runner needs from the database and the app."""

    pages: list[Page]
    skipped: list[str]
    members: list[str]
    staff: list[str]
    reply_threads: list[int]
    filings: list[tuple[str, int, str, str, str]]   # community, category, title, body, outcome
    texts: list[str]
    cases: list[tuple[int, int, int, int, str]]      # id, thread, version, department, status
    sizes: dict[str, int] = field(default_factory=dict)


def _rules() -> dict[str, str]:
    """Endpoint -> rule for every route without arguments (what can be linked blindly)."""
    app = create_app(DevelopmentConfig)
    return {rule.endpoint: rule.rule for rule in app.url_map.iter_rules()
            if not rule.arguments and "GET" in (rule.methods or ())}


def _last_page(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def discover(url: str) -> Targets:
    """Pick the addresses and accounts to use from the generated site."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:

        def one(sql: str) -> sa.Row:
            return conn.execute(sa.text(sql)).one()

        def rows(sql: str) -> list[sa.Row]:
            return list(conn.execute(sa.text(sql)).all())

        sizes = {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar() or 0
                 for t in ("users", "communities", "boards", "threads", "posts", "cases",
                           "case_events", "case_joins")}
        community = one("SELECT slug FROM communities ORDER BY post_count DESC, id LIMIT 1")[0]
        board, board_community, board_threads = one(
            "SELECT b.slug, c.slug, b.thread_count FROM boards b "
            "LEFT JOIN communities c ON c.id = b.community_id "
            "ORDER BY b.thread_count DESC, b.id LIMIT 1")
        long_id, long_posts = one("SELECT id, post_count FROM threads "
                                  "ORDER BY post_count DESC, id LIMIT 1")
        case_thread, case_events = one(
            "SELECT c.thread_id, count(*) AS n FROM case_events e JOIN cases c ON c.id = e.case_id "
            "GROUP BY c.thread_id ORDER BY n DESC, c.thread_id LIMIT 1")
        members = [r[0] for r in rows("SELECT username FROM users WHERE role = 'owner' "
                                      "AND banned_at IS NULL ORDER BY id LIMIT 8")]
        staff = [r[0] for r in rows("SELECT username FROM users WHERE role = 'staff' "
                                    "ORDER BY id LIMIT 4")]
        reply_threads = [r[0] for r in rows(
            "SELECT t.id FROM threads t JOIN boards b ON b.id = t.board_id "
            "WHERE NOT t.locked AND b.archived_at IS NULL "
            "AND b.kind IN ('discussion', 'complaints') "
            "ORDER BY t.last_post_at DESC LIMIT 64")]
        filings = [(r[0], r[1], r[2], r[3], r[4]) for r in rows(
            "SELECT co.slug, c.category_id, t.title, p.body_source, c.wanted_outcome "
            "FROM cases c JOIN threads t ON t.id = c.thread_id "
            "JOIN posts p ON p.thread_id = t.id AND p.number = 1 "
            "JOIN communities co ON co.id = c.community_id ORDER BY c.id LIMIT 60")
            if 4 <= len(r[2]) <= 120 and len(r[3]) >= 10 and len(r[4] or "") >= 2]
        texts = [r[0] for r in rows("SELECT body_source FROM posts WHERE number > 1 "
                                    "ORDER BY id LIMIT 400") if 10 <= len(r[0]) <= 500][:60]
    engine.dispose()

    board_path = f"/c/{board_community}/{board}" if board_community else f"/b/{board}"
    last_board = _last_page(board_threads, Config.THREADS_PER_PAGE)
    pages = [
        Page("home", "home", "/"),
        Page("community", "community page", f"/c/{community}"),
        Page("board", f"board page 1 ({board_threads:,} threads)", board_path),
        Page("board_deep", f"board page {min(DEEP_PAGE, last_board)} of {last_board}",
             f"{board_path}?page={min(DEEP_PAGE, last_board)}"),
        Page("thread", f"thread page 1 ({long_posts:,} posts)", f"/t/{long_id}"),
        Page("thread_last", f"thread last page ({_last_page(long_posts, Config.POSTS_PER_PAGE)})",
             f"/t/{long_id}?page={_last_page(long_posts, Config.POSTS_PER_PAGE)}"),
        Page("case", f"case page ({case_events} timeline events)", f"/t/{case_thread}"),
    ]
    skipped = []
    rules = _rules()
    if "search.results" in rules:
        pages.append(Page("search", f"search “{SEARCH_WORD}”",
                          f"{rules['search.results']}?q={urllib.parse.quote(SEARCH_WORD)}"))
    else:
        skipped.append("search: no search.results route in this tree")
    for name, label, words, deep in OPTIONAL:
        found = sorted((rule for endpoint, rule in rules.items()
                        if any(w in endpoint for w in words) and not rule.endswith(".atom")),
                       key=len)
        if found:
            pages.append(Page(name, label, found[0] + ("?page=__deep__" if deep else "")))
        else:
            skipped.append(f"{name}: no route named *{'* or *'.join(words)}* in this tree")
    return Targets(pages=pages, skipped=skipped, members=members, staff=staff,
                   reply_threads=reply_threads, filings=filings, texts=texts,
                   cases=open_cases(url), sizes=sizes)


def open_cases(url: str, limit: int = 256) -> list[tuple[int, int, int, int, str]]:
    """Open cases with their current versions (read again before each write run)."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        found = [(r[0], r[1], r[2], r[3], r[4]) for r in conn.execute(sa.text(
            "SELECT c.id, c.thread_id, c.version, coalesce(c.department_id, "
            "(SELECT min(id) FROM departments)), c.status FROM cases c "
            "WHERE c.status IN ('received', 'assigned', 'planned', 'in_progress') "
            f"ORDER BY c.id DESC LIMIT {int(limit)}"))]
    engine.dispose()
    return found


def resolve_deep_pages(base: str, pages: list[Page]) -> None:
    """Replace a `__deep__` page with page 500 or the last one, however the list pages.

    A numbered pager links its last page (`?page=N`); a keyset pager (the resolved
    archive: `?after=<cursor>`) only links the next page, so it is walked link by link.
    """
    for page in pages:
        if "__deep__" not in page.path:
            continue
        first = page.path.replace("?page=__deep__", "")
        body = fetch(base + first)
        numbers = [int(n) for n in re.findall(r"[?&](?:amp;)?page=(\d+)", body)]
        if numbers:
            deep = min(DEEP_PAGE, max(numbers))
            page.path = f"{first}?page={deep}"
        else:
            path, deep = first, 1
            while deep <= MAX_WALK:
                found = re.search(r'<a[^>]*rel="next"[^>]*href="([^"]+)"', body)
                if found is None:
                    break
                path = html.unescape(found.group(1))
                body = fetch(base + path)
                deep += 1
            page.path = path
        page.label = f"{page.label.split(',')[0]}, page {deep}"


def fetch(url: str, cookie: str = "") -> str:
    """GET a page as the load will (same agent, same cookie); raises on a non-200."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                                   **({"Cookie": cookie} if cookie else {})})
    with urllib.request.urlopen(request, timeout=30) as answer:
        if answer.status != 200:
            raise RuntimeError(f"{url} answered {answer.status}")
        return answer.read().decode("utf-8", "replace")


def log_in(base: str, username: str, role: str) -> Session:
    """Log in through the real form; return the session cookie and a CSRF token for it."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    form = opener.open(f"{base}/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form) or \
        re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    if token is None:
        raise RuntimeError("no CSRF token on the login form")
    data = urllib.parse.urlencode({"csrf_token": token.group(1), "login": username,
                                   "password": BENCH_PASSWORD}).encode()
    home = opener.open(f"{base}/login", data=data, timeout=30).read().decode()
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', home)
    cookie = next((c for c in jar if c.name == "session"), None)
    if csrf is None or cookie is None or 'action="/logout"' not in home:
        raise RuntimeError(f"logging in as {username} failed")
    return Session(username, role, f"session={cookie.value}", csrf.group(1))


def write_data_file(path: Path, targets: Targets, sessions: list[Session]) -> None:
    """The data write.lua reads: sessions, target threads and cases, URL-encoded texts."""
    def quote(text: str) -> str:
        return urllib.parse.quote(text, safe="")

    lines = [f"session\t{s.role}\t{s.cookie}\t{quote(s.csrf)}" for s in sessions]
    lines += [f"reply\t{t}" for t in targets.reply_threads]
    lines += [f"filing\t{c}\t{cat}\t{quote(title)}\t{quote(body)}\t{quote(outcome)}"
              for c, cat, title, body, outcome in targets.filings]
    lines += [f"text\t{quote(t)}" for t in targets.texts]
    lines += [f"case\t{i}\t{t}\t{v}\t{d}\t{status}" for i, t, v, d, status in targets.cases]
    # A plan's public note (a demo staff update without placeholders) and a shared place
    # (the filing form's own example).
    note = next(u for u in STAFF_UPDATES if "{" not in u)
    lines.append(f"note\t{quote(note)}")
    lines.append(f"place\t{quote('地下车库B2层电梯厅')}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def plan_date() -> str:
    """A committed completion date the plan step accepts (not in the past)."""
    return (date.today() + timedelta(days=30)).isoformat()
