"""Writing the audit log: part of the unit of work it records (no commit here)."""
from __future__ import annotations

from typing import Any

from ..core import clock
from ..extensions import db
from .models import AuditEntry

# Never written to the log, whatever a caller passes.
SECRET_KEYS = frozenset({"password", "password_hash", "token", "token_hash", "session",
                         "phone", "email", "real_name", "unit_text", "contact_phone",
                         "contact_email", "contact_name"})


def _clean(values: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (values or {}).items():
        if key in SECRET_KEYS:
            out[key] = "(withheld)"
        elif isinstance(value, str | int | float | bool) or value is None:
            out[key] = value
        else:
            out[key] = str(value)
    return out


def record(actor: Any, action: str, target_type: str, target_id: int | None, *,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           reason: str = "") -> AuditEntry:
    """Add an audit entry to the current transaction; the caller's commit makes it last."""
    entry = AuditEntry(actor_id=getattr(actor, "id", None), action=action,
                       target_type=target_type, target_id=target_id, before=_clean(before),
                       after=_clean(after), reason=reason.strip(), at=clock.now())
    db.session.add(entry)
    return entry
