"""Moderation screens: reporting a post (members), the flags queue and the moderators' tools.

Every tool is a plain form behind a confirm page with a reason field, so it works
without JavaScript; the menus on thread, post and profile pages link to them.
"""
from __future__ import annotations

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..core.errors import Conflict, Invalid
from ..core.urls import safe_next
from ..extensions import db, limiter
from ..forum.models import Post, Thread
from ..forum.views import post_url
from ..security.guards import require_staff
from ..security.policy import require
from . import queries, services
from .forms import FlagForm, LiftForm, ModEditForm, MoveForm, ReasonForm, SuspendForm
from .models import REASON_LABELS, Reason

# Members report posts; the rest is for moderators under /mod.
flags_bp = Blueprint("flags", __name__)
bp = Blueprint("moderation", __name__, url_prefix="/mod")
require_staff(bp)

PER_PAGE = 30


def _flag_limit() -> str:
    return current_app.config.get("FLAG_RATE_LIMIT", "10 per hour;30 per day")


def _per_member() -> str:
    return f"user:{current_user.id}" if current_user.is_authenticated else \
        (request.remote_addr or "")


@flags_bp.route("/p/<int:post_id>/flag", methods=["GET", "POST"])
@login_required
@limiter.limit(_flag_limit, methods=["POST"], key_func=_per_member)
def flag(post_id: int):
    post = db.get_or_404(Post, post_id)
    require(current_user, "post.flag", post)
    form = FlagForm()
    already = services.has_open_flag(post, current_user)
    if form.validate_on_submit() and not already:
        try:
            services.flag_post(post, current_user, reason=form.reason.data, note=form.note.data)
        except Conflict as err:
            db.session.rollback()
            flash(str(err.message), "info")
        else:
            flash(_("Thank you. A moderator will look at it; you will be told what they did."),
                  "success")
        return redirect(post_url(post))
    status = 400 if form.is_submitted() and not already else 200
    return render_template("moderation/flag.html", post=post, thread=post.thread, form=form,
                           already=already), status


# --- /mod: moderators ------------------------------------------------------------

def _back(default: str) -> str:
    return safe_next(request.values.get("next"), default)


@bp.get("/flags")
def flags():
    require(current_user, "mod.flags")
    reason = request.args.get("reason", "")
    if reason not in {r.value for r in Reason}:
        reason = ""
    page = max(1, request.args.get("page", 1, type=int) or 1)
    total, posts, by_reason = queries.open_counts()
    groups, more = queries.open_groups(reason=reason, page=page, per_page=PER_PAGE)
    return render_template("moderation/flags.html", groups=groups, more=more, page=page,
                           reason=reason, total=total, posts=posts, by_reason=by_reason,
                           reasons=REASON_LABELS, handled=queries.recently_handled(8),
                           form=ReasonForm(formdata=None))


@bp.get("/hidden")
def hidden():
    require(current_user, "mod.flags")
    threads, posts = queries.hidden_recently()
    return render_template("moderation/hidden.html", threads=threads, posts=posts)


