"""The staff workbench: the case queue with filters, counts, bulk assignment and CSV."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..audit import queries as audit_queries
from ..auth import services as auth_services
from ..complaints import queries as case_queries
from ..complaints import services as case_services
from ..complaints.models import Case
from ..complaints.workflow import STATUS_LABELS, Action
from ..core import clock
from ..core.errors import DomainError, NotAllowed
from ..core.ids import db_int
from ..core.pagination import Page, clamp_page
from ..core.urls import safe_next
from ..extensions import db
from ..security.guards import require_staff
from . import queries
from .forms import AuditFilterForm, BulkAssignForm, QueueFilterForm

bp = Blueprint("staff", __name__, url_prefix="/staff")
require_staff(bp)

PER_PAGE = 30
CSV_LIMIT = 20000


def _filter_form() -> QueueFilterForm:
    form = QueueFilterForm(request.args)
    departments = case_queries.departments_with_members()
    form.community_id.choices = [("", _("Any community"))] + [
        (c.id, c.name) for c in case_queries.communities_for_filing()]
    form.department_id.choices = [("", _("Any department"))] + [
        (d.id, d.name) for d in departments]
    form.handler_id.choices = [("", _("Anyone"))] + [
        (h.id, f"{h.display_name} · {d.name}") for d in departments for h in d.members]
    form.category_id.choices = [("", _("Any category"))] + [
        (item.id, item.full_name) for p in case_queries.professions() for item in p.items]
    form.validate()
    return form


def _queue_filter(form: QueueFilterForm) -> queries.QueueFilter:
    view = form.view.data if form.view.data in queries.VIEWS else "all"
    return queries.QueueFilter(
        view=view, status=form.status.data or "", community_id=form.community_id.data,
        department_id=form.department_id.data, category_id=form.category_id.data,
        handler_id=form.handler_id.data, promise=form.promise.data or "",
        group=bool(form.group.data), since=form.since.data if not form.since.errors else None,
        until=form.until.data if not form.until.errors else None, q=form.q.data or "")


@bp.get("/")
def queue():
    form = _filter_form()
    now = clock.now()
    query = queries.queue_query(_queue_filter(form), current_user, now)
    total = queries.queue_total(query)
    number = clamp_page(request.args.get("page", type=int), total, PER_PAGE)
    page: Page[Case] = Page(number=number, per_page=PER_PAGE, total=total,
                            items=queries.queue_page(query, number, PER_PAGE))
    assign_form = BulkAssignForm(formdata=None)
    assign_form.department_id.choices = form.department_id.choices[1:]
    assign_form.handler_id.choices = [("", _("Anyone in the department"))] + \
        form.handler_id.choices[1:]
    return render_template("staff/queue.html", form=form, page=page, now=now,
                           counts=queries.status_counts(now), next_due=queries.next_due,
                           assign_form=assign_form, soon=timedelta(hours=24),
                           views=queries.VIEWS)


@bp.get("/cases.csv")
def export():
    form = _filter_form()
    now = clock.now()
    query = queries.queue_query(_queue_filter(form), current_user, now)
    rows = queries.queue_page(query, 1, CSV_LIMIT)
    out = io.StringIO()
    out.write("\ufeff")  # a BOM, so Excel opens the Chinese text correctly
    writer = csv.writer(out)
    writer.writerow([_("Case"), _("Title"), _("Status"), _("Community"), _("Category"),
                     _("Department"), _("Handler"), _("Filed by"), _("Filed at"),
                     _("Next deadline"), _("Overdue"), _("Owners joined"),
                     _("Group complaint")])
    for row in rows:
        due = queries.next_due(row)
        writer.writerow([
            row.number, row.thread.title, str(STATUS_LABELS[row.status]), row.community.name,
            row.category.full_name, row.department.name if row.department else "",
            row.handler.display_name if row.handler else "",
            f"{row.filer.display_name} (@{row.filer.username})" if row.filer
            else (row.contact_name or ""),
            row.created_at.isoformat(timespec="minutes"),
            due.isoformat(timespec="minutes") if due else "",
            _("yes") if due and due < now else "", row.metoo_count,
            _("yes") if row.is_group else ""])
    stamp = now.strftime("%Y%m%d-%H%M")
    return Response(out.getvalue(), mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename=cases-{stamp}.csv"})


@bp.post("/assign")
def bulk_assign():
    form = BulkAssignForm()
    back = safe_next(request.form.get("next"), "/staff/")
    ids = [i for v in request.form.getlist("case") if v.isdigit()
           and (i := db_int(int(v))) is not None][:200]
    if not form.validate_on_submit() or not ids:
        flash(_("Choose at least one case and a department."), "warning")
        return redirect(back)
    done, refused = 0, []
    for case_id in ids:
        case_row = db.session.get(Case, case_id)
        if case_row is None:
            continue
        seen = db_int(request.form.get(f"version-{case_id}", type=int))
        try:
            case_services.take_step(case_row, Action.ASSIGN, current_user,
                                    case_services.StepInput(department_id=form.department_id.data,
                                                            handler_id=form.handler_id.data),
                                    seen_version=seen if seen is not None else -1)
            done += 1
        except (DomainError, NotAllowed) as err:
            db.session.rollback()
            refused.append(f"{case_row.number}: {err.message}")
    if done:
        flash(_("%(n)s cases assigned.", n=done), "success")
    for line in refused[:10]:
        flash(line, "warning")
    current_app.logger.info("bulk assign by %s: %s done, %s refused", current_user.id, done,
                            len(refused))
    return redirect(back)


AUDIT_PAGE = 50


@bp.get("/audit")
def audit():
    form = AuditFilterForm(request.args)
    form.validate()
    actor = auth_services.find_user(form.actor.data) if form.actor.data else None
    rows = audit_queries.entries(
        action=form.action.data or "", target_type=form.target_type.data or "",
        actor_id=actor.id if actor else (-1 if form.actor.data else None),
        since=None if form.since.errors else form.since.data,
        until=None if form.until.errors else form.until.data,
        before_id=db_int(request.args.get("before", type=int)), limit=AUDIT_PAGE + 1)
    more = len(rows) > AUDIT_PAGE
    rows = rows[:AUDIT_PAGE]
    args = {k: v for k, v in request.args.items() if k != "before"}
    return render_template("staff/audit.html", form=form, rows=rows, args=args,
                           older=rows[-1].id if more and rows else None)
