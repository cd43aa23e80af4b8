"""Showing a service's refusal on the form that asked for it."""
from __future__ import annotations

from typing import Any

from flask import flash

from .errors import Invalid


def show_error(form: Any, err: Invalid) -> None:
    """Put `err` under the field it names, or flash it when it names none on this form."""
    field = getattr(form, err.field or "", None)
    if field is not None:
        field.errors = [*field.errors, err.message]
    else:
        flash(str(err.message), "error")
