"""Render-cost fixes found by profiling the benchmark's pages (issue 7).

- Flask-WTF loads WTForms' message catalogue from disk on every request that
  translates a validator message. `WTF_I18N_ENABLED=False` would stop that but show
  the built-in messages ("This field is required.") in English to Chinese readers, so
  the loader is replaced by one that keeps each locale's catalogue once per process.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_babel import get_locale

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


def init_app(app: Flask) -> None:  # noqa: ARG001
    """Install the process-wide fixes (idempotent)."""
    import flask_wtf.i18n

    flask_wtf.i18n._get_translations = _cached_wtforms_translations  # noqa: SLF001
