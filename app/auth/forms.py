"""One form per account action; they check shape only."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp, ValidationError

from ..core.validators import MaxLength
from .passwords import MAX_LENGTH, password_problem

USERNAME_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_-]*$"


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    login = StringField(_l("Username or email"), filters=[_strip],
                        validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField(_l("Remember me"))


class _NewPasswordMixin:
    def _check_password(self, field: Any, username: str = "", email: str = "") -> None:
        problem = password_problem(field.data or "", username=username, email=email)
        if problem:
            raise ValidationError(problem)


class RegisterForm(FlaskForm, _NewPasswordMixin):
    username = StringField(
        _l("Username"), filters=[_strip],
        description=_l("3–20 letters, digits, _ or -; used in your profile address."),
        validators=[DataRequired(), Length(min=3, max=20),
                    Regexp(USERNAME_PATTERN, message=_l(
                        "Use letters, digits, _ and - only, starting with a letter or digit."))])
    display_name = StringField(_l("Display name"), filters=[_strip],
                               description=_l("What others see, e.g. 3栋王先生."),
                               validators=[DataRequired(), Length(min=2, max=40)])
    email = EmailField(_l("Email"), filters=[_strip],
                       description=_l("Never shown to other members."),
                       validators=[DataRequired(), MaxLength(254),
                                   Email(check_deliverability=False)])
    password = PasswordField(_l("Password"),
                             description=_l("At least 8 characters; avoid common passwords."),
                             validators=[DataRequired()])
    confirm = PasswordField(_l("Repeat password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])

    def validate_password(self, field: Any) -> None:
        self._check_password(field, self.username.data or "", self.email.data or "")


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Display name"), filters=[_strip],
                               validators=[DataRequired(), Length(min=2, max=40)])


class PasswordChangeForm(FlaskForm, _NewPasswordMixin):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired()])
    confirm = PasswordField(_l("Repeat new password"), validators=[
        DataRequired(), EqualTo("new_password", message=_l("The passwords do not match."))])

    def __init__(self, *args: Any, username: str = "", email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._username, self._email = username, email

    def validate_new_password(self, field: Any) -> None:
        self._check_password(field, self._username, self._email)


class LanguageForm(FlaskForm):
    """The footer's language switch (a POST, so it carries a CSRF token)."""

    lang = StringField(validators=[DataRequired(), Length(max=8)])
    next = StringField(validators=[Length(max=500)])


class ResetPasswordForm(FlaskForm, _NewPasswordMixin):
    """Set a new password with a one-time link an administrator gave."""

    new_password = PasswordField(_l("New password"),
                                 description=_l("At least 8 characters; avoid common passwords."),
                                 validators=[DataRequired()])
    confirm = PasswordField(_l("Repeat new password"), validators=[
        DataRequired(), EqualTo("new_password", message=_l("The passwords do not match."))])

    def __init__(self, *args: Any, username: str = "", email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._username, self._email = username, email

    def validate_new_password(self, field: Any) -> None:
        self._check_password(field, self._username, self._email)
