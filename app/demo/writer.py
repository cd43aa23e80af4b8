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
from .content import COMMUNITIES, LOCK_NOTICE, SOLD_NOTICE, FixedThread, PersonSpec
from .topics import (
    ECHO_FRAMES,
    GENERIC_REPLIES,
    HEATED_LINES,
    ITEMS,
    OPENING_UPDATES,
    PRICES,
    REPLY_CLOSERS,
    REPLY_OPENERS,
    STAFF_UPDATES,
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

ANNOUNCEMENT_GROUPS = frozenset({"news", "site-news"})


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
    group: str                    # topic set: complaints, talk, club, news, site-news, life
    community: int | None
    start: datetime
    length: int
    topic: Topic | None = None
    fixed: FixedThread | None = None
    long: bool = False
    lock: str = ""                # "moderator" (a moderator closes it) or "sold" (author asks)

    @property
    def reply_kind(self) -> str:
        """Which shared reply pool fits: complaints, club or discussion."""
        return self.group if self.group in ("complaints", "club") else "discussion"


@dataclass
class DraftThread:
    """A written thread: its plan, title, author and posts in order."""

    plan: ThreadPlan
    title: str
    author: Person
    posts: list[DraftPost]
    start_index: int = 0          # which of the topic's openings it used

    @property
    def locked(self) -> bool:
        return bool(self.plan.lock)


@dataclass
class _Writing:
    """What the writer remembers while it writes one thread."""

    plan: ThreadPlan
    topic: Topic
    author: Person
    extras: dict[str, object]     # values that stay the same through the thread
    posts: list[DraftPost] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    answered: bool = False
    handled: bool = False


def pick_length(rng: random.Random, group: str, topic: Topic) -> int:
    """How many posts a thread of this kind gets (announcements stay short)."""
    if group in ANNOUNCEMENT_GROUPS:
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
        self.by_home: dict[int | None, list[Person]] = {}
        for person in self.residents:
            self.by_home.setdefault(person.home, []).append(person)
        self.customer_staff = [p for p in people.values() if p.spec.role == Role.STAFF]
        self.announcers = self.customer_staff + [people["mod_zhou"], people["mod_xu"]]
        self.site_announcers = [people["admin"], people["crc_zhao"], people["mod_xu"]]
        self.moderators = [people["mod_zhou"], people["mod_xu"]]
        self.handlers = {p.spec.dept: p for p in people.values() if p.spec.role == Role.HANDLER}
        self.titles: dict[int, set[str]] = {}

    # Choosing people -------------------------------------------------------------

    def _resident(self, plan: ThreadPlan, *, avoid: tuple[Person, ...] = ()) -> Person:
        """A resident of the thread's community (chat draws a few outsiders too)."""
        pool = self.by_home.get(plan.community, self.residents)
        if plan.group in ("talk", "life") and self.rng.random() < 0.1:
            pool = self.residents
        person = self.rng.choice(pool)
        for _ in range(6):
            if person not in avoid:
                break
            person = self.rng.choice(pool)
        return person

    def _author(self, plan: ThreadPlan) -> Person:
        if plan.fixed is not None:
            return self.people[plan.fixed.author]
        if plan.group == "site-news":
            return self.rng.choice(self.site_announcers)
        if plan.group == "news" or (plan.topic is not None and plan.topic.by_staff):
            return self.rng.choice(self.announcers)
        return self._resident(plan)

    # Filling templates -----------------------------------------------------------

    def _extras(self, plan: ThreadPlan, author: Person) -> dict[str, object]:
        """Values a whole thread shares: the typhoon, the item for sale, the fee."""
        rng = self.rng
        home = plan.community if plan.community is not None else author.home
        buildings = COMMUNITIES[home if home is not None else 0].buildings
        return {"b3": rng.randint(1, buildings), "typhoon": rng.choice(TYPHOONS),
                "item": rng.choice(ITEMS), "price": rng.choice(PRICES)}

    def _context(self, w: _Writing, poster: Person, at: datetime) -> dict[str, object]:
        rng = self.rng
        home = w.plan.community
        if home is None:  # site-wide boards: "our community" is the poster's own
            home = next((h for h in (poster.home, w.author.home) if h is not None), 0)
        local = at.astimezone(LOCAL_TZ)
        return {
            **w.extras,
            "xq": COMMUNITIES[home].name, "b": w.author.building, "u": w.author.unit,
            "fl": w.author.floor, "room": w.author.room, "b2": poster.building,
            "fl2": poster.floor, "room2": poster.room, "n": rng.randint(2, 9),
            "n2": rng.randint(10, 60), "days": rng.randint(3, 30),
            "date": local_date(at, rng.randint(2, 6)), "date2": local_date(at, rng.randint(7, 12)),
            "month": local.month, "year": local.year, "time": rng.choice(TIMES),
            "me": poster.user.display_name, "author": w.author.user.display_name,
        }

    def _fill(self, template: str, w: _Writing, poster: Person, at: datetime) -> str:
        return template.format_map(self._context(w, poster, at))

    def _unused(self, options: tuple[str, ...], w: _Writing) -> str | None:
        """One of `options` not yet used in this thread, or None when all are."""
        fresh = [option for option in options if option not in w.used]
        if not fresh:
            return None
        choice = self.rng.choice(fresh)
        w.used.add(choice)
        return choice

    # Writing ---------------------------------------------------------------------

    def _times(self, plan: ThreadPlan) -> list[datetime]:
        """Post times: increasing, answers within hours or days, all before now."""
        rng = self.rng
        mean_gap = 20 * 3600 if plan.long else 7 * 3600
        offsets = [0.0]
        for _ in range(plan.length - 1):
            offsets.append(offsets[-1] + 180 + rng.expovariate(1 / mean_gap))
        room = (self.now - plan.start).total_seconds() - rng.randint(300, 7200)
        if offsets[-1] > room > 0:
            offsets = [offset * room / offsets[-1] for offset in offsets]
        times: list[datetime] = []
        for offset in offsets:
            at = plan.start + timedelta(seconds=int(offset))
            if times and at <= times[-1]:
                at = times[-1] + timedelta(seconds=1)
            times.append(at)
        return times

    def _opening(self, w: _Writing) -> tuple[str, str, int]:
        """A title and opening post sharing one set of values, and which opening it is."""
        if w.plan.fixed is not None:
            return w.plan.fixed.title, w.plan.fixed.body, 0
        taken = self.titles.setdefault(w.plan.board.id, set())
        for _ in range(8):
            # A long thread opens the topic's main way: its replies fit that best.
            titles, body = chosen = (w.topic.starts[0] if w.plan.long
                                     else self.rng.choice(w.topic.starts))
            context = self._context(w, w.author, w.plan.start)
            title = self.rng.choice(titles).format_map(context)[:120]
            if title not in taken:
                break
        taken.add(title)
        return title, body.format_map(context), w.topic.starts.index(chosen)

    def write(self, plan: ThreadPlan) -> DraftThread:
        """Write one thread: title, opening post and replies in time order."""
        author = self._author(plan)
        topic = plan.topic or Topic("fixed", (), ())
        w = _Writing(plan, topic, author, self._extras(plan, author))
        times = self._times(plan)
        title, opening, start_index = self._opening(w)
        w.posts.append(DraftPost(author, opening, times[0]))
        for index, at in enumerate(times[1:], start=2):
            poster, text = self._next_post(w, at, last=index == plan.length)
            if poster.spec.role == Role.HANDLER:
                w.handled = True
            elif poster.user.has_role(Role.STAFF) and poster is not author:
                w.answered = True
            w.posts.append(DraftPost(poster, text, at))
        self._finish(w)
        return DraftThread(plan, title, author, w.posts, start_index)

    def _next_post(self, w: _Writing, at: datetime, *, last: bool) -> tuple[Person, str]:
        """Who writes the next post of a thread, and what."""
        rng, topic, author = self.rng, w.topic, w.author
        previous = w.posts[-1].author
        roll = rng.random()
        if w.plan.group in ANNOUNCEMENT_GROUPS:
            # Only staff post here: the author adds an update.
            note = self._unused(topic.followups, w) or "补充：如有疑问请联系物业服务中心。"
            return author, self._fill(note, w, author, at)
        if topic.by_staff:
            # A staff notice (club event): the organiser answers now and then.
            answer = self._unused(topic.answers, w) if previous is not author and roll < 0.2 else None
            if answer:
                return author, self._fill(answer, w, author, at)
            return self._neighbour(w, at)
        if last and w.answered and topic.closings and roll < 0.5:
            return author, self._fill(rng.choice(topic.closings), w, author, at)
        wants_answer = (not w.answered and (roll < 0.5 or len(w.posts) >= 4)) or (
            w.answered and roll < 0.06)
        if topic.answers and wants_answer:
            fallback = STAFF_UPDATES if w.plan.group == "complaints" else ()
            answer = self._unused(topic.answers, w) or self._unused(fallback, w)
            if answer:
                staff = rng.choice(self.customer_staff)
                return staff, self._fill(answer, w, staff, at)
        if w.answered and not w.handled and topic.handler_notes and roll < 0.4:
            handler = self.handlers.get(topic.dept) or self.handlers["engineering"]
            note = self._unused(topic.handler_notes, w)
            if note:
                return handler, self._fill(note, w, handler, at)
        may_follow_up = w.answered or w.plan.group != "complaints"
        if may_follow_up and previous is not author and roll > 0.82:
            note = self._unused(topic.followups, w)
            if note:
                return author, self._fill(note, w, author, at)
        return self._neighbour(w, at)

    def _neighbour(self, w: _Writing, at: datetime) -> tuple[Person, str]:
        """A resident's reply: an echo of the problem or a stock reply, now and then quoting."""
        rng = self.rng
        poster = self._resident(w.plan, avoid=(w.posts[-1].author, w.author))
        kind = w.plan.reply_kind
        context = self._context(w, poster, at)
        if w.topic.echoes and rng.random() < (0.6 if w.plan.long else 0.45):
            echo = self._unused(w.topic.echoes, w) or rng.choice(w.topic.echoes)
            context["e"] = echo.format_map(context)
            return poster, rng.choice(w.topic.echo_frames or ECHO_FRAMES[kind]).format_map(context)
        pool = w.topic.replies + (GENERIC_REPLIES[kind] if w.topic.generic else ())
        core = self._unused(pool, w)
        if core is None:  # a long thread has used every reply: start over
            w.used.difference_update(pool)
            core = self._unused(pool, w) or pool[0]
        if not core.endswith("？"):
            roll = rng.random()
            if roll < 0.14 and REPLY_OPENERS.get(kind):
                core = rng.choice(REPLY_OPENERS[kind]) + core
            elif roll < 0.26 and REPLY_CLOSERS.get(kind):
                core += rng.choice(REPLY_CLOSERS[kind])
        text = core.format_map(context)
        if kind != "club" and not w.topic.signup and rng.random() < 0.1:
            quotable = [post for post in w.posts[1:]
                        if post.author is not poster and len(post.source) >= 12]
            quoted = _plain_line(rng.choice(quotable).source) if quotable else ""
            if quoted:
                text = f"> {quoted}\n\n{text}"
        return poster, text

    def _finish(self, w: _Writing) -> None:
        """Close a locked thread with the post that explains why."""
        if len(w.posts) < 2:
            return
        if w.plan.lock == "moderator":
            w.posts[-1] = DraftPost(self.rng.choice(self.moderators), LOCK_NOTICE, w.posts[-1].at)
        elif w.plan.lock == "sold":
            w.posts[-1] = DraftPost(w.author, SOLD_NOTICE, w.posts[-1].at)

    # Edits and deletions ----------------------------------------------------------

    def _edit_time(self, after: datetime) -> datetime:
        return min(after + timedelta(minutes=self.rng.randint(5, 2880)), self.now)

    def edit_some(self, thread: DraftThread) -> None:
        """Let residents edit some posts; every earlier text is kept as a version.

        An opening post gains an update; a complaint reply loses a heated sentence
        (the revision still holds it).
        """
        rng = self.rng
        if thread.plan.group in ANNOUNCEMENT_GROUPS or thread.locked:
            return
        opening = thread.posts[0]
        if opening.author.home is not None and rng.random() < 0.1:
            at = opening.at
            for _ in range(2 if rng.random() < 0.25 else 1):
                at = self._edit_time(at)
                opening.versions.append((opening.source, at))
                update = rng.choice(OPENING_UPDATES[thread.plan.reply_kind])
                opening.source = f"{opening.source}\n\n{update}"
        if thread.plan.group != "complaints":
            return
        for post in thread.posts[1:]:
            if post.author.home is not None and rng.random() < 0.03:
                post.versions.append((f"{post.source}{rng.choice(HEATED_LINES)}",
                                      self._edit_time(post.at)))

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
