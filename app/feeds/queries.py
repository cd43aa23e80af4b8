"""What the feeds list; each is one query, served by an index, however large the site."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from ..communities.models import Board, Category, Community
from ..complaints.models import Case
from ..extensions import db
from ..forum.models import Thread


def board_threads(board: Board) -> Select:
    """A board's threads in the board page's order (pinned, then latest activity)."""
    return (select(Thread).where(Thread.board_id == board.id, Thread.hidden_at.is_(None))
            .order_by(Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
            .options(joinedload(Thread.case)))


def community_cases(community: Community) -> Select:
    """A community's cases, the latest filed first."""
    return (select(Case).where(Case.community_id == community.id).order_by(Case.id.desc())
            .options(joinedload(Case.thread),
                     joinedload(Case.category).joinedload(Category.parent)))


def first(query: Select, limit: int) -> list[Any]:
    """The first `limit` rows of a feed's query."""
    return list(db.session.scalars(query.limit(limit)).unique())
