"""Account screens: register, log in and out, profile, settings, language."""
from __future__ import annotations

from flask import (Blueprint, abort, current_app, flash, make_response, redirect,
                   render_template, request, session, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..core.errors import Invalid
from ..core.formerrors import show_error as _field_error
from ..core.urls import safe_next
from ..extensions import limiter
from ..forum import queries as forum_queries
from ..security.policy import can
from . import services
from .forms import (LanguageForm, LoginForm, PasswordChangeForm, ProfileForm, RegisterForm,
                    ResetPasswordForm)

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_name() -> str:
    return "login:" + (request.form.get("login") or "").strip().lower()


def _log_in(user, remember: bool) -> None:  # noqa: ANN001
    session.clear()  # a fresh session on login: no fixation
    services.start_session(user, remember=remember,
                           user_agent=request.headers.get("User-Agent", ""))
    login_user(user, remember=remember)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_login_name)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("forum.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.login.data, form.password.data)
        if user is not None:
            target = safe_next(request.args.get("next"), url_for("forum.home"))
            _log_in(user, form.remember.data)
            flash(_("Welcome back, %(name)s.", name=user.display_name), "success")
            return redirect(target)
        form.password.errors = [_("Wrong username, email or password.")]
    status = 400 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        services.end_session(current_user.session_token)
    logout_user()
    session.clear()
    flash(_("You are logged out."), "success")
    return redirect(url_for("forum.home"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"], methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("forum.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.create_account(form.username.data, form.email.data,
                                           form.password.data,
                                           display_name=form.display_name.data)
        except Invalid as err:
            _field_error(form, err)
        else:
            _log_in(user, remember=False)
            flash(_("Welcome to OwnerVoice, %(name)s.", name=user.display_name), "success")
            return redirect(url_for("forum.home"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/register.html", form=form), status


@bp.get("/u/<username>")
def profile(username: str):
    user = services.find_user(username)
    if user is None:
        abort(404)
    threads = forum_queries.recent_threads_by(
        user, include_anonymous=can(current_user, "user.view_private", user))
    return render_template("auth/profile.html", user=user, threads=threads)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(current_user, display_name=form.display_name.data)
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("auth.settings"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/settings.html", form=form), status


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm(username=current_user.username, email=current_user.email)
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data,
                                     form.new_password.data,
                                     user_agent=request.headers.get("User-Agent", ""))
        except Invalid as err:
            _field_error(form, err)
        else:
            session.clear()
            login_user(current_user._get_current_object())
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("auth.settings"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/password.html", form=form), status


@bp.get("/lang")
def choose_language():
    """A visitor's language switch: only the `lang` cookie changes, so no CSRF token is
    needed and the pages they read carry none (they can be cached whole; issue 7)."""
    lang = request.args.get("lang")
    target = safe_next(request.args.get("next"), url_for("forum.home"))
    response = make_response(redirect(target))
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.post("/lang")
def set_language():
    form = LanguageForm()
    target = safe_next(form.next.data, url_for("forum.home"))
    response = make_response(redirect(target))
    if form.validate_on_submit() and form.lang.data in current_app.config["LANGUAGES"]:
        if current_user.is_authenticated:
            services.set_language(current_user, form.lang.data)
        response.set_cookie("lang", form.lang.data, max_age=365 * 24 * 3600,
                            samesite="Lax", httponly=True,
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def reset_password(token: str):
    """Set a new password with a one-time link an administrator made (no login)."""
    reset = services.reset_for_token(token)
    if reset is None:
        response = make_response(render_template("auth/reset.html", form=None), 404)
    else:
        form = ResetPasswordForm(username=reset.user.username, email=reset.user.email)
        if form.validate_on_submit():
            try:
                services.reset_password(token, form.new_password.data)
            except Invalid as err:
                _field_error(form, err)
            else:
                if current_user.is_authenticated:
                    logout_user()
                session.clear()
                flash(_("Your password is set. Log in with it; every other device was "
                        "logged out."), "success")
                return redirect(url_for("auth.login"))
        status = 400 if form.is_submitted() else 200
        response = make_response(render_template("auth/reset.html", form=form,
                                                 user=reset.user), status)
    # The token is in the address: keep it out of caches and of other sites' referrers.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
