"""The shape of a generated site: communities, boards, accounts, and every thread planned.

Sizes are uneven on purpose: one board holds half of all threads (so page 500 exists),
communities shrink down the list, thread lengths have a long tail and a few threads
hold thousands of posts.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from app.auth.roles import Role
from app.demo.content import COMMUNITIES, COMMUNITY_BOARDS, RESIDENTS, SITE_BOARDS, STAFF

from bulk import Bulk
from cases import CategoryInfo
from textbank import PHASES

HISTORY_DAYS = 3 * 365
COMMUNITY_COUNT = 20
# Ordinary thread lengths (the demo writer's table): most 1–5 posts, a tail to 25.
LENGTHS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 14, 18, 25)
LENGTH_WEIGHTS = (8, 18, 20, 16, 12, 6, 5, 4, 3, 3, 2, 2, 1)
# A few huge threads, as shares of all posts: (board key, topic, is a case).
MEGA_THREADS = ((0.02, (0, "talk"), "group_food", False),
                (0.01, (0, "complaints"), "lift", True),
                (0.006, (None, "life"), "handover", False),
                (0.004, (1, "complaints"), "fees", False),
                (0.003, (2, "club"), "family_day", False))
BIG_BOARD_SHARE = 0.5          # community 0's owners' talk holds half of all threads
KIND_SHARES = {"complaints": 0.45, "talk": 0.35, "club": 0.1, "news": 0.1}
SITE_SHARES = {"life": 0.04, "site-news": 0.003}
CASE_SHARE_OF_COMPLAINTS = 0.33  # about 7 % of all threads become cases
USER_COLUMNS = ("id", "username", "display_name", "email", "password_hash", "role",
                "created_at", "post_count", "thread_count", "department_id", "is_supervisor")
COMMUNITY_COLUMNS = ("id", "slug", "name", "city", "description", "position", "created_at")
BOARD_COLUMNS = ("id", "community_id", "slug", "name", "description", "kind", "position",
                 "created_at")

@dataclass
class BoardInfo:
    """A board being filled, with the counters its rows will carry."""

    id: int
    community: int | None        # index into the site's communities
    group: str                   # which demo topics fit: complaints, talk, club, news...
    kind: str
    threads: int = 0
    posts: int = 0
    last: tuple[datetime, int] | None = None


@dataclass
class ThreadPlan:
    """One thread to write: where, when, how long, and what it is."""

    board: int                   # index into boards
    start: datetime
    length: int
    topic: str | None = None     # a demo topic key, else any topic of the board's group
    case: bool = False
    pinned: str = ""             # key of a pinned notice
    long_timeline: bool = False


@dataclass
class Site:
    """Everything planned before rows are streamed."""

    now: datetime
    earliest: datetime
    boards: list[BoardInfo]
    residents: list[list[int]]   # user ids by community index
    all_residents: list[int]
    customer: list[int]
    moderators: list[int]
    admin: int
    handlers: dict[int, list[int]]            # department id -> user ids
    dept_by_slug: dict[str, int]
    dept_names: dict[int, str]
    categories: dict[str, CategoryInfo]       # item slug -> info
    user_count: int
    community_names: list[str]
    buildings: list[int]
    user_posts: list[int] = field(default_factory=list)
    user_threads: list[int] = field(default_factory=list)


def thread_lengths(rng: random.Random, posts: int) -> tuple[list[int], list[int]]:
    """The huge threads' lengths, then ordinary lengths with a long tail, summing to `posts`."""
    mega = [max(1, int(posts * share)) for share, *_ in MEGA_THREADS]
    remaining = posts - sum(mega)
    lengths: list[int] = []
    while remaining > 0:
        if rng.random() < 0.01:  # a long discussion: 30 to a few hundred posts
            n = min(400, int(30 * rng.paretovariate(1.3)))
        else:
            n = rng.choices(LENGTHS, LENGTH_WEIGHTS)[0]
        n = min(n, remaining)
        lengths.append(n)
        remaining -= n
    return mega, lengths