@bp.post("/flags/<int:post_id>/dismiss")
def dismiss(post_id: int):
    post = db.get_or_404(Post, post_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        n = services.dismiss_flags(post, current_user, reason=form.reason.data or "")
    except Invalid as err:
        flash(str(err.message), "warning")
    else:
        flash(_("%(n)s reports dismissed; the reporters are told.", n=n), "success")
    return redirect(_back(url_for("moderation.flags")))


def _confirm_page(*, title: str, target_post: Post | None, thread: Thread, form: ReasonForm,
                  submit: str, danger: bool = False, reason_required: bool = False,
                  status: int = 200):  # noqa: ANN202
    form.reason.flags.required = reason_required
    return render_template("moderation/confirm.html", title=title, post=target_post,
                           thread=thread, form=form, submit=submit, danger=danger,
                           reason_required=reason_required,
                           next=request.values.get("next", "")), status


def _run(action, form: ReasonForm, done: str, back: str, page):  # noqa: ANN001, ANN202
    """Validate the confirm form, run the service, flash and go back; else the form again."""
    if form.validate_on_submit():
        try:
            action()
        except Invalid as err:
            db.session.rollback()
            if err.field and hasattr(form, err.field):
                getattr(form, err.field).errors = [str(err.message)]
            else:
                flash(str(err.message), "warning")
                return redirect(back)
        else:
            flash(done, "success")
            return redirect(back)
    return page(400 if form.is_submitted() else 200)


@bp.route("/posts/<int:post_id>/hide", methods=["GET", "POST"])
def hide_post(post_id: int):
    post = db.get_or_404(Post, post_id)
    require(current_user, "post.hide", post)
    form = ReasonForm()
    whole = post.is_opening
    return _run(lambda: services.hide_post(post, current_user, reason=form.reason.data or ""),
                form, _("The thread is hidden.") if whole else _("The post is hidden."),
                _back(post_url(post)),
                lambda status: _confirm_page(
                    title=_("Hide this thread") if whole else _("Hide this post"),
                    target_post=post, thread=post.thread, form=form, submit=_("Hide"),
                    danger=True, reason_required=True, status=status))


@bp.route("/posts/<int:post_id>/restore", methods=["GET", "POST"])
def restore_post(post_id: int):
    post = db.get_or_404(Post, post_id)
    require(current_user, "post.hide", post)
    form = ReasonForm()
    return _run(lambda: services.restore_post(post, current_user, reason=form.reason.data or ""),
                form, _("It is visible again."), _back(post_url(post)),
                lambda status: _confirm_page(title=_("Show this post again"), target_post=post,
                                             thread=post.thread, form=form,
                                             submit=_("Restore"), status=status))


def _edit(post_id: int, *, redact: bool):  # noqa: ANN202
    post = db.get_or_404(Post, post_id)
    require(current_user, "post.mod_edit", post)
    form = ModEditForm()
    if not form.is_submitted():
        form.body.data = post.body_source
        form.title.data = post.thread.title if post.is_opening else None
    elif form.validate_on_submit():
        try:
            services.moderate_text(post, current_user, body=form.body.data,
                                   title=form.title.data if post.is_opening else None,
                                   reason=form.reason.data, redact=redact)
        except (Invalid, Conflict) as err:
            db.session.rollback()
            form.body.errors = [str(err.message)]
        else:
            flash(_("Personal data removed; the original is kept for staff.") if redact
                  else _("The post is changed; the original is kept."), "success")
            return redirect(_back(post_url(post)))
    status = 400 if form.is_submitted() else 200
    return render_template("moderation/edit.html", post=post, thread=post.thread, form=form,
                           redact=redact, next=request.values.get("next", "")), status


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
def edit_post(post_id: int):
    return _edit(post_id, redact=False)


@bp.route("/posts/<int:post_id>/redact", methods=["GET", "POST"])
def redact_post(post_id: int):
    return _edit(post_id, redact=True)


_THREAD_ACTIONS = {
    # name: (service call, title, submit, done, reason required, danger)
    "hide": (lambda t, u, r: services.hide_thread(t, u, reason=r), _l("Hide this thread"),
             _l("Hide"), _l("The thread is hidden."), True, True),
    "restore": (lambda t, u, r: services.restore_thread(t, u, reason=r),
                _l("Show this thread again"), _l("Restore"), _l("It is visible again."), False,
                False),
    "lock": (lambda t, u, r: services.set_locked(t, u, on=True, reason=r),
             _l("Lock this thread"), _l("Lock"), _l("The thread is locked."), False, False),
    "unlock": (lambda t, u, r: services.set_locked(t, u, on=False, reason=r),
               _l("Unlock this thread"), _l("Unlock"),
               _l("The thread is open for replies again."), False, False),
    "pin": (lambda t, u, r: services.set_pinned(t, u, on=True, reason=r), _l("Pin this thread"),
            _l("Pin"), _l("The thread is pinned."), False, False),
    "unpin": (lambda t, u, r: services.set_pinned(t, u, on=False, reason=r),
              _l("Unpin this thread"), _l("Unpin"), _l("The thread is no longer pinned."), False,
              False),
}


def _thread_action(name: str):  # noqa: ANN202
    call, title, submit, done, required, danger = _THREAD_ACTIONS[name]

    def view(thread_id: int):  # noqa: ANN202
        thread = db.get_or_404(Thread, thread_id)
        require(current_user, "thread.moderate", thread)
        form = ReasonForm()
        back = _back(url_for("forum.thread", thread_id=thread.id))
        return _run(lambda: call(thread, current_user, form.reason.data or ""), form,
                    str(done), back,
                    lambda status: _confirm_page(title=str(title), target_post=None,
                                                 thread=thread, form=form,
                                                 submit=str(submit), danger=danger,
                                                 reason_required=required, status=status))

    view.__name__ = f"thread_{name}"
    return view


for _name in _THREAD_ACTIONS:
    bp.add_url_rule(f"/threads/<int:thread_id>/{_name}", endpoint=f"thread_{_name}",
                    view_func=_thread_action(_name), methods=["GET", "POST"])


@bp.route("/threads/<int:thread_id>/move", methods=["GET", "POST"])
def thread_move(thread_id: int):
    thread = db.get_or_404(Thread, thread_id)
    require(current_user, "thread.moderate", thread)
    form = MoveForm()
    boards = queries.move_targets()
    form.board_id.choices = [
        (b.id, f"{b.community.name} · {b.name}" if b.community else b.name) for b in boards
        if b.id != thread.board_id]
    by_id = {b.id: b for b in boards}

    def move() -> None:
        board = by_id.get(form.board_id.data)
        if board is None:
            raise Invalid(_("Choose a board."), field="board_id")
        services.move_thread(thread, current_user, board, reason=form.reason.data or "")

    return _run(move, form, _("The thread is moved."),
                url_for("forum.thread", thread_id=thread.id),
                lambda status: (render_template("moderation/move.html", thread=thread,
                                                form=form), status))


# --- Members: suspend, ban, lift -------------------------------------------------

def _member_or_404(username: str):  # noqa: ANN202
    user = queries.user_by_username(username)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<username>/suspend", methods=["GET", "POST"])
def suspend(username: str):
    user = _member_or_404(username)
    require(current_user, "user.suspend", user)
    form = SuspendForm()
    profile = url_for("auth.profile", username=user.username)
    if form.validate_on_submit():
        banning = form.kind.data == "ban"
        if not banning and not form.days.data:
            form.days.errors = [_("Give the number of days.")]
        else:
            try:
                services.suspend(user, current_user, days=None if banning else form.days.data,
                                 reason=form.reason.data)
            except Invalid as err:
                db.session.rollback()
                form.days.errors = [str(err.message)]
            else:
                flash(_("%(name)s is banned.", name=user.display_name) if banning else
                      _("%(name)s is suspended for %(n)s days.", name=user.display_name,
                        n=form.days.data), "success")
                return redirect(_back(profile))
    status = 400 if form.is_submitted() else 200
    return render_template("moderation/suspend.html", user=user, form=form,
                           lift_form=LiftForm(formdata=None),
                           standing=services.standing(user),
                           next=request.values.get("next", "")), status


@bp.post("/users/<username>/unsuspend")
def unsuspend(username: str):
    user = _member_or_404(username)
    require(current_user, "user.suspend", user)
    form = LiftForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.unsuspend(user, current_user, reason=form.reason.data or "")
    except Invalid as err:
        flash(str(err.message), "warning")
    else:
        flash(_("%(name)s may post again.", name=user.display_name), "success")
    return redirect(_back(url_for("auth.profile", username=user.username)))



@bp.app_template_global("mod_standing")
def _mod_standing(user):  # noqa: ANN001, ANN202
    """A member's suspension or ban for banners and refusals (None when in good standing)."""
    return services.standing(user)
