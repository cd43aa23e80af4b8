"""A backup taken while clients write, restored into a fresh instance, holds the same
content: every write acknowledged before the backup began, once; every row it holds is
the live row; its counters agree with its rows (one instant, not a torn copy); its
integrity check is ok; and a server started on it serves those writes.

`flask backup` is the app's own command (SQLite's online backup API; pg_dump on
PostgreSQL); `flask restore` loads it (the backup API; pg_restore).
"""
from __future__ import annotations

import subprocess
import threading
import time

import sqlalchemy as sa

from .conftest import report
from .harness import (ROOT, Browser, Server, check_acks, drop_pg_database, engine_for,
                      fresh_database, is_long, scan_log, seed_site, sqlite_integrity)
from .load import run_load

APPEND_ONLY = {  # table: columns a later write never changes
    "posts": "id, thread_id, number, author_id, body_source",
    "threads": "id, board_id, author_id, title",
    "case_events": "id, case_id, action, before, after, note_html",
    "cases": "id, thread_id, filer_id, created_at",
}
COUNTERS = {  # a counter on a row, and the rows it counts
    "thread post counts": "SELECT count(*) FROM threads t WHERE t.post_count <> "
                          "(SELECT count(*) FROM posts p WHERE p.thread_id = t.id)",
    "board post counts": "SELECT count(*) FROM boards b WHERE b.post_count <> "
                         "(SELECT count(*) FROM posts p JOIN threads t ON t.id = p.thread_id "
                         "WHERE t.board_id = b.id)",
    "board thread counts": "SELECT count(*) FROM boards b WHERE b.thread_count <> "
                           "(SELECT count(*) FROM threads t WHERE t.board_id = b.id)",
    "cases without their filing event": "SELECT count(*) FROM cases c WHERE NOT EXISTS "
                                        "(SELECT 1 FROM case_events e WHERE e.case_id = c.id)",
}


def _wait(done, *, at_least: float, at_most: float) -> None:  # noqa: ANN001
    started = time.monotonic()
    while time.monotonic() - started < at_most:
        if time.monotonic() - started >= at_least and done():
            return
        time.sleep(0.1)


def _flask(command: list[str], url: str) -> str:
    env = {**Server(url, ROOT / "unused.log").env(), "APP_ENV": "development"}
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", *command],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout.strip()


def _rows(url: str, table: str, columns: str) -> set[tuple]:
    engine = engine_for(url)
    with engine.connect() as conn:
        rows = {tuple(r) for r in conn.execute(sa.text(f"SELECT {columns} FROM {table}"))}
    engine.dispose()
    return rows


def test_backup_while_writing_restores_the_same_content(tmp_path) -> None:
    clients, seconds = (16, 60) if is_long() else (8, 12)
    url = fresh_database(tmp_path, "proof_backup_live")
    site = seed_site(url, owners=clients, staff=max(2, clients // 4))
    backup_file = tmp_path / ("backup.sqlite3" if url.startswith("sqlite") else "backup.dump")
    server = Server(url, tmp_path / "gunicorn.log", workers=4)
    server.start()
    taken: dict = {}

    def take_backup(stop: threading.Event, until: float) -> None:
        # In the middle of the writes: some acknowledged before it (a busy machine may
        # need longer than 40 % of the run for that), and more after it.
        _wait(lambda: len(acks_seen) >= 10, at_least=seconds * 0.4, at_most=120)
        taken["acks_before"] = len(acks_seen)
        started = time.monotonic()
        taken["output"] = _flask(["backup", str(backup_file)], url)
        taken["seconds"] = round(time.monotonic() - started, 2)
        taken["acks_after"] = len(acks_seen)
        _wait(lambda: len(acks_seen) >= taken["acks_after"] + 10, at_least=0, at_most=120)

    acks_seen: list = []  # run_load appends to it as clients are answered
    try:
        acks, figures, people = run_load(site, server.base, clients=clients, seconds=seconds,
                                         during=take_backup, acks=acks_seen)
    finally:
        server.stop()
    before = acks[:taken["acks_before"]]

    restored = fresh_database(tmp_path, "proof_backup_restored")
    started = time.monotonic()
    restore_output = _flask(["restore", str(backup_file)], restored)
    restore_seconds = round(time.monotonic() - started, 2)

    result = check_acks(restored, before)
    integrity = sqlite_integrity(restored) if restored.startswith("sqlite") else ("n/a", 0)
    differing = {}
    compared = 0
    for table, columns in APPEND_ONLY.items():
        mine, live = _rows(restored, table, columns), _rows(url, table, columns)
        compared += len(mine)
        differing[table] = len(mine - live)
    engine = engine_for(restored)
    with engine.connect() as conn:
        torn = {name: conn.execute(sa.text(sql)).scalar() for name, sql in COUNTERS.items()}
    engine.dispose()

    # A fresh server on the restored instance serves what was written before the backup.
    fresh = Server(restored, tmp_path / "gunicorn-restored.log", workers=2)
    fresh.start()
    try:
        reader = Browser(fresh.base)
        reader.login(site.owners[0])
        shown = 0
        sample = [a for a in before if a.kind in ("reply", "filing")][-20:]
        for ack in sample:
            page = reader.get(ack.location.split("#")[0])
            shown += page.status == 200 and ack.marker in page.body
    finally:
        fresh.stop()
    log = scan_log(server.log_text() + fresh.log_text())
    report("backup while writing, restore into a fresh instance", clients=clients,
           seconds=round(figures.seconds, 1), backup=taken.get("output"),
           backup_seconds=taken.get("seconds"), restore=restore_output,
           restore_seconds=restore_seconds,
           acknowledged_before_backup=len(before),
           acknowledged_during_backup=taken["acks_after"] - taken["acks_before"],
           acknowledged_in_all=len(acks), missing_from_backup=len(result["missing"]),
           duplicated=len(result["duplicated"]), rows_compared_with_live=compared,
           rows_differing_from_live=differing, counters_not_matching_rows=torn,
           integrity_check=integrity[0], foreign_key_violations=integrity[1],
           pages_served_by_restored_instance=f"{shown}/{len(sample)}", log=log)
    drop_pg_database(url)
    drop_pg_database(restored)

    assert [p.error for p in people if p.error] == [] and figures.server_errors == []
    assert len(before) > 0 and len(acks) > len(before)  # writes went on around the backup
    assert result["missing"] == [] and result["duplicated"] == [] and result["misplaced"] == []
    assert all(n == 0 for n in differing.values()), differing
    assert all(n == 0 for n in torn.values()), torn
    assert integrity == ("ok", 0) or restored.startswith("postgresql")
    assert shown == len(sample) > 0
    assert log["database is locked"] == 0 and log["Traceback"] == 0
