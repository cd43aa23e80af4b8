"""gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app` (README, "Deploy").

The app's own settings come from the environment through config.py; these few are the
server's: BIND (default 127.0.0.1:8000), WEB_CONCURRENCY (workers, default 2 per CPU
plus 1), GUNICORN_THREADS, GUNICORN_TIMEOUT.
"""
from __future__ import annotations

import gc
import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
worker_class = "gthread" if threads > 1 else "sync"

# Load the app once in the master, then fork: workers share its memory pages.
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))  # a worker silent this long is replaced
graceful_timeout = 30  # on restart, requests in flight get this long to finish
keepalive = 5  # behind a load balancer that reuses connections
max_requests = 2000  # recycle workers now and then (slow leaks), staggered by the jitter
max_requests_jitter = 200
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket is not used here; off, so several servers can share a machine.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]

# The app writes one JSON line per request itself (with the request id and user);
# gunicorn's access log would only repeat it. Errors go to stderr as JSON too.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "app.core.logs.JsonFormatter"}},
    # The app's own handler name (app/core/logs.py), so the app reuses it, not adds one.
    "handlers": {"ownervoice-stderr": {"class": "logging.StreamHandler", "formatter": "json",
                                       "stream": "ext://sys.stderr"}},
    "root": {"level": loglevel.upper(), "handlers": ["ownervoice-stderr"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "propagate": True},
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}


def when_ready(server) -> None:  # noqa: ANN001
    """After the preload, before forking: move the loaded objects out of the collector's
    reach, so workers' first collections do not touch (and copy) the shared pages."""
    gc.collect()
    gc.freeze()
    server.log.info("gunicorn ready: %s workers on %s", workers, bind)


def post_fork(server, worker) -> None:  # noqa: ANN001
    """Each worker opens its own database connections (never the master's)."""
    from app.extensions import db
    from wsgi import app

    with app.app_context():
        db.engine.dispose(close=False)
