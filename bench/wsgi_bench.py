"""gunicorn entry point for the benchmark: the real app plus one plain-string route.

`/bench/plain` exists only in the benchmark's server process. It passes through the same
gunicorn worker, Flask and the app's own request hooks (security headers, limiter,
write intent) but touches no database, session or template, so its rate is the
stack's ceiling on this machine, the yardstick the page targets are ratios of.
"""
from __future__ import annotations

import gc

from app import create_app

app = create_app()


def plain() -> tuple[str, int, dict[str, str]]:
    """A fixed string: the physical limit of the server stack."""
    return "Hello, World!", 200, {"Content-Type": "text/plain; charset=utf-8"}


app.add_url_rule("/bench/plain", "bench_plain", plain)
gc.freeze()  # as wsgi.py does
