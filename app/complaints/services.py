"""What each complaint action changes: filing, the lifecycle steps, answers, joins, merges.

Each public function is one unit of work: permission, rules, writes, one commit,
then the `case_event` signal for listeners (notifications) after the commit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import flag_modified

from .. import text
from ..auth.models import User
from ..communities.models import Board, BoardKind, Category, Community, Department
from ..core import clock
from ..core.database import commit_or_raise
from ..core.errors import Conflict, Invalid, NotAllowed
from ..extensions import db
from ..forum import services as forum_services
from ..forum.models import Post, Thread
from ..owners.queries import owner_unit_for
from ..search import index as search_index
from ..security.policy import require
from ..sitesettings.calendar import current_calendar
from ..sitesettings.services import setting
from . import promises
from .models import Case, CaseEvent, CaseNote, Location, MeToo, Rating, Stage
from .signals import case_event
from .workflow import (OPEN, OWNER_ACTIONS, SYSTEM_ACTIONS, Action, ClosedKind, Status,
                       next_status)

# Timeline entries that are not status changes.
FILED, CONVERTED, ANSWERED, ESCALATED, GROUPED, MERGED_IN = (
    "filed", "converted", "answered", "escalated", "grouped", "merged_in")


@dataclass
class Filing:
    """What an owner (or staff for them) tells us when filing a complaint."""

    title: str
    body: str
    category_id: int
    location: str = Location.PUBLIC.value
    location_text: str = ""
    unit_text: str = ""
    wanted_outcome: str = ""
    stage: str | None = None
    anonymous: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    unit_id: int | None = None  # one of the filer's verified units; None: their first there
    photo_ids: tuple[int, ...] = ()


def _now() -> datetime:
    return clock.now()


def _complaints_board(community: Community) -> Board:
    board = db.session.scalar(
        select(Board).where(Board.community_id == community.id,
                            Board.kind == BoardKind.COMPLAINTS.value,
                            Board.archived_at.is_(None))
        .order_by(Board.position, Board.id).limit(1))
    if board is None:
        raise Invalid(_l("This community has no complaints board yet."))
    return board


def _item_category(category_id: int | None) -> Category:
    category = db.session.get(Category, category_id) if category_id else None
    if category is None or category.parent_id is None or category.archived_at is not None:
        raise Invalid(_l("Choose a category from the list."), field="category_id")
    return category


def _deadlines(category: Category, start: datetime) -> tuple[datetime, datetime, datetime]:
    calendar = current_calendar()  # the admin's holiday calendar (app/sitesettings)
    working = category.counts_working_hours
    return tuple(promises.add_hours(start, hours, working=working, calendar=calendar)
                 for hours in category.limits)  # type: ignore[return-value]


def _actor_label(actor: User | None) -> str:
    """How a staff actor appears publicly: their name, or their department's, as configured."""
    if actor is None or not actor.is_staff:
        return ""
    if setting("PUBLIC_HANDLER_NAMES"):
        return actor.display_name
    return actor.department.name if actor.department else ""


def _record(case: Case, actor: User | None, action: str, *, before: str | None = None,
            after: str | None = None, note: str = "", **data: object) -> CaseEvent:
    event = CaseEvent(case=case, actor_id=actor.id if actor else None,
                      actor_label=_actor_label(actor), action=action, before=before,
                      after=after, note_html=text.render(note) if note.strip() else "",
                      data={k: v for k, v in data.items() if v is not None}, at=_now())
    db.session.add(event)
    return event


def _finish(case: Case, *events: CaseEvent) -> None:
    """Commit (two writers of one case collide on its version) and tell the listeners."""
    commit_or_raise(Conflict)
    for event in events:
        case_event.send(case, event=event)


def _apply_filing(case: Case, filing: Filing) -> None:
    case.location = Location(filing.location).value
    case.location_text = filing.location_text.strip()
    case.unit_text = filing.unit_text.strip() or None
    case.wanted_outcome = filing.wanted_outcome.strip()
    case.stage = Stage(filing.stage).value if filing.stage else None
    case.contact_name = filing.contact_name.strip() or None
    case.contact_phone = filing.contact_phone.strip() or None
    case.contact_email = filing.contact_email.strip() or None


