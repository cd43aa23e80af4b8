"""kill -9 in the middle of the write load: a worker, and the whole server (master and
workers), many times. No acknowledged write is lost or doubled, SQLite's integrity check
stays ok, and the server serves again after each restart.

A write in flight when its worker dies was never acknowledged: the client saw the
connection drop and wrote again with a new marker. Such a write may or may not have
committed (both are correct); the figures count those that did.
"""
from __future__ import annotations

import random
import threading
import time

from .conftest import report
from .harness import (Browser, Server, check_acks, drop_pg_database, fresh_database, is_long,
                      scan_log, seed_site, sqlite_integrity)
from .load import run_load


def test_kill_9_workers_and_the_whole_server_loses_no_acknowledged_write(tmp_path) -> None:
    clients, seconds = (16, 120) if is_long() else (8, 15)
    url = fresh_database(tmp_path, "proof_crash")
    site = seed_site(url, owners=clients, staff=max(2, clients // 4))
    server = Server(url, tmp_path / "gunicorn.log", workers=4)
    server.start()
    kills = {"worker": 0, "whole server": 0, "restarts answered": 0}
    rng = random.Random(7)

    def faults(stop: threading.Event, until: float) -> None:
        n = 0
        # Until the end of the run, and at least two worker kills and one whole-server kill
        # however slow the machine is.
        while (time.monotonic() < until - 2 or kills["worker"] < 2
               or kills["whole server"] < 1) and not stop.is_set():
            time.sleep(rng.uniform(0.8, 2.0))
            n += 1
            if n % 3 == 0:
                server.kill_all()
                kills["whole server"] += 1
                time.sleep(rng.uniform(0.0, 0.5))
                server.start()  # polls /login until it answers
                kills["restarts answered"] += 1
            elif server.kill_worker() is not None:
                kills["worker"] += 1

    try:
        acks, figures, people = run_load(site, server.base, clients=clients, seconds=seconds,
                                         tolerate_outages=True, during=faults)
        # After the last kill: the server serves again, a page and a write.
        if server.process is None or server.process.poll() is not None:
            server.start()
        after = Browser(server.base)
        after.login(site.owners[0])
        serving = [after.get("/").status, after.get(f"/t/{site.thread_ids[0]}").status]
    finally:
        server.stop()
    result = check_acks(url, acks)
    integrity = sqlite_integrity(url) if url.startswith("sqlite") else ("n/a (PostgreSQL)", 0)
    log = scan_log(server.log_text())
    report("kill -9 under write load", clients=clients, seconds=round(figures.seconds, 1),
           kills=kills, server_starts=server.starts, requests=figures.requests,
           writes_acknowledged=dict(figures.writes),
           acknowledged_total=result["acknowledged"],
           rows_with_markers=result["rows_with_markers"],
           committed_but_unacknowledged=result["rows_with_markers"] - result["acknowledged"],
           lost=len(result["missing"]), duplicated=len(result["duplicated"]),
           misplaced=len(result["misplaced"]), connection_errors=figures.connection_errors,
           server_errors_5xx=len(figures.server_errors), integrity_check=integrity[0],
           foreign_key_violations=integrity[1], serving_after_restart=serving, log=log)
    drop_pg_database(url)

    assert [p.error for p in people if p.error] == []
    assert kills["worker"] >= 2 and kills["whole server"] >= 1
    assert result["missing"] == [] and result["duplicated"] == []
    assert result["misplaced"] == [] and result["markers_twice"] == []
    assert figures.server_errors == []
    assert sum(figures.writes.values()) > 0
    assert integrity == ("ok", 0) or url.startswith("postgresql")
    assert serving == [200, 200]
    assert log["database is locked"] == 0 and log["Traceback"] == 0
