"""Complaint screens: filing, and the case steps posted from the thread page."""
from __future__ import annotations

from typing import Any

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth import services as auth_services
from ..communities.models import Community
from ..core.errors import Conflict, DomainError, Invalid, NotAllowed
from ..extensions import db, limiter
from ..forum import hooks
from ..forum import queries as forum_queries
from ..forum.views import render_thread
from ..owners import queries as owner_queries
from ..photos.forms import from_request as photos_from_request
from ..photos.services import Attachments
from ..security.policy import can, require
from . import queries, services
from .forms import (AnswerForm, CaseFileForm, ConfirmCaseForm, ConvertForm, MergeForm, NoteForm,
                    ReasonForm, StaffFileForm, StepForm)
from .models import Case
from .panel import build_panel
from ..search.queries import similar_cases
from .workflow import Action

bp = Blueprint("complaints", __name__)


def _case_context(thread: Any, user: Any, overrides: dict) -> dict:
    if thread.case is not None:
        return {"case_panel": build_panel(thread.case.id, user, overrides)}
    return {"can_convert": can(user, "case.convert", thread)}


hooks.register_thread_context(_case_context)


def _case_or_404(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    return case


def _back(case: Case):  # noqa: ANN202
    return redirect(url_for("forum.thread", thread_id=case.thread_id) + "#case")


def _refused(case: Case, err: DomainError | None = None, **forms: Any):  # noqa: ANN202
    """Show the thread again with what was typed, and the reason, instead of losing it."""
    if err is None:
        _flash_form_errors(forms)
    if err is not None:
        form = next(iter(forms.values()), None)
        field = getattr(form, getattr(err, "field", None) or "", None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors), err.message]
        else:
            flash(str(err.message), "error")
    thread = forum_queries.thread_for_page(case.thread_id)
    return render_thread(thread, status=400 if not isinstance(err, Conflict) else 409, **forms)


def _flash_form_errors(forms: dict) -> None:
    """Say at the top why a form was refused, field by field.

    The page may not show the form again (a colleague closed the case meanwhile) or the
    wrong field may be one it never shows (the version seen, a form's own token), so the
    reasons are not left to the inline messages alone.
    """
    for form in forms.values():
        for name, errors in (getattr(form, "errors", None) or {}).items():
            if name in ("version", "csrf_token") or name.endswith("csrf_token"):
                flash(_("The form expired or was sent from elsewhere. Please reload the page "
                        "and try again."), "error")
            elif errors:
                label = getattr(getattr(form, name, None), "label", None)
                flash(f"{label.text if label else name}: {' '.join(map(str, errors))}", "error")


def _category_choices() -> list:
    """Valid values only; the template draws the two-level list itself (optgroups)."""
    return [(item.id, item.name) for p in queries.professions() for item in p.items
            if item.archived_at is None]


def _filing_from(form: Any) -> services.Filing:
    return services.Filing(
        title=form.title.data, body=form.body.data, category_id=form.category_id.data,
        location=form.location.data, location_text=form.location_text.data or "",
        unit_text=form.unit_text.data or "", wanted_outcome=form.wanted_outcome.data or "",
        stage=form.stage.data or None, anonymous=bool(form.anonymous.data),
        contact_name=getattr(form, "contact_name", None) and form.contact_name.data or "",
        contact_phone=getattr(form, "contact_phone", None) and form.contact_phone.data or "",
        contact_email=getattr(form, "contact_email", None) and form.contact_email.data or "",
        unit_id=form.verified_unit_id.data)


@bp.get("/complaints/new")
@login_required
def choose_community():
    return render_template("complaints/choose.html",
                           communities=queries.communities_for_filing())


