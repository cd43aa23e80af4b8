"""Notice screens: the list under the bell, e-mail settings, one-click unsubscribe."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.errors import Invalid
from ..core.ids import db_int
from ..extensions import csrf
from ..forum.forms import ConfirmForm
from . import queries, services
from .forms import EmailChoicesForm
from .models import KIND_LABELS
from .tokens import read_unsubscribe_token

bp = Blueprint("notifications", __name__)

PER_PAGE = 30


@bp.get("/notifications")
@login_required
def index():
    before = db_int(request.args.get("before", type=int))
    rows = queries.notices_for(current_user.id, before=before, limit=PER_PAGE)
    notices = rows[:PER_PAGE]
    older = notices[-1].id if len(rows) > PER_PAGE else None
    return render_template("notifications/index.html", notices=notices, older=older,
                           first_page=before is None, confirm_form=ConfirmForm())


@bp.post("/notifications/read-all")
@login_required
def read_all():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.mark_all_read(current_user)
    flash(_("All notices are marked read."), "success")
    return redirect(url_for("notifications.index"))


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def read(notification_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.mark_read(current_user, notification_id)
    return redirect(url_for("notifications.index", before=request.args.get("before", type=int)))


@bp.route("/settings/notifications", methods=["GET", "POST"])
@login_required
def settings():
    kinds = services.kinds_for(current_user)
    form = EmailChoicesForm()
    if form.validate_on_submit():
        services.set_email_choices(current_user, {k: bool(form[k.value].data) for k in kinds})
        flash(_("Your e-mail choices are saved."), "success")
        return redirect(url_for("notifications.settings"))
    refused = queries.opted_out_kinds(current_user.id)
    if not form.is_submitted():
        for kind in kinds:
            form[kind.value].data = kind.value not in refused
    status = 400 if form.is_submitted() else 200
    return render_template("notifications/settings.html", form=form, kinds=kinds), status


# One-click unsubscribe (RFC 8058): mail programs POST "List-Unsubscribe=One-Click" with
# no CSRF token and no login, so this one view is exempt from CSRFProtect. It can only
# ever switch e-mail off, for the person and kind its signed token names; the page's
# own button still carries and checks a CSRF token.
@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    found = read_unsubscribe_token(token)
    if found is None:
        abort(400)
    kind = found[1]
    if request.method == "POST":
        one_click = request.form.get("List-Unsubscribe") == "One-Click"
        if not one_click and not ConfirmForm().validate_on_submit():
            abort(400)
        try:
            services.unsubscribe(token)
        except Invalid:
            abort(400)
        return render_template("notifications/unsubscribe.html", done=True,
                               kind_label=KIND_LABELS[kind])
    already = kind.value in queries.opted_out_kinds(found[0])
    return render_template("notifications/unsubscribe.html", done=already,
                           kind_label=KIND_LABELS[kind], confirm_form=ConfirmForm())
