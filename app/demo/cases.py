"""The demo's complaint cases: which threads become cases, and replaying them.

`load_demo` writes the forum in bulk first; the cases then go through the real
complaint services at their historical moments (`case_steps.py`).
"""
from __future__ import annotations

import random
from datetime import datetime

import click
from sqlalchemy import func, inspect, select

from ..auth.models import User
from ..communities.models import Board
from ..complaints.models import Case
from ..extensions import db
from ..forum.models import Thread
from .case_clock import SimClock, listeners_muted, replaying
from .case_plans import CasePlanner, CaseScript
from .case_runner import CaseSeeder
from .case_steps import replay_cases
from .staffing import add_private_details, add_quiet_owners, staff_the_departments
from .writer import DraftThread, Person, ThreadWriter

BoardKey = tuple[int | None, str]   # (community index or None, board slug)


def choose_cases(rng: random.Random, now: datetime, earliest: datetime,
                 people: dict[str, Person], boards: dict[BoardKey, Board],
                 drafts: list[DraftThread], writer: ThreadWriter,
                 ) -> tuple[list[CaseScript], list[DraftThread]]:
    """Pick the complaint threads that become cases; returns them and the drafts left.

    Staffs the departments and adds the quiet owners first: the cases need both.
    """
    posters = dict(people)  # quiet owners only ever join cases: they write no thread text
    quiet = add_quiet_owners(rng, people, people["admin"].user.password_hash, earliest, now)
    staff_the_departments(people)
    add_private_details(rng, people)
    case_writer = ThreadWriter(rng, now, posters)
    case_writer.titles = writer.titles  # no title twice on a board
    scripts, plain = CasePlanner(rng, now, people, quiet).choose(
        [d for d in drafts if d.plan.group == "complaints"], case_writer,
        complaint_boards(boards))
    plain_ids = {id(draft) for draft in plain}
    kept = [d for d in drafts if d.plan.group != "complaints" or id(d) in plain_ids]
    return scripts, kept


def complaint_boards(boards: dict[BoardKey, Board]) -> dict[int, Board]:
    """Each community's complaints board, by community index."""
    return {key[0]: board for key, board in boards.items()
            if key[1] == "complaints" and key[0] is not None}


def replay_complaints(rng: random.Random, now: datetime, people: dict[str, Person],
                      boards: dict[BoardKey, Board], scripts: list[CaseScript]) -> None:
    """Replay every case through the services up to `now`, then commit."""
    _start_small(people, boards)
    sim = SimClock(now)
    seeder = CaseSeeder(rng, now, people, complaint_boards(boards), sim)
    with replaying(sim), listeners_muted(), \
            click.progressbar(length=len(scripts), label="Replaying complaints") as bar:
        replay_cases(seeder, scripts, progress=bar.update)
    _refresh_board_activity(boards)
    db.session.commit()


def _start_small(people: dict[str, Person], boards: dict[BoardKey, Board]) -> None:
    """Empty the session but for the users and boards the replay needs.

    Every commit expires each object the session holds; with the bulk-written forum still
    in it, each of the replay's thousands of commits would expire thousands of posts.
    """
    user_ids = {name: inspect(person.user).identity[0] for name, person in people.items()}
    board_ids = {key: inspect(board).identity[0] for key, board in boards.items()}
    db.session.expunge_all()
    users = {user.id: user for user in db.session.scalars(select(User))}
    loaded = {board.id: board for board in db.session.scalars(select(Board))}
    for name, person in people.items():
        person.user = users[user_ids[name]]
    for key, board_id in board_ids.items():
        boards[key] = loaded[board_id]


def _refresh_board_activity(boards: dict[BoardKey, Board]) -> None:
    """Point each board at its latest thread again.

    Cases are replayed one after another, each through its own history, so the last
    thread written is not always the one with the latest post.
    """
    for board in boards.values():
        latest = db.session.execute(
            select(Thread.id, Thread.last_post_at).where(Thread.board_id == board.id)
            .order_by(Thread.last_post_at.desc(), Thread.id.desc()).limit(1)).first()
        board.last_thread_id = latest.id if latest else None
        board.last_post_at = latest.last_post_at if latest else None


def case_summary() -> str:
    """One line on the cases loaded: how many in each state."""
    rows = db.session.execute(select(Case.status, Case.closed_kind, func.count())
                              .group_by(Case.status, Case.closed_kind)).all()
    parts = [f"{status}{'·' + kind if kind else ''} {count}" for status, kind, count in rows]
    total = sum(count for _, _, count in rows)
    return f"Complaint cases: {total} ({', '.join(parts)})."
