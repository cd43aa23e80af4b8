"""Defect feedback for the design and engineering teams (staff only): marking a case as a
product defect, the report by community, item and department, and its CSV."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _
from flask_login import current_user

from ..complaints import defects
from ..complaints import queries as case_queries
from ..complaints.forms import DefectForm
from ..complaints.workflow import STATUS_LABELS
from ..core import clock
from ..core.errors import Invalid
from ..security.guards import require_staff
from ..security.policy import require
from .forms import DefectReportForm

bp = Blueprint("defects", __name__, url_prefix="/staff")
require_staff(bp)

CSV_LIMIT = 20000
EXAMPLES = 3
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


@bp.route("/cases/<int:case_id>/defect", methods=["GET", "POST"])
def mark(case_id: int):
    case = case_queries.case_details(case_id)
    if case is None:
        abort(404)
    require(current_user, "case.mark_defect", case)
    professions = case_queries.professions()
    departments = case_queries.departments_with_members()
    form = DefectForm()
    form.category_id.choices = [(i.id, i.full_name) for p in professions for i in p.items]
    form.department_id.choices = [(d.id, d.name) for d in departments]
    if not form.is_submitted():
        form.category_id.data = case.defect.category_id if case.defect else case.category_id
        form.department_id.data = case.defect.department_id if case.defect else (
            case.department_id or case.category.routed_department_id)
        form.cause.data = case.defect.cause if case.defect else ""
    elif form.validate_on_submit():
        try:
            defects.mark_defect(case, current_user, category_id=form.category_id.data,
                                department_id=form.department_id.data, cause=form.cause.data)
        except Invalid as err:
            target = getattr(form, err.field or "", None)
            if target is not None:
                target.errors = [*list(target.errors), err.message]
            else:
                flash(str(err.message), "error")
        else:
            flash(_("The case is recorded as a product defect."), "success")
            return redirect(url_for("forum.thread", thread_id=case.thread_id) + "#defect")
    status = 400 if form.is_submitted() else 200
    return render_template("staff/defect.html", case=case, form=form, professions=professions,
                           departments=departments), status


@bp.post("/cases/<int:case_id>/defect/clear")
def clear(case_id: int):
    case = case_queries.case_details(case_id)
    if case is None:
        abort(404)
    defects.clear_defect(case, current_user)
    flash(_("The defect mark is removed."), "success")
    return redirect(url_for("forum.thread", thread_id=case.thread_id) + "#defect")


def _local_start(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=_zone())


def _report_filter(form: DefectReportForm) -> tuple[case_queries.DefectFilter, date, date]:
    today = clock.now().astimezone(_zone()).date()
    until = form.until.data if form.until.data and not form.until.errors else today
    since = form.since.data if form.since.data and not form.since.errors else \
        until - timedelta(days=365)
    since, until = min(since, until), max(since, until)
    return case_queries.DefectFilter(
        since=_local_start(since), until=_local_start(until + timedelta(days=1)),
        community_id=form.community_id.data, department_id=form.department_id.data
    ), since, until


def _report_form() -> DefectReportForm:
    form = DefectReportForm(request.args)
    form.community_id.choices = [("", _("Any community"))] + [
        (c.id, c.name) for c in case_queries.communities_for_filing()]
    form.department_id.choices = [("", _("Any department"))] + [
        (d.id, d.name) for d in case_queries.departments_with_members()]
    form.validate()
    return form


@dataclass
class DefectGroup:
    """One community, item or department of the report, with its latest cases."""

    key: int
    name: str
    count: int
    examples: list[tuple[int, str]] = field(default_factory=list)  # (case id, title)


@bp.get("/defects")
def report():
    require(current_user, "defect.report")
    form = _report_form()
    f, since, until = _report_filter(form)
    groups: dict[str, list[DefectGroup]] = {g: [] for g in case_queries.DEFECT_GROUPS}
    index: dict[tuple[str, int], DefectGroup] = {}
    for grouping, key, name, count in case_queries.defect_counts(f):
        index[(grouping, key)] = group = DefectGroup(key, name, count)
        groups[grouping].append(group)
    for grouping, key, case_id, title in case_queries.defect_examples(f, EXAMPLES):
        if (grouping, key) in index:
            index[(grouping, key)].examples.append((case_id, title))
    total = sum(g.count for g in groups["community"])
    return render_template("staff/defects.html", form=form, groups=groups, total=total,
                           since=since, until=until)


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


@bp.get("/defects.csv")
def export():
    require(current_user, "defect.report")
    f, since, until = _report_filter(_report_form())
    out = io.StringIO()
    out.write("\ufeff")  # a BOM, so Excel opens the Chinese text correctly
    writer = csv.writer(out)
    writer.writerow([_("Case"), _("Title"), _("Community"), _("Item"), _("Department"),
                     _("Root cause"), _("Category filed under"), _("Status"), _("Filed at"),
                     _("Marked at"), _("Marked by")])
    for defect in case_queries.defect_list(f, CSV_LIMIT):
        case = defect.case
        writer.writerow([_cell(v) for v in (
            case.number, case.thread.title, case.community.name, defect.category.full_name,
            defect.department.name, defect.cause, case.category.full_name,
            STATUS_LABELS[case.status], case.created_at.astimezone(_zone()).isoformat(
                timespec="minutes"),
            defect.marked_at.astimezone(_zone()).isoformat(timespec="minutes"),
            defect.marked_by.display_name)])
    return Response(out.getvalue(), mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename=defects-{since:%Y%m%d}-{until:%Y%m%d}.csv"})
