"""/admin/jobs: failed background jobs (inline and RQ) with requeue; admins only."""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..audit.services import record as audit
from ..extensions import db
from ..notifications import outbox
from ..notifications.models import OutboxEmail
from ..security.guards import require_staff
from ..security.policy import require
from . import failures
from .forms import OutboxRequeueForm, RequeueForm

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs")
require_staff(bp)
log = logging.getLogger(__name__)


@bp.before_request
def _admins_only() -> None:
    require(current_user, "jobs.manage")


def _given_up_emails() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail).where(
        OutboxEmail.sent_at.is_(None), OutboxEmail.next_attempt_at.is_(None))) or 0


@bp.get("/")
def index():  # noqa: ANN201
    redis_url = current_app.config.get("REDIS_URL")
    rq_failed, stats, rq_error = [], None, None
    if redis_url:
        from . import rq_queue

        try:
            rq_failed, stats = rq_queue.failed_jobs(), rq_queue.queue_stats()
        except Exception as err:  # Redis down: the page still shows the database's side
            log.warning("jobs page: Redis unavailable: %s", type(err).__name__)
            rq_error = type(err).__name__
    return render_template("jobs/index.html", inline_failed=failures.open_failures(),
                           rq_failed=rq_failed, stats=stats, rq_error=rq_error,
                           redis=bool(redis_url), given_up_emails=_given_up_emails(),
                           form=RequeueForm(formdata=None), outbox_form=OutboxRequeueForm())


@bp.post("/requeue")
def requeue():  # noqa: ANN201
    form = RequeueForm()
    if not form.validate():
        flash(_("That job could not be found."), "warning")
        return redirect(url_for("jobs.index"))
    done = False
    if form.source.data == "db":
        try:
            done = failures.requeue(int(form.job_id.data), current_user)
        except ValueError:
            done = False
    elif current_app.config.get("REDIS_URL"):
        from . import rq_queue

        done = rq_queue.requeue(form.job_id.data)
        if done:
            audit(current_user, "job.requeue", "job", None, after={"rq_job": form.job_id.data})
            db.session.commit()
    if done:
        flash(_("The job was sent again."), "success")
    else:
        flash(_("That job could not be found."), "warning")
    return redirect(url_for("jobs.index"))


@bp.post("/outbox/requeue")
def requeue_emails():  # noqa: ANN201
    form = OutboxRequeueForm()
    if form.validate():
        count = outbox.requeue_given_up()
        audit(current_user, "outbox.requeue", "outbox", None, after={"emails": count})
        db.session.commit()
        from . import enqueue
        from .tasks import send_outbox

        enqueue(send_outbox)
        flash(_("%(n)s e-mails will be tried again.", n=count), "success")
    return redirect(url_for("jobs.index"))
