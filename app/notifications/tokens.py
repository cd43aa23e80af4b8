"""Signed unsubscribe tokens: who and which kind of e-mail, readable by no one else."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

from .models import Kind

_SALT = "email-unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def unsubscribe_token(user_id: int, kind: Kind | str) -> str:
    """The token of a one-click link that stops one kind of e-mail to one person.

    It never expires: an old e-mail's link must still work, and all it can do is
    switch e-mail off.
    """
    return _serializer().dumps([user_id, Kind(kind).value])


def read_unsubscribe_token(token: str) -> tuple[int, Kind] | None:
    """(user id, kind) from a token, or None when it is forged, damaged or unknown."""
    try:
        user_id, kind = _serializer().loads(token)
        return int(user_id), Kind(kind)
    except (BadData, ValueError, TypeError):
        return None
