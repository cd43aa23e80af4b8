"""Case rows for generated complaint threads: a lifecycle walked with the app's own table.

Every status change is checked with `workflow.next_status`, so a generated timeline is
one the app itself could have written; the case row's dates, counters and outcome
fields are derived from that timeline.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from app.complaints import promises
from app.complaints.models import Stage
from app.complaints.workflow import Action, ClosedKind, Status, next_status

from textbank import Text, TextBank

CASE_COLUMNS = (
    "id", "thread_id", "community_id", "category_id", "department_id", "handler_id", "filer_id",
    "filed_by_id", "status", "closed_kind", "stage", "location", "location_text",
    "wanted_outcome", "unit_text", "contact_name", "contact_phone", "contact_email",
    "committed_date", "resolution_summary", "decline_reason", "duplicate_of_id",
    "work_order_number", "work_order_details", "first_response_due", "plan_due", "resolve_due",
    "first_response_at", "planned_at", "resolved_at", "closed_at", "escalated_at",
    "group_flagged_at", "metoo_count", "reopen_count", "is_defect", "created_at", "version")
EVENT_COLUMNS = ("id", "case_id", "actor_id", "actor_label", "action", "before", "after",
                 "note_html", "data", "at")
JOIN_COLUMNS = ("id", "case_id", "user_id", "at", "merged_from_id")
RATING_COLUMNS = ("id", "case_id", "overall", "buy_again", "recommend", "comment",
                  "comment_public", "at")

# Timeline entries that are not status changes (the names complaints/services.py writes).
FILED, ANSWERED, ESCALATED, GROUPED = "filed", "answered", "escalated", "grouped"
GROUP_MIN_JOINS, GROUP_WINDOW_DAYS, AUTO_CLOSE_DAYS = 5, 7, 7

# Final statuses: recent cases are mostly still open, older ones mostly closed.
RECENT_MIX = {Status.RECEIVED: 20, Status.ASSIGNED: 20, Status.PLANNED: 15,
              Status.IN_PROGRESS: 20, Status.RESOLVED: 10, Status.CLOSED: 10,
              Status.DECLINED: 5}
OLDER_MIX = {Status.RECEIVED: 1, Status.ASSIGNED: 2, Status.PLANNED: 3, Status.IN_PROGRESS: 5,
             Status.RESOLVED: 2, Status.CLOSED: 75, Status.DECLINED: 12}
MAIN_PATH = (Action.ASSIGN, Action.PLAN, Action.DISPATCH, Action.RESOLVE)
STEPS_TO = {Status.RECEIVED: 0, Status.ASSIGNED: 1, Status.PLANNED: 2, Status.IN_PROGRESS: 3,
            Status.RESOLVED: 4, Status.CLOSED: 4}
# Shared places named publicly (the filing form's own example, and the demo's places).
PUBLIC_PLACES = ("地下车库B2层电梯厅", "单元大堂", "中心广场", "小区南门", "会所一楼")


@dataclass(frozen=True)
class CategoryInfo:
    """A complaint category item as the generator needs it."""

    id: int
    department_id: int
    limits: tuple[float, float, float]
    working: bool
    engineering: bool


@dataclass(frozen=True)
class StaffInfo:
    """The staff a case can meet: customer relations, and handlers by department."""

    customer: list[int]
    handlers: dict[int, list[int]]
    department_names: dict[int, str]
    customer_label: str


@dataclass
class CaseInput:
    """What the thread writer knows about a complaint thread."""

    case_id: int
    thread_id: int
    community_id: int
    filer_id: int
    start: datetime
    end: datetime
    official: list[tuple[int, datetime, int]]   # (post number, time, staff author)
    category: CategoryInfo
    opening: str
    summary: str
    owner_notes: list[Text]
    residents: list[int]
    building: int
    long_timeline: bool = False


@dataclass
class CaseRows:
    """Rows for one case."""

    case: tuple
    events: list[tuple] = field(default_factory=list)
    joins: list[tuple] = field(default_factory=list)
    rating: tuple | None = None


def _wanted(opening: str) -> str:
    """The owner's wish from the opening post: its 诉求 line, else its last paragraph."""
    found = re.search(r"诉求[：:]\**\s*(.+)", opening)
    line = found.group(1) if found else opening.strip().split("\n\n")[-1]
    return re.sub(r"[*>#]", "", line).strip()[:200] or "请尽快处理。"


