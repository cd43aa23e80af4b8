"""One form per complaint action; they check shape only (the lifecycle rules are services')."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, HiddenField, IntegerField, RadioField, SelectField,
                     StringField, TextAreaField)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from ..core.ids import MAX_ID
from ..core.ids import int_or_none as _int_or_none
from ..core.validators import MaxLength
from ..forum.forms import BODY_MAX
from .models import Location, Stage

STAGE_LABELS = {
    Stage.PRE_SALE: _l("Before buying (温馨牵手)"),
    Stage.SIGNING: _l("Signing the contract (喜结连理)"),
    Stage.CONSTRUCTION: _l("Construction open days (亲密接触)"),
    Stage.HANDOVER: _l("Handover and moving in (恭迎乔迁)"),
    Stage.AFTER_MOVE_IN: _l("Care after moving in (嘘寒问暖)"),
    Stage.WARRANTY: _l("Living and warranty (承担责任)"),
    Stage.COMMUNITY: _l("Long-term community life (一路同行)"),
    Stage.RENEWAL: _l("The four-year renewal (四年之约)"),
}
LOCATION_LABELS = {Location.UNIT: _l("In my home"), Location.PUBLIC: _l("In a shared area")}
STARS = [(n, str(n)) for n in range(5, 0, -1)]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class CaseFileForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_strip],
                        description=_l("One line, e.g. 3栋1单元电梯经常停运."),
                        validators=[DataRequired(), Length(min=4, max=120)])
    category_id = SelectField(_l("Category"), coerce=_int_or_none,
                              validators=[InputRequired()], validate_choice=False)
    body = TextAreaField(_l("What happened"), filters=[_strip],
                         description=_l("When it started, what you see, what you already "
                                        "tried. Markdown works."),
                         validators=[DataRequired(), Length(min=10, max=BODY_MAX)])
    location = RadioField(_l("Where"), default=Location.PUBLIC.value,
                          choices=[(k.value, v) for k, v in LOCATION_LABELS.items()],
                          validators=[DataRequired()])
    location_text = StringField(_l("Which place"), filters=[_strip],
                                description=_l("For a shared area, shown publicly: e.g. "
                                               "地下车库B2层电梯厅."),
                                validators=[Length(max=200)])
    unit_text = StringField(_l("Your unit (building, unit, room)"), filters=[_strip],
                            description=_l("Only you and staff see this."),
                            validators=[Length(max=100)])
    wanted_outcome = TextAreaField(_l("What outcome do you want?"), filters=[_strip],
                                   validators=[DataRequired(), Length(min=2, max=2000)])
    stage = SelectField(_l("When did it arise? (optional)"), validators=[Optional()],
                        choices=[("", _l("Not sure"))]
                        + [(k.value, v) for k, v in STAGE_LABELS.items()])
    anonymous = BooleanField(_l("Show me publicly only as an owner of this community"),
                             description=_l("Staff still see who you are."))
    # Offered when a verified owner has several verified units in the community (issue 4).
    verified_unit_id = SelectField(_l("Which of your verified homes?"), coerce=_int_or_none,
                                   validate_choice=False, validators=[Optional()],
                                   description=_l("Only you and staff see this."))


class StaffFileForm(CaseFileForm):
    """Filing for an owner who phoned or walked in."""

    owner_username = StringField(_l("Owner's username (if they have an account)"),
                                 filters=[_strip], validators=[Length(max=32)])
    contact_name = StringField(_l("Owner's name"), filters=[_strip],
                               validators=[Length(max=40)])
    contact_phone = StringField(_l("Owner's phone"), filters=[_strip],
                                validators=[Length(max=30)])
    contact_email = StringField(_l("Owner's email"), filters=[_strip],
                                validators=[Optional(), MaxLength(254),
                                            Email(check_deliverability=False)])


class ConvertForm(FlaskForm):
    category_id = SelectField(_l("Category"), coerce=_int_or_none,
                              validators=[InputRequired()], validate_choice=False)
    location = RadioField(_l("Where"), default=Location.PUBLIC.value,
                          choices=[(k.value, v) for k, v in LOCATION_LABELS.items()])
    location_text = StringField(_l("Which place"), filters=[_strip],
                                validators=[Length(max=200)])
    wanted_outcome = TextAreaField(_l("What outcome does the owner want?"), filters=[_strip],
                                   validators=[Length(max=2000)])


class StepForm(FlaskForm):
    """A staff step; which fields matter depends on the action (checked by the service).

    Built with the action as its prefix, so the forms of several steps on one page
    have distinct field names and ids.
    """

    version = IntegerField(widget=HiddenField.widget,
                           validators=[InputRequired(), NumberRange(min=0, max=MAX_ID)])
    note = TextAreaField(_l("Public note"), filters=[_strip],
                         validators=[Length(max=BODY_MAX)])
    department_id = SelectField(_l("Department"), coerce=_int_or_none, validate_choice=False)
    handler_id = SelectField(_l("Handler (optional)"), coerce=_int_or_none,
                             validate_choice=False)
    committed_date = DateField(_l("Committed completion date"), validators=[Optional()])
    work_order_number = StringField(_l("Work order number"), filters=[_strip],
                                    validators=[Length(max=40)])
    work_order_details = TextAreaField(_l("Work order details (internal)"), filters=[_strip],
                                       validators=[Length(max=4000)])
    resolution_summary = TextAreaField(_l("What was done (public)"), filters=[_strip],
                                       validators=[Length(max=4000)])
    decline_reason = TextAreaField(_l("Reason (public)"), filters=[_strip],
                                   validators=[Length(max=4000)])


class AnswerForm(FlaskForm):
    body = TextAreaField(_l("Official reply"), filters=[_strip],
                         validators=[DataRequired(), Length(min=2, max=BODY_MAX)])


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Internal note (staff only)"), filters=[_strip],
                         validators=[DataRequired(), Length(min=2, max=BODY_MAX)])


class ConfirmCaseForm(FlaskForm):
    overall = RadioField(_l("Overall, how satisfied are you?"), coerce=int, choices=STARS,
                         validators=[InputRequired()])
    buy_again = RadioField(_l("Would you buy from us again?"), coerce=int, choices=STARS,
                           validators=[InputRequired()])
    recommend = RadioField(_l("Would you recommend us to friends?"), coerce=int,
                           choices=STARS, validators=[InputRequired()])
    comment = TextAreaField(_l("Comment (optional)"), filters=[_strip],
                            validators=[Length(max=2000)])
    comment_public = BooleanField(_l("Show my comment publicly"), default=True)


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("What is still wrong?"), filters=[_strip],
                           validators=[DataRequired(), Length(min=2, max=4000)])


class MergeForm(FlaskForm):
    into = IntegerField(_l("Merge into case number"), validators=[InputRequired(),
                                                                  NumberRange(min=1, max=MAX_ID)])
    version = IntegerField(widget=HiddenField.widget,
                           validators=[InputRequired(), NumberRange(min=0, max=MAX_ID)])
    note = TextAreaField(_l("Public note"), filters=[_strip], validators=[Length(max=2000)])


class DefectForm(FlaskForm):
    """Staff mark a case as a product defect (缺陷反馈); staff only, never public."""

    category_id = SelectField(_l("Item"), coerce=_int_or_none, validators=[InputRequired()],
                              validate_choice=False)
    department_id = SelectField(_l("Responsible department"), coerce=_int_or_none,
                                validators=[InputRequired()], validate_choice=False)
    cause = TextAreaField(_l("Root cause (internal)"), filters=[_strip],
                          description=_l("What in the product caused it, for the design and "
                                         "engineering teams."),
                          validators=[DataRequired(), Length(min=2, max=4000)])


class ArchiveFilterForm(FlaskForm):
    """The resolved-case archive's filters, read from the query string (no CSRF: a GET)."""

    class Meta:
        csrf = False

    community = SelectField(_l("Community"), default="", validate_choice=False)
    category = SelectField(_l("Category"), coerce=_int_or_none, validate_choice=False)
    year = SelectField(_l("Year closed"), coerce=_int_or_none, validate_choice=False)
    rating = SelectField(_l("Owner's rating"), default="", choices=[
        ("", _l("Any rating")), ("5", _l("5 stars")), ("4+", _l("4 stars or more")),
        ("1-3", _l("3 stars or fewer")), ("loyal", _l("Loyal (all answers 4 or 5)")),
        ("none", _l("Not rated"))])
    outcome = SelectField(_l("Outcome"), default="", choices=[
        ("", _l("Confirmed and unconfirmed")), ("confirmed", _l("Confirmed by the owner")),
        ("unconfirmed", _l("Not confirmed"))])
