"""What templates may call: permission checks, URLs, locale-aware formatting."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Flask, request
from flask_babel import format_date, format_datetime, format_decimal, format_timedelta, get_locale
from flask_login import current_user

from .auth.forms import LanguageForm
from .complaints.forms import LOCATION_LABELS, STAGE_LABELS
from .complaints.workflow import ACTION_LABELS, STATUS_LABELS
from .core import clock
from .forum.forms import ConfirmForm
from .forum.views import board_url, post_url
from .security.policy import can

LANGUAGE_NAMES = {"zh": "简体中文", "en": "English"}


def ago(value: datetime | None) -> str:
    """'3 hours ago' for recent times, the date for older ones, in the reader's language."""
    if value is None:
        return ""
    delta = clock.now() - value
    if delta.days >= 7:
        return format_date(value, "medium")
    return format_timedelta(-delta, add_direction=True, threshold=0.9)


def isodate(value: str | None) -> str:
    """An ISO date kept in event data, formatted for the reader's language."""
    if not value:
        return ""
    return format_date(date.fromisoformat(value), "medium")


def duration(value: timedelta | None) -> str:
    """A span of time in words: '3 hours', '2 days'."""
    if value is None:
        return ""
    return format_timedelta(value, threshold=1.1)


def register_template_helpers(app: Flask) -> None:
    """Expose helpers and filters to every template."""
    app.jinja_env.globals.update(
        # The user object itself, not the proxy: rules read several attributes each.
        can=lambda name, target=None, **ctx: can(current_user._get_current_object(), name,
                                                 target, **ctx),
        board_url=board_url, post_url=post_url, LANGUAGE_NAMES=LANGUAGE_NAMES,
        STATUS_LABELS=STATUS_LABELS, ACTION_LABELS=ACTION_LABELS, STAGE_LABELS=STAGE_LABELS,
        LOCATION_LABELS=LOCATION_LABELS,
    )
    app.jinja_env.filters.update(
        datetime=lambda v, fmt="medium": format_datetime(v, fmt) if v else "",
        date=lambda v, fmt="medium": format_date(v, fmt) if v else "",
        number=format_decimal, ago=ago, duration=duration, isodate=isodate,
    )

    @app.context_processor
    def _common() -> dict:
        locale = get_locale()
        here = request.full_path.rstrip("?")
        # Forms (and so a CSRF token and a session) only for logged-in readers: a visitor's
        # page carries no per-visitor token and can be cached whole (issue 7).
        member = current_user.is_authenticated
        return {
            "current_lang": locale.language if locale else "zh",
            "html_lang": "zh-Hans" if (locale is None or locale.language == "zh") else "en",
            "language_next": here,
            "language_form": LanguageForm(formdata=None, next=here) if member else None,
            "logout_form": ConfirmForm(formdata=None) if member else None,
        }
