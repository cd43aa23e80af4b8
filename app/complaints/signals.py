"""Signals the complaints domain sends after a commit; listeners live in notifications/."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# sender: the Case; keyword `event`: the CaseEvent just recorded (public).
case_event = _signals.signal("case-event")
