"""Owner verification screens: the member's request (in settings) and the staff queue."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..complaints import queries as case_queries
from ..core.errors import Conflict, Invalid
from ..core.formerrors import show_error as _field_error
from ..core.ids import db_int
from ..extensions import db
from ..security.guards import require_staff
from ..security.policy import require
from . import queries, services
from .forms import DecisionForm, QueueStatusForm, VerificationRequestForm
from .models import RequestStatus, VerificationRequest

bp = Blueprint("owners", __name__)
staff_bp = Blueprint("verifications", __name__, url_prefix="/staff/verifications")
require_staff(staff_bp)

QUEUE_PAGE = 30


@bp.route("/settings/verification", methods=["GET", "POST"])
@login_required
def request_form():
    form = VerificationRequestForm()
    form.community_id.choices = [("", _("Choose…"))] + [
        (c.id, c.name) for c in case_queries.communities_for_filing()]
    if form.validate_on_submit():
        try:
            services.request_verification(
                current_user, community_id=form.community_id.data,
                building=form.building.data, entrance=form.entrance.data, room=form.room.data,
                contract_name=form.contract_name.data, phone=form.phone.data)
        except Invalid as err:
            _field_error(form, err)
        else:
            flash(_("Your request is sent. Staff usually decide within two working days."),
                  "success")
            return redirect(url_for("owners.request_form"))
    status = 400 if form.is_submitted() else 200
    return render_template("owners/request.html", form=form,
                           requests=queries.requests_of(current_user.id),
                           units=queries.units_of(current_user.id)), status


@staff_bp.get("/")
def queue():
    require(current_user, "verification.review")
    form = QueueStatusForm(request.args)
    status = form.status.data if form.status.data in {s.value for s in RequestStatus} \
        else RequestStatus.PENDING.value
    rows = queries.queue(status, limit=QUEUE_PAGE + 1, before=db_int(request.args.get(
        "before", type=int)))
    more = len(rows) > QUEUE_PAGE
    rows = rows[:QUEUE_PAGE]
    return render_template("owners/queue.html", form=form, rows=rows, status=status,
                           households=queries.households(rows) if status == "pending" else {},
                           decision=DecisionForm(formdata=None),
                           older=rows[-1].id if more and rows and status != "pending" else None)


def _pending(request_id: int) -> VerificationRequest:
    row = db.session.get(VerificationRequest, request_id)
    if row is None:
        abort(404)
    return row


@staff_bp.post("/<int:request_id>/approve")
def approve(request_id: int):
    row = _pending(request_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            services.approve(row, current_user, reason=form.reason.data or "")
        except (Invalid, Conflict) as err:
            flash(str(err.message), "error")
        else:
            flash(_("%(name)s is now a verified owner.", name=row.user.display_name), "success")
    return redirect(url_for("verifications.queue"))


@staff_bp.post("/<int:request_id>/reject")
def reject(request_id: int):
    row = _pending(request_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            services.reject(row, current_user, reason=form.reason.data or "")
        except (Invalid, Conflict) as err:
            flash(str(err.message), "error")
        else:
            flash(_("The request is rejected; the member was told why."), "success")
    return redirect(url_for("verifications.queue"))
