"""Shortcuts for case tests: post a staff step the way the page's form does."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from app.complaints.models import Case
from app.extensions import db

TOMORROW = (date.today() + timedelta(days=3)).isoformat()


def step(client: Any, case: Case, action: str, **fields: Any) -> Any:
    """POST one staff step with the version the staff member saw."""
    db.session.expire_all()
    version = fields.pop("version", None) or db.session.get(Case, case.id).version
    defaults = {
        "assign": {"department_id": case.category.routed_department_id},
        "plan": {"committed_date": TOMORROW, "note": "下周二上门维修防水层"},
        "dispatch": {"work_order_number": "WO-2026-001",
                     "work_order_details": "王师傅 13900000000"},
        "resolve": {"resolution_summary": "已重做卫生间防水并闭水试验48小时"},
        "decline": {"decline_reason": "不属于开发商保修范围"},
    }.get(action, {})
    data = {f"{action}-{key}": value for key, value in
            {"version": version, **defaults, **fields}.items()}
    return client.post(f"/cases/{case.id}/steps", data={"step": action, **data})


def walk_to(client: Any, case: Case, status: str) -> None:
    """Take the staff steps that bring a received case to `status`."""
    path = {"assigned": ["assign"], "planned": ["assign", "plan"],
            "in_progress": ["assign", "plan", "dispatch"],
            "resolved": ["assign", "plan", "dispatch", "resolve"]}[status]
    for action in path:
        response = step(client, case, action)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def fresh_case(case: Case) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case.id)
