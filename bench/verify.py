"""`generate.py --check`: every counter kept on a row, compared with a COUNT of the rows."""
from __future__ import annotations

import time
from collections.abc import Callable

import sqlalchemy as sa

# (what is checked, a query counting the rows where the stored value is wrong)
CHECKS: tuple[tuple[str, str], ...] = (
    ("threads: post_count, numbers 1..n, last_post_at", """
        SELECT count(*) FROM threads t LEFT JOIN (
            SELECT thread_id, count(*) AS n, min(number) AS lo, max(number) AS hi,
                   max(created_at) AS last FROM posts GROUP BY thread_id) p
          ON p.thread_id = t.id
        WHERE p.n IS NULL OR p.n <> t.post_count OR p.lo <> 1 OR p.hi <> t.post_count
           OR p.last <> t.last_post_at"""),
    ("threads: last_post_user_id is the last post's author", """
        SELECT count(*) FROM threads t LEFT JOIN posts p
          ON p.thread_id = t.id AND p.number = t.post_count
        WHERE p.id IS NULL OR t.last_post_user_id IS NULL OR p.author_id <> t.last_post_user_id"""),
    ("threads: the opening post is the author's and starts the thread", """
        SELECT count(*) FROM threads t LEFT JOIN posts p ON p.thread_id = t.id AND p.number = 1
        WHERE p.id IS NULL OR p.author_id <> t.author_id OR p.created_at <> t.created_at"""),
    ("boards: thread_count, post_count (from posts), last_post_at", """
        SELECT count(*) FROM boards b
        LEFT JOIN (SELECT board_id, count(*) AS n, max(last_post_at) AS last
                   FROM threads GROUP BY board_id) t ON t.board_id = b.id
        LEFT JOIN (SELECT th.board_id, count(*) AS n FROM posts p
                   JOIN threads th ON th.id = p.thread_id GROUP BY th.board_id) p
          ON p.board_id = b.id
        WHERE coalesce(t.n, 0) <> b.thread_count OR coalesce(p.n, 0) <> b.post_count
           OR (t.last IS NULL) <> (b.last_post_at IS NULL) OR t.last <> b.last_post_at"""),
    ("boards: last_thread_id is the thread with the latest post", """
        SELECT count(*) FROM boards b
        WHERE coalesce(b.last_thread_id, 0) <> coalesce((
            SELECT id FROM threads t WHERE t.board_id = b.id
            ORDER BY t.last_post_at DESC, t.id DESC LIMIT 1), 0)"""),
    ("communities: thread_count, post_count", """
        SELECT count(*) FROM communities c LEFT JOIN (
            SELECT community_id, sum(thread_count) AS t, sum(post_count) AS p
            FROM boards GROUP BY community_id) b ON b.community_id = c.id
        WHERE coalesce(b.t, 0) <> c.thread_count OR coalesce(b.p, 0) <> c.post_count"""),
    ("users: post_count", """
        SELECT count(*) FROM users u LEFT JOIN (
            SELECT author_id, count(*) AS n FROM posts GROUP BY author_id) p
          ON p.author_id = u.id
        WHERE coalesce(p.n, 0) <> u.post_count"""),
    ("users: thread_count", """
        SELECT count(*) FROM users u LEFT JOIN (
            SELECT author_id, count(*) AS n FROM threads GROUP BY author_id) t
          ON t.author_id = u.id
        WHERE coalesce(t.n, 0) <> u.thread_count"""),
    ("cases: metoo_count", """
        SELECT count(*) FROM cases c LEFT JOIN (
            SELECT case_id, count(*) AS n FROM case_joins GROUP BY case_id) j
          ON j.case_id = c.id
        WHERE coalesce(j.n, 0) <> c.metoo_count"""),
    ("cases: reopen_count (send-backs and reopenings on the timeline)", """
        SELECT count(*) FROM cases c LEFT JOIN (
            SELECT case_id, count(*) AS n FROM case_events
            WHERE action IN ('reject', 'reopen') GROUP BY case_id) e ON e.case_id = c.id
        WHERE coalesce(e.n, 0) <> c.reopen_count"""),
    ("cases: the last status event leads to the case's status", """
        SELECT count(*) FROM cases c JOIN (
            SELECT case_id, max(id) AS id FROM case_events WHERE after IS NOT NULL
            GROUP BY case_id) last ON last.case_id = c.id
        JOIN case_events e ON e.id = last.id
        WHERE e.after <> c.status"""),
    ("cases: one rating per confirmed closing, none otherwise (the generator's rule)", """
        SELECT count(*) FROM cases c LEFT JOIN case_ratings r ON r.case_id = c.id
        WHERE (c.closed_kind = 'confirmed') <> (r.id IS NOT NULL)"""),
)


def verify(url: str, echo: Callable[[str], None] = print) -> int:
    """Run every check against the database at `url`; return how many failed."""
    engine = sa.create_engine(url)
    failed = 0
    with engine.connect() as conn:
        sizes = {table: conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
                 for table in ("users", "threads", "posts", "cases", "case_events")}
        echo("Checking counters against " + ", ".join(f"{n:,} {t}" for t, n in sizes.items()))
        for name, query in CHECKS:
            started = time.perf_counter()
            wrong = conn.execute(sa.text(query)).scalar() or 0
            failed += wrong > 0
            echo(f"  {'ok  ' if not wrong else 'FAIL'} {name}: {wrong} wrong row(s) "
                 f"({time.perf_counter() - started:.1f} s)")
    engine.dispose()
    return failed
