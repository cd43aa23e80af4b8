"""Hand-made cases with exact times, for figures whose right answer is counted by hand."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.complaints.models import Case, Rating
from app.extensions import db
from tests.factories import make_case

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
D = timedelta(days=1)


def shaped_case(community: Any, category: Any, *, filed: datetime, status: str,
                responded: timedelta | None = None, planned: timedelta | None = None,
                resolved: timedelta | None = None, closed: timedelta | None = None,
                kind: str | None = None, rating: tuple[int, int, int] | None = None,
                reopened: int = 0, group: bool = False, limits: tuple = (24, 72, 240),
                title: str = "卫生间天花板漏水", resolution: str = "", **filing: Any) -> Case:
    """A case filed through the service, then set to exactly these times (after `filed`)."""
    case = make_case(community=community, category=category, title=title, **filing)
    case.created_at = filed
    case.first_response_due, case.plan_due, case.resolve_due = (filed + h * H for h in limits)
    case.first_response_at = filed + responded if responded is not None else None
    case.planned_at = filed + planned if planned is not None else None
    case.resolved_at = filed + resolved if resolved is not None else None
    case.closed_at = filed + closed if closed is not None else None
    case.status, case.closed_kind = status, kind
    case.reopen_count = reopened
    case.group_flagged_at = filed + D if group else None
    case.resolution_summary = resolution
    if rating is not None:
        db.session.add(Rating(case_id=case.id, overall=rating[0], buy_again=rating[1],
                              recommend=rating[2], at=case.closed_at or filed))
    db.session.commit()
    return case


def six_cases(community: Any, category: Any) -> list[Case]:
    """The fixture counted by hand in test_stats.py (NOW = 2026-06-15 12:00 UTC)."""
    return [
        # 1 closed, confirmed, every promise kept; loyal rating
        shaped_case(community, category, filed=NOW - 60 * D, status="closed", kind="confirmed",
                    responded=2 * H, planned=20 * H, resolved=5 * D, closed=6 * D,
                    rating=(5, 5, 4), resolution="更换了窗框密封条"),
        # 2 closed, confirmed, every promise broken; rating not loyal
        shaped_case(community, category, filed=NOW - 50 * D, status="closed", kind="confirmed",
                    responded=30 * H, planned=80 * H, resolved=12 * D, closed=13 * D,
                    rating=(3, 4, 4)),
        # 3 closed without the owner's answer
        shaped_case(community, category, filed=NOW - 40 * D, status="closed",
                    kind="unconfirmed", responded=4 * H, planned=48 * H, resolved=8 * D,
                    closed=15 * D),
        # 4 declined after a first response
        shaped_case(community, category, filed=NOW - 30 * D, status="declined",
                    responded=10 * H, closed=10 * H),
        # 5 in progress, sent back once, resolution overdue, a group complaint
        shaped_case(community, category, filed=NOW - 20 * D, status="in_progress",
                    responded=1 * H, planned=70 * H, reopened=1, group=True),
        # 6 just filed: every promise still running
        shaped_case(community, category, filed=NOW - 2 * H, status="received"),
    ]
