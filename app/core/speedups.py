"""Render-cost fixes found by profiling the benchmark's pages (issue 7).

- Flask-WTF loads WTForms' message catalogue from disk on every request that
  translates a validator message. `WTF_I18N_ENABLED=False` would stop that but show
  the built-in messages ("This field is required.") in English to Chinese readers, so
  the loader is replaced by one that keeps each locale's catalogue once per process.
- Templates call `_()` a few hundred times a page; Flask-Babel finds the catalogue
  through five context lookups on every call. The templates' `gettext`/`ngettext`
  keep the catalogue next to the locale Flask-Babel chose and reuse it.
- Dates and numbers: the `date`, `datetime`, `ago` and `number` filters format each
  (value, format, locale, time zone) once per process; a page of 20 posts or 30 threads
  repeated the same Babel work on every view.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask, g, request
from flask_babel import (format_date, format_datetime, format_decimal, format_timedelta,
                         get_locale, get_timezone, get_translations)
from jinja2.ext import _make_new_gettext, _make_new_ngettext  # the newstyle wrappers

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


def _translations() -> Any:  # noqa: ANN401
    """The request's catalogue, remembered next to the locale Flask-Babel chose (so
    `force_locale`, which resets that locale, is still obeyed)."""
    try:
        ns = getattr(g._get_current_object(), "_flask_babel", None)  # noqa: SLF001
    except RuntimeError:  # no app context
        return get_translations()
    if ns is not None:
        remembered = getattr(ns, "ov_translations", None)
        locale = getattr(ns, "babel_locale", None)
        if remembered is not None and locale is not None and remembered[0] is locale:
            return remembered[1]
    found = get_translations()
    ns = getattr(g._get_current_object(), "_flask_babel", None)  # noqa: SLF001
    if ns is not None and getattr(ns, "babel_locale", None) is not None:
        ns.ov_translations = (ns.babel_locale, found)
    return found


def init_app(app: Flask) -> None:
    """Install the fixes (the WTForms one is process-wide and idempotent)."""
    import flask_wtf.i18n

    flask_wtf.i18n._get_translations = _cached_wtforms_translations  # noqa: SLF001
    app.jinja_env.filters.update(date=date_filter, datetime=datetime_filter, ago=ago_filter,
                                 number=number_filter)
    app.jinja_env.globals.update(
        gettext=_make_new_gettext(lambda text: _translations().ugettext(text)),
        ngettext=_make_new_ngettext(lambda one, many, n: _translations().ungettext(one, many, n)),
    )
