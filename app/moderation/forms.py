"""Moderation forms: each checks shape only; the services hold the rules."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..forum.forms import BODY_MAX
from .models import REASON_LABELS


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class FlagForm(FlaskForm):
    reason = RadioField(_l("What is wrong with it?"),
                        choices=[(k.value, v) for k, v in REASON_LABELS.items()],
                        validators=[InputRequired(message=_l("Choose a reason."))])
    note = TextAreaField(_l("Anything a moderator should know (optional)"), filters=[_strip],
                         validators=[Optional(), Length(max=500)])


class ReasonForm(FlaskForm):
    """The confirm step of a moderation action: the reason (required for hiding)."""

    reason = TextAreaField(_l("Reason"), filters=[_strip],
                           description=_l("The author sees this reason."),
                           validators=[Optional(), Length(max=500)])


class LiftForm(FlaskForm):
    reason = TextAreaField(_l("Note for the audit log (optional)"), filters=[_strip],
                           validators=[Optional(), Length(max=500)])


class MoveForm(ReasonForm):
    board_id = SelectField(_l("Move to board"), coerce=int, validate_choice=False)


class ModEditForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_strip],
                        validators=[Optional(), Length(min=4, max=120)])
    body = TextAreaField(_l("Message"), filters=[_strip],
                         validators=[DataRequired(), Length(min=2, max=BODY_MAX)])
    reason = TextAreaField(_l("Reason"), filters=[_strip],
                           description=_l("The author sees this reason."),
                           validators=[DataRequired(), Length(max=500)])


class SuspendForm(FlaskForm):
    kind = RadioField(_l("Action"), default="suspend", choices=[
        ("suspend", _l("Suspend for a number of days")), ("ban", _l("Ban until lifted"))],
        validators=[InputRequired()])
    days = IntegerField(_l("Days"), default=7,
                        validators=[Optional(), NumberRange(min=1, max=3650)])
    reason = TextAreaField(_l("Reason"), filters=[_strip],
                           description=_l("The member sees this on every page and when they "
                                          "try to post."),
                           validators=[DataRequired(), Length(max=500)])