def plan_site(rng: random.Random, bulk: Bulk, posts: int, users: int, password_hash: str,
              departments: dict[str, tuple[int, str]], categories: dict[str, CategoryInfo]
              ) -> tuple[Site, list[ThreadPlan]]:
    """Write communities, boards and users; plan every thread."""
    # Naive UTC, as the app's UTCDateTime stores it.
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    earliest = now - timedelta(days=HISTORY_DAYS)
    opened = earliest - timedelta(days=45)

    names, buildings, rows = [], [], []
    for index in range(COMMUNITY_COUNT):
        spec, phase = COMMUNITIES[index % len(COMMUNITIES)], index // len(COMMUNITIES)
        names.append(spec.name + PHASES[phase])
        buildings.append(spec.buildings)
        slug = spec.slug if phase == 0 else f"{spec.slug}-{phase + 1}"
        rows.append((index + 1, slug, names[-1], spec.city, spec.description, index, opened))
    bulk.insert("communities", COMMUNITY_COLUMNS, rows)

    boards: list[BoardInfo] = []
    rows = []
    for index in range(COMMUNITY_COUNT):
        for position, spec in enumerate(COMMUNITY_BOARDS):
            boards.append(BoardInfo(len(boards) + 1, index, spec.slug, spec.kind.value))
            rows.append((boards[-1].id, index + 1, spec.slug, spec.name, spec.description,
                         spec.kind.value, position, opened))
    for position, spec in enumerate(SITE_BOARDS):
        boards.append(BoardInfo(len(boards) + 1, None, spec.slug, spec.kind.value))
        rows.append((boards[-1].id, None, spec.slug, spec.name, spec.description,
                     spec.kind.value, position, opened))
    bulk.insert("boards", BOARD_COLUMNS, rows)

    site = _write_users(rng, bulk, users, password_hash, departments, now, earliest)
    site.boards, site.categories = boards, categories
    site.community_names, site.buildings = names, buildings
    bulk.commit()
    return site, _plan_threads(rng, site, posts)


def _write_users(rng: random.Random, bulk: Bulk, count: int, password_hash: str,
                 departments: dict[str, tuple[int, str]], now: datetime, earliest: datetime
                 ) -> Site:
    """The demo's staff, more staff to scale, and residents of every community."""
    rows: list[tuple] = []
    customer, moderators, handlers = [], [], {}
    admin = 0

    def add(username: str, name: str, role: Role, department: int | None = None,
            supervisor: bool = False) -> int:
        user_id = len(rows) + 1
        joined = earliest - timedelta(days=rng.randint(1, 120), seconds=rng.randint(0, 86400))
        rows.append((user_id, username, name[:40], f"{username}@example.com", password_hash,
                     role.value, joined, 0, 0, department, supervisor))
        return user_id

    customer_dept = departments["customer-relations"][0]
    for spec in STAFF:
        department = departments[spec.dept][0] if spec.dept else (
            customer_dept if spec.role == Role.STAFF else None)
        user_id = add(spec.username, spec.display_name, spec.role, department,
                      supervisor=spec.role == Role.HANDLER)
        if spec.role == Role.ADMIN:
            admin = user_id
        elif spec.role == Role.MODERATOR:
            moderators.append(user_id)
        elif spec.role == Role.STAFF:
            customer.append(user_id)
        else:
            handlers.setdefault(department, []).append(user_id)
    staff_names = [s.display_name for s in STAFF if s.role == Role.STAFF]
    for n in range(8):
        customer.append(add(f"kefu{n + 1}", f"{staff_names[n % len(staff_names)]}{n + 2}",
                            Role.STAFF, customer_dept))
    for slug, (dept_id, dept_name) in departments.items():
        if slug == "customer-relations":
            continue
        for n in range(3):
            handlers.setdefault(dept_id, []).append(
                add(f"{slug[:12]}_h{n + 1}", f"{dept_name}{'张王李赵刘陈'[n]}工", Role.HANDLER,
                    dept_id))

    weights = [1 / (c + 1) ** 0.7 for c in range(COMMUNITY_COUNT)]
    residents: list[list[int]] = [[] for _ in range(COMMUNITY_COUNT)]
    homes = rng.choices(range(COMMUNITY_COUNT), weights, k=max(0, count - len(rows)))
    for n, home in enumerate(homes):
        spec = RESIDENTS[n % len(RESIDENTS)]
        name = spec.display_name
        if "栋" not in name and rng.random() < 0.4:
            name = f"{rng.randint(1, 22)}栋{name}"  # as owners sign: 3栋王先生
        role = Role.OWNER if rng.random() < 0.65 else Role.MEMBER
        residents[home].append(add(f"{spec.username[:20]}_{n + 1}", name, role))
    bulk.insert("users", USER_COLUMNS, rows)
    return Site(now=now, earliest=earliest, boards=[], residents=residents,
                all_residents=[u for group in residents for u in group], customer=customer,
                moderators=moderators, admin=admin, handlers=handlers,
                dept_by_slug={slug: d for slug, (d, _) in departments.items()},
                dept_names={d: name for d, name in departments.values()},
                categories={}, user_count=len(rows), community_names=[], buildings=[],
                user_posts=[0] * (len(rows) + 1), user_threads=[0] * (len(rows) + 1))


