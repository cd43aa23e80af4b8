"""Domain exceptions: each carries a translated message a view can flash or show."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    default_message = _l("The request could not be completed.")

    def __init__(self, message: Any = None) -> None:
        # May be a lazy string: translated when shown, in the reader's language.
        self.message = message or self.default_message
        super().__init__(self.message)


class NotAllowed(DomainError):
    """The actor may not do this; views turn it into 403."""

    default_message = _l("You are not allowed to do that.")

    def __init__(self, action: str = "", message: Any = None) -> None:
        self.action = action
        super().__init__(message)


class Invalid(DomainError):
    """Input that passed the form but breaks a rule; `field` names the form field."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


class Conflict(DomainError):
    """Someone else changed the row first; nothing was written."""

    default_message = _l("Someone else changed this at the same time. Please look again.")
