"""Mixed load against gunicorn with several workers: no server error, no "database is
locked", and every write a client was told succeeded is in the database exactly once.

Short: 16 clients for 15 s. Long (PROOFS_LONG=1): 32 clients for 120 s. SQLite in the
SQLite run (a file in WAL mode), PostgreSQL in the PostgreSQL run (a database of its own).
"""
from __future__ import annotations

from .conftest import report
from .harness import Server, check_acks, drop_pg_database, fresh_database, is_long, scan_log, \
    seed_site
from .load import run_load


def test_mixed_load_loses_and_duplicates_nothing(tmp_path) -> None:
    clients, seconds = (32, 120) if is_long() else (16, 15)
    url = fresh_database(tmp_path, "proof_load")
    site = seed_site(url, owners=max(4, clients), staff=max(2, clients // 4))
    server = Server(url, tmp_path / "gunicorn.log", workers=4)
    server.start()
    try:
        acks, figures, people = run_load(site, server.base, clients=clients, seconds=seconds)
    finally:
        server.stop()
    result = check_acks(url, acks)
    log = scan_log(server.log_text())
    report("mixed load", clients=clients, workers=server.workers,
           seconds=round(figures.seconds, 1), requests=figures.requests,
           requests_per_second=round(figures.requests / figures.seconds, 1),
           reads=figures.reads, writes_acknowledged=dict(figures.writes),
           acknowledged_total=result["acknowledged"],
           rows_with_markers=result["rows_with_markers"],
           missing=len(result["missing"]), duplicated=len(result["duplicated"]),
           misplaced=len(result["misplaced"]), conflicts_409=figures.conflicts,
           refused=dict(figures.refused), statuses=dict(figures.statuses),
           server_errors_5xx=len(figures.server_errors),
           connection_errors=figures.connection_errors, log=log)
    drop_pg_database(url)

    assert [p.error for p in people if p.error] == []
    assert figures.server_errors == []
    assert figures.connection_errors == 0
    assert figures.statuses.get(429, 0) == 0
    assert log == {"database is locked": 0, "Traceback": 0, "worker timeouts": 0}
    assert result["missing"] == [] and result["duplicated"] == []
    assert result["misplaced"] == [] and result["markers_twice"] == []
    # Every kind of write happened, and the database holds exactly what was acknowledged
    # (a write refused or conflicting left no row with its marker).
    for kind in ("reply", "filing", "step"):
        assert figures.writes[kind] > 0, kind
    assert result["rows_with_markers"] == result["acknowledged"]
