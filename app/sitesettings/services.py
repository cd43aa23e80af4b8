"""Site settings: the one accessor the code reads them through, and the admin's changes.

A setting without a row in `site_settings` takes config.py's value (the environment's).
Rows are read once per request (kept on `g`), so a page asks the database at most once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..audit.services import record
from ..core import clock
from ..core.errors import Invalid
from ..extensions import db
from ..security.policy import require
from .models import SiteSetting

_CACHE = "_site_settings"


@dataclass(frozen=True)
class Spec:
    """One admin-editable setting: its kind, allowed range and label."""

    name: str
    kind: type
    label: Any
    help: Any
    low: int = 0
    high: int = 0

    def parse(self, raw: str) -> Any:
        if self.kind is bool:
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        return int(raw)

    def dump(self, value: Any) -> str:
        return ("1" if value else "0") if self.kind is bool else str(int(value))


SPECS: dict[str, Spec] = {spec.name: spec for spec in (
    Spec("AUTO_CLOSE_DAYS", int, _l("Auto-close after (days)"),
         _l("A resolved case the owner does not answer is closed as unconfirmed after this "
            "many days."), 1, 90),
    Spec("REOPEN_WINDOW_DAYS", int, _l("Reopen window (days)"),
         _l("How long after closing the owner may reopen a case."), 1, 365),
    Spec("GROUP_MIN_JOINS", int, _l("Group complaint: owners joining"),
         _l("This many owners joining within the window make a group complaint (群诉), "
            "which is escalated."), 2, 1000),
    Spec("GROUP_WINDOW_DAYS", int, _l("Group complaint: window (days)"),
         _l("The number of days the joins are counted over."), 1, 90),
    Spec("PUBLIC_HANDLER_NAMES", bool, _l("Show handlers' names publicly"),
         _l("Off: public timelines name the department only."), 0, 1),
)}


def _rows() -> dict[str, str]:
    if has_request_context() and _CACHE in g:
        return g.get(_CACHE)
    with db.session.no_autoflush:  # a read in the middle of a service must not flush its work
        rows = {row.key: row.value for row in db.session.scalars(select(SiteSetting))}
    if has_request_context():
        setattr(g, _CACHE, rows)
    return rows


def forget() -> None:
    """Drop this request's copy (after a change)."""
    if has_request_context():
        g.pop(_CACHE, None)


def setting(name: str) -> Any:
    """The current value of a site setting: the admin's, else config.py's default."""
    spec = SPECS[name]
    raw = _rows().get(name)
    if raw is not None:
        try:
            return spec.parse(raw)
        except ValueError:
            pass  # a hand-edited row that makes no sense: the default stands
    return current_app.config[name]


def all_settings() -> list[tuple[Spec, Any, bool]]:
    """Every setting with its current value and whether an admin set it."""
    rows = _rows()
    return [(spec, setting(spec.name), spec.name in rows) for spec in SPECS.values()]


def check(name: str, value: Any) -> Any:
    """The value, if inside the setting's range; Invalid (naming the field) otherwise."""
    spec = SPECS[name]
    if spec.kind is bool:
        return bool(value)
    if value is None or isinstance(value, bool) or not isinstance(value, int) \
            or not spec.low <= value <= spec.high:
        raise Invalid(_l("Give a whole number from %(low)s to %(high)s.", low=spec.low,
                         high=spec.high), field=name.lower())
    return value


def change_settings(admin: Any, values: dict[str, Any], *, reason: str = "") -> int:
    """Store the settings that changed (all checked first, so a bad value changes nothing),
    with one audit entry each; returns how many changed."""
    require(admin, "admin.settings")
    checked = {name: check(name, value) for name, value in values.items()}
    changed = 0
    for name, value in checked.items():
        before = setting(name)
        if before == value:
            continue
        row = db.session.get(SiteSetting, name)
        if row is None:
            row = SiteSetting(key=name, value="")
            db.session.add(row)
        row.value, row.updated_at, row.updated_by_id = SPECS[name].dump(value), clock.now(), \
            admin.id
        record(admin, "setting.change", "setting", None, before={name: before},
               after={name: value}, reason=reason)
        changed += 1
    db.session.commit()
    forget()
    return changed

