"""`flask --app wsgi photos clean-pending`: remove photos uploaded but never posted."""
from __future__ import annotations

from datetime import timedelta

import click
from flask import Flask, current_app

from . import services


def register_photo_cli(app: Flask) -> None:
    @app.cli.group("photos")
    def photos_group() -> None:
        """Photo housekeeping."""

    @photos_group.command("clean-pending")
    @click.option("--hours", type=int, default=None,
                  help="Age in hours (default PHOTO_PENDING_HOURS).")
    def clean_pending(hours: int | None) -> None:
        """Delete photos uploaded more than HOURS ago and never attached to a post."""
        hours = hours if hours is not None else current_app.config["PHOTO_PENDING_HOURS"]
        removed = services.clean_pending(timedelta(hours=hours))
        click.echo(f"Removed {removed} pending photo(s) older than {hours} h.")
