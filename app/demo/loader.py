"""`flask seed-demo`: load the Chinese demo site.

The text is built from templates with fixed random seeds, so every load writes the
same threads; times are placed over the last ~18 months before the moment of loading.
The forum is written in bulk in one transaction, with counters computed from the rows
written. Complaint cases are then replayed through the real complaint services at
their historical moments (`case_steps.py`), one commit per step as in real use, so
their events, promises and counters are exactly what the services write.
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import click
from sqlalchemy import func, or_, select

from .. import text
from ..auth.models import User
from ..auth.services import hash_password
from ..communities.defaults import install_defaults
from ..communities.models import Board, Community
from ..core import clock
from ..extensions import db
from ..forum.models import Post, PostRevision, Thread
from ..search import index as search_index
from ..search import rebuild as search_rebuild
from .cases import BoardKey, case_summary, choose_cases, replay_complaints
from .complaint_topics import COMPLAINT_TOPICS
from .moderation import seed_moderation
from .content import (
    COMMUNITIES,
    COMMUNITY_BOARDS,
    DEMO_PASSWORD,
    FIXED_THREADS,
    LOCKED_LONG_THREAD,
    LONG_THREADS,
    RESIDENTS,
    SHOWCASE_USERNAMES,
    SITE_BOARDS,
    SITE_THREADS,
    STAFF,
    THREADS_PER_BOARD,
)
from .photos import add_demo_photos
from .notice_topics import CLUB_TOPICS, NEWS_TOPICS, SITE_NEWS_TOPICS
from .talk_topics import LIFE_TOPICS, TALK_TOPICS
from .topics import Topic
from .verifications import seed_owner_verifications, seed_site_settings
from .writer import LOCAL_TZ, DraftThread, Person, ThreadPlan, ThreadWriter, pick_length

SEED = 20260101
CASE_SEED = SEED + 1        # cases draw apart, so the forum text stays as it was
HISTORY_DAYS = 540          # about 18 months
LONG_THREAD_LENGTHS = (76, 30, 80)  # the first long threads; later ones draw 30–80


# The topics each board draws from, by board slug.
TOPICS_BY_KIND: dict[str, tuple[Topic, ...]] = {
    "complaints": COMPLAINT_TOPICS,
    "talk": TALK_TOPICS,
    "club": CLUB_TOPICS,
    "news": NEWS_TOPICS,
    "site-news": SITE_NEWS_TOPICS,
    "life": LIFE_TOPICS,
}


def load_demo(echo: Callable[[str], None]) -> None:
    """Load the demo site, unless it (or any community) is there already."""
    reason = existing_data()
    if reason:
        echo(f"The demo is already loaded ({reason}); nothing changed.")
        return
    started = time.perf_counter()
    install_defaults()  # the departments and categories the cases are filed under
    rng, case_rng = random.Random(SEED), random.Random(CASE_SEED)
    now = clock.now().replace(microsecond=0)
    earliest = now - timedelta(days=HISTORY_DAYS)

    people = _create_people(rng, earliest)
    boards = _create_places(earliest)
    plans = _plan_threads(rng, now, earliest, boards)
    writer = ThreadWriter(rng, now, people)
    drafts: list[DraftThread] = []
    with click.progressbar(plans, label="Writing demo threads") as bar:
        for plan in bar:
            draft = writer.write(plan)
            writer.edit_some(draft)
            drafts.append(draft)
    deleted = writer.delete_some(drafts)
    scripts, kept = choose_cases(case_rng, now, earliest, people, boards, drafts, writer)
    threads, posts = _insert(kept)
    _set_counters(boards, kept, threads, people)
    _index(threads, posts)
    db.session.commit()
    seed_owner_verifications(random.Random(SEED + 4), now, people)  # issue 4
    replay_complaints(case_rng, now, people, boards, scripts)
    moderation_summary = seed_moderation(now)
    seed_site_settings(people)  # issue 4
    photos = add_demo_photos(random.Random(SEED + 2))
    # Search takes its index's order as newest first; the demo writes history out of order.
    search_rebuild.rebuild()

    edited = sum(1 for draft in kept for post in draft.posts if post.versions)
    total_threads = db.session.scalar(select(func.count()).select_from(Thread))
    total_posts = db.session.scalar(select(func.count()).select_from(Post))
    echo(f"Loaded the demo in {time.perf_counter() - started:.1f} s: "
         f"{len(COMMUNITIES)} communities, {len(boards)} boards, {len(people)} users, "
         f"{total_threads} threads, {total_posts} posts ({edited} edited, {deleted} deleted), "
         f"{photos} photos.")
    echo(case_summary())
    echo(moderation_summary)
    echo(f"Demo accounts (every demo account's password is {DEMO_PASSWORD}):")
    for username in SHOWCASE_USERNAMES:
        user = people[username].user
        echo(f"  {user.role:<10} {username:<12} {DEMO_PASSWORD}   {user.display_name}")


def existing_data() -> str | None:
    """Why loading the demo would clash with what the database holds, or None."""
    if db.session.scalar(select(User.id).where(User.username == "admin")) is not None:
        return "an account named admin exists"
    if db.session.scalar(select(Community.id).limit(1)) is not None:
        return "communities exist"
    names = [spec.username for spec in STAFF + RESIDENTS]
    taken = db.session.scalar(select(User.username).where(
        or_(User.username.in_(names), User.email.in_([f"{n}@example.com" for n in names])))
        .limit(1))
    if taken is not None:
        return f"the demo account {taken} exists"
    return None


def _create_people(rng: random.Random, earliest: datetime) -> dict[str, Person]:
    """Every demo account, sharing one password hash (hashing is deliberately slow)."""
    password_hash = hash_password(DEMO_PASSWORD)
    people: dict[str, Person] = {}
    for spec in STAFF + RESIDENTS:
        community = COMMUNITIES[spec.home] if spec.home is not None else None
        user = User(username=spec.username, display_name=spec.display_name,
                    email=f"{spec.username}@example.com", password_hash=password_hash,
                    role=spec.role.value,
                    created_at=earliest - timedelta(days=rng.randint(20, 40),
                                                    minutes=rng.randint(0, 1440)))
        people[spec.username] = Person(
            user=user, spec=spec,
            building=spec.building or rng.randint(1, community.buildings if community else 10),
            unit=rng.randint(1, 3), floor=rng.randint(2, community.floors if community else 20),
            door=rng.randint(1, 4))
    db.session.add_all(person.user for person in people.values())
    db.session.flush()
    return people


def _create_places(earliest: datetime) -> dict[BoardKey, Board]:
    """The communities with their four boards each, and the site-wide boards."""
    opened = earliest - timedelta(days=45)
    boards: dict[BoardKey, Board] = {}
    for index, spec in enumerate(COMMUNITIES):
        community = Community(slug=spec.slug, name=spec.name, city=spec.city,
                              description=spec.description, position=index, created_at=opened)
        db.session.add(community)
        for position, board_spec in enumerate(COMMUNITY_BOARDS):
            boards[(index, board_spec.slug)] = Board(
                community=community, slug=board_spec.slug, name=board_spec.name,
                description=board_spec.description, kind=board_spec.kind.value,
                position=position, created_at=opened)
    for position, board_spec in enumerate(SITE_BOARDS):
        boards[(None, board_spec.slug)] = Board(
            community_id=None, slug=board_spec.slug, name=board_spec.name,
            description=board_spec.description, kind=board_spec.kind.value,
            position=position, created_at=opened)
    db.session.add_all(boards.values())
    db.session.flush()
    return boards


def _thread_count(key: BoardKey) -> int:
    community, slug = key
    if community is None:
        return SITE_THREADS[slug]
    slugs = [spec.slug for spec in COMMUNITY_BOARDS]
    return THREADS_PER_BOARD[community][slugs.index(slug)]


def _topic(group: str, key: str) -> Topic:
    return next(topic for topic in TOPICS_BY_KIND[group] if topic.key == key)


def _seasonal_start(rng: random.Random, topic: Topic, earliest: datetime, low: float,
                    high: float) -> datetime:
    """A start between `low` and `high` seconds after `earliest`, in the topic's season."""
    for _ in range(200):
        start = earliest + timedelta(seconds=rng.uniform(low, high))
        if not topic.months or start.astimezone(LOCAL_TZ).month in topic.months:
            break
    return start