def _new_case(thread: Thread, community: Community, category: Category, filing: Filing, *,
              filer: User | None, filed_by: User) -> Case:
    start = _now()
    first_due, plan_due, resolve_due = _deadlines(category, start)
    case = Case(thread_id=thread.id, community_id=community.id, category_id=category.id,
                department_id=category.routed_department_id,
                filer_id=filer.id if filer else None, filed_by_id=filed_by.id,
                status=Status.RECEIVED.value, first_response_due=first_due,
                plan_due=plan_due, resolve_due=resolve_due, created_at=start)
    _apply_filing(case, filing)
    if filer is not None:  # a verified owner's unit goes with their case (staff see it)
        case.unit_id = owner_unit_for(filer, community.id, filing.unit_id)
    db.session.add(case)
    db.session.flush()
    search_index.mark_case(thread.id)  # "similar cases" looks among complaints only
    return case


def file_complaint(community: Community, filer: User | None, filing: Filing, *,
                   filed_by: User | None = None) -> Case:
    """File a complaint: its thread, the case (received), the first event and the promise
    clocks, in one transaction. Staff pass `filed_by` to file for an owner who phoned or
    walked in (`filer` is then the owner's account, or None with contact details)."""
    if filed_by is None:
        if filer is None:
            raise NotAllowed("case.file")
        require(filer, "case.file", community)
        filed_by = filer
    else:
        require(filed_by, "case.file_for_owner", community)
        if filer is None and not (filing.contact_name.strip() and filing.contact_phone.strip()):
            raise Invalid(_l("Name the owner's account, or give their name and phone."),
                          field="owner_username")
    category = _item_category(filing.category_id)
    board = _complaints_board(community)
    author = filer or filed_by
    thread = forum_services.open_thread(board, author, title=filing.title, body=filing.body,
                                        anonymous=filing.anonymous and filer is not None,
                                        photo_ids=filing.photo_ids, photo_uploader=filed_by)
    case = _new_case(thread, community, category, filing, filer=filer, filed_by=filed_by)
    event = _record(case, filed_by, FILED, after=Status.RECEIVED.value,
                    on_behalf=filed_by is not filer or None)
    _finish(case, event)
    return case


def convert_thread(thread: Thread, staff: User, filing: Filing) -> Case:
    """Turn an existing discussion into a case filed by the thread's author."""
    require(staff, "case.convert", thread)
    community = thread.board.community
    if community is None:
        raise Invalid(_l("Only threads of a community can become complaints."))
    category = _item_category(filing.category_id)
    case = _new_case(thread, community, category, filing, filer=thread.author, filed_by=staff)
    event = _record(case, staff, CONVERTED, after=Status.RECEIVED.value)
    _finish(case, event)
    return case


@dataclass
class StepInput:
    """The fields a staff step may carry; each step requires its own."""

    note: str = ""
    department_id: int | None = None
    handler_id: int | None = None
    committed_date: date | None = None
    work_order_number: str = ""
    work_order_details: str = ""
    resolution_summary: str = ""
    decline_reason: str = ""


def _need(value: object, message: object, field: str) -> None:
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        raise Invalid(message, field=field)


def _assign(case: Case, step: StepInput, data: dict) -> None:
    department = db.session.get(Department, step.department_id) if step.department_id else None
    if department is None:
        raise Invalid(_l("Choose the department that will handle the case."),
                      field="department_id")
    handler = db.session.get(User, step.handler_id) if step.handler_id else None
    if step.handler_id and (handler is None or handler.department_id != department.id):
        raise Invalid(_l("The handler must belong to the chosen department."),
                      field="handler_id")
    case.department_id = department.id
    case.handler_id = handler.id if handler else None
    data.update(department=department.name,
                handler=handler.display_name if handler and
                setting("PUBLIC_HANDLER_NAMES") else None)


