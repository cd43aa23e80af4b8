"""Render-cost fixes found by profiling the benchmark's pages (issue 7).

- Flask-WTF loads WTForms' message catalogue from disk on every request that
  translates a validator message. `WTF_I18N_ENABLED=False` would stop that but show
  the built-in messages ("This field is required.") in English to Chinese readers, so
  the loader is replaced by one that keeps each locale's catalogue once per process.
- A page translates a few hundred strings (`_()` in templates, lazy labels such as
  the case statuses); Flask-Babel finds the catalogue through five context lookups
  on every call. `Domain.get_translations` now keeps it next to the locale Flask-Babel
  chose for the request and reuses it while that locale stands.
- Dates and numbers: the `date`, `datetime`, `ago` and `number` filters format each
  (value, format, locale, time zone) once per process; a page of 20 posts or 30 threads
  repeated the same Babel work on every view.
- Templates build links with `FastUrls` (see there) and ask `can` of the user object
  rather than through Flask-Login's proxy.
"""
from __future__ import annotations

import re
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import flask_babel
from flask import Flask, g, request, url_for
from flask.globals import _cv_app
from flask_babel import (Domain, format_date, format_datetime, format_decimal,
                         format_timedelta, get_locale, get_timezone)

from . import clock

_wtforms_catalogues: dict[str, Any] = {}


def _cached_wtforms_translations() -> Any:  # noqa: ANN401
    """Flask-WTF's `_get_translations`, with each locale's catalogue loaded once."""
    from babel import support
    from wtforms.i18n import messages_path

    if not request:
        return None
    locale = get_locale()
    name = str(locale) if locale else ""
    found = _wtforms_catalogues.get(name)
    if found is None:
        found = support.Translations.load(messages_path(), [locale], domain="wtforms")
        _wtforms_catalogues[name] = found
    return found


_formatted: dict[tuple, str] = {}
_FORMATTED_MAX = 50_000


def _memo(kind: str, formatter: Any, value: Any, fmt: str) -> str:  # noqa: ANN401
    key = (kind, value, fmt, get_locale(), get_timezone())
    found = _formatted.get(key)
    if found is None:
        if len(_formatted) >= _FORMATTED_MAX:
            _formatted.clear()
        found = _formatted[key] = formatter(value, fmt)
    return found


def date_filter(value: Any, fmt: str = "medium") -> str:  # noqa: ANN401
    return _memo("d", format_date, value, fmt) if value else ""


def datetime_filter(value: Any, fmt: str = "medium") -> str:  # noqa: ANN401
    return _memo("dt", format_datetime, value, fmt) if value else ""


def number_filter(value: Any, fmt: str | None = None) -> str:  # noqa: ANN401
    if isinstance(value, bool) or not isinstance(value, (int, float)) or fmt is not None:
        return format_decimal(value, fmt)
    return _memo("n", lambda v, _f: format_decimal(v), value, "")


def ago_filter(value: datetime | None) -> str:
    """'3 hours ago' for recent times, the date for older ones (as templating.ago)."""
    if value is None:
        return ""
    delta = clock.now() - value
    if delta.days >= 7:
        return _memo("d", format_date, value, "medium")
    return format_timedelta(-delta, add_direction=True, threshold=0.9)


_original_get_translations = Domain.get_translations


def _remembered_translations(self: Domain) -> Any:  # noqa: ANN401
    """`Domain.get_translations`, remembered next to the locale Flask-Babel chose for this
    request (so `force_locale` and `refresh`, which replace that locale, are obeyed)."""
    try:
        ctx = g._get_current_object()  # noqa: SLF001
    except RuntimeError:  # no app context: Flask-Babel's own answer (no translation)
        return _original_get_translations(self)
    ns = getattr(ctx, "_flask_babel", None)
    if ns is not None:
        memo = getattr(ns, "ov_translations", None)
        if memo is not None and memo[1] is self and memo[0] is getattr(ns, "babel_locale", None):
            return memo[2]
    found = _original_get_translations(self)
    ns = getattr(ctx, "_flask_babel", None)
    locale = getattr(ns, "babel_locale", None) if ns is not None else None
    if locale is not None:
        ns.ov_translations = (locale, self, found)
    return found