def _plan_threads(rng: random.Random, now: datetime, earliest: datetime,
                  boards: dict[BoardKey, Board]) -> list[ThreadPlan]:
    """Decide every thread's board, topic, start and length, oldest first."""
    span = (now - earliest).total_seconds()
    plans: list[ThreadPlan] = []
    long_lengths = list(LONG_THREAD_LENGTHS)
    for key, board in boards.items():
        community, group = key
        own: list[ThreadPlan] = []
        for index, fixed in enumerate(f for f in FIXED_THREADS
                                      if (f.community, f.board) == key):
            own.append(ThreadPlan(board, group, community,
                                  earliest + timedelta(hours=index + rng.random()), 1,
                                  fixed=fixed))
        for c, slug, topic_key in LONG_THREADS:
            if (c, slug) != key:
                continue
            length = long_lengths.pop(0) if long_lengths else rng.randint(30, 80)
            topic = _topic(group, topic_key)
            start = _seasonal_start(rng, topic, earliest, 0, span - 160 * 86400)
            lock = "moderator" if (c, slug, topic_key) == LOCKED_LONG_THREAD else ""
            own.append(ThreadPlan(board, group, community, start, length,
                                  topic=topic, long=True, lock=lock))
        deck: list[Topic] = []
        while len(own) < _thread_count(key):
            if not deck:
                deck = list(TOPICS_BY_KIND[group])
                rng.shuffle(deck)
            topic = deck.pop()
            start = _seasonal_start(rng, topic, earliest, 3 * 86400, span - 7200)
            own.append(ThreadPlan(board, group, community, start,
                                  pick_length(rng, group, topic), topic=topic))
        plans.extend(own)
    plans.sort(key=lambda plan: plan.start)
    # One second-hand sale in the biggest community ends sold, and is locked.
    sale = next(plan for plan in plans if plan.community == 0 and plan.group == "talk"
                and plan.topic is not None and plan.topic.key == "secondhand"
                and plan.length >= 3)
    sale.lock = "sold"
    return plans


