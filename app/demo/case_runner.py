"""Replaying one demo case through the real services: its clock, the cron jobs, and what
happens around it (neighbours' replies, joins, duplicates). Its own steps: `case_steps.py`.

Each case is replayed on its own, oldest first, up to now; the two cron jobs (escalate
overdue cases, auto-close unanswered ones) run whenever one of the case's deadlines
passes. A later case never moves an earlier one's history: the jobs only touch a case
whose own deadline passed, and every earlier case was already replayed up to now.
"""
from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import select

from ..auth.models import User
from ..communities.models import Board, Category, Department
from ..complaints import services as cases
from ..complaints.models import Case
from ..complaints.services import Filing
from ..complaints.workflow import OPEN, Status
from ..extensions import db
from ..forum import services as forum
from ..forum.models import Thread
from ..sitesettings.services import setting
from . import case_texts as texts
from .case_clock import (
    OWNER_HOURS,
    STAFF_HOURS,
    SimClock,
    between,
    chinese_date,
    local,
    office_before,
    within_hours,
)
from .case_plans import CaseScript, Reply
from .writer import Person


class CaseSeeder:
    """What every replayed case shares: the clock, the people and the categories."""

    def __init__(self, rng: random.Random, now: datetime, people: dict[str, Person],
                 boards: dict[int, Board], sim: SimClock) -> None:
        self.rng = rng
        self.end = now - timedelta(minutes=2)
        self.sim = sim
        self.boards = boards
        self.categories = {c.slug: c for c in db.session.scalars(
            select(Category).where(Category.parent_id.is_not(None)))}
        departments = list(db.session.scalars(select(Department)))
        self.department_ids = {d.slug: d.id for d in departments}
        self.department_names = {d.id: d.name for d in departments}
        self.handlers = {p.user.department_id: p.user for p in people.values()
                         if p.user.department_id is not None}
        self.crc = [people[name].user for name in ("kefu_chen", "kefu_li", "kefu_wang")]
        self.supervisor = people["crc_zhao"].user
        self.orders = 0

    def work_order(self, at: datetime) -> str:
        """A work-order number as the maintenance system prints it."""
        self.orders += 1
        return f"GD-{local(at):%y%m%d}-{self.orders % 1000:03d}"