@bp.route("/c/<community_slug>/complaints/new", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["FILE_RATE_LIMIT"], methods=["POST"])
def file(community_slug: str):
    community = db.session.scalar(db.select(Community).where(Community.slug == community_slug))
    if community is None:
        abort(404)
    on_behalf = can(current_user, "case.file_for_owner", community) and \
        request.args.get("for") == "owner"
    if not on_behalf:
        require(current_user, "case.file", community)
    form = StaffFileForm() if on_behalf else CaseFileForm()
    form.category_id.choices = _category_choices()
    # A verified owner's unit here goes with the case (staff see it); with several, they choose.
    verified_units = [] if on_behalf or not current_user.owner_verified_at else [
        unit for unit in owner_queries.units_of(current_user.id)
        if unit.community_id == community.id]
    form.verified_unit_id.choices = [(unit.id, unit.label) for unit in verified_units]
    similar = None
    # Photos sent are kept (pending) whatever else is wrong, so nothing is lost.
    photos = photos_from_request(current_user) if form.is_submitted() else Attachments()
    if form.is_submitted() and request.form.get("check_similar"):
        # Without JavaScript: look for similar complaints first, keep everything typed.
        similar = similar_cases(f"{form.title.data or ''} {(form.body.data or '')[:500]}",
                                community_id=community.id)
    elif form.validate_on_submit() and photos.ok:
        try:
            filer, filed_by = current_user, None
            if on_behalf:
                filed_by = current_user
                filer = auth_services.find_user(form.owner_username.data) \
                    if form.owner_username.data else None
                if form.owner_username.data and filer is None:
                    raise Invalid(_("There is no account with this username."),
                                  field="owner_username")
            filing = _filing_from(form)
            filing.photo_ids = tuple(photos.ids)
            case = services.file_complaint(community, filer, filing, filed_by=filed_by)
        except Invalid as err:
            field = getattr(form, err.field or "", None)
            if field is not None:
                field.errors = [*list(field.errors), err.message]
            else:
                flash(str(err.message), "error")
        else:
            if on_behalf:
                flash(_("The owner's complaint is filed as %(number)s. Tell the owner this "
                        "number and the promised time.", number=case.number), "success")
            else:
                flash(_("Your complaint is filed as %(number)s. We will answer within the "
                        "promised time.", number=case.number), "success")
            return redirect(url_for("forum.thread", thread_id=case.thread_id))
    status = 400 if form.is_submitted() and (similar is None or not photos.ok) else 200
    return render_template("complaints/file.html", community=community, form=form,
                           professions=queries.professions(), on_behalf=on_behalf,
                           similar=similar, verified_units=verified_units, photos=photos), status


@bp.get("/cases/<int:case_id>")
def show(case_id: int):
    return _back(_case_or_404(case_id))


@bp.post("/cases/<int:case_id>/steps")
@login_required
def take_step(case_id: int):
    case = _case_or_404(case_id)
    require(current_user, "case.act", case)
    action = request.form.get("step", "")
    if action not in {a.value for a in Action}:
        abort(400)
    form = StepForm(prefix=action)
    if not form.validate_on_submit():
        return _refused(case, step_form=form, step_action=action)
    step = services.StepInput(
        note=form.note.data or "", department_id=form.department_id.data,
        handler_id=form.handler_id.data, committed_date=form.committed_date.data,
        work_order_number=form.work_order_number.data or "",
        work_order_details=form.work_order_details.data or "",
        resolution_summary=form.resolution_summary.data or "",
        decline_reason=form.decline_reason.data or "")
    try:
        services.take_step(case, action, current_user, step,
                           seen_version=form.version.data)
    except NotAllowed:
        raise
    except DomainError as err:
        db.session.rollback()
        return _refused(fresh_case(case_id), err, step_form=form, step_action=action)
    flash(_("The case is updated."), "success")
    return _back(case)


def fresh_case(case_id: int) -> Case:
    """The case as it is now in the database (after someone else's change)."""
    db.session.expire_all()
    return _case_or_404(case_id)


def _case_form_post(case_id: int, rule_name: str, form_cls: type, form_key: str, action: Any,
                    done: str):  # noqa: ANN202
    """Refuse anyone `rule_name` does not admit before reading their input; then validate
    one case form, run `action(case, form)`, and answer the way every case form does: back
    to the case with `done` flashed, or the page again with what was typed."""
    case = _case_or_404(case_id)
    require(current_user, rule_name, case)
    form = form_cls()
    if not form.validate_on_submit():
        return _refused(case, **{form_key: form})
    try:
        action(case, form)
    except NotAllowed:
        raise  # a 403 page, not a form error
    except DomainError as err:
        db.session.rollback()
        return _refused(fresh_case(case_id), err, **{form_key: form})
    flash(done, "success")
    return _back(case)