def _plan_threads(rng: random.Random, site: Site, posts: int) -> list[ThreadPlan]:
    """Every thread's board, start and length, oldest first (ids follow creation time)."""
    boards = site.boards
    index = {(b.community, b.group): i for i, b in enumerate(boards)}
    span = (site.now - site.earliest).total_seconds()
    plans: list[ThreadPlan] = []
    for key in [(c, "complaints") for c in range(COMMUNITY_COUNT)]:
        plans.append(ThreadPlan(index[key], site.earliest, 1, pinned="guide"))
    for key in [(c, "news") for c in range(COMMUNITY_COUNT)]:
        plans.append(ThreadPlan(index[key], site.earliest, 1,
                                pinned=f"contact:{site.community_names[key[0]]}"))
    for pinned in ("rules", "process"):
        plans.append(ThreadPlan(index[(None, "site-news")], site.earliest, 1, pinned=pinned))
    used = len(plans)

    mega, lengths = thread_lengths(rng, posts - used)
    for length, (_, key, topic, case) in zip(mega, MEGA_THREADS, strict=True):
        start = site.earliest + timedelta(seconds=rng.uniform(0.02, 0.1) * span)
        plans.append(ThreadPlan(index[key], start, length, topic=topic, case=case,
                                long_timeline=case))

    weights = [0.0] * len(boards)
    community_weights = [1 / (c + 1) ** 0.9 for c in range(COMMUNITY_COUNT)]
    scale = (1 - BIG_BOARD_SHARE - sum(SITE_SHARES.values())) / sum(community_weights)
    for i, board in enumerate(boards):
        if board.community is None:
            weights[i] = SITE_SHARES[board.group]
        else:
            weights[i] = community_weights[board.community] * scale * KIND_SHARES[board.group]
    weights[index[(0, "talk")]] += BIG_BOARD_SHARE
    chosen = rng.choices(range(len(boards)), weights, k=len(lengths))
    for length, board in zip(lengths, chosen, strict=True):
        # Activity grows over the years: more threads start recently.
        start = site.earliest + timedelta(seconds=span * rng.random() ** 0.6)
        start = min(start, site.now - timedelta(hours=1))
        case = boards[board].group == "complaints" and rng.random() < CASE_SHARE_OF_COMPLAINTS
        plans.append(ThreadPlan(board, start, length, case=case))
    plans.sort(key=lambda plan: plan.start)
    return plans
