"""Owner verification forms: the member's request and staff's decision."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..core.ids import int_or_none as _int_or_none


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class VerificationRequestForm(FlaskForm):
    community_id = SelectField(_l("Community"), coerce=_int_or_none, validate_choice=False,
                               validators=[DataRequired(_l("Choose your community."))])
    building = StringField(_l("Building (栋)"), filters=[_strip],
                           description=_l("e.g. 3 or A2"),
                           validators=[DataRequired(_l("Give the building number.")),
                                       Length(max=10)])
    entrance = StringField(_l("Unit (单元)"), filters=[_strip], description=_l("e.g. 2"),
                           validators=[DataRequired(_l("Give the unit number.")),
                                       Length(max=10)])
    room = StringField(_l("Room (房号)"), filters=[_strip], description=_l("e.g. 1203"),
                       validators=[DataRequired(_l("Give the room number.")), Length(max=10)])
    contract_name = StringField(
        _l("Name on the contract"), filters=[_strip],
        description=_l("The buyer's name as on the purchase contract; staff compare it."),
        validators=[DataRequired(_l("Give the name on the contract.")), Length(max=40)])
    phone = TelField(_l("Phone"), filters=[_strip],
                     description=_l("The phone number on the contract, e.g. 13912345678."),
                     validators=[DataRequired(_l("Give the phone number.")), Length(max=20)])


class DecisionForm(FlaskForm):
    reason = TextAreaField(_l("Reason (the member reads it)"), filters=[_strip],
                           validators=[Optional(), Length(max=500)])


class QueueStatusForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(_l("Show"), default="pending", choices=[
        ("pending", _l("Waiting")), ("approved", _l("Approved")), ("rejected", _l("Rejected"))])
