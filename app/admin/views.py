"""Administration (/admin): admins only, at the blueprint and again per action (policy.py)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, \
    url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..communities.models import Board, Category, Community, Department
from ..core.errors import Invalid
from ..core.formerrors import show_error as _field_error
from ..extensions import db
from ..owners import queries as owner_queries
from ..security.guards import require_admin
from ..security.policy import require
from ..sitesettings import calendar as calendar_store
from ..sitesettings import services as settings_services
from . import services
from .forms import (BOARD_KIND_LABELS, ROLE_LABELS, ArchiveForm, BoardForm, CalendarDayForm,
                    CategoryForm, CommunityForm, DepartmentForm, DepartmentMemberForm,
                    MembershipForm, RoleForm, SettingsForm, UserSearchForm)

bp = Blueprint("admin", __name__, url_prefix="/admin")
require_admin(bp)


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"ROLE_LABELS": ROLE_LABELS, "BOARD_KIND_LABELS": BOARD_KIND_LABELS}


def _get(model: type, ident: int) -> Any:
    row = db.session.get(model, ident)
    if row is None:
        abort(404)
    return row


def _status(form) -> int:  # noqa: ANN001
    return 400 if form.is_submitted() else 200


@bp.get("/")
def index():
    require(current_user, "admin.access")
    return render_template("admin/index.html")


# --- Communities and boards --------------------------------------------------------------

def _places() -> tuple[list[Community], list[Board]]:
    communities = list(db.session.scalars(select(Community).order_by(
        Community.position, Community.id).options(selectinload(Community.boards))))
    site = list(db.session.scalars(select(Board).where(Board.community_id.is_(None))
                                   .order_by(Board.position, Board.id)))
    return communities, site


@bp.route("/communities", methods=["GET", "POST"])
def communities():
    require(current_user, "admin.places")
    form = CommunityForm()
    if form.validate_on_submit():
        try:
            community = services.create_community(current_user, services.CommunityInput(
                slug=form.slug.data, name=form.name.data, city=form.city.data or "",
                description=form.description.data or "", position=form.position.data or 0))
        except Invalid as err:
            _field_error(form, err)
        else:
            flash(_("Community %(name)s created.", name=community.name), "success")
            return redirect(url_for("admin.community", community_id=community.id))
    communities, site = _places()
    board_form = BoardForm(formdata=None, prefix="site")
    return render_template("admin/communities.html", form=form, communities=communities,
                           site_boards=site, board_form=board_form), _status(form)


@bp.route("/communities/<int:community_id>", methods=["GET", "POST"])
def community(community_id: int):
    row = _get(Community, community_id)
    require(current_user, "admin.places", row)
    form = CommunityForm(obj=row)
    del form.slug  # an address in links never changes
    if form.validate_on_submit():
        try:
            services.update_community(current_user, row, services.CommunityInput(
                name=form.name.data, city=form.city.data or "",
                description=form.description.data or "",
                position=form.position.data or 0), reason=form.reason.data or "")
        except Invalid as err:
            _field_error(form, err)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.community", community_id=row.id))
    return render_template("admin/community.html", community=row, form=form,
                           board_form=BoardForm(formdata=None),
                           archive_form=ArchiveForm(formdata=None)), _status(form)


@bp.post("/communities/<int:community_id>/archive")
def archive_community(community_id: int):
    row = _get(Community, community_id)
    form = ArchiveForm()
    if form.validate_on_submit():
        services.set_community_archived(current_user, row, bool(form.archived.data),
                                        reason=form.reason.data or "")
        flash(_("Archived.") if form.archived.data else _("Restored."), "success")
    return redirect(url_for("admin.community", community_id=row.id))


def _board_input(form: BoardForm) -> services.BoardInput:
    return services.BoardInput(slug=form.slug.data if form.slug else "", name=form.name.data,
                               description=form.description.data or "", kind=form.kind.data,
                               position=form.position.data or 0)


@bp.post("/communities/<int:community_id>/boards")
def create_board(community_id: int):
    row = _get(Community, community_id)
    form = BoardForm()
    if form.validate_on_submit():
        try:
            board = services.create_board(current_user, row, _board_input(form))
        except Invalid as err:
            _field_error(form, err)
        else:
            flash(_("Board %(name)s created.", name=board.name), "success")
            return redirect(url_for("admin.community", community_id=row.id))
    edit = CommunityForm(obj=row)
    del edit.slug
    return render_template("admin/community.html", community=row, form=edit, board_form=form,
                           archive_form=ArchiveForm(formdata=None)), 400


@bp.post("/boards")
def create_site_board():
    form = BoardForm(prefix="site")
    if form.validate_on_submit():
        try:
            board = services.create_board(current_user, None, _board_input(form))
        except Invalid as err:
            _field_error(form, err)
        else:
            flash(_("Board %(name)s created.", name=board.name), "success")
            return redirect(url_for("admin.communities"))
    communities, site = _places()
    return render_template("admin/communities.html", form=CommunityForm(formdata=None),
                           communities=communities, site_boards=site, board_form=form), 400


@bp.route("/boards/<int:board_id>", methods=["GET", "POST"])
def board(board_id: int):
    row = _get(Board, board_id)
    require(current_user, "admin.places", row)
    form = BoardForm(obj=row)
    del form.slug
    if form.validate_on_submit():
        try:
            services.update_board(current_user, row, _board_input(form),
                                  reason=form.reason.data or "")
        except Invalid as err:
            _field_error(form, err)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.board", board_id=row.id))
    return render_template("admin/board.html", board=row, form=form,
                           archive_form=ArchiveForm(formdata=None)), _status(form)


@bp.post("/boards/<int:board_id>/archive")
def archive_board(board_id: int):
    row = _get(Board, board_id)
    form = ArchiveForm()
    if form.validate_on_submit():
        try:
            services.set_board_archived(current_user, row, bool(form.archived.data),
                                        reason=form.reason.data or "")
        except Invalid as err:
            flash(str(err.message), "error")
        else:
            flash(_("Archived.") if form.archived.data else _("Restored."), "success")
    return redirect(url_for("admin.board", board_id=row.id))


# --- Categories and the calendar ----------------------------------------------------------

def _professions() -> list[Category]:
    return list(db.session.scalars(
        select(Category).where(Category.parent_id.is_(None))
        .order_by(Category.position, Category.id)
        .options(selectinload(Category.items).selectinload(Category.department),
                 selectinload(Category.department))))


def _departments() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.position,
                                                               Department.id)))


def _category_form(obj: Category | None = None, departments: list | None = None,
                   professions: list | None = None) -> CategoryForm:
    form = CategoryForm(obj=obj)
    if obj is not None and request.method == "GET":
        form.standard.data = obj.standard_source
        form.working_hours.data = "" if obj.working_hours is None else \
            ("1" if obj.working_hours else "0")
    form.department_id.choices = [("", _("As the profession"))] + [
        (d.id, d.name) for d in (departments if departments is not None else _departments())]
    form.parent_id.choices = [("", _("None: this is a profession"))] + [
        (p.id, p.name) for p in (professions or [])]
    return form


def _hours(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _category_input(form: CategoryForm) -> services.CategoryInput:
    working = form.working_hours.data
    return services.CategoryInput(
        slug=form.slug.data if form.slug else "", name=form.name.data,
        position=form.position.data or 0,
        department_id=form.department_id.data, standard=form.standard.data or "",
        first_response_hours=_hours(form.first_response_hours.data),
        plan_hours=_hours(form.plan_hours.data), resolve_hours=_hours(form.resolve_hours.data),
        working_hours=None if working == "" else working == "1")


@bp.route("/categories", methods=["GET", "POST"])
def categories():
    require(current_user, "admin.categories")
    professions, departments = _professions(), _departments()
    form = _category_form(departments=departments, professions=professions)
    if form.validate_on_submit():
        parent = db.session.get(Category, form.parent_id.data) if form.parent_id.data else None
        try:
            category = services.create_category(current_user, parent, _category_input(form))
        except Invalid as err:
            _field_error(form, err)
        else:
            flash(_("Category %(name)s created.", name=category.name), "success")
            return redirect(url_for("admin.categories"))
    return render_template("admin/categories.html", form=form, professions=professions), \
        _status(form)


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
def category(category_id: int):
    row = _get(Category, category_id)
    require(current_user, "admin.categories", row)
    form = _category_form(row)
    del form.slug, form.parent_id
    if row.parent is not None:  # say what an empty limit means for this item
        for name, hours in zip(("first_response_hours", "plan_hours", "resolve_hours"),
                               (row.parent.first_response_hours, row.parent.plan_hours,
                                row.parent.resolve_hours), strict=True):
            getattr(form, name).description = _("Empty: %(n)s h, as the profession",
                                                n=format_decimal(hours or 0))
    if form.validate_on_submit():
        try:
            services.update_category(current_user, row, _category_input(form),
                                     reason=form.reason.data or "")
        except Invalid as err:
            _field_error(form, err)
        else:
            flash(_("Saved. Cases filed earlier keep the deadlines they were promised."),
                  "success")
            return redirect(url_for("admin.category", category_id=row.id))
    return render_template("admin/category.html", category=row, form=form,
                           archive_form=ArchiveForm(formdata=None)), _status(form)


@bp.post("/categories/<int:category_id>/archive")
def archive_category(category_id: int):
    row = _get(Category, category_id)
    form = ArchiveForm()
    if form.validate_on_submit():
        services.set_category_archived(current_user, row, bool(form.archived.data),
                                       reason=form.reason.data or "")
        flash(_("Archived.") if form.archived.data else _("Restored."), "success")
    return redirect(url_for("admin.category", category_id=row.id))


@bp.route("/calendar", methods=["GET", "POST"])
def calendar():
    require(current_user, "admin.calendar")
    form = CalendarDayForm()
    if form.validate_on_submit():
        try:
            calendar_store.add_day(current_user, form.day.data, form.kind.data,
                                   form.note.data or "")
        except Invalid as err:
            _field_error(form, err)
        else:
            flash(_("The calendar is saved. New complaints count their deadlines with it."),
                  "success")
            return redirect(url_for("admin.calendar"))
    return render_template("admin/calendar.html", form=form, days=calendar_store.days(),
                           remove_form=ArchiveForm(formdata=None)), _status(form)


@bp.post("/calendar/<int:day_id>/remove")
def remove_day(day_id: int):
    form = ArchiveForm()
    if form.validate_on_submit():
        try:
            calendar_store.remove_day(current_user, day_id)
        except Invalid as err:
            flash(str(err.message), "error")
        else:
            flash(_("The day is off the calendar."), "success")
    return redirect(url_for("admin.calendar"))


# --- Departments --------------------------------------------------------------------------

@bp.route("/departments", methods=["GET", "POST"])
def departments():
    require(current_user, "admin.departments")
    form = DepartmentForm()
    if form.validate_on_submit():
        try:
            department = services.create_department(current_user, slug=form.slug.data,
                                                    name=form.name.data)
        except Invalid as err:
            _field_error(form, err)
        else:
            flash(_("Department %(name)s created.", name=department.name), "success")
            return redirect(url_for("admin.department", department_id=department.id))
    rows = list(db.session.scalars(select(Department).order_by(Department.position,
                                                               Department.id)
                                   .options(selectinload(Department.members))))
    return render_template("admin/departments.html", form=form, departments=rows), \
        _status(form)


@bp.route("/departments/<int:department_id>", methods=["GET", "POST"])
def department(department_id: int):
    row = _get(Department, department_id)
    require(current_user, "admin.departments", row)
    form = DepartmentForm(obj=row)
    del form.slug
    if form.validate_on_submit():
        try:
            services.rename_department(current_user, row, name=form.name.data,
                                       position=form.position.data or 0)
        except Invalid as err:
            _field_error(form, err)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.department", department_id=row.id))
    return render_template("admin/department.html", department=row, form=form,
                           member_form=DepartmentMemberForm(formdata=None),
                           membership_form=MembershipForm(formdata=None)), _status(form)


@bp.post("/departments/<int:department_id>/members")
def add_member(department_id: int):
    row = _get(Department, department_id)
    form = DepartmentMemberForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data.lower()))
        if user is None:
            flash(_("There is no account named %(name)s.", name=form.username.data), "error")
        else:
            try:
                services.set_membership(current_user, user, row,
                                        supervisor=bool(form.supervisor.data))
            except Invalid as err:
                flash(str(err.message), "error")
            else:
                flash(_("%(name)s works in %(department)s now.", name=user.display_name,
                        department=row.name), "success")
    return redirect(url_for("admin.department", department_id=row.id))


@bp.post("/users/<int:user_id>/department")
def set_department(user_id: int):
    user = _get(User, user_id)
    form = MembershipForm()
    if form.validate_on_submit():
        department = db.session.get(Department, form.department_id.data) \
            if form.department_id.data else None
        try:
            services.set_membership(current_user, user, department,
                                    supervisor=bool(form.supervisor.data),
                                    reason=form.reason.data or "")
        except Invalid as err:
            flash(str(err.message), "error")
        else:
            flash(_("Saved."), "success")
    back = request.form.get("back")
    if back == "department" and user.department_id:
        return redirect(url_for("admin.department", department_id=user.department_id))
    return redirect(url_for("admin.user", user_id=user.id))


# --- Users --------------------------------------------------------------------------------

@bp.get("/users")
def users():
    require(current_user, "admin.users")
    form = UserSearchForm(request.args)
    form.validate()
    rows = services.search_users(form.q.data or "", role=form.role.data or "")
    return render_template("admin/users.html", form=form, rows=rows)


def _user_page(user: User, role_form: RoleForm | None = None, status: int = 200,
               reset_url: str | None = None):  # noqa: ANN202
    membership = MembershipForm(formdata=None, department_id=user.department_id,
                                supervisor=user.is_supervisor)
    membership.department_id.choices = [("", _("No department"))] + [
        (d.id, d.name) for d in _departments()]
    response = make_response(render_template(
        "admin/user.html", user=user,
        role_form=role_form or RoleForm(formdata=None, role=user.role),
        membership_form=membership, confirm_form=ArchiveForm(formdata=None),
        units=owner_queries.units_of(user.id), reset_url=reset_url), status)
    if reset_url:
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/users/<int:user_id>")
def user(user_id: int):
    row = _get(User, user_id)
    require(current_user, "admin.users", row)
    return _user_page(row)


@bp.post("/users/<int:user_id>/role")
def set_role(user_id: int):
    row = _get(User, user_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            services.set_role(current_user, row, form.role.data, reason=form.reason.data or "")
        except Invalid as err:
            db.session.rollback()
            _field_error(form, err)
            return _user_page(row, form, 400)
        flash(_("%(name)s is now: %(role)s.", name=row.display_name,
                role=ROLE_LABELS[row.role]), "success")
        return redirect(url_for("admin.user", user_id=row.id))
    return _user_page(row, form, 400)


@bp.post("/users/<int:user_id>/reset-link")
def reset_link(user_id: int):
    row = _get(User, user_id)
    form = ArchiveForm()
    if not form.validate_on_submit():
        return redirect(url_for("admin.user", user_id=row.id))
    token = services.make_reset_link(current_user, row)
    # Shown once, on this response only: the database keeps only the token's hash.
    return _user_page(row, reset_url=url_for("auth.reset_password", token=token, _external=True))


# --- Site settings ------------------------------------------------------------------------

@bp.route("/settings", methods=["GET", "POST"])
def settings():
    require(current_user, "admin.settings")
    values = {spec.name: value for spec, value, _set in settings_services.all_settings()}
    form = SettingsForm(data={name.lower(): value for name, value in values.items()})
    if form.validate_on_submit():
        wanted = {name: getattr(form, name.lower()).data for name in settings_services.SPECS}
        try:
            changed = settings_services.change_settings(current_user, wanted,
                                                        reason=form.reason.data or "")
        except Invalid as err:
            _field_error(form, err)
        else:
            flash(_("%(n)s settings changed.", n=changed), "success")
            return redirect(url_for("admin.settings"))
    return render_template("admin/settings.html", form=form,
                           rows=settings_services.all_settings()), _status(form)
