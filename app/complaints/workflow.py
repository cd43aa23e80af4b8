"""The complaint lifecycle as data: the one description of which step may follow which.

Pure: no Flask, no database. Services use it, staff screens draw their buttons
from `actions_from`, and a test walks every (status, action) pair.
"""
from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from ..core.errors import DomainError


class Status(StrEnum):
    RECEIVED = "received"        # 已受理
    ASSIGNED = "assigned"        # 已分派
    PLANNED = "planned"          # 方案已出
    IN_PROGRESS = "in_progress"  # 处理中 (已派单)
    RESOLVED = "resolved"        # 待业主确认
    CLOSED = "closed"            # 已关闭 (confirmed or unconfirmed)
    DECLINED = "declined"        # 不予受理


class Action(StrEnum):
    ASSIGN = "assign"
    PLAN = "plan"
    DISPATCH = "dispatch"
    RESOLVE = "resolve"
    CONFIRM = "confirm"          # the owner accepts the resolution
    REJECT = "reject"            # the owner sends it back (退回重办)
    AUTO_CLOSE = "auto_close"    # nobody answered in time: closed · unconfirmed
    REOPEN = "reopen"            # the owner reopens a closed case within the window
    DECLINE = "decline"          # out of scope, or a duplicate (merge)


class ClosedKind(StrEnum):
    CONFIRMED = "confirmed"
    UNCONFIRMED = "unconfirmed"


OPEN = frozenset({Status.RECEIVED, Status.ASSIGNED, Status.PLANNED, Status.IN_PROGRESS})

STEPS: dict[Action, tuple[frozenset[Status], Status]] = {
    # action: (may start from, leads to)
    Action.ASSIGN: (frozenset({Status.RECEIVED, Status.ASSIGNED, Status.PLANNED,
                               Status.IN_PROGRESS}), Status.ASSIGNED),
    Action.PLAN: (frozenset({Status.ASSIGNED, Status.PLANNED}), Status.PLANNED),
    Action.DISPATCH: (frozenset({Status.PLANNED}), Status.IN_PROGRESS),
    Action.RESOLVE: (frozenset({Status.IN_PROGRESS}), Status.RESOLVED),
    Action.CONFIRM: (frozenset({Status.RESOLVED}), Status.CLOSED),
    Action.REJECT: (frozenset({Status.RESOLVED}), Status.IN_PROGRESS),
    Action.AUTO_CLOSE: (frozenset({Status.RESOLVED}), Status.CLOSED),
    Action.REOPEN: (frozenset({Status.CLOSED}), Status.ASSIGNED),
    Action.DECLINE: (OPEN, Status.DECLINED),
}
# Steps taken by the filing owner; all others are staff steps (or the system's).
OWNER_ACTIONS = frozenset({Action.CONFIRM, Action.REJECT, Action.REOPEN})
SYSTEM_ACTIONS = frozenset({Action.AUTO_CLOSE})
STAFF_ACTIONS = frozenset(Action) - OWNER_ACTIONS - SYSTEM_ACTIONS
# Steps that send a case back to work; each counts as a reopen in the figures.
REOPENING = frozenset({Action.REJECT, Action.REOPEN})

STATUS_LABELS = {
    Status.RECEIVED: _l("Received"),
    Status.ASSIGNED: _l("Assigned"),
    Status.PLANNED: _l("Plan given"),
    Status.IN_PROGRESS: _l("In progress"),
    Status.RESOLVED: _l("Awaiting owner's confirmation"),
    Status.CLOSED: _l("Closed"),
    Status.DECLINED: _l("Declined"),
}
ACTION_LABELS = {
    Action.ASSIGN: _l("Assign"),
    Action.PLAN: _l("Give the plan"),
    Action.DISPATCH: _l("Dispatch a work order"),
    Action.RESOLVE: _l("Mark resolved"),
    Action.CONFIRM: _l("Confirm it is resolved"),
    Action.REJECT: _l("Not resolved: send it back"),
    Action.AUTO_CLOSE: _l("Closed without the owner's answer"),
    Action.REOPEN: _l("Reopen"),
    Action.DECLINE: _l("Decline"),
}


class InvalidTransition(DomainError):
    """A step that the lifecycle does not allow from the current status."""

    def __init__(self, current: Status, action: Action) -> None:
        self.current, self.action = current, action
        super().__init__(_l("“%(action)s” is not possible while the case is “%(status)s”.",
                            action=ACTION_LABELS[action], status=STATUS_LABELS[current]))


def next_status(current: Status | str, action: Action | str) -> Status:
    """The status `action` leads to from `current`, or InvalidTransition."""
    current, action = Status(current), Action(action)
    sources, target = STEPS[action]
    if current not in sources:
        raise InvalidTransition(current, action)
    return target


def actions_from(current: Status | str) -> list[Action]:
    """Every action the lifecycle allows from `current`, in table order."""
    return [action for action, (sources, _) in STEPS.items() if Status(current) in sources]


def is_open(status: Status | str) -> bool:
    """Whether the case still waits for work."""
    return Status(status) in OPEN
