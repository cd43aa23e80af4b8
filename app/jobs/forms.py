"""The admin jobs page's buttons (CSRF-protected POST forms)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf, DataRequired, Length


class RequeueForm(FlaskForm):
    """Send one failed job again: `source` db (inline failure) or rq (worker failure)."""

    source = HiddenField(validators=[DataRequired(), AnyOf(["db", "rq"])])
    job_id = HiddenField(validators=[DataRequired(), Length(max=100)])


class OutboxRequeueForm(FlaskForm):
    """Make the e-mails that used up their tries due again."""
