"""The server under test: gunicorn in the production configuration, and what it costs.

CPU and memory come from /proc: the gunicorn master and its workers (and, for
PostgreSQL, every `postgres` process), sampled before and after each load run.
"""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from common import ROOT

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
# Rate limits are per client address, and all load comes from 127.0.0.1: with the
# production limits (20 posts a minute) the write mix would measure 429 pages. The limiter
# itself still runs on every POST (against Redis when given), so its cost is measured.
UNLIMITED = "1000000 per minute"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces; fields after it are space-separated.
    return raw[raw.rindex(")") + 2:].split()


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of these processes so far."""
    total = 0
    for pid in pids:
        fields = _stat(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / CLOCK_TICKS


def machine_busy_seconds() -> float:
    """CPU time the whole machine has spent busy (all cores), from /proc/stat."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def wait_until_quiet(limit_cores: float, timeout: float) -> float:
    """Wait (up to `timeout` s) for a second in which other work uses under `limit_cores`.

    The machine may be shared (test suites, browsers): a run measured while something else
    eats a core says little. Returns the busy cores of the last second sampled.
    """
    deadline = time.monotonic() + timeout
    while True:
        before = machine_busy_seconds()
        time.sleep(1)
        busy = machine_busy_seconds() - before
        if busy < limit_cores or time.monotonic() >= deadline:
            return busy


def rss_mb(pid: int) -> float:
    """Resident memory of one process in MB."""
    fields = _stat(pid)
    return int(fields[21]) * PAGE_KB / 1024 if fields else 0.0  # rss in pages (field 24)


def pss_mb(pid: int) -> float:
    """Proportional set size in MB: shared pages split among the processes sharing them."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    """Direct children of a process."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields and int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def database_backends(database: str) -> list[int]:
    """PostgreSQL's backend processes serving `database` (their title names it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "postgres":
                continue
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if f" {database} " in title:
            found.append(int(entry.name))
    return found


@dataclass
class Server:
    """A running gunicorn: where it listens and its processes."""

    process: subprocess.Popen
    port: int
    workers: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        """The worker processes (children of the master)."""
        return children(self.process.pid)

    def pids(self) -> list[int]:
        """Master and workers."""
        return [self.process.pid, *self.worker_pids()]

    def stop(self) -> None:
        """Stop gunicorn gracefully (only the master this runner started)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(database_url: str, redis_url: str | None, workers: int, log: Path,
                 extra_env: dict[str, str] | None = None) -> Server:
    """Start gunicorn on a free port with APP_ENV=production; wait until it answers."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(APP_ENV="production", SECRET_KEY=secrets.token_hex(32),
               DATABASE_URL=database_url, LOG_LEVEL="WARNING",
               POST_RATE_LIMIT=UNLIMITED, FILE_RATE_LIMIT=UNLIMITED,
               LOGIN_RATE_LIMIT=UNLIMITED, REGISTER_RATE_LIMIT=UNLIMITED)
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra_env or {})
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", str(workers),
               "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT), "--timeout", "60",
               "--log-level", "warning", "bench.wsgi_bench:app"]
    with log.open("ab") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   cwd=ROOT)
    server = Server(process, port, workers, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"{server.base}/bench/plain", timeout=2) as answer:
                if answer.status == 200 and len(server.worker_pids()) >= workers:
                    return server
        except OSError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"gunicorn did not answer within 60 s; see {log}")
