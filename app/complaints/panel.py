"""What the thread page shows of a case, prepared for the template (no queries there)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from ..core import clock
from ..security.policy import can
from ..sitesettings.services import setting
from . import promises, queries
from .forms import AnswerForm, ConfirmCaseForm, MergeForm, NoteForm, ReasonForm, StepForm
from .models import Case, CaseEvent, CaseNote
from .workflow import STAFF_ACTIONS, Action, Status, actions_from


@dataclass
class CasePanel:
    """Everything the case panel and its forms need."""

    case: Case
    events: list[CaseEvent]
    promises: list[promises.Promise]
    joined: bool
    can_join: bool
    internal: bool                      # the reader may see internal data
    notes: list[CaseNote] = field(default_factory=list)
    staff_actions: list[Action] = field(default_factory=list)
    owner_steps: list[Action] = field(default_factory=list)
    can_answer: bool = False
    can_merge: bool = False
    departments: list = field(default_factory=list)  # each with its members (handlers)
    forms: dict[str, Any] = field(default_factory=dict)


def case_promises(case: Case, now: Any) -> list[promises.Promise]:
    """The three promises of a case as they stand at `now`, from the deadlines set at filing."""
    limits = case.category.limits
    rows = ((promises.PromiseKind.FIRST_RESPONSE, case.first_response_due, case.first_response_at,
             limits[0]),
            (promises.PromiseKind.PLAN, case.plan_due, case.planned_at, limits[1]),
            (promises.PromiseKind.RESOLVE, case.resolve_due, case.resolved_at, limits[2]))
    if case.status == Status.DECLINED:
        # A declined case owes nothing further: only promises met before it was declined show.
        rows = tuple(row for row in rows if row[2] is not None)
    return [promises.judge(kind, started_at=case.created_at, deadline=due, done_at=done,
                           now=max(now, case.created_at), limit_hours=hours,
                           working=case.category.counts_working_hours)
            for kind, due, done, hours in rows]


def _reopen_window_open(case: Case, now: Any) -> bool:
    window = timedelta(days=setting("REOPEN_WINDOW_DAYS"))
    return case.closed_at is not None and now <= case.closed_at + window


def build_panel(case_id: int, user: Any, overrides: dict) -> CasePanel:
    """The panel for one case as `user` may see it; `overrides` holds refused forms to redisplay."""
    case, joined = queries.case_details_for_viewer(case_id, user.id if user.is_member else None)
    now = clock.now()
    internal = can(user, "case.view_internal", case)
    panel = CasePanel(case=case, events=queries.timeline(case), promises=case_promises(case, now),
                      joined=joined, can_join=False, internal=internal)
    panel.can_join = can(user, "case.join", case) and not panel.joined
    if internal:
        panel.notes = queries.internal_notes(case)
    if can(user, "case.act", case):
        panel.staff_actions = [a for a in actions_from(case.status) if a in STAFF_ACTIONS]
        panel.departments = queries.departments_with_members()
    panel.can_answer = can(user, "case.answer", case)
    panel.can_merge = can(user, "case.merge", case)
    if can(user, "case.owner_step", case):
        steps = [a for a in (Action.CONFIRM, Action.REJECT) if a in actions_from(case.status)]
        if case.status == Status.CLOSED and _reopen_window_open(case, now):
            steps.append(Action.REOPEN)
        panel.owner_steps = steps
    # Built when the template first uses one: a visitor's panel shows no form, so it makes
    # no CSRF token (no session) and stays cacheable; members skip the forms they lack.
    panel.forms = LazyForms({
        "step": lambda: overrides.get("step_form"),
        "step_action": lambda: overrides.get("step_action"),
        "answer": lambda: overrides.get("answer_form") or AnswerForm(formdata=None),
        "answer_photos": lambda: overrides.get("answer_photos"),
        "note": lambda: overrides.get("note_form") or NoteForm(formdata=None),
        "confirm": lambda: overrides.get("confirm_form") or ConfirmCaseForm(formdata=None),
        "reason": lambda: overrides.get("reason_form") or ReasonForm(formdata=None),
        "merge": lambda: overrides.get("merge_form") or MergeForm(formdata=None,
                                                                  version=case.version),
        "blank_step": lambda: lambda action: _step_form(case, action, overrides),
    })
    return panel


class LazyForms(dict):
    """A dict of forms made on first access (`forms.confirm` or `forms["confirm"]`)."""

    def __init__(self, factories: dict) -> None:
        super().__init__()
        self._factories = factories

    def __getitem__(self, key: str) -> Any:  # noqa: ANN401
        if not dict.__contains__(self, key):
            dict.__setitem__(self, key, self._factories[key]())
        return dict.__getitem__(self, key)

    def get(self, key: str, default: Any = None) -> Any:  # noqa: ANN401
        return self[key] if key in self._factories else default

    def __contains__(self, key: object) -> bool:
        return key in self._factories


def _step_form(case: Case, action: Action, overrides: dict) -> StepForm:
    if overrides.get("step_action") == action.value and overrides.get("step_form"):
        return overrides["step_form"]
    return StepForm(formdata=None, prefix=action.value, version=case.version,
                    department_id=case.department_id, handler_id=case.handler_id)
