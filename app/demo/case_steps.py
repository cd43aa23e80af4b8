"""A demo case's own story: filing, official replies, each lifecycle step, the owner's
answer, a send-back or a reopening, each through the real complaint services."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..complaints import services as cases
from ..complaints.services import Filing, RatingInput, StepInput
from ..complaints.workflow import Action
from ..forum import services as forum
from . import case_texts as texts
from .case_clock import (
    STAFF_HOURS,
    day_end,
    local,
    office_before,
    visit_text,
    within_hours,
)
from .case_plans import CaseScript, Outcome
from .case_runner import CaseReplay, CaseSeeder
from .complaint_topics import COMPLAINT_TOPICS
from .staffing import phone_number

if TYPE_CHECKING:
    from ..auth.models import User

# Categories answered within hours (property service), not working days.
_QUICK = frozenset({"lifts", "security", "broadband-utilities", "noise", "property-fees"})
# What an owner writes once it is sorted, by topic.
_CLOSINGS = {topic.key: topic.closings for topic in COMPLAINT_TOPICS}


def replay_cases(seeder: CaseSeeder, scripts: list[CaseScript],
                 progress: Callable[[int], None] = lambda n: None) -> None:
    """Replay every script, oldest filing first, each up to now."""
    for script in sorted(scripts, key=lambda s: s.filed_at):
        story = CaseStory(seeder, script)
        story.play()
        story.advance(seeder.end)
        progress(1)


class CaseStory(CaseReplay):
    """The steps of one case, timed against its promises."""

    def play(self) -> None:
        """Take the case as far as its outcome."""
        script, outcome = self.script, self.script.outcome
        self.quick = script.scenario.category in _QUICK
        self._file()
        if outcome == Outcome.RECEIVED:
            return
        self._first_response()
        if outcome == Outcome.DECLINED:
            self._decline()
            return
        self._assign()
        if outcome == Outcome.ASSIGNED:
            if self.rng.random() < 0.5:
                self._visit_reply(self._staff_time((2, 20), due=self.case.plan_due))
            return
        self._plan()
        if outcome == Outcome.PLANNED:
            return
        self._dispatch()
        if outcome == Outcome.IN_PROGRESS:
            self._progress()
            return
        self._resolve()
        for _ in range(script.rejects):
            self._reject()
            self._resolve(again=True)
        if outcome == Outcome.RESOLVED:
            return
        self._close()
        if script.reopened:
            self._reopen()

    # Filing -------------------------------------------------------------------------

    def _filing(self) -> Filing:
        script, scenario, rng = self.script, self.script.scenario, self.rng
        building, unit, floor, door = script.place
        owner = script.author.user
        phone = owner.phone or ""
        if script.filing == "contact":
            phone = phone_number(rng)
        return Filing(
            title=script.title, body=script.body,
            category_id=self.s.categories[scenario.category].id, location=scenario.location,
            location_text=self.fill(scenario.where) if scenario.location == "public" else "",
            unit_text=f"{building}栋{unit}单元{floor}{door:02d}" if scenario.location == "unit"
            else "",
            wanted_outcome=rng.choice(scenario.wanted) if scenario.wanted else "",
            stage=rng.choice(scenario.stages), anonymous=script.anonymous,
            contact_name=script.contact_name if script.filing == "contact" else "",
            contact_phone=phone if script.filing in ("contact", "account") else "")

    def _file(self) -> None:
        script = self.script
        community = self.s.boards[script.community].community
        filing = self._filing()
        # Each case keeps its own time: the clock goes back to this filing.
        self.s.sim.at = script.filed_at - timedelta(seconds=1)
        start = script.filed_at
        if script.filing in ("account", "contact"):  # staff take calls in office hours
            start = self._staff_time((0, 0.1))
        self.advance(start)
        if script.filing == "converted":
            thread = forum.create_thread(self.s.boards[script.community], script.author.user,
                                         title=script.title, body=script.body)
            self._schedule_neighbours(thread.id)
            self.advance(self._staff_time((3, 30)))
            self.case = cases.convert_thread(thread, self.staff, filing)
        else:
            owner = None if script.filing == "contact" else script.author.user
            filed_by = self.staff if script.filing in ("account", "contact") else None
            self.case = cases.file_complaint(community, owner, filing, filed_by=filed_by)
            self._schedule_neighbours(self.case.thread_id)
        self.number = self.case.number
        self.dept_id = self.s.department_ids.get(self.script.scenario.dept,
                                                 self.case.department_id)
        self.worker = self.s.handlers.get(self.dept_id, self.staff)

    # Staff steps --------------------------------------------------------------------

    def _first_response(self) -> None:
        late = "first" in self.script.late
        hours = (0.2, 2.5) if self.quick else (1, 16)
        self.advance(self._staff_time(hours, due=self.case.first_response_due, late=late))
        if self.script.outcome == Outcome.DECLINED:
            return
        if self.script.filing in ("account", "contact"):
            return  # the staff member who took the call answers by assigning it
        if self.script.filing == "converted":  # whoever turned it into a case says so
            self.advance(self.s.sim.at + timedelta(minutes=self.rng.uniform(2, 15)))
            cases.answer(self.case, self.staff, body=self._pick(texts.FIRST_REPLIES))
            return
        if self.case.first_response_at is None and (late or self.rng.random() < 0.85):
            pool = texts.LATE_FIRST_REPLIES if late else texts.FIRST_REPLIES
            cases.answer(self.case, self.staff, body=self._pick(pool))

    def _step(self, action: Action, actor: User, **fields: object) -> None:
        cases.take_step(self.case, action, actor, StepInput(**fields),  # type: ignore[arg-type]
                        seen_version=self.case.version)  # what the actor's form would carry

    def _assign(self) -> None:
        self.advance(self.s.sim.at + timedelta(minutes=self.rng.uniform(4, 40)))
        handler = self.s.handlers.get(self.dept_id)
        self._step(Action.ASSIGN, self.staff, note=self._pick(texts.ASSIGN_NOTES),
                   department_id=self.dept_id, handler_id=handler.id if handler else None)
        if self.script.notes and self.rng.random() < 0.4:
            self.advance(self.s.sim.at + timedelta(minutes=self.rng.uniform(3, 60)))
            cases.add_note(self.case, self.staff, body=self._pick(texts.INTAKE_NOTES))

    def _visit_reply(self, at: datetime) -> None:
        self.advance(at)
        cases.answer(self.case, self.worker, body=self._pick(texts.VISIT_REPLIES))

    def _decline(self) -> None:
        reason, reply = self.rng.choice(self.script.scenario.declines)
        cases.answer(self.case, self.staff, body=self.fill(reply))
        self.advance(self.s.sim.at + timedelta(minutes=self.rng.uniform(8, 40)))
        self._step(Action.DECLINE, self.staff, decline_reason=reason)

    def _plan(self) -> None:
        rng, scenario, case = self.rng, self.script.scenario, self.case
        late = "plan" in self.script.late
        at = self._staff_time((2, 18) if self.quick else (6, 50), due=case.plan_due, late=late)
        if rng.random() < 0.4 and at - self.s.sim.at > timedelta(hours=4):
            self._visit_reply(office_before(rng, self.s.sim.at, at - timedelta(hours=1)))
        self.advance(at)
        planned_on = local(self.s.sim.at).date()
        days = rng.randint(*scenario.plan_days)
        due_day = local(case.resolve_due).date()
        if self.on_time and planned_on + timedelta(days=scenario.plan_days[0]) > due_day:
            self.on_time = False  # this kind of work takes longer than the category promises
        committed = planned_on + timedelta(days=days)
        if self.on_time:
            committed = min(committed, due_day)
        if self.script.outcome == Outcome.PLANNED:  # still ahead when the demo is loaded
            committed = max(committed, local(self.s.end).date() + timedelta(days=rng.randint(1, 6)))
        self.committed = committed
        gap = max((committed - planned_on).days, 1)
        self.visit_day = planned_on + timedelta(days=rng.randint(1, gap))
        self.visit = visit_text(rng, self.visit_day)
        plans = texts.REPLANS if self.case.reopen_count else scenario.plans
        self._step(Action.PLAN, self.worker, note=self._pick(plans), committed_date=committed)
        note = self._fresh(scenario.notes) if self.script.notes and rng.random() < 0.6 else None
        if note:
            self.advance(self.s.sim.at + timedelta(minutes=rng.uniform(10, 180)))
            cases.add_note(case, self.worker, body=note)

    def _dispatch(self) -> None:
        rng, scenario = self.rng, self.script.scenario
        finish = day_end(self.committed)
        window = max((finish - self.s.sim.at).total_seconds() / 3600 * 0.4, 1.5)
        at = self._staff_time((0.5, min(window, 40)))
        self.advance(at)
        self.wo = self.s.work_order(at)
        day = local(at).date()
        if self.visit_day is None or self.visit_day <= day:  # the planned visit is gone: a new one
            self.visit_day = max(day + timedelta(days=1),
                                 min(self.committed, day + timedelta(days=rng.randint(1, 3))))
            self.visit = visit_text(rng, self.visit_day)
        self._step(Action.DISPATCH, self.worker, note=self._pick(scenario.dispatches),
                   work_order_number=self.wo, work_order_details=self._pick(scenario.orders))
        if self.script.filing == "self" and rng.random() < 0.35:
            self.advance(self._owner_time((2, 30)))
            forum.reply(self.case.thread, self.script.author.user,
                        body=self._pick(texts.OWNER_UPDATES))

    def _progress(self) -> None:
        """Post updates on a case still being worked: news, or apologies once it is late."""
        rng = self.rng
        late_from = day_end(self.committed) + timedelta(days=rng.uniform(1, 3))
        if late_from >= self.s.end and rng.random() < 0.5:
            return
        at = self._staff_time((20, 120))
        for _ in range(6):
            if late_from < self.s.end:
                at = max(at, within_hours(rng, late_from, STAFF_HOURS))
            if at >= self.s.end:
                return
            self.advance(at)
            self.visit = visit_text(rng, local(at).date() + timedelta(days=rng.randint(2, 5)))
            late = local(at).date() > self.committed
            pool = texts.DELAY_REPLIES if late else texts.PROGRESS_REPLIES
            cases.answer(self.case, self.worker, body=self._pick(pool))
            if not late:
                return
            at = within_hours(rng, at + timedelta(days=rng.uniform(10, 20)), STAFF_HOURS)

    def _resolve(self, *, again: bool = False) -> None:
        rng, case = self.rng, self.case
        start = self.s.sim.at
        if again:
            at = start + timedelta(hours=rng.uniform(20, 120))
        elif self.on_time or case.reopen_count:
            # On time, or after a reopening (its promise long gone): by the committed date.
            by = day_end(self.committed)
            by = min(by, case.resolve_due) if self.on_time else by
            at = office_before(rng, start + timedelta(hours=2), by) if by > start + \
                timedelta(hours=3) else start + timedelta(hours=rng.uniform(3, 48))
        else:
            latest = max(case.resolve_due, day_end(self.committed))
            at = max(latest, start) + timedelta(days=rng.uniform(1, 12))
        if again or not (self.on_time or case.reopen_count):
            at = within_hours(rng, at, STAFF_HOURS)
        at = self._fit(max(at, start + timedelta(hours=1)))
        if self.script.outcome == Outcome.RESOLVED:  # so recent that the owner has yet to answer
            at = max(at, self.s.end - timedelta(days=rng.uniform(0.3, 6)))
        self.advance(at)
        summary = self._pick(self.script.scenario.summaries)
        self._step(Action.RESOLVE, self.worker, resolution_summary=summary)
        self.advance(self.s.sim.at + timedelta(minutes=rng.uniform(2, 40)))
        author = self.worker if rng.random() < 0.6 else self.staff
        cases.answer(case, author, body=self._pick(texts.DONE_REPLIES, summary=summary))

    # The owner's answers --------------------------------------------------------------

    def _owner(self) -> User:
        """Who answers for the owner: the filer, or staff on the phone for one with no account."""
        return self.staff if self.script.filing == "contact" else self.script.author.user

    def _reject(self) -> None:
        self.advance(self._owner_time((4, 70)))
        reason = self._pick(self.script.scenario.rejects)
        cases.reject(self.case, self._owner(), reason=reason)
        self.advance(self._staff_time((1, 6)))
        self.visit = visit_text(self.rng, local(self.s.sim.at).date() + timedelta(days=1))
        cases.answer(self.case, self.worker, body=self._pick(texts.REDO_REPLIES))
        if self.script.notes:
            self.advance(self.s.sim.at + timedelta(minutes=self.rng.uniform(5, 90)))
            cases.add_note(self.case, self.staff, body=self._pick(texts.REDO_NOTES))

    def _close(self, rating: tuple[int, int, int] | None = None) -> None:
        rng, script = self.rng, self.script
        resolved_at = self.s.sim.at
        if script.outcome == Outcome.UNCONFIRMED:
            if rng.random() < 0.6:
                self.advance(self._staff_time((48, 110)))
                days = max((self.s.sim.at - resolved_at).days, 2)
                cases.answer(self.case, self.staff, body=self._pick(texts.NUDGE_REPLIES,
                                                                    days=days))
            return  # the cron closes it, unconfirmed, AUTO_CLOSE_DAYS after the resolution
        hard = self._went_badly()
        overall, buy_again, recommend = rating or self._rating(hard)
        mean = (overall + buy_again + recommend) / 3
        if script.filing == "self" and mean >= 3.5 and rng.random() < 0.5:
            self.advance(self._owner_time((3, 70)))
            pool = script.scenario.closings or _CLOSINGS.get(script.topic) or texts.CLOSINGS
            forum.reply(self.case.thread, script.author.user, body=self._pick(pool))
            self.advance(self.s.sim.at + timedelta(minutes=rng.uniform(1, 30)))
        else:
            self.advance(self._owner_time((3, 110)))
        low = texts.COMPLAINTS if hard else texts.DISAPPOINTED
        pool = texts.PRAISE if mean >= 4.3 else texts.MIXED if mean >= 3 else low
        # Now and then an owner with something to say tells it to staff only.
        private = pool is not texts.PRAISE and rng.random() < 0.25
        comment = rng.choice(texts.PRIVATE_COMMENTS if private else pool)
        if script.filing == "contact":
            comment = f"（电话回访）{comment}" if comment else "（电话回访）业主表示满意。"
        cases.confirm(self.case, self._owner(), RatingInput(
            overall, buy_again, recommend, comment=comment, comment_public=not private))

    def _went_badly(self) -> bool:
        """Whether the owner had reason to be cross: a broken promise, a send-back, a reopening."""
        case = self.case
        return case.escalated_at is not None or case.reopen_count > 0 or (
            case.resolved_at is not None and case.resolved_at > case.resolve_due)

    def _rating(self, hard: bool) -> tuple[int, int, int]:
        """The owner's three answers: mostly high, lower after a hard time."""
        rng = self.rng
        weights = (5, 10, 25, 35, 25) if hard else (2, 3, 9, 36, 50)
        overall = rng.choices((1, 2, 3, 4, 5), weights)[0]
        # Buying again and recommending follow satisfaction, give or take one.
        others = [max(1, min(5, overall + rng.choice((-1, 0, 0, 0, 1)))) for _ in range(2)]
        return overall, others[0], others[1]

    def _reopen(self) -> None:
        rng = self.rng
        self.advance(self._owner_time((5 * 24, 25 * 24)))
        reason = self._pick(self.script.scenario.reopens)
        cases.reopen(self.case, self._owner(), reason=reason)
        self.advance(self._staff_time((1, 8)))
        self.visit = visit_text(rng, local(self.s.sim.at).date() + timedelta(days=2))
        cases.answer(self.case, self.staff, body=self._pick(texts.REOPEN_REPLIES))
        self.on_time, self.visit_day = False, None
        self._plan()
        self._dispatch()
        self._resolve()
        self._close(self._rating(hard=True))
