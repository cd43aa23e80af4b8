"""The periodic tick is safe on several servers at once: the case checks hold a
cluster-wide lock (PostgreSQL advisory lock; a file lock beside an SQLite database), so a
second tick skips while one runs, and two ticks started together close each case once."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.complaints.models import Case, CaseEvent
from app.core import clock
from app.extensions import db
from app.jobs.locks import exclusive
from app.jobs.tasks import CASES_TICK_LOCK, cases_tick
from tests.conftest import make_test_app, test_database_url
from tests.factories import make_case, make_category, make_user

ROOT = Path(__file__).resolve().parents[2]


def _resolved_long_ago(count: int) -> list[int]:
    owner, category = make_user("owner"), make_category()
    cases = [make_case(owner, category=category, title=f"第{i}号投诉") for i in range(count)]
    long_ago = clock.now() - timedelta(days=30)
    for case in cases:
        case.status, case.resolved_at = "resolved", long_ago
        case.first_response_at = case.planned_at = long_ago
    ids = [c.id for c in cases]
    db.session.commit()  # and no read after it: this process holds no lock on the database
    return ids


def _closings() -> dict[int, int]:
    db.session.expire_all()
    rows = db.session.execute(select(CaseEvent.case_id, func.count()).where(
        CaseEvent.action == "auto_close").group_by(CaseEvent.case_id))
    db.session.commit()
    return dict(rows.all())


def test_a_tick_skips_while_another_server_holds_the_lock(app) -> None:
    [case_id] = _resolved_long_ago(1)

    with exclusive(CASES_TICK_LOCK) as mine:
        assert mine
        with exclusive(CASES_TICK_LOCK) as theirs:
            assert not theirs
        report = cases_tick()

    assert not report.ran and _closings() == {}
    assert cases_tick().ran and _closings() == {case_id: 1}
    assert db.session.get(Case, case_id).status == "closed"


def test_the_file_lock_of_an_sqlite_database_is_exclusive(tmp_path) -> None:
    app = make_test_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'site.db'}")
    with app.app_context():
        with exclusive("x") as first:
            with exclusive("x") as second:
                assert (first, second) == (True, False)
        with exclusive("x") as again:
            assert again  # let go when the holder finished
        db.engine.dispose()
    assert (tmp_path / "site.db.x.lock").exists()


def _tick_process(url: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "APP_ENV"}}
    env.update(DATABASE_URL=url, APP_ENV="development", LOG_LEVEL="WARNING")
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "cases", "tick"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def test_two_ticks_started_together_close_each_case_exactly_once(tmp_path) -> None:
    url = test_database_url()
    if url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'shared.db'}"
    app = make_test_app(SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        try:
            ids = _resolved_long_ago(30)
            ticks = [_tick_process(url) for _ in range(2)]
            outputs = [t.communicate(timeout=120) for t in ticks]
            assert [t.returncode for t in ticks] == [0, 0], outputs[0][1][-12000:] + outputs[1][1][-12000:]

            assert _closings() == dict.fromkeys(ids, 1)
            said = " | ".join(out for out, _ in outputs)
            closed = sum(int(out.split()[1]) for out, _ in outputs if out.startswith("Closed"))
            assert closed == 30, said
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


@pytest.mark.skipif(not test_database_url().startswith("postgresql"),
                    reason="TEST_DATABASE_URL is not PostgreSQL")
def test_the_postgres_lock_is_held_across_connections(app) -> None:
    with exclusive("pg") as first, exclusive("pg") as second:
        assert (first, second) == (True, False)
    with exclusive("pg") as again:
        assert again