def _plan(case: Case, step: StepInput, data: dict) -> None:
    _need(step.note, _l("Describe the plan for the owner."), "note")
    today = _now().astimezone(promises.SHANGHAI).date()  # owners' calendar, not UTC's
    if step.committed_date is None or step.committed_date < today:
        raise Invalid(_l("Give a completion date that is not in the past."),
                      field="committed_date")
    case.committed_date = step.committed_date
    case.planned_at = case.planned_at or _now()
    data["committed_date"] = step.committed_date.isoformat()


def _dispatch(case: Case, step: StepInput, data: dict) -> None:
    _need(step.work_order_number, _l("Give the work order number."), "work_order_number")
    case.work_order_number = step.work_order_number.strip()
    case.work_order_details = step.work_order_details.strip() or None
    data["work_order"] = case.work_order_number


def _resolve(case: Case, step: StepInput, data: dict) -> None:
    _need(step.resolution_summary, _l("Summarise what was done."), "resolution_summary")
    case.resolution_summary = step.resolution_summary.strip()
    case.resolved_at = _now()


def _decline(case: Case, step: StepInput, data: dict) -> None:
    _need(step.decline_reason, _l("Give the public reason for declining."), "decline_reason")
    case.decline_reason = step.decline_reason.strip()
    case.closed_at = _now()


_STAFF_STEPS = {Action.ASSIGN: _assign, Action.PLAN: _plan, Action.DISPATCH: _dispatch,
                Action.RESOLVE: _resolve, Action.DECLINE: _decline}


def take_step(case: Case, action: Action | str, actor: User, step: StepInput, *,
              seen_version: int) -> CaseEvent:
    """Move a case one staff step along its lifecycle and record a public event."""
    action = Action(action)
    if action in OWNER_ACTIONS or action in SYSTEM_ACTIONS:
        raise NotAllowed("case.act")
    require(actor, "case.act", case, action=action)
    # The version first: a step made impossible by a colleague's (dispatch after their
    # dispatch) is "the case changed", not "not possible", to whoever was second.
    if case.version != seen_version:
        raise Conflict()
    target = next_status(case.status, action)
    before = case.status
    data: dict = {}
    _STAFF_STEPS[action](case, step, data)
    case.first_response_at = case.first_response_at or _now()
    case.status = target.value
    # Every step moves the version, even one that changes no column (the same plan given
    # again): otherwise two staff repeating a step at once would both succeed.
    flag_modified(case, "status")
    event = _record(case, actor, action.value, before=before, after=target.value,
                    note=step.note, **data)
    _finish(case, event)
    return event


def answer(case: Case, staff: User, *, body: str, photo_ids: tuple[int, ...] = ()) -> Post:
    """Post an official reply on the case's thread; the first one meets the response promise."""
    require(staff, "case.answer", case)
    post = forum_services.add_reply(case.thread, staff, body=body, official=True,
                                    photo_ids=photo_ids)
    case.first_response_at = case.first_response_at or _now()
    db.session.flush()
    event = _record(case, staff, ANSWERED, post=post.number)
    _finish(case, event)
    return post


def add_note(case: Case, staff: User, *, body: str) -> CaseNote:
    """Write an internal note: staff only, never public, never on the timeline."""
    require(staff, "case.note", case)
    note = CaseNote(case_id=case.id, author_id=staff.id, body_source=body,
                    body_html=text.render(body), created_at=_now())
    db.session.add(note)
    db.session.flush()
    search_index.put_note(note, case)  # staff search finds it; nobody else can
    commit_or_raise()
    return note


@dataclass
class RatingInput:
    overall: int
    buy_again: int
    recommend: int
    comment: str = ""
    comment_public: bool = True


