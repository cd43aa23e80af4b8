"""Decides which demo complaint threads become tracked cases and how each one goes.

No database: the outcome of each case (received … closed, declined) and its twists
(late steps, send-backs, reopenings, anonymous or phoned filing, group joins, duplicates)
are chosen here; `case_steps.py` plays them through the real services.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from .case_scenarios_quality import QUALITY, QUALITY_VARIANTS
from .case_scenarios_service import SERVICE, SERVICE_VARIANTS
from .case_texts import Scenario
from .case_topics_extra import EXTRA_SCENARIOS, EXTRA_TOPICS
from .writer import DraftThread, Person, ThreadPlan, ThreadWriter

if TYPE_CHECKING:
    from ..communities.models import Board

SCENARIOS: dict[str, Scenario] = {**QUALITY, **SERVICE, **EXTRA_SCENARIOS}
VARIANTS = {**QUALITY_VARIANTS, **SERVICE_VARIANTS}


class Outcome(StrEnum):
    """Where a demo case stands when the demo is loaded."""

    RECEIVED = "received"
    ASSIGNED = "assigned"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CONFIRMED = "confirmed"      # closed, confirmed and rated by the owner
    UNCONFIRMED = "unconfirmed"  # closed by the system after the owner's silence
    DECLINED = "declined"        # out of scope, with a public reason


# How many of the most recent threads end in each open state (extra threads add a few).
OPEN_QUOTA = {Outcome.RECEIVED: 5, Outcome.ASSIGNED: 6, Outcome.PLANNED: 8,
              Outcome.IN_PROGRESS: 13, Outcome.RESOLVED: 9}
# When the filing of an open case happened, in days before now (overdue ones are older).
OPEN_AGE = {Outcome.RECEIVED: (0.05, 0.7), Outcome.ASSIGNED: (1.0, 3.5),
            Outcome.PLANNED: (3.0, 12.0), Outcome.IN_PROGRESS: (6.0, 28.0),
            Outcome.RESOLVED: (6.0, 24.0)}
# Property service promises hours, not weeks: its open cases are younger.
QUICK_OPEN_AGE = {Outcome.RECEIVED: (0.03, 0.12), Outcome.ASSIGNED: (0.2, 0.8),
                  Outcome.PLANNED: (0.6, 2.2), Outcome.IN_PROGRESS: (1.0, 2.8),
                  Outcome.RESOLVED: (2.0, 6.0)}
QUICK_CATEGORIES = frozenset({"lifts", "security", "broadband-utilities", "noise",
                              "property-fees"})
# At most this many threads of a topic (or of one opening of it) become cases: the rest
# stay discussions, like the fee-rise debates.
CASE_CAPS: dict[str | tuple[str, int], int] = {
    ("fees", 0): 0, ("fees", 1): 3, ("fees", 2): 2, "fee_collection": 3, "signal": 3,
    "charging": 4, ("broadband", 0): 3, ("noise", 3): 3, "parking": 9, "security": 9,
    "hygiene": 8, "landscaping": 10, "lift": 12, "cracks": 11, "leak_bathroom": 11}
# Categories whose work takes weeks, so neighbours keep replying longer.
_SLOW = frozenset({"leaks", "walls-paint", "doors-windows", "fees-contracts", "parking",
                   "landscaping"})
# Neighbours' replies kept on a case thread (each is a real post through the service).
MAX_REPLIES, MAX_LONG_REPLIES = 3, 24
# Threads written only for cases: (topic, community, outcome, days before now).
EXTRA_CASES: tuple[tuple[str, int, Outcome, tuple[float, float]], ...] = (
    ("kindergarten", 3, Outcome.CONFIRMED, (200, 400)),
    ("kindergarten", 5, Outcome.PLANNED, (4, 10)),
    ("handover_standard", 5, Outcome.CONFIRMED, (300, 480)),
    ("handover_standard", 5, Outcome.IN_PROGRESS, (12, 25)),
    ("court_planning", 4, Outcome.CONFIRMED, (150, 300)),
    ("court_planning", 1, Outcome.DECLINED, (100, 250)),
    ("narrow_bays", 4, Outcome.UNCONFIRMED, (60, 200)),
    ("narrow_bays", 5, Outcome.RECEIVED, (0.1, 0.6)),
)
CONTACT_NAMES = ("梁伯", "陈阿姨", "何婆婆", "李伯", "黄阿姨", "吴伯")


@dataclass
class Reply:
    """A neighbour's reply, placed at `share` of the way through the case's busy time."""

    person: Person
    text: str
    share: float


@dataclass
class CaseScript:
    """One demo case: its thread, its filer, how it ends and what happens on the way."""

    community: int
    topic: str
    start: int
    scenario: Scenario
    title: str
    body: str
    author: Person                 # the owner who writes (or, phoned, the account's owner)
    place: tuple[int, int, int, int]  # building, unit, floor, door the texts speak of
    filed_at: datetime
    outcome: Outcome
    replies: list[Reply] = field(default_factory=list)
    reply_days: float = 3.0        # neighbours reply within this many days of filing
    filing: str = "self"           # self, account / contact (staff take a call), converted
    contact_name: str = ""
    anonymous: bool = False
    late: frozenset[str] = frozenset()  # first, plan, resolve: the steps that come late
    rejects: int = 0
    reopened: bool = False
    group_size: int = 0            # owners who join within days: a group complaint
    group: list[Person] = field(default_factory=list)
    joiners: list[Person] = field(default_factory=list)  # a few joins over time
    duplicates: list[Person] = field(default_factory=list)  # owners who file a copy
    notes: bool = True
    long: bool = False


def scenario_for(topic: str, start: int) -> Scenario:
    """The case texts for a topic, with the fields its opening changes."""
    return replace(SCENARIOS[topic], **VARIANTS.get((topic, start), {}))  # type: ignore[arg-type]


def _cap(topic: str, start: int) -> int | None:
    return CASE_CAPS.get((topic, start), CASE_CAPS.get(topic))


def _neighbour_replies(draft: DraftThread) -> list[Reply]:
    """The first few residents' replies of a draft (staff and author posts become case steps)."""
    first, last = draft.posts[0].at, draft.posts[-1].at
    span = max((last - first).total_seconds(), 1.0)
    replies = []
    for post in draft.posts[1:]:
        if post.author.home is None or post.author is draft.author:
            continue
        # A quote may come from a staff post that is now a case step: keep the reply only.
        text = re.sub(r"^>.*\n\n", "", post.source)
        replies.append(Reply(post.author, text, (post.at - first).total_seconds() / span))
    return replies[:MAX_LONG_REPLIES if draft.plan.long else MAX_REPLIES]


