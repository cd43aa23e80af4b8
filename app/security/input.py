"""Input no form can carry: refused before any view sees it."""
from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext as _


def refuse_nul_bytes() -> Any:
    """A NUL character in a form or query value gets 400 with the reason.

    No browser sends one from a text box; PostgreSQL cannot store one in a text column
    (the insert fails), and SQLite would keep it silently. Refusing it the same way on
    both is clearer than either (found by the form fuzzing in tests/proofs).
    """
    for values in (request.args, request.form):
        for key, items in values.lists():
            if "\x00" in key or any("\x00" in item for item in items):
                from ..errors import render_error
                return render_error(400, _("The text contains a character that cannot be "
                                           "saved (a NUL byte). Please remove it and try "
                                           "again."))
    return None