def confirm(case: Case, owner: User, rating: RatingInput) -> CaseEvent:
    """The owner confirms the resolution and answers the three questions."""
    require(owner, "case.owner_step", case)
    target = next_status(case.status, Action.CONFIRM)
    scores = (rating.overall, rating.buy_again, rating.recommend)
    if not all(isinstance(s, int) and 1 <= s <= 5 for s in scores):
        raise Invalid(_l("Answer each question with 1 to 5 stars."))
    before = case.status
    case.status, case.closed_kind, case.closed_at = target.value, ClosedKind.CONFIRMED.value, _now()
    row = case.rating or Rating(case_id=case.id)
    row.overall, row.buy_again, row.recommend = scores
    row.comment, row.comment_public = rating.comment.strip(), rating.comment_public
    row.at = _now()
    db.session.add(row)
    event = _record(case, owner, Action.CONFIRM.value, before=before, after=target.value)
    _finish(case, event)
    return event


def reject(case: Case, owner: User, *, reason: str) -> CaseEvent:
    """The owner says it is not resolved (退回重办): back to work, counted as a reopen."""
    require(owner, "case.owner_step", case)
    target = next_status(case.status, Action.REJECT)
    _need(reason, _l("Tell us what is still wrong."), "reason")
    before = case.status
    case.status, case.resolved_at = target.value, None
    case.reopen_count += 1
    event = _record(case, owner, Action.REJECT.value, before=before, after=target.value,
                    note=reason)
    _finish(case, event)
    return event


def reopen(case: Case, owner: User, *, reason: str) -> CaseEvent:
    """The owner reopens a closed case within the configured window."""
    require(owner, "case.owner_step", case)
    target = next_status(case.status, Action.REOPEN)
    window = timedelta(days=setting("REOPEN_WINDOW_DAYS"))
    if case.closed_at is None or _now() > case.closed_at + window:
        raise Invalid(_l("This case was closed more than %(days)s days ago; please file a new "
                         "complaint.", days=window.days))
    _need(reason, _l("Tell us what is still wrong."), "reason")
    before = case.status
    case.status, case.closed_kind, case.closed_at, case.resolved_at = target.value, None, None, None
    case.reopen_count += 1
    event = _record(case, owner, Action.REOPEN.value, before=before, after=target.value,
                    note=reason)
    _finish(case, event)
    return event


def auto_close_due() -> int:
    """Close, as unconfirmed, resolved cases the owner left unanswered for N days. Idempotent."""
    cutoff = _now() - timedelta(days=setting("AUTO_CLOSE_DAYS"))
    ids = db.session.scalars(select(Case.id).where(Case.status == Status.RESOLVED.value,
                                                   Case.resolved_at <= cutoff)).all()
    closed = 0
    for case_id in ids:
        case = db.session.get(Case, case_id)
        if case is None or case.status != Status.RESOLVED.value:
            continue
        case.status, case.closed_kind = Status.CLOSED.value, ClosedKind.UNCONFIRMED.value
        case.closed_at = _now()
        event = _record(case, None, Action.AUTO_CLOSE.value, before=Status.RESOLVED.value,
                        after=Status.CLOSED.value, days=setting("AUTO_CLOSE_DAYS"))
        try:
            _finish(case, event)
        except Conflict:  # someone acted on it meanwhile: their step stands
            continue
        closed += 1
    return closed


def _broken_promise(case: Case, now: datetime) -> str | None:
    checks = ((case.first_response_at, case.first_response_due, "first_response"),
              (case.planned_at, case.plan_due, "plan"),
              (case.resolved_at, case.resolve_due, "resolve"))
    for done, due, kind in checks:
        if done is None and due < now:
            return kind
    return None


def escalate_overdue() -> int:
    """Escalate open cases with a broken promise to the supervisors, once each. Idempotent."""
    now = _now()
    candidates = db.session.scalars(
        select(Case).where(Case.status.in_([s.value for s in OPEN]),
                           Case.escalated_at.is_(None),
                           (Case.first_response_due < now) | (Case.plan_due < now)
                           | (Case.resolve_due < now))).all()
    escalated = 0
    for case in candidates:
        kind = _broken_promise(case, now)
        if kind is None:
            continue
        case.escalated_at = now
        event = _record(case, None, ESCALATED, promise=kind)
        try:
            _finish(case, event)
        except Conflict:
            continue
        escalated += 1
    return escalated