def _opening(draft: DraftThread) -> str:
    """The opening post as first written (a later edit may tell of progress out of turn)."""
    post = draft.posts[0]
    return post.versions[0][0] if post.versions else post.source


def _script(draft: DraftThread, outcome: Outcome) -> CaseScript:
    author, topic = draft.author, draft.plan.topic.key  # type: ignore[union-attr]
    return CaseScript(
        community=draft.plan.community or 0, topic=topic, start=draft.start_index,
        scenario=scenario_for(topic, draft.start_index),
        title=draft.title, body=_opening(draft), author=author,
        place=(author.building, author.unit, author.floor, author.door),
        filed_at=draft.posts[0].at, outcome=outcome, replies=_neighbour_replies(draft),
        long=draft.plan.long)


class CasePlanner:
    """Chooses the demo cases with its own random generator (repeatable)."""

    def __init__(self, rng: random.Random, now: datetime, people: dict[str, Person],
                 quiet: list[Person]) -> None:
        self.rng = rng
        self.now = now
        self.by_home: dict[int, list[Person]] = {}
        for person in people.values():
            if person.home is not None:
                self.by_home.setdefault(person.home, []).append(person)
        self.quiet: dict[int, list[Person]] = {}
        for person in quiet:
            self.quiet.setdefault(person.home, []).append(person)  # type: ignore[arg-type]

    def choose(self, drafts: list[DraftThread], writer: ThreadWriter,
               boards: dict[int, Board]) -> tuple[list[CaseScript], list[DraftThread]]:
        """Split complaint-board drafts into case scripts and plain threads.

        `writer` writes the threads that exist only as cases into `boards` (each
        community's complaints board).
        """
        rng = self.rng
        plain: list[DraftThread] = []
        taken: list[DraftThread] = []
        counts: dict[object, int] = {}
        order = list(drafts)
        rng.shuffle(order)
        for draft in order:
            if draft.plan.topic is None or draft.locked:  # the board's pinned guide, a locked row
                plain.append(draft)
                continue
            topic, start = draft.plan.topic.key, draft.start_index
            cap = _cap(topic, start)
            key = (topic, start) if (topic, start) in CASE_CAPS else topic
            if topic not in SCENARIOS or (cap is not None and counts.get(key, 0) >= cap):
                plain.append(draft)
                continue
            counts[key] = counts.get(key, 0) + 1
            taken.append(draft)
        taken.sort(key=lambda d: d.posts[0].at)
        scripts = self._assign_outcomes(taken)
        for topic, community, outcome, days in EXTRA_CASES:
            plan = ThreadPlan(boards[community], "complaints", community, self.extra_slot(days),
                              rng.randint(2, 6), topic=EXTRA_TOPICS[topic])
            scripts.append(_script(writer.write(plan), outcome))
        scripts.sort(key=lambda s: s.filed_at)
        for script in scripts:
            self._add_twists(script)
        self._add_rare_twists(scripts)
        return scripts, plain

    def _assign_outcomes(self, taken: list[DraftThread]) -> list[CaseScript]:
        rng = self.rng
        scripts: dict[int, CaseScript] = {}
        rest = list(taken)
        for draft in [d for d in rest if d.plan.long]:
            script = _script(draft, Outcome.CONFIRMED)
            script.group_size = 22 if script.community == 0 else 14
            scripts[id(draft)] = script
            rest.remove(draft)
        # Two more group complaints: one still being worked, one long closed. Which threads
        # exist depends on the day the demo is loaded, so any community will do.
        for communities, topics, outcome, size in (
                ((5, 3, 1, 4), ("security", "charging"), Outcome.IN_PROGRESS, 11),
                ((2, 4, 1, 3), ("hygiene", "charging", "security"), Outcome.UNCONFIRMED, 7)):
            draft = next((d for community in communities for d in reversed(rest)
                          if d.plan.community == community and d.start_index == 0
                          and d.plan.topic.key in topics), None)  # type: ignore[union-attr]
            if draft is not None:
                script = _script(draft, outcome)
                script.group_size = size
                if outcome == Outcome.IN_PROGRESS:
                    self._retime(script, (14.0, 20.0))
                scripts[id(draft)] = script
                rest.remove(draft)
        for draft in [d for d in rest if scenario_for(d.plan.topic.key,  # type: ignore[union-attr]
                                                      d.start_index).declines]:
            if rng.random() < 0.6:
                scripts[id(draft)] = _script(draft, Outcome.DECLINED)
                rest.remove(draft)
        recent = sorted(rest, key=lambda d: d.posts[0].at, reverse=True)
        deck = [outcome for outcome, count in OPEN_QUOTA.items() for _ in range(count)]
        rng.shuffle(deck)
        for draft, outcome in zip(recent, deck, strict=False):
            script = _script(draft, outcome)
            quick = script.scenario.category in QUICK_CATEGORIES
            self._retime(script, (QUICK_OPEN_AGE if quick else OPEN_AGE)[outcome])
            scripts[id(draft)] = script
            rest.remove(draft)
        for draft in rest:
            outcome = Outcome.CONFIRMED if rng.random() < 0.78 else Outcome.UNCONFIRMED
            scripts[id(draft)] = _script(draft, outcome)
        return sorted(scripts.values(), key=lambda s: s.filed_at)

    def _retime(self, script: CaseScript, days: tuple[float, float]) -> None:
        """Move a filing to `days` before now, by whole days (its time of day stays) if it can."""
        age = (self.now - script.filed_at).total_seconds() / 86400
        low, high = days
        if low <= age <= high:
            return
        target = self.rng.uniform(low, high)
        if high - low < 2:
            script.filed_at = self.now - timedelta(days=target)
            return
        script.filed_at += timedelta(days=round(age - target))
        while script.filed_at > self.now - timedelta(days=low):
            script.filed_at -= timedelta(days=1)

    def extra_slot(self, days: tuple[float, float]) -> datetime:
        """When a case-only thread is filed: some day in `days` before now, in waking hours."""
        at = self.now - timedelta(days=self.rng.uniform(*days))
        local_hour = (at.hour + 8) % 24  # Asia/Shanghai keeps no summer time
        if local_hour < 8:
            at += timedelta(hours=8 - local_hour + self.rng.random() * 3)
        return min(at, self.now - timedelta(minutes=40))

    def _neighbours(self, script: CaseScript, count: int, *, quiet_first: bool) -> list[Person]:
        """Owners of the case's community other than its filer, quiet ones first if asked."""
        rng = self.rng
        quiet = [p for p in self.quiet.get(script.community, []) if p is not script.author]
        talkers = [p for p in self.by_home.get(script.community, [])
                   if p is not script.author and p not in quiet]
        rng.shuffle(quiet)
        rng.shuffle(talkers)
        pool = quiet + talkers if quiet_first else talkers + quiet
        return pool[:count]

    def _add_twists(self, script: CaseScript) -> None:
        """Late steps, joins and notes: common things, decided per case."""
        rng = self.rng
        age = (self.now - script.filed_at).days
        # Promises were kept less often in the first months (the figures improve over time).
        late_chance = 0.06 + 0.2 * min(age, 540) / 540
        if script.outcome != Outcome.RECEIVED and rng.random() < late_chance:
            late = rng.choices(("first", "plan", "resolve"), (3, 3, 4))[0]
            if script.outcome == Outcome.DECLINED:
                late = "first"
            script.late = frozenset({late})
        slow_work = script.scenario.category not in QUICK_CATEGORIES or \
            script.topic in ("charging", "signal")
        if script.outcome == Outcome.IN_PROGRESS and not script.group_size and slow_work \
                and rng.random() < 0.35:
            script.late |= {"resolve"}
            self._retime(script, (35.0, 110.0))
        if script.scenario.location == "public" and rng.random() < 0.45:
            script.joiners = self._neighbours(script, rng.randint(1, 3), quiet_first=False)
        script.notes = rng.random() < 0.75
        script.reply_days = 12.0 if script.scenario.category in _SLOW else 3.0
        if script.long:
            script.reply_days = 40.0
            script.late |= {"resolve"}
        if script.group_size:
            script.group = self._neighbours(script, script.group_size, quiet_first=True)
            script.joiners = []

    def _add_rare_twists(self, scripts: list[CaseScript]) -> None:
        """Send-backs, reopenings, anonymous and phoned filings, groups and duplicates."""
        rng = self.rng
        closed = [s for s in scripts if s.outcome in (Outcome.CONFIRMED, Outcome.UNCONFIRMED)
                  and not s.long and s.scenario.rejects]
        for script in rng.sample(closed, min(9, len(closed))):
            script.rejects = 2 if rng.random() < 0.15 else 1
        old = [s for s in scripts if s.outcome == Outcome.CONFIRMED and s.scenario.reopens
               and not s.long and (self.now - s.filed_at).days > 120]
        for script in rng.sample(old, min(5, len(old))):
            script.reopened = True
        for script in scripts:
            if script.topic == "fees" and script.outcome != Outcome.RECEIVED:
                script.filing = "converted"
        plain = [s for s in scripts if s.filing == "self" and not s.long]
        phoned = [s for s in plain if s.scenario.phoned and s.outcome != Outcome.DECLINED]
        for index, script in enumerate(rng.sample(phoned, min(6, len(phoned)))):
            self._phoned(script, "account" if index % 2 else "contact")
        hideable = [s for s in plain if s.filing == "self"
                    and not re.search(r"\d+0\d|\d楼|楼主", s.title + s.body)]
        for script in rng.sample(hideable, min(18, len(hideable))):
            script.anonymous = True
        groups = [s for s in scripts if s.group]
        copyable = [s for s in scripts if s.scenario.duplicate and s.outcome not in
                    (Outcome.RECEIVED, Outcome.ASSIGNED, Outcome.DECLINED)
                    and (self.now - s.filed_at).days > 8 and not s.group]
        for script in groups + rng.sample(copyable, min(6, len(copyable))):
            if script.scenario.duplicate:
                taken = set(map(id, script.group + script.joiners))
                pool = [p for p in self._neighbours(script, 30, quiet_first=False)
                        if id(p) not in taken]
                script.duplicates = pool[:2 if script.long else 1]

    def _phoned(self, script: CaseScript, kind: str) -> None:
        """Make the complaint one staff registered from an owner's phone call.

        `kind` is "account" (the owner has one) or "contact" (name and phone only); the
        thread opens with the staff member's record of the call.
        """
        rng = self.rng
        title, body = script.scenario.phoned  # type: ignore[misc]
        script.filing = kind
        if kind == "account":
            quiet = self.quiet.get(script.community) or [script.author]
            script.author = rng.choice(quiet)
            script.place = (script.author.building, script.author.unit, script.author.floor,
                            script.author.door)
        else:
            script.contact_name = rng.choice(CONTACT_NAMES)
        # The call is about the topic's main problem, whatever opening the thread had.
        script.start, script.scenario = 0, scenario_for(script.topic, 0)
        values = {"b": script.place[0], "u": script.place[1]}
        script.title, script.body = title.format_map(values), body.format_map(values)
        script.replies = script.replies[:3]
