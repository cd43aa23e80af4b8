"""`flask worker` (an RQ worker with the app) and `flask jobs tick|failed|retry`."""
from __future__ import annotations

import sys

import click
from flask import Flask, current_app

from . import failures, tasks


def register_jobs_cli(app: Flask) -> None:
    """Attach the job commands to `flask`."""

    @app.cli.command("worker")
    @click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
    def worker(burst: bool) -> None:
        """Run an RQ worker (with RQ's scheduler for retries) on REDIS_URL's queue."""
        if not current_app.config.get("REDIS_URL"):
            click.echo("REDIS_URL is not set: jobs run inline after each commit; no worker "
                       "is needed.", err=True)
            sys.exit(2)
        from .rq_queue import work

        work(burst=burst)

    @app.cli.group("jobs")
    def jobs_group() -> None:
        """Background jobs and the periodic tick."""

    @jobs_group.command("tick")
    def tick() -> None:
        """The one cron entry (every minute, on any number of servers): queue the case
        checks (auto-close, broken promises) and an outbox run; retry failed inline jobs."""
        ok, failed = tasks.tick()
        where = "queued on Redis" if current_app.config.get("REDIS_URL") else "run inline"
        click.echo(f"Tick: case checks and outbox {where}; retried {ok + failed} failed jobs "
                   f"({ok} succeeded).")

    @jobs_group.command("failed")
    def failed() -> None:
        """List failed jobs (inline ones, and RQ's when REDIS_URL is set)."""
        rows = failures.open_failures()
        for row in rows:
            state = "gave up" if row.given_up else f"retry at {row.next_attempt_at:%Y-%m-%d %H:%M}"
            click.echo(f"db:{row.id}\t{row.func}{tuple(row.args)}\t{row.attempts} tries\t"
                       f"{state}\t{row.error}")
        if current_app.config.get("REDIS_URL"):
            from .rq_queue import failed_jobs

            for job in failed_jobs():
                click.echo(f"rq:{job.id}\t{job.func}{tuple(job.args)}\tgave up\t{job.error}")