class CaseWriter:
    """Writes cases with one random generator; ids continue across calls."""

    def __init__(self, rng: random.Random, now: datetime, bank: TextBank, staff: StaffInfo
                 ) -> None:
        self.rng = rng
        self.now = now
        self.bank = bank
        self.staff = staff
        self.calendar = promises.default_calendar()
        self.next_event = self.next_join = self.next_rating = 1
        self._wanted: dict[str, str] = {}

    def _due(self, start: datetime, hours: float, working: bool) -> datetime:
        due = promises.add_hours(start.replace(tzinfo=UTC), hours, working=working,
                                 calendar=self.calendar)
        return due.astimezone(UTC).replace(tzinfo=None)

    def _final(self, inp: CaseInput) -> Status:
        if inp.long_timeline:
            return Status.CLOSED
        mix = RECENT_MIX if (self.now - inp.start).days < 60 else OLDER_MIX
        return self.rng.choices(list(mix), list(mix.values()))[0]

    def _actions(self, final: Status, long_timeline: bool) -> list[Action]:
        """A valid sequence of actions that ends in `final`, with send-backs now and then."""
        rng = self.rng
        if final == Status.DECLINED:
            return ([Action.ASSIGN] if rng.random() < 0.5 else []) + [Action.DECLINE]
        actions = list(MAIN_PATH[:STEPS_TO[final]])
        loops = 30 if long_timeline else (rng.choice((1, 1, 2)) if rng.random() < 0.15 else 0)
        if final in (Status.RESOLVED, Status.CLOSED) and loops:
            actions = actions[:-1] + [Action.RESOLVE, Action.REJECT] * loops + [Action.RESOLVE]
        if final == Status.CLOSED:
            closing = Action.CONFIRM if rng.random() < 0.65 or long_timeline else \
                Action.AUTO_CLOSE
            actions.append(closing)
            if rng.random() < 0.05 or long_timeline:
                actions += [Action.REOPEN, Action.PLAN, Action.DISPATCH, Action.RESOLVE, closing]
        return actions

    def _times(self, start: datetime, end: datetime, count: int) -> list[datetime]:
        span = max((end - start).total_seconds(), 3600.0 * count)
        span = min(span, max((self.now - start).total_seconds() - 60, 60.0))
        offsets = sorted(self.rng.uniform(60, span) for _ in range(count))
        return [start + timedelta(seconds=o) for o in offsets]

    def write(self, inp: CaseInput) -> CaseRows:
        """The case row, its timeline, joins and rating."""
        rng, staff = self.rng, self.staff
        cat = inp.category
        final = self._final(inp)
        actions = self._actions(final, inp.long_timeline)
        department = cat.department_id
        dept_name = staff.department_names.get(department, "")
        handlers = staff.handlers.get(department, [])
        handler = rng.choice(handlers) if handlers and rng.random() < 0.7 else None
        on_behalf = rng.random() < 0.05
        filed_by = rng.choice(staff.customer) if on_behalf else inp.filer_id

        events: list[tuple[datetime, int | None, str, str, str | None, str | None, str, dict]] = []
        events.append((inp.start, filed_by, staff.customer_label if on_behalf else "", FILED,
                       None, Status.RECEIVED.value, "",
                       {"on_behalf": True} if on_behalf else {}))
        status = Status.RECEIVED
        fields: dict[str, object] = {"first_response_at": None, "planned_at": None,
                                     "resolved_at": None, "closed_at": None,
                                     "closed_kind": None, "committed_date": None,
                                     "work_order_number": None}
        reopens = 0
        for action, at in zip(actions, self._times(inp.start, inp.end, len(actions)),
                              strict=True):
            target = next_status(status, action)
            actor, label, note, data = self._actor(action, inp, handler, dept_name)
            if action == Action.ASSIGN:
                data = {"department": dept_name}
            elif action == Action.PLAN:
                committed = (at + timedelta(days=rng.randint(7, 30))).date()
                fields["committed_date"] = committed
                fields["planned_at"] = fields["planned_at"] or at
                data = {"committed_date": committed.isoformat()}
            elif action == Action.DISPATCH:
                fields["work_order_number"] = f"GD{at.year}{inp.case_id:06d}"
                data = {"work_order": fields["work_order_number"]}
            elif action == Action.RESOLVE:
                fields["resolved_at"] = at
            elif action in (Action.CONFIRM, Action.AUTO_CLOSE):
                fields["closed_at"] = at
                fields["closed_kind"] = (ClosedKind.CONFIRMED if action == Action.CONFIRM
                                         else ClosedKind.UNCONFIRMED).value
                if action == Action.AUTO_CLOSE:
                    data = {"days": AUTO_CLOSE_DAYS}
            elif action == Action.REJECT:
                fields["resolved_at"] = None
                reopens += 1
            elif action == Action.REOPEN:
                fields["resolved_at"] = fields["closed_at"] = fields["closed_kind"] = None
                reopens += 1
            elif action == Action.DECLINE:
                fields["closed_at"] = at
            if actor is not None and action not in (Action.CONFIRM, Action.REJECT,
                                                    Action.REOPEN):
                fields["first_response_at"] = fields["first_response_at"] or at
            events.append((at, actor, label, action.value, status.value, target.value, note,
                           data))
            status = target
        for number, at, author in inp.official:
            events.append((at, author, staff.department_names.get(
                self._department_of(author), staff.customer_label), ANSWERED, None, None, "",
                {"post": number}))
            if fields["first_response_at"] is None or at < fields["first_response_at"]:
                fields["first_response_at"] = at

        created = inp.start
        dues = [self._due(created, hours, cat.working) for hours in cat.limits]
        joins, grouped_at = self._joins(inp)
        escalated_at = self._escalation(dues, fields, status, events)
        if grouped_at is not None:
            events.append((grouped_at, None, "", GROUPED, None, None, "",
                           {"joins": GROUP_MIN_JOINS}))
            escalated_at = min(escalated_at or grouped_at, grouped_at)
        events.sort(key=lambda e: (e[0], e[3] != FILED))

        location_unit = rng.random() < 0.5
        unit = f"{inp.building}栋{rng.randint(1, 3)}单元{rng.randint(2, 30)}{rng.randint(1, 4):02d}"
        if inp.opening not in self._wanted:
            self._wanted[inp.opening] = _wanted(inp.opening)
        rating = None
        if fields["closed_kind"] == ClosedKind.CONFIRMED.value:
            overall = rng.choices((5, 4, 3, 2, 1), (40, 30, 15, 8, 7))[0]
            scores = [min(5, max(1, overall + rng.choice((-1, 0, 0, 1)))) for _ in range(2)]
            rating = (self.next_rating, inp.case_id, overall, scores[0], scores[1],
                      rng.choice(self.bank.rating_comments) if rng.random() < 0.6 else "",
                      rng.random() < 0.8, fields["closed_at"])
            self.next_rating += 1
        closed = status in (Status.CLOSED, Status.DECLINED)
        case = (
            inp.case_id, inp.thread_id, inp.community_id, cat.id, department,
            handler if Action.ASSIGN in actions else None, inp.filer_id, filed_by,
            status.value, fields["closed_kind"],
            rng.choice(list(Stage)).value if rng.random() < 0.7 else None,
            "unit" if location_unit else "public",
            "" if location_unit else f"{inp.building}栋{rng.choice(PUBLIC_PLACES)}",
            self._wanted[inp.opening], unit if location_unit else None,
            None, None, None, fields["committed_date"],
            inp.summary if status in (Status.RESOLVED, Status.CLOSED) else "",
            rng.choice(self.bank.decline_reasons) if status == Status.DECLINED else "",
            None, fields["work_order_number"], None, *dues,
            fields["first_response_at"], fields["planned_at"], fields["resolved_at"],
            fields["closed_at"] if closed else None, escalated_at, grouped_at,
            len(joins), reopens, cat.engineering and status == Status.CLOSED and rng.random() < 0.3,
            created, 1 + len(actions))
        rows = CaseRows(case=case, joins=joins, rating=rating)
        for at, actor, label, action, before, after, note, data in events:
            rows.events.append((self.next_event, inp.case_id, actor, label, action, before,
                                after, note, data, at))
            self.next_event += 1
        return rows

    def _department_of(self, user_id: int) -> int:
        for department, members in self.staff.handlers.items():
            if user_id in members:
                return department
        return -1

    def _actor(self, action: Action, inp: CaseInput, handler: int | None, dept_name: str
               ) -> tuple[int | None, str, str, dict]:
        """Who takes a step, how they are shown, and the public note (HTML)."""
        rng = self.rng
        if action == Action.CONFIRM:
            return inp.filer_id, "", "", {}
        if action in (Action.REJECT, Action.REOPEN):
            note = rng.choice(inp.owner_notes).html if inp.owner_notes else ""
            return inp.filer_id, "", note, {}
        if action == Action.AUTO_CLOSE:
            return None, "", "", {}
        note = rng.choice(self.bank.staff_notes).html if rng.random() < 0.5 else ""
        if action in (Action.ASSIGN, Action.DECLINE) or handler is None:
            return rng.choice(self.staff.customer), self.staff.customer_label, note, {}
        return handler, dept_name, note, {}

    def _joins(self, inp: CaseInput) -> tuple[list[tuple], datetime | None]:
        """"Me too" joins: most cases none or a few, a few cases hundreds (a group complaint)."""
        rng = self.rng
        roll = rng.random()
        wanted = 0 if roll < 0.4 else rng.randint(1, 4) if roll < 0.85 else \
            rng.randint(5, 30) if roll < 0.98 else rng.randint(30, 300)
        pool = [u for u in inp.residents if u != inp.filer_id]
        chosen = rng.sample(pool, min(wanted, len(pool)))
        room = max((self.now - inp.start).total_seconds() - 120, 120.0)
        grouped = len(chosen) >= GROUP_MIN_JOINS and rng.random() < 0.5
        times = []
        for index in range(len(chosen)):
            window = GROUP_WINDOW_DAYS * 86400 - 3600 if grouped and index < GROUP_MIN_JOINS \
                else 60 * 86400
            times.append(inp.start + timedelta(seconds=rng.uniform(60, min(window, room))))
        times.sort()
        rows = []
        for user, at in zip(chosen, times, strict=True):
            rows.append((self.next_join, inp.case_id, user, at, None))
            self.next_join += 1
        grouped_at = times[GROUP_MIN_JOINS - 1] if grouped else None
        return rows, grouped_at

    def _escalation(self, dues: list[datetime], fields: dict, status: Status,
                    events: list) -> datetime | None:
        """Escalate once, as the cron job would, when the first promise was broken."""
        done = (fields["first_response_at"], fields["planned_at"], fields["resolved_at"])
        for kind, due, at in zip(("first_response", "plan", "resolve"), dues, done,
                                 strict=True):
            late = at is not None and at > due
            missing = at is None and due < self.now and status not in (Status.CLOSED,
                                                                       Status.DECLINED)
            if late or missing:
                when = due + timedelta(minutes=10)
                if when < self.now:
                    events.append((when, None, "", ESCALATED, None, None, "",
                                   {"promise": kind}))
                    return when
        return None
