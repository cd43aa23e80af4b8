"""Staff screens' forms: the queue filter (GET) and bulk assignment."""
from __future__ import annotations


from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from ..complaints.workflow import STATUS_LABELS
from ..core.ids import int_or_none as _int_or_none


class QueueFilterForm(FlaskForm):
    """Read from the query string; CSRF off, as for any GET search form."""

    class Meta:
        csrf = False

    view = SelectField(_l("View"), default="all", choices=[
        ("all", _l("All cases")), ("mine", _l("Mine")), ("department", _l("My department")),
        ("unassigned", _l("Unassigned")), ("overdue", _l("Overdue")),
        ("awaiting_owner", _l("Awaiting the owner"))])
    q = StringField(_l("Case number or title"), validators=[Optional(), Length(max=100)])
    status = SelectField(_l("Status"), default="", choices=[
        ("", _l("Any status")), ("open", _l("Open"))]
        + [(k.value, v) for k, v in STATUS_LABELS.items()])
    community_id = SelectField(_l("Community"), coerce=_int_or_none, validate_choice=False)
    department_id = SelectField(_l("Department"), coerce=_int_or_none, validate_choice=False)
    category_id = SelectField(_l("Category"), coerce=_int_or_none, validate_choice=False)
    handler_id = SelectField(_l("Handler"), coerce=_int_or_none, validate_choice=False)
    promise = SelectField(_l("Promises"), default="", choices=[
        ("", _l("Any")), ("overdue", _l("Broken (overdue)")),
        ("due_soon", _l("Due within 24 hours"))])
    group = BooleanField(_l("Group complaints only"))
    since = DateField(_l("Filed from"), validators=[Optional()])
    until = DateField(_l("Filed until"), validators=[Optional()])


class BulkAssignForm(FlaskForm):
    department_id = SelectField(_l("Department"), coerce=_int_or_none, validate_choice=False)
    handler_id = SelectField(_l("Handler (optional)"), coerce=_int_or_none,
                             validate_choice=False)


class AuditFilterForm(FlaskForm):
    """The audit log's filters (GET)."""

    class Meta:
        csrf = False

    action = StringField(_l("Action"), validators=[Optional(), Length(max=40)])
    target_type = SelectField(_l("Kind of record"), default="", choices=[
        ("", _l("Any")), ("post", _l("Post")), ("thread", _l("Thread")), ("user", _l("Account")),
        ("case", _l("Case")), ("board", _l("Board")), ("community", _l("Community")),
        ("category", _l("Category")), ("department", _l("Department")),
        ("verification", _l("Owner verification")), ("setting", _l("Setting"))])
    actor = StringField(_l("By (username)"), validators=[Optional(), Length(max=32)])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])


class DefectReportForm(FlaskForm):
    """The defect report's period and scope, read from the query string."""

    class Meta:
        csrf = False

    since = DateField(_l("Filed from"), validators=[Optional()])
    until = DateField(_l("Filed until"), validators=[Optional()])
    community_id = SelectField(_l("Community"), coerce=_int_or_none, validate_choice=False)
    department_id = SelectField(_l("Department"), coerce=_int_or_none, validate_choice=False)
