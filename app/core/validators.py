"""Form validators shared by every domain."""
from __future__ import annotations

from typing import Any

from wtforms.validators import Length, StopValidation, ValidationError


class MaxLength:
    """`Length(max=…)` that ends the field's validation when it fails.

    WTForms runs every validator of a field even after one fails, and the e-mail
    validator's parsing grows faster than linearly with its input (a 400,000-character
    "address" costs seconds of CPU): put this first, and a huge value is refused at once.
    """

    def __init__(self, max: int) -> None:  # noqa: A002  (WTForms' own name)
        self.length = Length(max=max)

    def __call__(self, form: Any, field: Any) -> None:
        try:
            self.length(form, field)
        except ValidationError as err:
            raise StopValidation(str(err)) from err
