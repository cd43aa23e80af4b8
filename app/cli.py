"""Command-line tools: `flask --app wsgi user create`, `seed-demo`, `rerender`, `mail`."""
from __future__ import annotations

import re
import sys

import click
from flask import Flask, current_app
from sqlalchemy import select

from . import text
from .auth import services as auth_services
from .auth.forms import USERNAME_PATTERN
from .auth.passwords import password_problem
from .auth.roles import Role
from .communities.defaults import install_defaults
from .complaints import services as complaint_services
from .core.backup import register_backup_cli
from .core.errors import Invalid
from .demo.loader import load_demo
from .extensions import db
from .forum.models import Post
from .notifications import outbox
from .notifications import queries as notice_queries
from .notifications.mailer import mailer_from_config
from .search import rebuild as search_rebuild_module


def _interactive() -> bool:
    return sys.stdin.isatty()


def _prompt_missing(value: str | None, label: str, *, hide: bool = False) -> str:
    if value:
        return value
    if not _interactive():
        raise click.UsageError(f"--{label} is required when not run interactively")
    return click.prompt(label.capitalize(), hide_input=hide, confirmation_prompt=hide)


def register_cli(app: Flask) -> None:
    """Attach the project's commands to `flask`."""
    register_backup_cli(app)  # `backup` and `restore` (app/core/backup.py)

    @app.cli.group("user")
    def user_group() -> None:
        """Manage accounts."""

    @user_group.command("create")
    @click.option("--username")
    @click.option("--email")
    @click.option("--password")
    @click.option("--display-name")
    @click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.MEMBER.value,
                  show_default=True)
    def create_user(username: str | None, email: str | None, password: str | None,
                    display_name: str | None, role: str) -> None:
        """Create an account with any role (prompts for what is missing)."""
        username = _prompt_missing(username, "username")
        email = _prompt_missing(email, "email")
        password = _prompt_missing(password, "password", hide=True)
        if not re.match(USERNAME_PATTERN, username) or not 3 <= len(username) <= 20:
            raise click.BadParameter("3–20 letters, digits, _ or -", param_hint="--username")
        if "@" not in email:
            raise click.BadParameter("not an email address", param_hint="--email")
        problem = password_problem(password, username=username, email=email)
        if problem:
            raise click.BadParameter(problem, param_hint="--password")
        try:
            user = auth_services.create_account(username, email, password,
                                                display_name=display_name, role=Role(role))
        except Invalid as err:
            raise click.ClickException(str(err.message)) from err
        click.echo(f"Created {user.username} ({user.role}).")

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Load the Chinese demo site (idempotent: an existing demo is left as it is)."""
        load_demo(echo=click.echo)

    @app.cli.command("seed-categories")
    def seed_categories() -> None:
        """Install the default departments and complaint categories (idempotent)."""
        click.echo(f"Added {install_defaults()} departments and categories.")

    @app.cli.group("cases")
    def cases_group() -> None:
        """Periodic case work (run from cron; safe to repeat)."""

    @cases_group.command("auto-close")
    def auto_close() -> None:
        """Close resolved cases the owner left unanswered for AUTO_CLOSE_DAYS days."""
        click.echo(f"Closed {complaint_services.auto_close_due()} unanswered cases.")

    @cases_group.command("escalate")
    def escalate() -> None:
        """Escalate open cases whose promise is broken (once each)."""
        click.echo(f"Escalated {complaint_services.escalate_overdue()} cases.")

    @cases_group.command("tick")
    def tick() -> None:
        """Both of the above, on one server at a time (others skip while it runs)."""
        from .jobs.tasks import cases_tick

        report = cases_tick()
        if not report.ran:
            click.echo("Another server is running the case checks; skipped.")
            return
        click.echo(f"Closed {report.closed} unanswered cases; escalated {report.escalated}.")

    @app.cli.group("search")
    def search_group() -> None:
        """The search index."""

    @search_group.command("rebuild")
    @click.option("--if-empty", is_flag=True, help="Only when nothing is indexed yet.")
    def search_rebuild(if_empty: bool) -> None:
        """Index every post and internal note again (e.g. after a dictionary change)."""
        if if_empty and search_rebuild_module.indexed_count():
            click.echo("The search index is in place.")
            return
        with click.progressbar(length=search_rebuild_module.count_documents(),
                               label="Indexing") as bar:
            total = search_rebuild_module.rebuild(bar.update)
        click.echo(f"Indexed {total} texts.")

    @app.cli.group("mail")
    def mail_group() -> None:
        """E-mail notices (run send-outbox from cron; safe on several servers at once)."""

    @mail_group.command("send-outbox")
    @click.option("--limit", default=200, show_default=True, help="Most e-mails in one run.")
    @click.option("--retry-given-up", is_flag=True,
                  help="First make e-mails that used up their tries due again.")
    def send_outbox(limit: int, retry_given_up: bool) -> None:
        """Send due e-mails from the outbox; failed ones are retried later with backoff."""
        if retry_given_up:
            click.echo(f"Requeued {outbox.requeue_given_up()} e-mails.")
        mailer = mailer_from_config(current_app.config)
        if mailer is None:
            click.echo(f"MAIL_SERVER is not set: {notice_queries.outbox_waiting()} e-mails kept "
                       "in the outbox, none sent (see README, 'Notifications and e-mail').")
            return
        try:
            report = outbox.send_due(mailer, limit=limit)
        finally:
            mailer.close()
        click.echo(f"Sent {report.sent}; failed {report.failed} (will retry); gave up "
                   f"{report.gave_up}; left to another runner {report.skipped}.")
        if report.stopped:
            click.echo(f"Stopped early, the mail server is unavailable: {report.stopped}",
                       err=True)
            sys.exit(1)

    @app.cli.command("rerender")
    @click.option("--all", "everything", is_flag=True, help="Re-render every post.")
    def rerender(everything: bool) -> None:
        """Render posts again from their source (after a renderer or allow-list change)."""
        query = select(Post)
        if not everything:
            query = query.where(Post.render_version < text.RENDER_VERSION)
        posts = db.session.scalars(query.execution_options(yield_per=500))
        count = 0
        for post in posts:
            post.body_html = text.render(post.body_source)
            post.render_version = text.RENDER_VERSION
            count += 1
        db.session.commit()
        click.echo(f"Re-rendered {count} posts.")