class CaseReplay:
    """One case being replayed: the clock, the cron, and its agenda of background happenings."""

    def __init__(self, seeder: CaseSeeder, script: CaseScript) -> None:
        self.s = seeder
        self.script = script
        self.rng = seeder.rng
        self.case: Case | None = None
        self.agenda: list[tuple[datetime, int, Callable[[], None]]] = []
        self.queued = 0
        self.used: set[str] = set()
        self.cron = timedelta(minutes=self.rng.uniform(1, 9))  # the cron runs every 10 minutes
        self.last_tick: datetime | None = None
        self.staff = self.rng.choice(seeder.crc)
        self.worker: User = self.staff
        self.dept_id: int | None = None
        self.number = ""
        self.committed: date | None = None
        self.visit = ""
        self.visit_day: date | None = None
        self.wo = ""
        self.n = self.rng.randint(2, 6)
        self.on_time = "resolve" not in script.late
        self.community_name = seeder.boards[script.community].community.name

    # Time -------------------------------------------------------------------------

    def later(self, at: datetime, action: Callable[[], None]) -> None:
        """Let `action` happen at `at`, among the case's other happenings."""
        self.queued += 1  # ties keep the order they were queued in
        heapq.heappush(self.agenda, (at, self.queued, action))

    def advance(self, at: datetime) -> datetime:
        """Let everything due before `at` happen (neighbours, joins, cron), then stand at it."""
        sim = self.s.sim
        at = min(at, self.s.end)
        while True:
            tick = self._tick_due()
            item = self.agenda[0][0] if self.agenda else None
            due = [moment for moment in (tick, item) if moment is not None and moment <= at]
            if not due:
                break
            moment = min(due)
            sim.at = max(moment, sim.at + timedelta(seconds=1))
            if moment == tick:
                self._tick(moment)
            else:
                heapq.heappop(self.agenda)[2]()
        sim.at = max(at, sim.at + timedelta(seconds=1))
        return sim.at

    def _staff_time(self, hours: tuple[float, float], *, due: datetime | None = None,
                    late: bool = False) -> datetime:
        """When staff take the next step: in office hours, before `due` unless late."""
        rng, start = self.rng, self.s.sim.at
        at = start + timedelta(hours=rng.uniform(*hours))
        if late and due is not None:
            at = max(at, due + timedelta(hours=rng.uniform(3, 40)))
        at = within_hours(rng, at, STAFF_HOURS)
        if not late and due is not None and at > due:
            at = office_before(rng, start, max(due, start + timedelta(minutes=20)))
        return self._fit(at)

    def _owner_time(self, hours: tuple[float, float]) -> datetime:
        at = self.s.sim.at + timedelta(hours=self.rng.uniform(*hours))
        return self._fit(within_hours(self.rng, at, OWNER_HOURS))

    def _fit(self, at: datetime) -> datetime:
        """Keep a step before now, squeezing it in when the case is recent."""
        start = self.s.sim.at
        if at >= self.s.end:
            at = between(self.rng, start, self.s.end, 0.2, 0.5)
        return max(at, start + timedelta(minutes=1))

    # Cron -------------------------------------------------------------------------

    def _tick_due(self) -> datetime | None:
        """When the cron will next change this case (escalate or auto-close it), if ever."""
        case = self.case
        if case is None:
            return None
        moment = None
        if case.status in OPEN and case.escalated_at is None:
            dues = [due for done, due in ((case.first_response_at, case.first_response_due),
                                          (case.planned_at, case.plan_due),
                                          (case.resolved_at, case.resolve_due)) if done is None]
            # The cron notices a broken promise on its next run after the deadline passed
            # (or after a send-back reopened a promise whose deadline was long gone).
            moment = max(min(dues), self.s.sim.at) + self.cron if dues else None
        elif case.status == Status.RESOLVED and case.resolved_at is not None:
            days = setting("AUTO_CLOSE_DAYS")
            moment = case.resolved_at + timedelta(days=days) + self.cron
        return None if moment == self.last_tick else moment

    def _tick(self, moment: datetime) -> None:
        """Run the periodic jobs; answer an escalation the way a supervisor would."""
        self.last_tick = moment
        escalated = self.case.escalated_at
        cases.escalate_overdue()
        cases.auto_close_due()
        if escalated is None and self.case.escalated_at is not None:
            self.later(self._react_time(), self._answer_escalation)

    def _react_time(self) -> datetime:
        at = self.s.sim.at + timedelta(hours=self.rng.uniform(1, 5))
        return within_hours(self.rng, at, STAFF_HOURS)

    def _answer_escalation(self) -> None:
        if self.case.status not in OPEN:
            return
        cases.answer(self.case, self.s.supervisor, body=self._pick(texts.ESCALATION_REPLIES))
        self._moments_later(5, 30)
        cases.add_note(self.case, self.s.supervisor, body=self._pick(texts.ESCALATION_NOTES))

    def _moments_later(self, low: float, high: float) -> None:
        """Step the clock a few minutes on within one happening (a reply, then its note)."""
        self.s.sim.at += timedelta(minutes=self.rng.uniform(low, high))

    # Texts ------------------------------------------------------------------------

    def fill(self, template: str, **extra: object) -> str:
        """A template with this case's values."""
        building, unit, floor, door = self.script.place
        case = self.case
        values: dict[str, object] = {
            "xq": self.community_name, "b": building,
            "u": unit, "fl": floor, "room": f"{floor}{door:02d}", "case": self.number,
            "dept": self.s.department_names.get(self.dept_id, ""),
            "date": chinese_date(self.committed) if self.committed else "",
            "visit": self.visit, "wo": self.wo, "n": self.n, "days": 3, "orig": "",
            "summary": "",
            # Read only when asked for: the row reloads after every commit.
            "joins": case.metoo_count if case is not None and "{joins}" in template else 0}
        values.update(extra)
        return template.format_map(values)

    def _fresh(self, pool: tuple[str, ...], **extra: object) -> str | None:
        """Like `_pick`, or None once the case has used every template (nothing to add)."""
        if all(template in self.used for template in pool):
            return None
        return self._pick(pool, **extra)

    def _pick(self, pool: tuple[str, ...], **extra: object) -> str:
        """A template from `pool` this case has not used yet (while there are any), filled."""
        fresh = [template for template in pool if template not in self.used] or list(pool)
        template = self.rng.choice(fresh)
        self.used.add(template)
        return self.fill(template, **extra)

    # Happenings around the case -----------------------------------------------------

    def _schedule_neighbours(self, thread_id: int) -> None:
        script, start = self.script, self.script.filed_at
        span = min(timedelta(days=script.reply_days), (self.s.end - start) * 0.9)
        for reply in script.replies:
            at = start + timedelta(minutes=3) + span * reply.share
            self.later(within_hours(self.rng, at, OWNER_HOURS),
                       lambda r=reply: self._neighbour_post(thread_id, r))
        for person in script.joiners:
            self.later(start + timedelta(hours=self.rng.uniform(2, 120)),
                       lambda p=person: self._join(p))
        # A group complaint: neighbours pile in within a day or two of the filing.
        burst = start + timedelta(hours=self.rng.uniform(1, 8))
        for person in script.group:
            self.later(burst + timedelta(hours=self.rng.uniform(0, 36)),
                       lambda p=person: self._join(p))
        for person in script.duplicates:
            self.later(self._owner_time_from(start, (8, 70)),
                       lambda p=person: self._file_duplicate(p))

    def _owner_time_from(self, start: datetime, hours: tuple[float, float]) -> datetime:
        return within_hours(self.rng, start + timedelta(hours=self.rng.uniform(*hours)),
                            OWNER_HOURS)

    def _neighbour_post(self, thread_id: int, reply: Reply) -> None:
        if self.case is not None and self.case.status in (Status.CLOSED, Status.DECLINED):
            return  # a closed case draws no more "me too, any news?"
        forum.reply(self._thread(thread_id), reply.person.user, body=reply.text)

    def _thread(self, thread_id: int) -> Thread:
        return self.case.thread if self.case is not None else db.session.get(Thread, thread_id)

    def _join(self, person: Person) -> None:
        case = self.case
        if case is None or case.status not in OPEN or case.filer_id == person.user.id \
                or cases.has_joined(case, person.user):
            return
        grouped = case.group_flagged_at is not None
        cases.join_case(case, person.user)
        if not grouped and case.group_flagged_at is not None:
            self.later(self._react_time(), self._answer_group)

    def _answer_group(self) -> None:
        cases.answer(self.case, self.s.supervisor, body=self._pick(texts.GROUP_REPLIES))
        self._moments_later(5, 20)
        cases.add_note(self.case, self.s.supervisor, body=self._pick(texts.GROUP_NOTES))

    def _file_duplicate(self, person: Person) -> None:
        """Another owner files the same problem; staff merge it into this case."""
        if self.case is None or self.case.status not in OPEN:
            return
        title, body = self.script.scenario.duplicate  # type: ignore[misc]
        copy = cases.file_complaint(self.case.community, person.user, Filing(
            title=self.fill(title), body=self.fill(body), category_id=self.case.category_id,
            location=self.case.location, location_text=self.case.location_text))
        # Answered by the duty desk within hours, before its own first-response promise runs out.
        self.later(self.s.sim.at + timedelta(hours=self.rng.uniform(0.3, 2.5)),
                   lambda: self._merge(copy.id))

    def _merge(self, copy_id: int) -> None:
        copy = db.session.get(Case, copy_id)
        orig = self.case.number
        cases.answer(copy, self.staff, body=self._pick(texts.MERGE_REPLIES, orig=orig))
        self._moments_later(2, 15)
        cases.merge(copy, self.case, self.staff, seen_version=copy.version,
                    note=self._pick(texts.MERGE_NOTES, orig=orig))
