"""The search form: a GET form read from the query string (no CSRF, nothing changes)."""
from __future__ import annotations


from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from ..complaints.workflow import STATUS_LABELS
from ..core.ids import int_or_none as _int_or_none


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    community_id = SelectField(_l("Community"), coerce=_int_or_none, validate_choice=False)
    kind = SelectField(_l("Kind"), default="", choices=[
        ("", _l("Discussions and complaints")), ("discussion", _l("Discussions")),
        ("complaint", _l("Complaints"))])
    status = SelectField(_l("Complaint status"), default="", choices=[
        ("", _l("Any status"))] + [(k.value, v) for k, v in STATUS_LABELS.items()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])
    sort = SelectField(_l("Order"), default="relevance", choices=[
        ("relevance", _l("Best match")), ("newest", _l("Newest first"))])