@bp.post("/cases/<int:case_id>/answer")
@login_required
def answer(case_id: int):
    case = _case_or_404(case_id)
    require(current_user, "case.answer", case)
    form = AnswerForm()
    photos = photos_from_request(current_user)
    if not form.validate_on_submit() or not photos.ok:
        return _refused(case, answer_form=form, answer_photos=photos)
    try:
        services.answer(case, current_user, body=form.body.data, photo_ids=tuple(photos.ids))
    except NotAllowed:
        raise
    except DomainError as err:
        db.session.rollback()
        return _refused(fresh_case(case_id), err, answer_form=form, answer_photos=photos)
    flash(_("Your official reply is posted."), "success")
    return _back(case)


@bp.post("/cases/<int:case_id>/notes")
@login_required
def add_note(case_id: int):
    return _case_form_post(
        case_id, "case.note", NoteForm, "note_form",
        lambda case, form: services.add_note(case, current_user, body=form.body.data),
        _("The internal note is saved."))


@bp.post("/cases/<int:case_id>/confirm")
@login_required
def confirm(case_id: int):
    def _confirm(case: Case, form: ConfirmCaseForm) -> None:
        services.confirm(case, current_user, services.RatingInput(
            overall=form.overall.data, buy_again=form.buy_again.data,
            recommend=form.recommend.data, comment=form.comment.data or "",
            comment_public=bool(form.comment_public.data)))

    return _case_form_post(case_id, "case.owner_step", ConfirmCaseForm, "confirm_form", _confirm,
                           _("Thank you. The case is closed with your confirmation."))


def _owner_reason_step(case_id: int, step: Action):  # noqa: ANN202
    service = services.reject if step == Action.REJECT else services.reopen
    return _case_form_post(
        case_id, "case.owner_step", ReasonForm, "reason_form",
        lambda case, form: service(case, current_user, reason=form.reason.data),
        _("The case is back with our staff. We are sorry it is not solved yet."))


@bp.post("/cases/<int:case_id>/reject")
@login_required
def reject(case_id: int):
    return _owner_reason_step(case_id, Action.REJECT)


@bp.post("/cases/<int:case_id>/reopen")
@login_required
def reopen(case_id: int):
    return _owner_reason_step(case_id, Action.REOPEN)


@bp.post("/cases/<int:case_id>/join")
@login_required
def join(case_id: int):
    case = _case_or_404(case_id)
    try:
        services.join_case(case, current_user)
    except Invalid as err:
        flash(str(err.message), "warning")
    else:
        flash(_("You joined this complaint. You will be told of every change."), "success")
    return _back(case)


@bp.post("/cases/<int:case_id>/merge")
@login_required
def merge(case_id: int):
    def _merge(case: Case, form: MergeForm) -> None:
        into = db.session.get(Case, form.into.data)
        if into is None:
            raise Invalid(_("There is no case with this number."), field="into")
        services.merge(case, into, current_user, seen_version=form.version.data,
                       note=form.note.data or "")

    return _case_form_post(case_id, "case.merge", MergeForm, "merge_form", _merge, _("The case is merged."))


@bp.route("/t/<int:thread_id>/convert", methods=["GET", "POST"])
@login_required
def convert(thread_id: int):
    thread = forum_queries.thread_for_page(thread_id)
    if thread is None:
        abort(404)
    require(current_user, "case.convert", thread)
    form = ConvertForm()
    form.category_id.choices = _category_choices()
    if form.validate_on_submit():
        try:
            services.convert_thread(thread, current_user, services.Filing(
                title=thread.title, body="", category_id=form.category_id.data,
                location=form.location.data or "public",
                location_text=form.location_text.data or "",
                wanted_outcome=form.wanted_outcome.data or ""))
        except Invalid as err:
            flash(str(err.message), "error")
        else:
            flash(_("The thread is now a tracked complaint."), "success")
            return redirect(url_for("forum.thread", thread_id=thread.id))
    status = 400 if form.is_submitted() else 200
    return render_template("complaints/convert.html", thread=thread, form=form,
                           professions=queries.professions()), status