def join_case(case: Case, user: User) -> MeToo:
    """"Me too": join an open complaint instead of filing a copy; many joins make it a group
    complaint (群诉), which is escalated."""
    require(user, "case.join", case)
    if has_joined(case, user):
        raise Invalid(_l("You have already joined this complaint."))
    join = MeToo(case_id=case.id, user_id=user.id, at=_now())
    db.session.add(join)
    # Counted with an UPDATE that leaves the case's version alone: a join never makes
    # a staff member's form stale.
    db.session.execute(update(Case).where(Case.id == case.id)
                       .values(metoo_count=Case.metoo_count + 1),
                       execution_options={"synchronize_session": False})
    events = []
    if case.group_flagged_at is None and _recent_joins(case) >= \
            setting("GROUP_MIN_JOINS"):
        case.group_flagged_at = _now()
        case.escalated_at = case.escalated_at or _now()
        events.append(_record(case, None, GROUPED, joins=_recent_joins(case)))
    # Two joins by one person at once: the unique (case, user) key refuses the second.
    commit_or_raise(Invalid, _l("You have already joined this complaint."))
    for event in events:
        case_event.send(case, event=event)
    return join


def _recent_joins(case: Case) -> int:
    since = _now() - timedelta(days=setting("GROUP_WINDOW_DAYS"))
    return db.session.scalar(select(func.count(func.distinct(MeToo.user_id)))
                             .where(MeToo.case_id == case.id, MeToo.at >= since)) or 0


def has_joined(case: Case, user: User) -> bool:
    """Whether `user` joined this case."""
    if not user.is_member:
        return False
    return db.session.scalar(select(MeToo.id).where(MeToo.case_id == case.id,
                                                    MeToo.user_id == user.id)) is not None


def merge(duplicate: Case, into: Case, staff: User, *, seen_version: int,
          note: str = "") -> CaseEvent:
    """Merge a duplicate into a case: the duplicate is declined with a pointer, and its
    filer and joiners join the case."""
    require(staff, "case.merge", duplicate)
    if into.id == duplicate.id or into.status == Status.DECLINED.value:
        raise Invalid(_l("Choose another open or resolved case to merge into."),
                      field="into")
    if duplicate.version != seen_version:
        raise Conflict()
    target = next_status(duplicate.status, Action.DECLINE)
    joined = set(db.session.scalars(select(MeToo.user_id).where(MeToo.case_id == into.id)))
    carried = set(db.session.scalars(select(MeToo.user_id)
                                     .where(MeToo.case_id == duplicate.id)))
    if duplicate.filer_id:
        carried.add(duplicate.filer_id)
    carried -= joined | {into.filer_id}
    for user_id in sorted(carried):
        db.session.add(MeToo(case_id=into.id, user_id=user_id, at=_now(),
                             merged_from_id=duplicate.id))
    # Counted like a join: an UPDATE that leaves the target's version (and open forms) alone.
    db.session.execute(update(Case).where(Case.id == into.id)
                       .values(metoo_count=Case.metoo_count + len(carried)),
                       execution_options={"synchronize_session": False})
    before = duplicate.status
    duplicate.status, duplicate.duplicate_of_id = target.value, into.id
    duplicate.decline_reason = note.strip() or str(_l("Duplicate of %(number)s",
                                                      number=into.number))
    duplicate.closed_at = _now()
    duplicate.first_response_at = duplicate.first_response_at or _now()
    out = _record(duplicate, staff, Action.DECLINE.value, before=before, after=target.value,
                  note=note, duplicate_of=into.id)
    inn = _record(into, staff, MERGED_IN, merged=duplicate.id, joined=len(carried))
    commit_or_raise(Conflict)
    case_event.send(duplicate, event=out)
    case_event.send(into, event=inn)
    return out
