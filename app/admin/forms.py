"""Administration forms; they check shape, the services check the rules."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, DecimalField, IntegerField, SelectField,
                     StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..auth.roles import Role
from ..communities.models import BoardKind
from ..core.ids import int_or_none as _int_or_none

ROLE_LABELS = {
    Role.MEMBER: _l("Member"), Role.OWNER: _l("Verified owner"), Role.HANDLER: _l("Handler"),
    Role.STAFF: _l("Staff"), Role.MODERATOR: _l("Moderator"), Role.ADMIN: _l("Administrator"),
}
BOARD_KIND_LABELS = {
    BoardKind.DISCUSSION: _l("Discussion"), BoardKind.COMPLAINTS: _l("Complaints"),
    BoardKind.ANNOUNCEMENTS: _l("Announcements"), BoardKind.CLUB: _l("Club activities"),
}


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _slug_field() -> StringField:
    return StringField(_l("Address (slug)"), filters=[_strip],
                       description=_l("Lower-case letters, digits and -; it appears in links "
                                      "and cannot be changed later."),
                       validators=[DataRequired(), Length(max=40)])


def _position_field() -> IntegerField:
    return IntegerField(_l("Position"), default=0, description=_l("Lower numbers come first."),
                        validators=[Optional(), NumberRange(min=0, max=9999)])


def _reason_field() -> StringField:
    return StringField(_l("Reason (for the audit log)"), filters=[_strip],
                       validators=[Optional(), Length(max=500)])


class CommunityForm(FlaskForm):
    slug = _slug_field()
    name = StringField(_l("Name"), filters=[_strip], validators=[DataRequired(), Length(max=80)])
    city = StringField(_l("City"), filters=[_strip], validators=[Optional(), Length(max=40)])
    description = TextAreaField(_l("Description"), filters=[_strip],
                                validators=[Optional(), Length(max=2000)])
    position = _position_field()
    reason = _reason_field()


class BoardForm(FlaskForm):
    slug = _slug_field()
    name = StringField(_l("Name"), filters=[_strip], validators=[DataRequired(), Length(max=80)])
    description = TextAreaField(_l("Description"), filters=[_strip],
                                validators=[Optional(), Length(max=2000)])
    kind = SelectField(_l("Kind"), choices=[(k.value, v) for k, v in BOARD_KIND_LABELS.items()])
    position = _position_field()
    reason = _reason_field()


class ArchiveForm(FlaskForm):
    archived = BooleanField(_l("Archived"))
    reason = _reason_field()


def _hours(label: Any) -> DecimalField:
    return DecimalField(label, places=1, validators=[Optional(), NumberRange(min=0.5, max=8760)])


class CategoryForm(FlaskForm):
    slug = _slug_field()
    name = StringField(_l("Name"), filters=[_strip], validators=[DataRequired(), Length(max=80)])
    parent_id = SelectField(_l("Profession"), coerce=_int_or_none, validate_choice=False)
    position = _position_field()
    department_id = SelectField(_l("Routed to department"), coerce=_int_or_none,
                                validate_choice=False)
    standard = TextAreaField(_l("Handling standard"), filters=[_strip],
                             description=_l("Markdown: what owners can expect; shown on the "
                                            "complaint form."),
                             validators=[Optional(), Length(max=5000)])
    first_response_hours = _hours(_l("First response within (hours)"))
    plan_hours = _hours(_l("Plan within (hours)"))
    resolve_hours = _hours(_l("Resolution within (hours)"))
    working_hours = SelectField(_l("The limits count"), default="", choices=[
        ("", _l("As the profession")), ("1", _l("Working hours")),
        ("0", _l("Calendar hours"))])
    reason = _reason_field()


class CalendarDayForm(FlaskForm):
    day = DateField(_l("Date"), validators=[DataRequired(_l("Give a date."))])
    kind = SelectField(_l("Kind"), choices=[("holiday", _l("Holiday (day off)")),
                                            ("workday", _l("Make-up working day (调休上班)"))])
    note = StringField(_l("Note"), filters=[_strip], validators=[Optional(), Length(max=100)])


class DepartmentForm(FlaskForm):
    slug = _slug_field()
    name = StringField(_l("Name"), filters=[_strip], validators=[DataRequired(), Length(max=80)])
    position = _position_field()


class DepartmentMemberForm(FlaskForm):
    username = StringField(_l("Username"), filters=[_strip],
                           validators=[DataRequired(), Length(max=32)])
    supervisor = BooleanField(_l("Supervisor: receives escalations"))


class MembershipForm(FlaskForm):
    department_id = SelectField(_l("Department"), coerce=_int_or_none, validate_choice=False)
    supervisor = BooleanField(_l("Supervisor: receives escalations"))
    reason = _reason_field()


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Username, name or e-mail"), filters=[_strip],
                    validators=[Optional(), Length(max=100)])
    role = SelectField(_l("Role"), default="", choices=[("", _l("Any role"))]
                       + [(k.value, v) for k, v in ROLE_LABELS.items()])


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[(k.value, v) for k, v in ROLE_LABELS.items()])
    reason = _reason_field()


class SettingsForm(FlaskForm):
    auto_close_days = IntegerField(_l("Auto-close after (days)"),
                                   validators=[InputRequired(_l("Give a number."))])
    reopen_window_days = IntegerField(_l("Reopen window (days)"),
                                      validators=[InputRequired(_l("Give a number."))])
    group_min_joins = IntegerField(_l("Group complaint: owners joining"),
                                   validators=[InputRequired(_l("Give a number."))])
    group_window_days = IntegerField(_l("Group complaint: window (days)"),
                                     validators=[InputRequired(_l("Give a number."))])
    public_handler_names = BooleanField(_l("Show handlers' names publicly"))
    reason = _reason_field()
