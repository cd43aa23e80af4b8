"""Writes the demo threads in memory: who posts what, and when.

Nothing here touches the database; `loader.py` turns the drafts into rows.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..auth.roles import Role
from .content import (
    COMMUNITIES,
    EDIT_ADDITIONS,
    LOCK_NOTICE,
    SOLD_NOTICE,
    CommunitySpec,
    FixedThread,
    PersonSpec,
)
from .topics import (
    GENERIC_REPLIES,
    ITEMS,
    PRICES,
    REPLY_CLOSERS,
    REPLY_OPENERS,
    TIMES,
    TYPHOONS,
    Topic,
)

if TYPE_CHECKING:
    from ..auth.models import User
    from ..communities.models import Board

# Dates written inside posts ("6月12日") are local to the communities.
LOCAL_TZ = ZoneInfo("Asia/Shanghai")

# How many posts an ordinary thread has: most 1–5, a tail up to 25.
LENGTHS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 14, 18, 25)
LENGTH_WEIGHTS = (8, 18, 20, 16, 12, 6, 5, 4, 3, 3, 2, 2, 1)


@dataclass
class Person:
    """A demo account and where it lives (staff get a building only for the templates)."""

    user: User
    spec: PersonSpec
    building: int
    unit: int
    floor: int
    door: int

    @property
    def room(self) -> str:
        return f"{self.floor}{self.door:02d}"

    @property
    def home(self) -> int | None:
        return self.spec.home


@dataclass
class DraftPost:
    """A post before it becomes a row; `versions` are earlier texts with their end times."""

    author: Person
    source: str
    at: datetime
    versions: list[tuple[str, datetime]] = field(default_factory=list)
    deleted_at: datetime | None = None

    @property
    def edited_at(self) -> datetime | None:
        return self.versions[-1][1] if self.versions else None


@dataclass
class ThreadPlan:
    """What a thread will be before its posts are written."""

    board: Board
    group: str                    # which topic set: complaints, talk, club, news, site-news, life
    community: int | None
    start: datetime
    length: int
    topic: Topic | None = None
    fixed: FixedThread | None = None
    long: bool = False
    lock: str = ""                # "moderator" (a moderator closes it) or "sold" (author asks)


@dataclass
class DraftThread:
    """A written thread: its plan, title, author and posts in order."""

    plan: ThreadPlan
    title: str
    author: Person
    posts: list[DraftPost]

    @property
    def locked(self) -> bool:
        return bool(self.plan.lock)


def pick_length(rng: random.Random, group: str, topic: Topic) -> int:
    """How many posts a thread of this kind gets (announcements stay short)."""
    if group in ("news", "site-news"):
        return 2 if topic.followups and rng.random() < 0.4 else 1
    length = rng.choices(LENGTHS, LENGTH_WEIGHTS)[0]
    if group == "complaints" and length < 3 and rng.random() < 0.5:
        length += 2  # complaints draw answers more often than chat does
    return length


def local_date(at: datetime, days_ahead: int) -> str:
    """A date like 6月12日, some days after `at`, as a Chinese reader writes it."""
    day = (at + timedelta(days=days_ahead)).astimezone(LOCAL_TZ)
    return f"{day.month}月{day.day}日"


def _plain_line(source: str) -> str:
    """The first line of a post without Markdown markers, shortened for a quote."""
    for line in source.splitlines():
        line = re.sub(r"^(\s*([-*>]|\d+\.|#+)\s*)+", "", line).replace("**", "").strip()
        if line:
            return line if len(line) <= 40 else line[:38] + "……"
    return ""


class ThreadWriter:
    """Writes threads from plans with one random generator, so the output is repeatable."""

    def __init__(self, rng: random.Random, now: datetime, people: dict[str, Person]) -> None:
        self.rng = rng
        self.now = now
        self.people = people
        self.residents = [p for p in people.values() if p.home is not None]
        self.by_home: dict[int, list[Person]] = {}
        for person in self.residents:
            self.by_home.setdefault(person.home, []).append(person)  # type: ignore[arg-type]
        self.customer_staff = [p for p in people.values() if p.spec.role == Role.STAFF]
        self.announcers = self.customer_staff + [people["mod_zhou"], people["mod_xu"]]
        self.site_announcers = [people["admin"], people["crc_zhao"], people["mod_xu"]]
        self.moderators = [people["mod_zhou"], people["mod_xu"]]
        self.handlers = {p.spec.dept: p for p in people.values() if p.spec.role == Role.HANDLER}

    # Choosing people -------------------------------------------------------------

    def _resident(self, community: int | None, *, avoid: Person | None = None) -> Person:
        pool = self.by_home.get(community, []) if community is not None else []
        if not pool or self.rng.random() < 0.15:
            pool = self.residents
        for _ in range(6):
            person = self.rng.choice(pool)
            if person is not avoid:
                return person
        return person

    def _author(self, plan: ThreadPlan) -> Person:
        if plan.fixed is not None:
            return self.people[plan.fixed.author]
        if plan.group == "site-news":
            return self.rng.choice(self.site_announcers)
        if plan.group == "news" or (plan.topic is not None and plan.topic.by_staff):
            return self.rng.choice(self.announcers)
        return self._resident(plan.community)

    # Filling templates -----------------------------------------------------------

    def _context(self, plan: ThreadPlan, author: Person, poster: Person,
                 at: datetime) -> dict[str, object]:
        rng = self.rng
        home = plan.community if plan.community is not None else poster.home
        if home is None:
            home = author.home if author.home is not None else 0
        spec: CommunitySpec = COMMUNITIES[home]
        return {
            "xq": spec.name, "b": author.building, "u": author.unit, "fl": author.floor,
            "room": author.room, "b2": poster.building, "fl2": poster.floor,
            "room2": poster.room, "b3": rng.randint(1, spec.buildings),
            "n": rng.randint(2, 9), "n2": rng.randint(10, 60), "days": rng.randint(3, 30),
            "date": local_date(at, rng.randint(2, 6)), "date2": local_date(at, rng.randint(7, 12)),
            "month": at.astimezone(LOCAL_TZ).month, "year": at.astimezone(LOCAL_TZ).year,
            "time": rng.choice(TIMES), "me": poster.user.display_name,
            "author": author.user.display_name, "typhoon": rng.choice(TYPHOONS),
            "item": rng.choice(ITEMS), "price": rng.choice(PRICES),
        }

    def _fill(self, template: str, plan: ThreadPlan, author: Person, poster: Person,
              at: datetime) -> str:
        return template.format_map(self._context(plan, author, poster, at))

    # Writing ---------------------------------------------------------------------

    def _times(self, plan: ThreadPlan) -> list[datetime]:
        """Post times: increasing, first answers within hours, all before now."""
        rng = self.rng
        mean_gap = 20 * 3600 if plan.long else 7 * 3600
        offsets = [0.0]
        for _ in range(plan.length - 1):
            offsets.append(offsets[-1] + 180 + rng.expovariate(1 / mean_gap))
        room = (self.now - plan.start).total_seconds() - rng.randint(300, 7200)
        if offsets[-1] > room > 0:
            offsets = [o * room / offsets[-1] for o in offsets]
        times: list[datetime] = []
        for offset in offsets:
            at = plan.start + timedelta(seconds=int(offset))
            if times and at <= times[-1]:
                at = times[-1] + timedelta(seconds=1)
            times.append(at)
        return times

    def _neighbour_reply(self, plan: ThreadPlan, author: Person, poster: Person, at: datetime,
                         earlier: list[DraftPost], used: set[str]) -> str:
        rng = self.rng
        topic = plan.topic
        kind = "complaints" if plan.group == "complaints" else (
            "club" if plan.group == "club" else "discussion")
        pool = [r for r in (topic.replies if topic else ()) + GENERIC_REPLIES[kind]
                if r not in used]
        if not pool:
            used.clear()
            pool = list((topic.replies if topic else ()) + GENERIC_REPLIES[kind])
        core = rng.choice(pool)
        used.add(core)
        if kind != "club" and not core.endswith("？"):
            roll = rng.random()
            if roll < 0.14:
                core = rng.choice(REPLY_OPENERS) + core
            elif roll < 0.26:
                core = core + rng.choice(REPLY_CLOSERS)
        text = self._fill(core, plan, author, poster, at)
        if len(earlier) > 1 and rng.random() < 0.09:
            quoted = _plain_line(rng.choice(earlier[1:]).source)
            if quoted:
                text = f"> {quoted}\n\n{text}"
        return text

    def _pick_unused(self, options: tuple[str, ...], used: set[str]) -> str:
        fresh = [o for o in options if o not in used] or list(options)
        choice = self.rng.choice(fresh)
        used.add(choice)
        return choice

    def write(self, plan: ThreadPlan) -> DraftThread:
        """Write one thread: title, opening post and replies in time order."""
        rng = self.rng
        author = self._author(plan)
        times = self._times(plan)
        if plan.fixed is not None:
            title, opening = plan.fixed.title, plan.fixed.body
        else:
            assert plan.topic is not None
            title = self._fill(rng.choice(plan.topic.titles), plan, author, author, plan.start)
            opening = self._fill(rng.choice(plan.topic.openings), plan, author, author,
                                 plan.start)
        posts = [DraftPost(author, opening, times[0])]
        answered = handled = False
        used: set[str] = set()
        for at in times[1:]:
            poster, text = self._next_post(plan, author, at, posts, used, answered, handled)
            if poster.spec.role == Role.HANDLER:
                handled = True
            elif poster.user.has_role(Role.STAFF) and poster is not author:
                answered = True
            posts.append(DraftPost(poster, text, at))
        self._finish(plan, author, posts)
        return DraftThread(plan, title[:120], author, posts)

    def _next_post(self, plan: ThreadPlan, author: Person, at: datetime,
                   posts: list[DraftPost], used: set[str], answered: bool,
                   handled: bool) -> tuple[Person, str]:
        """Who writes the next post of a thread, and what."""
        rng = self.rng
        topic = plan.topic
        last = posts[-1].author
        if plan.group in ("news", "site-news") or topic is None:
            # Announcement boards: only staff post; the author adds an update.
            options = topic.followups if topic and topic.followups else ("补充：如有疑问请联系物业服务中心。",)
            return author, self._fill(self._pick_unused(options, used), plan, author, author, at)
        roll = rng.random()
        if topic.by_staff:
            # A staff notice (club event): the organiser answers now and then.
            if topic.answers and last is not author and roll < 0.2:
                return author, self._fill(self._pick_unused(topic.answers, used), plan,
                                          author, author, at)
            poster = self._resident(plan.community, avoid=last)
            return poster, self._neighbour_reply(plan, author, poster, at, posts, used)
        if topic.answers and (not answered and (roll < 0.5 or len(posts) >= 4)
                              or answered and roll < 0.06):
            staff = rng.choice(self.customer_staff)
            return staff, self._fill(self._pick_unused(topic.answers, used), plan, author,
                                     staff, at)
        if answered and not handled and topic.handler_notes and roll < 0.4:
            handler = self.handlers.get(topic.dept) or self.handlers["engineering"]
            return handler, self._fill(self._pick_unused(topic.handler_notes, used), plan,
                                       author, handler, at)
        may_follow_up = answered or plan.group != "complaints"
        if topic.followups and may_follow_up and last is not author and roll > 0.82:
            return author, self._fill(self._pick_unused(topic.followups, used), plan, author,
                                      author, at)
        poster = self._resident(plan.community, avoid=last)
        return poster, self._neighbour_reply(plan, author, poster, at, posts, used)

    def _finish(self, plan: ThreadPlan, author: Person, posts: list[DraftPost]) -> None:
        """Close a locked thread with the post that explains why."""
        if plan.lock == "moderator" and len(posts) > 1:
            posts[-1] = DraftPost(self.rng.choice(self.moderators), LOCK_NOTICE, posts[-1].at)
        elif plan.lock == "sold" and len(posts) > 1:
            posts[-1] = DraftPost(author, SOLD_NOTICE, posts[-1].at)

    # Edits and deletions ----------------------------------------------------------

    def edit_some(self, threads: list[DraftThread], share: float = 0.035) -> int:
        """Let authors edit a share of their posts; earlier texts are kept as versions."""
        rng = self.rng
        edited = 0
        for thread in threads:
            if thread.plan.group in ("news", "site-news") or thread.locked:
                continue
            for post in thread.posts:
                if post.author.home is None or rng.random() >= share:
                    continue
                rounds = 2 if rng.random() < 0.2 else 1
                at = post.at
                for _ in range(rounds):
                    at = min(at + timedelta(minutes=rng.randint(5, 2880)), self.now)
                    post.versions.append((post.source, at))
                    post.source = f"{post.source}\n\n{rng.choice(EDIT_ADDITIONS)}"
                edited += 1
        return edited

    def delete_some(self, threads: list[DraftThread], count: int = 2) -> int:
        """Let a few authors withdraw a reply of theirs in owners' talk."""
        candidates = [post for thread in threads if thread.plan.group == "talk"
                      and not thread.locked for post in thread.posts[1:]
                      if post.author.home is not None and not post.versions]
        chosen = self.rng.sample(candidates, min(count, len(candidates)))
        for post in chosen:
            post.deleted_at = min(post.at + timedelta(minutes=self.rng.randint(10, 300)),
                                  self.now)
        return len(chosen)
