"""Row ids from outside (URLs, query strings, forms) are checked against the id columns'
range before they reach the database: PostgreSQL refuses a bound integer above 2³¹−1 with
an error (a 500), where an unknown id should simply be "not found"."""
from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # INTEGER columns, on PostgreSQL and as SQLAlchemy binds them


def db_int(value: Any) -> int | None:
    """`value` when it is an int the id columns can hold, else None (treated as absent)."""
    return value if isinstance(value, int) and -MAX_ID <= value <= MAX_ID else None


class IdConverter(IntegerConverter):
    """`<int:…>` in routes: out-of-range numbers do not match, so they are a plain 404."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def int_or_none(value: Any) -> int | None:
    """A form's id choice as an int the id columns can hold; anything else is None (a
    `coerce` for the select fields that name rows)."""
    try:
        return db_int(int(value))
    except (TypeError, ValueError):
        return None
