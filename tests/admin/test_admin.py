"""Administration: the admin-only guard, each action with its audit entry, validation that
changes nothing, the last-admin guard, and the query budget of every admin page."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.auth.roles import Role
from app.communities.models import Board, BoardKind, Category, Community, Department
from app.core import clock
from app.extensions import db
from tests.factories import make_board, make_category, make_community, make_department, \
    make_thread, make_user
from tests.helpers import counting_queries, fresh


def audits(action: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def as_admin(client, login, admin):
    login(admin)
    return client


# --- the guard ----------------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.MEMBER, Role.OWNER, Role.HANDLER, Role.STAFF,
                                  Role.MODERATOR])
def test_only_admins_enter(app, client, login, role) -> None:
    login(make_user(role))

    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/communities", data={"slug": "x", "name": "X"}).status_code == 403
    assert count(Community) == 0


def test_visitors_are_sent_to_log_in(app, client) -> None:
    response = client.get("/admin/settings")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_banned_admin_is_refused(app, client, login) -> None:
    admin = make_user(Role.ADMIN)
    login(admin)
    admin.banned_at = clock.now()
    db.session.commit()

    assert client.get("/admin/").status_code == 403


def test_a_remembered_login_must_sign_in_again(app, client, login, admin) -> None:
    login(admin, remember=True)
    with client.session_transaction() as session:
        session["_fresh"] = False

    response = client.get("/admin/")

    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- communities and boards --------------------------------------------------------------

def test_create_rename_order_and_archive_a_community(app, as_admin, admin) -> None:
    response = as_admin.post("/admin/communities", data={
        "slug": "cuihu", "name": "翠湖花园", "city": "深圳", "position": 3})
    community = db.session.scalar(select(Community))
    assert response.status_code == 302
    assert (community.slug, community.name, community.position) == ("cuihu", "翠湖花园", 3)

    as_admin.post(f"/admin/communities/{community.id}", data={
        "name": "翠湖花园二期", "city": "深圳", "position": 1, "reason": "改名"})
    board = make_board(community, slug="talk")
    as_admin.post(f"/admin/communities/{community.id}/archive",
                  data={"archived": "y", "reason": "已交付物业"})

    community = fresh(community)
    assert (community.name, community.position) == ("翠湖花园二期", 1)
    assert community.archived_at is not None and fresh(board).archived_at is not None
    assert "翠湖花园二期" not in as_admin.get("/").get_data(as_text=True)
    actions = [(e.action, e.actor_id) for e in audits()]
    assert actions == [("community.create", admin.id), ("community.update", admin.id),
                       ("community.archive", admin.id)]
    update = audits("community.update")[0]
    assert update.before == {"name": "翠湖花园", "position": 3}
    assert update.after == {"name": "翠湖花园二期", "position": 1}
    assert update.reason == "改名"
    assert audits("community.archive")[0].reason == "已交付物业"

    as_admin.post(f"/admin/communities/{community.id}/archive", data={})
    assert fresh(community).archived_at is None


@pytest.mark.parametrize("data", [
    {"slug": "Bad Slug", "name": "翠湖"},
    {"slug": "ok", "name": ""},
    {"slug": "ok", "name": "翠湖", "position": "-3"},
])
def test_a_bad_community_changes_nothing(app, as_admin, data) -> None:
    response = as_admin.post("/admin/communities", data=data)

    assert response.status_code == 400
    assert count(Community) == 0 and audits() == []


def test_a_taken_slug_is_refused(app, as_admin) -> None:
    make_community(slug="cuihu")

    response = as_admin.post("/admin/communities", data={"slug": "cuihu", "name": "重复"})

    assert response.status_code == 400 and count(Community) == 1 and audits() == []


def test_boards_of_every_kind_created_edited_archived(app, as_admin) -> None:
    community = make_community()
    for kind in BoardKind:
        response = as_admin.post(f"/admin/communities/{community.id}/boards", data={
            "slug": f"b-{kind.value}", "name": f"版块{kind.value}", "kind": kind.value})
        assert response.status_code == 302, kind
    as_admin.post("/admin/boards", data={"site-slug": "news", "site-name": "平台公告",
                                         "site-kind": "announcements"})
    boards = db.session.scalars(select(Board).order_by(Board.id)).all()
    assert [b.kind for b in boards] == [k.value for k in BoardKind] + ["announcements"]
    assert boards[-1].community_id is None

    club = boards[3]
    as_admin.post(f"/admin/boards/{club.id}", data={"name": "业主活动", "kind": "club",
                                                     "position": 9, "description": "周末活动"})
    as_admin.post(f"/admin/boards/{club.id}/archive", data={"archived": "y"})
    club = fresh(club)
    assert (club.name, club.position, club.is_archived) == ("业主活动", 9, True)
    assert [e.action for e in audits()] == ["board.create"] * 5 + ["board.update",
                                                                   "board.archive"]


def test_a_bad_board_kind_changes_nothing(app, as_admin) -> None:
    community = make_community()

    response = as_admin.post(f"/admin/communities/{community.id}/boards",
                             data={"slug": "x", "name": "X", "kind": "casino"})

    assert response.status_code == 400 and count(Board) == 0 and audits() == []


# --- categories and the calendar -----------------------------------------------------------

def test_create_and_edit_categories_with_limits_and_routing(app, as_admin) -> None:
    engineering, property_ = make_department(), make_department()
    response = as_admin.post("/admin/categories", data={
        "slug": "engineering", "name": "工程质量", "department_id": engineering.id,
        "first_response_hours": "24", "plan_hours": "48", "resolve_hours": "240",
        "working_hours": "1"})
    assert response.status_code == 302
    profession = db.session.scalar(select(Category))
    as_admin.post("/admin/categories", data={
        "slug": "leaks", "name": "防水渗漏", "parent_id": profession.id,
        "standard": "**保修期**：5年", "resolve_hours": "120"})
    item = db.session.scalar(select(Category).where(Category.parent_id == profession.id))
    assert item.limits == (24.0, 48.0, 120.0) and item.counts_working_hours
    assert item.routed_department_id == engineering.id
    assert "<strong>保修期</strong>" in item.standard_html

    as_admin.post(f"/admin/categories/{item.id}", data={
        "name": "防水渗漏", "department_id": property_.id, "first_response_hours": "4",
        "plan_hours": "24", "resolve_hours": "72", "working_hours": "0",
        "standard": "24小时内上门", "reason": "改由物业处理"})

    item = fresh(item)
    assert item.limits == (4.0, 24.0, 72.0) and not item.counts_working_hours
    assert item.routed_department_id == property_.id and "24小时内上门" in item.standard_html
    update = audits("category.update")[0]
    assert update.before["department_id"] is None and update.after["department_id"] == property_.id
    assert update.reason == "改由物业处理"
    assert [e.action for e in audits()] == ["category.create", "category.create",
                                            "category.update"]


@pytest.mark.parametrize("data", [
    {"slug": "p", "name": "工程", "first_response_hours": "24", "plan_hours": "48",
     "resolve_hours": "240"},                                  # no department
    {"slug": "p", "name": "工程", "department_id": "DEPT", "first_response_hours": "48",
     "plan_hours": "24", "resolve_hours": "240"},              # plan before first response
    {"slug": "p", "name": "工程", "department_id": "DEPT", "first_response_hours": "0",
     "plan_hours": "24", "resolve_hours": "240"},              # zero hours
    {"slug": "p", "name": "工程", "department_id": "DEPT", "plan_hours": "24",
     "resolve_hours": "240"},                                  # missing a limit
])
def test_bad_categories_change_nothing(app, as_admin, data) -> None:
    department = make_department()
    data = {k: (str(department.id) if v == "DEPT" else v) for k, v in data.items()}

    response = as_admin.post("/admin/categories", data=data)

    assert response.status_code == 400 and count(Category) == 0 and audits() == []


def test_archiving_a_category_takes_it_off_the_complaint_form(app, as_admin) -> None:
    item = make_category(name="电梯")
    as_admin.post(f"/admin/categories/{item.id}/archive", data={"archived": "y"})

    assert fresh(item).archived_at is not None
    assert audits("category.archive")


# --- departments ------------------------------------------------------------------------

def test_departments_members_and_supervisors(app, as_admin) -> None:
    as_admin.post("/admin/departments", data={"slug": "design", "name": "设计部"})
    department = db.session.scalar(select(Department))
    handler, owner = make_user(Role.HANDLER, username="eng_wu"), make_user(Role.OWNER,
                                                                             username="wang")
    as_admin.post(f"/admin/departments/{department.id}", data={"name": "设计研发部",
                                                               "position": 2})
    as_admin.post(f"/admin/departments/{department.id}/members",
                  data={"username": "eng_wu", "supervisor": "y"})
    as_admin.post(f"/admin/departments/{department.id}/members", data={"username": "wang"})

    assert fresh(department).name == "设计研发部"
    handler, owner = fresh(handler), fresh(owner)
    assert (handler.department_id, handler.is_supervisor) == (department.id, True)
    assert owner.department_id is None  # owners do not work in departments
    as_admin.post(f"/admin/users/{handler.id}/department", data={"department_id": ""})
    assert fresh(handler).department_id is None and not fresh(handler).is_supervisor
    assert [e.action for e in audits()] == ["department.create", "department.update",
                                            "user.department", "user.department"]


# --- users --------------------------------------------------------------------------------

def test_search_users_by_username_name_or_email(app, as_admin) -> None:
    make_user(username="lin_nvshi", display_name="5栋林女士", email="lin@example.com")
    make_user(username="zhou", display_name="周先生", email="zhou@mail.test")

    assert "5栋林女士" in as_admin.get("/admin/users?q=LIN_").get_data(as_text=True)
    page = as_admin.get("/admin/users?q=林女士").get_data(as_text=True)
    assert "lin@example.com" in page and "周先生" not in page
    assert "周先生" in as_admin.get("/admin/users?q=mail.test").get_data(as_text=True)
    assert "周先生" not in as_admin.get("/admin/users?q=zhou&role=staff").get_data(as_text=True)


def test_roles_are_changed_with_an_audit_entry(app, as_admin, admin) -> None:
    member = make_user()
    for role in ("handler", "staff", "moderator", "admin", "member"):
        response = as_admin.post(f"/admin/users/{member.id}/role",
                                 data={"role": role, "reason": "岗位调整"})
        assert response.status_code == 302, role
        assert fresh(member).role == role
    roles = [(e.before["role"], e.after["role"]) for e in audits("user.role")]
    assert roles == [("member", "handler"), ("handler", "staff"), ("staff", "moderator"),
                     ("moderator", "admin"), ("admin", "member")]
    assert all(e.reason == "岗位调整" and e.actor_id == admin.id for e in audits("user.role"))


def test_the_owner_role_comes_only_from_verification(app, as_admin) -> None:
    member = make_user()

    response = as_admin.post(f"/admin/users/{member.id}/role", data={"role": "owner"})

    assert response.status_code == 400 and fresh(member).role == "member" and audits() == []


def test_a_staff_member_made_member_leaves_their_department(app, as_admin) -> None:
    handler = make_user(Role.HANDLER, department_id=make_department().id, is_supervisor=True)

    as_admin.post(f"/admin/users/{handler.id}/role", data={"role": "member"})

    handler = fresh(handler)
    assert (handler.department_id, handler.is_supervisor) == (None, False)


def test_the_last_admin_cannot_stop_being_admin(app, as_admin, admin) -> None:
    response = as_admin.post(f"/admin/users/{admin.id}/role", data={"role": "moderator"})

    assert response.status_code == 400
    assert "最后一位管理员" in response.get_data(as_text=True)
    assert fresh(admin).role == "admin" and audits() == []

    other = make_user(Role.ADMIN)
    assert as_admin.post(f"/admin/users/{admin.id}/role",
                         data={"role": "moderator"}).status_code == 302
    assert fresh(admin).role == "moderator" and fresh(other).role == "admin"


def test_a_banned_admin_does_not_count_as_the_other_admin(app, as_admin, admin) -> None:
    make_user(Role.ADMIN, banned_at=clock.now())

    response = as_admin.post(f"/admin/users/{admin.id}/role", data={"role": "member"})

    assert response.status_code == 400 and fresh(admin).role == "admin"


def test_a_bad_role_changes_nothing(app, as_admin) -> None:
    member = make_user()

    response = as_admin.post(f"/admin/users/{member.id}/role", data={"role": "emperor"})

    assert response.status_code == 400 and fresh(member).role == "member" and audits() == []


def test_the_user_page_links_to_the_moderators_suspend_route(app, as_admin) -> None:
    member = make_user(username="tony_zx")

    page = as_admin.get(f"/admin/users/{member.id}").get_data(as_text=True)

    assert 'href="/mod/users/tony_zx/suspend"' in page


# --- query budget -------------------------------------------------------------------------

def test_every_admin_page_stays_within_the_query_budget(app, client, login, admin) -> None:
    department = make_department()
    for n in range(6):
        community = make_community()
        make_board(community, kind=BoardKind.COMPLAINTS)
        make_board(community)
        make_category(department)
        make_user(Role.HANDLER, department_id=department.id)
        make_user()
    board = db.session.scalar(select(Board))
    make_thread(board)
    item = db.session.scalar(select(Category).where(Category.parent_id.is_not(None)))
    member = make_user(display_name="查询预算")
    login(admin)
    client.post("/admin/calendar", data={"day": "2027-01-01", "kind": "holiday"})
    urls = ["/admin/", "/admin/communities", f"/admin/communities/{board.community_id}",
            f"/admin/boards/{board.id}", "/admin/categories", f"/admin/categories/{item.id}",
            "/admin/calendar", "/admin/departments", f"/admin/departments/{department.id}",
            "/admin/users", "/admin/users?q=user&role=member", f"/admin/users/{member.id}",
            "/admin/settings"]
    for url in urls:
        with counting_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        assert len(statements) <= 8, (url, len(statements), statements)
