"""One form per forum action; they check shape only."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

BODY_MAX = 20000


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class ThreadForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_strip],
                        validators=[DataRequired(), Length(min=4, max=120)])
    body = TextAreaField(_l("Message"), filters=[_strip],
                         description=_l("Markdown: **bold**, *italic*, > quote, - list, links."),
                         validators=[DataRequired(), Length(min=2, max=BODY_MAX)])


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Your reply"), filters=[_strip],
                         validators=[DataRequired(), Length(min=2, max=BODY_MAX)])


class PostEditForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_strip],
                        validators=[Optional(), Length(min=4, max=120)])
    body = TextAreaField(_l("Message"), filters=[_strip],
                         validators=[DataRequired(), Length(min=2, max=BODY_MAX)])


class ConfirmForm(FlaskForm):
    """A button-only POST: carries just the CSRF token."""


class WatchForm(FlaskForm):
    """Watch or stop watching a thread; carries the wanted state, so a double click is harmless."""

    on = HiddenField(validators=[AnyOf(["0", "1"])])