def _babel_context() -> SimpleNamespace | None:
    """Flask-Babel's `_get_current_context` without three proxy look-ups per call (it runs
    for every translated string, date and number): the same namespace on `g`."""
    try:
        app_ctx = _cv_app.get()
    except LookupError:
        return None
    found = app_ctx.g.__dict__.get("_flask_babel")
    if found is None:
        found = app_ctx.g._flask_babel = SimpleNamespace()  # noqa: SLF001
    return found


_SAFE_SEGMENT = re.compile(r"[A-Za-z0-9_.~-]+")
_PLACEHOLDER = re.compile(r"<(?:(int|string):)?([a-z_][a-z0-9_]*)>")


class FastUrls:
    """`url_for` for templates without werkzeug's general builder on the common case.

    A page calls `url_for` 60-100 times (every thread, post and profile link). For an
    endpoint whose first matching rule has exactly the arguments given, plain int or
    string converters and no defaults, the address is its pattern filled in; anything
    else (query arguments, `_external`, `_anchor`, values that need quoting, URL default
    functions) goes to Flask's own `url_for`, so the result is always the same.
    """

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._formats: dict[tuple, Any] = {}

    def _format_for(self, endpoint: str, keys: frozenset) -> Any:  # noqa: ANN401
        from werkzeug.routing import IntegerConverter, UnicodeConverter

        for rule in self._app.url_map._rules_by_endpoint.get(endpoint, ()):  # noqa: SLF001
            if rule.defaults or rule.redirect_to or rule.host or rule.subdomain:
                return False
            arguments = set(rule.arguments)
            if not arguments <= keys:
                continue
            if arguments != keys:
                return False
            kinds = {}
            for name, converter in rule._converters.items():  # noqa: SLF001
                # Plain <int:> (the app's IdConverter only bounds what a URL may match;
                # building an address is the same).
                if isinstance(converter, IntegerConverter) and not converter.fixed_digits \
                        and not converter.signed and converter.min is None:
                    kinds[name] = int
                elif type(converter) is UnicodeConverter:
                    kinds[name] = str
                else:
                    return False
            pattern = rule.rule
            if _PLACEHOLDER.sub("", pattern).count("<"):
                return False
            return (_PLACEHOLDER.sub(lambda m: "{" + m.group(2) + "}", pattern), kinds)
        return False

    def __call__(self, endpoint: str, **values: Any) -> str:  # noqa: ANN401
        given = {k: v for k, v in values.items() if v is not None}
        if self._app.url_default_functions or endpoint.startswith(".") \
                or any(k.startswith("_") for k in given):
            return url_for(endpoint, **values)
        key = (endpoint, frozenset(given))
        found = self._formats.get(key)
        if found is None:
            found = self._formats[key] = self._format_for(endpoint, key[1])
        if found is False:
            return url_for(endpoint, **values)
        pattern, kinds = found
        for name, value in given.items():
            if kinds[name] is int:
                if type(value) is not int or value < 0:
                    return url_for(endpoint, **values)
            elif type(value) is not str or not _SAFE_SEGMENT.fullmatch(value):
                return url_for(endpoint, **values)
        return request.script_root + pattern.format(**given)


def _bound_can() -> dict:
    """`can` bound to the user object once per render (the proxy costs a lookup per use)."""
    from flask_login import current_user

    from ..security.policy import can

    user = current_user._get_current_object()  # noqa: SLF001
    return {"can": lambda name, target=None, **ctx: can(user, name, target, **ctx)}


def init_app(app: Flask) -> None:
    """Install the fixes (the WTForms one is process-wide and idempotent)."""
    import flask_wtf.i18n

    flask_wtf.i18n._get_translations = _cached_wtforms_translations  # noqa: SLF001
    app.jinja_env.filters.update(date=date_filter, datetime=datetime_filter, ago=ago_filter,
                                 number=number_filter)
    app.context_processor(_bound_can)
    Domain.get_translations = _remembered_translations  # type: ignore[method-assign]
    flask_babel._get_current_context = _babel_context  # noqa: SLF001
    fast = app.jinja_env.globals["url_for"] = FastUrls(app)

    def board_url(board: Any, **kwargs: Any) -> str:  # noqa: ANN401
        """forum.views.board_url through the fast builder (a home page links 80 boards)."""
        if board.community is None:
            return fast("forum.site_board", board_slug=board.slug, **kwargs)
        return fast("forum.board", community_slug=board.community.slug,
                    board_slug=board.slug, **kwargs)

    app.jinja_env.globals["board_url"] = board_url
