"""Photo forms: the photos a post form carries; hiding (with a reason) and showing again."""
from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .services import Attachments, collect


class HidePhotoForm(FlaskForm):
    reason = TextAreaField(_l("Reason (kept in the audit log)"),
                           validators=[DataRequired(), Length(max=500)])


class UnhidePhotoForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=500)])


def from_request(user: Any) -> Attachments:
    """The photos a submitted post form carries: the pending ones it kept (`photo_id`
    checkboxes) and the files it sent (`photos`), each checked and kept as pending."""
    return collect(user, request.form.getlist("photo_id"), request.files.getlist("photos"))