def _insert(drafts: list[DraftThread]) -> tuple[list[Thread], list[Post]]:
    """Write threads, posts and revisions in bulk; returns the threads and the posts."""
    threads = [
        Thread(board_id=draft.plan.board.id, author_id=draft.author.user.id,
               title=draft.title, created_at=draft.posts[0].at,
               last_post_at=draft.posts[-1].at,
               last_post_user_id=draft.posts[-1].author.user.id,
               post_count=len(draft.posts),
               pinned=bool(draft.plan.fixed and draft.plan.fixed.pinned),
               locked=draft.locked)
        for draft in drafts
    ]
    db.session.add_all(threads)
    db.session.flush()

    rendered: dict[str, str] = {}

    def render(source: str) -> str:
        if source not in rendered:
            rendered[source] = text.render(source)
        return rendered[source]

    rows: list[tuple[Post, DraftThread, int]] = []
    for thread, draft in zip(threads, drafts, strict=True):
        for number, draft_post in enumerate(draft.posts, start=1):
            author_id = draft_post.author.user.id
            post = Post(thread_id=thread.id, number=number, author_id=author_id,
                        body_source=draft_post.source, body_html=render(draft_post.source),
                        render_version=text.RENDER_VERSION, created_at=draft_post.at,
                        edited_at=draft_post.edited_at, edit_count=len(draft_post.versions),
                        deleted_at=draft_post.deleted_at,
                        deleted_by_id=author_id if draft_post.deleted_at else None)
            rows.append((post, draft, number))
    db.session.add_all(post for post, _, _ in rows)
    db.session.flush()

    revisions: list[PostRevision] = []
    for post, draft, number in rows:
        draft_post = draft.posts[number - 1]
        written_at = draft_post.at
        for index, (source, replaced_at) in enumerate(draft_post.versions, start=1):
            revisions.append(PostRevision(
                post_id=post.id, number=index, title=draft.title if number == 1 else None,
                body_source=source, body_html=render(source), written_at=written_at,
                replaced_at=replaced_at, editor_id=post.author_id))
            written_at = replaced_at
    db.session.add_all(revisions)
    return threads, [post for post, _, _ in rows]


def _index(threads: list[Thread], posts: list[Post]) -> None:
    """Index the bulk-written posts, as posting through the services would.

    The replayed cases index their own posts, so `search rebuild --if-empty` would
    otherwise find an index in place and leave the rest of the forum unsearchable.
    """
    by_id = {thread.id: thread for thread in threads}
    for post in posts:
        thread = by_id[post.thread_id]
        search_index.put_post(post, thread, thread.board)


def _set_counters(boards: dict[BoardKey, Board], drafts: list[DraftThread],
                  threads: list[Thread], people: dict[str, Person]) -> None:
    """Fill every denormalised counter from the rows just written."""
    by_board: dict[int, list[Thread]] = {}
    for thread in threads:
        by_board.setdefault(thread.board_id, []).append(thread)
    communities: dict[int, Community] = {}
    for board in boards.values():
        own = by_board.get(board.id, [])
        board.thread_count = len(own)
        board.post_count = sum(thread.post_count for thread in own)
        latest = max(own, key=lambda t: (t.last_post_at, t.id), default=None)
        board.last_post_at = latest.last_post_at if latest else None
        board.last_thread_id = latest.id if latest else None
        if board.community is not None:
            community = board.community
            if community.id not in communities:
                community.thread_count = community.post_count = 0
                communities[community.id] = community
            community.thread_count += board.thread_count
            community.post_count += board.post_count

    users: dict[int, User] = {person.user.id: person.user for person in people.values()}
    for user in users.values():
        user.post_count = user.thread_count = 0
    for draft in drafts:
        users[draft.author.user.id].thread_count += 1
        for post in draft.posts:
            users[post.author.user.id].post_count += 1
