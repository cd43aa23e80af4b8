"""Every (status, action) pair of the lifecycle table: allowed ones lead where they should,
all others are refused with a clear message."""
from __future__ import annotations

import pytest

from app.complaints.workflow import Action, InvalidTransition, Status, actions_from, next_status

S, A = Status, Action
# Written out by hand from PRODUCT.md, independent of the table in workflow.py.
ALLOWED = {
    (S.RECEIVED, A.ASSIGN): S.ASSIGNED, (S.ASSIGNED, A.ASSIGN): S.ASSIGNED,
    (S.PLANNED, A.ASSIGN): S.ASSIGNED, (S.IN_PROGRESS, A.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, A.PLAN): S.PLANNED, (S.PLANNED, A.PLAN): S.PLANNED,
    (S.PLANNED, A.DISPATCH): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.RESOLVE): S.RESOLVED,
    (S.RESOLVED, A.CONFIRM): S.CLOSED,
    (S.RESOLVED, A.REJECT): S.IN_PROGRESS,
    (S.RESOLVED, A.AUTO_CLOSE): S.CLOSED,
    (S.CLOSED, A.REOPEN): S.ASSIGNED,
    (S.RECEIVED, A.DECLINE): S.DECLINED, (S.ASSIGNED, A.DECLINE): S.DECLINED,
    (S.PLANNED, A.DECLINE): S.DECLINED, (S.IN_PROGRESS, A.DECLINE): S.DECLINED,
}
PAIRS = [(status, action) for status in Status for action in Action]


@pytest.mark.parametrize(("status", "action"), PAIRS)
def test_each_status_and_action_pair(app, status: Status, action: Action) -> None:
    if (status, action) in ALLOWED:
        assert next_status(status, action) == ALLOWED[(status, action)]
    else:
        with pytest.raises(InvalidTransition) as refused:
            next_status(status, action)
        assert str(refused.value.message)  # a message a person can read


@pytest.mark.parametrize("status", list(Status))
def test_actions_from_lists_exactly_the_allowed_steps(status: Status) -> None:
    assert set(actions_from(status)) == {a for (s, a) in ALLOWED if s == status}


def test_closed_and_declined_cases_accept_no_staff_step() -> None:
    assert actions_from(S.DECLINED) == []
    assert actions_from(S.CLOSED) == [A.REOPEN]
