"""50 staff update one case at the same moment, all from the version they saw: exactly one
step is taken, and the 49 others are told the case changed (409, with the message).

Each round goes through gunicorn with four workers: 50 logged-in sessions read the case
page (version and CSRF token), wait at a barrier, then post at once. The rounds cover a
step that stays allowed after the winner's (plan → plan) and steps that the winner's
makes impossible (dispatch, resolve): the losers must still hear "the case changed",
not "this step is not possible".
"""
from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import sqlalchemy as sa

from .conftest import report
from .harness import Browser, Server, drop_pg_database, engine_for, fresh_database, seed_site
from .load import STEP_FORM_RE

SESSIONS = 50
CHANGED = "Someone else changed this at the same time"


def _step_fields(action: str, i: int) -> dict[str, str]:
    note = f"第{i}位客服的处理意见"
    return {"assign": {"note": note},
            "plan": {"note": note,
                     "committed_date": (date.today() + timedelta(days=5)).isoformat()},
            "dispatch": {"note": note, "work_order_number": f"WO-{i:03d}"},
            "resolve": {"note": note, "resolution_summary": f"第{i}位客服：已修好"}}[action]


def _round(browsers: list[Browser], case_id: int, thread_id: int, action: str,
           department_id: int) -> dict:
    pages = [b.get(f"/t/{thread_id}") for b in browsers]
    versions = {dict(STEP_FORM_RE.findall(p.body)).get(action) for p in pages}
    assert len(versions) == 1 and None not in versions, versions  # all saw the same version
    version = versions.pop()
    barrier = threading.Barrier(len(browsers))

    def post(i: int):  # noqa: ANN202
        fields = _step_fields(action, i)
        if action == "assign":
            fields["department_id"] = str(department_id)
        form = [("csrf_token", Browser.token(pages[i].body)), ("step", action)]
        form += [(f"{action}-version", version)]
        form += [(f"{action}-{k}", v) for k, v in fields.items()]
        barrier.wait()
        return browsers[i].post(f"/cases/{case_id}/steps", form)

    started = time.monotonic()
    with ThreadPoolExecutor(len(browsers)) as pool:
        answers = list(pool.map(post, range(len(browsers))))
    elapsed = time.monotonic() - started
    statuses = [a.status for a in answers]
    told_changed = sum(1 for a in answers if a.status == 409 and CHANGED in a.body)
    return {"action": action, "version": int(version), "statuses": statuses,
            "told_changed": told_changed, "seconds": round(elapsed, 2)}


def test_fifty_simultaneous_staff_steps_exactly_one_wins(tmp_path) -> None:
    url = fresh_database(tmp_path, "proof_race")
    site = seed_site(url, owners=2, staff=5, threads=1, cases=1)
    case_id, thread_id = next(iter(site.case_ids.items()))
    server = Server(url, tmp_path / "gunicorn.log", workers=4)
    server.start()
    rounds = []
    try:
        browsers = [Browser(server.base) for _ in range(SESSIONS)]
        with ThreadPoolExecutor(10) as pool:
            list(pool.map(lambda ib: ib[1].login(site.staff[ib[0] % len(site.staff)]),
                          enumerate(browsers)))
        for action in ("assign", "plan", "plan", "dispatch", "resolve"):
            rounds.append(_round(browsers, case_id, thread_id, action, site.department_ids[0]))
        serving = browsers[0].get(f"/t/{thread_id}").status
    finally:
        server.stop()
    engine = engine_for(url)
    with engine.connect() as conn:
        events = conn.execute(sa.text("SELECT action FROM case_events WHERE case_id = :c "
                                      "ORDER BY id"), {"c": case_id}).scalars().all()
        version, status = conn.execute(sa.text("SELECT version, status FROM cases WHERE id = :c"),
                                       {"c": case_id}).one()
    engine.dispose()
    drop_pg_database(url)
    log = server.log_text()
    report("50 simultaneous staff steps", rounds=[
        {"action": r["action"], "succeeded": r["statuses"].count(302),
         "told_the_case_changed_409": r["told_changed"],
         "other": len(r["statuses"]) - r["statuses"].count(302) - r["told_changed"],
         "seconds": r["seconds"]} for r in rounds],
        events=events, final_status=status, final_version=version)

    for r in rounds:
        assert r["statuses"].count(302) == 1, r
        assert r["told_changed"] == SESSIONS - 1, r
    assert events == ["filed", "assign", "plan", "plan", "dispatch", "resolve"]
    assert status == "resolved" and version == 6
    assert serving == 200
    assert "Traceback" not in log and "database is locked" not in log
    assert not re.search(r"\b5\d\d\b.*POST /cases", log)
