"""Owner verification: the member's request, the staff queue, approval and rejection,
the badge, the unit on cases, privacy and the query budget."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth.roles import Role
from app.communities.models import BoardKind
from app.complaints.models import Case
from app.core.errors import Conflict, Invalid, NotAllowed
from app.extensions import db
from app.notifications.models import Notification
from app.owners import services
from app.owners.models import Unit, UnitMembership, VerificationRequest
from tests.factories import make_board, make_case, make_category, make_community, make_thread, \
    make_user
from tests.helpers import counting_queries, fresh

FORM = {"building": "3", "entrance": "2", "room": "1203", "contract_name": "王建国",
        "phone": "13912345678"}


def ask(user, community, **changes):
    values = {**FORM, **changes}
    return services.request_verification(user, community_id=community.id, **values)


@pytest.fixture
def community(app):
    return make_community(name="翠湖花园")


def test_a_member_asks_through_the_settings_form(app, client, login, member, community) -> None:
    login(member)

    response = client.post("/settings/verification", data={"community_id": community.id, **FORM})

    assert response.status_code == 302
    row = db.session.scalar(select(VerificationRequest))
    assert (row.user_id, row.building, row.entrance, row.room, row.phone, row.status) == \
        (member.id, "3", "2", "1203", "13912345678", "pending")
    page = client.get("/settings/verification").get_data(as_text=True)
    assert "3栋2单元1203" in page and "等待" in page


@pytest.mark.parametrize("field,value,message", [
    ("phone", "1391234567", "11"),             # ten digits
    ("phone", "12345678901", "手机"),          # no such mobile prefix... reads as a landline
    ("phone", "abc", "手机"),
    ("building", "3号楼!!", "楼栋"),
    ("room", "", "房号"),
    ("contract_name", "王", "合同"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_stored(
        app, client, login, member, community, field, value, message) -> None:
    login(member)

    response = client.post("/settings/verification",
                           data={"community_id": community.id, **{**FORM, field: value}})

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(VerificationRequest)) is None


def test_phone_numbers_are_normalised(app, member, community) -> None:
    assert ask(member, community, phone="+86 139 1234 5678").phone == "13912345678"
    assert ask(member, community, room="1204", phone="0755-12345678").phone == "0755-12345678"


def test_the_same_unit_twice_or_too_many_pending_is_refused(app, member, community) -> None:
    ask(member, community)
    with pytest.raises(Invalid):
        ask(member, community, room="1203室")  # the same room, typed with 室
    ask(member, community, room="1")
    ask(member, community, room="2")
    with pytest.raises(Invalid):
        ask(member, community, room="3")


def test_approval_verifies_the_member_with_badge_role_unit_notice_and_audit(
        app, member, staff, community) -> None:
    request = ask(member, community)

    services.approve(request, staff)

    member = fresh(member)
    assert member.role == Role.OWNER.value and member.is_verified_owner
    assert member.real_name == "王建国" and member.phone == "13912345678"
    unit = db.session.scalar(select(Unit))
    assert (unit.community_id, unit.label) == (community.id, "3栋2单元1203")
    assert db.session.scalar(select(UnitMembership.user_id)) == member.id
    notice = db.session.scalar(select(Notification))
    assert (notice.user_id, notice.kind, notice.verification_id) == \
        (member.id, "verification", request.id)
    assert member.unread_count == 1
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.action, entry.actor_id, entry.target_id) == \
        ("verification.approve", staff.id, request.id)
    assert "13912345678" not in str(entry.before) + str(entry.after)


def test_a_family_shares_one_unit_and_a_member_may_own_several(app, staff, community) -> None:
    husband, wife = make_user(), make_user()
    services.approve(ask(husband, community), staff)
    services.approve(ask(wife, community, contract_name="林晓红", phone="13900000002"), staff)
    services.approve(ask(husband, community, building="5", room="0801"), staff)

    units = db.session.scalars(select(Unit).order_by(Unit.id)).all()
    assert len(units) == 2
    assert {m.user_id for m in units[0].memberships} == {husband.id, wife.id}
    assert [m.user_id for m in units[1].memberships] == [husband.id]


def test_staff_keep_their_role_when_verified(app, staff, community) -> None:
    handler = make_user(Role.HANDLER)
    services.approve(ask(handler, community), staff)

    assert fresh(handler).role == Role.HANDLER.value and fresh(handler).is_verified_owner


def test_rejection_needs_a_reason_which_the_member_reads(app, client, login, member, staff,
                                                         community) -> None:
    request = ask(member, community)
    with pytest.raises(Invalid):
        services.reject(request, staff, reason=" ")
    assert fresh(request).status == "pending"

    services.reject(request, staff, reason="合同上的姓名与填写的不一致")

    assert fresh(member).role == Role.MEMBER.value and not fresh(member).is_verified_owner
    login(member)
    assert "合同上的姓名与填写的不一致" in client.get("/settings/verification").get_data(as_text=True)
    notices = client.get("/notifications").get_data(as_text=True)
    assert "合同上的姓名与填写的不一致" in notices


def test_a_request_is_decided_once(app, member, staff, community) -> None:
    request = ask(member, community)
    services.approve(request, staff)

    with pytest.raises(Conflict):
        services.reject(fresh(request), make_user(Role.STAFF), reason="重复")


def test_handlers_and_the_requester_cannot_decide(app, member, community) -> None:
    request = ask(member, community)
    with pytest.raises(NotAllowed):
        services.approve(request, make_user(Role.HANDLER))
    staff_owner = make_user(Role.STAFF)
    own = ask(staff_owner, community, room="9")
    with pytest.raises(NotAllowed):
        services.approve(own, staff_owner)


def test_the_staff_queue_approves_and_rejects_through_forms(app, client, login, staff,
                                                            community) -> None:
    first, second = make_user(), make_user()
    a, b = ask(first, community), ask(second, community, room="88")
    login(staff)

    page = client.get("/staff/verifications/")
    assert page.status_code == 200 and "3栋2单元1203" in page.get_data(as_text=True)
    assert client.post(f"/staff/verifications/{a.id}/approve", data={}).status_code == 302
    assert client.post(f"/staff/verifications/{b.id}/reject",
                       data={"reason": "房号不存在"}).status_code == 302

    assert (fresh(a).status, fresh(b).status) == ("approved", "rejected")
    decided = client.get("/staff/verifications/?status=rejected").get_data(as_text=True)
    assert "房号不存在" in decided


def test_the_queue_shows_who_is_verified_for_the_unit_already(app, client, login, staff,
                                                               community) -> None:
    services.approve(ask(make_user(display_name="王先生"), community), staff)
    ask(make_user(display_name="王太太"), community)
    login(staff)

    page = client.get("/staff/verifications/").get_data(as_text=True)

    assert "王先生" in page


@pytest.mark.parametrize("role", [Role.MEMBER, Role.OWNER, Role.HANDLER])
def test_the_queue_is_for_staff_and_above(app, client, login, role, community) -> None:
    request = ask(make_user(), community)
    login(make_user(role))

    assert client.get("/staff/verifications/").status_code == 403
    assert client.post(f"/staff/verifications/{request.id}/approve").status_code == 403
    assert fresh(request).status == "pending"


def test_visitors_are_sent_to_log_in(app, client) -> None:
    assert client.get("/staff/verifications/").status_code == 302
    assert client.get("/settings/verification").status_code == 302


def test_the_badge_shows_on_posts_and_profile_but_never_the_unit(app, client, member, staff,
                                                                 community) -> None:
    services.approve(ask(member, community), staff)
    thread = make_thread(make_board(community), fresh(member), title="绿化讨论")

    for url in (f"/t/{thread.id}", f"/u/{member.username}"):
        page = client.get(url).get_data(as_text=True)
        assert "认证业主" in page, url
        assert "1203" not in page and "王建国" not in page and "13912345678" not in page


def test_a_verified_owner_s_case_carries_their_unit_for_staff_only(app, client, login, member,
                                                                   staff) -> None:
    board = make_board(kind=BoardKind.COMPLAINTS, slug="complaints")
    community = board.community
    services.approve(ask(member, community), staff)
    case = make_case(fresh(member), community=community, category=make_category())

    assert case.unit is not None and case.unit.label == "3栋2单元1203"
    login(staff)
    assert "3栋2单元1203" in client.get(f"/t/{case.thread_id}").get_data(as_text=True)
    client.post("/logout")
    login(make_user(Role.OWNER))
    assert "3栋2单元1203" not in client.get(f"/t/{case.thread_id}").get_data(as_text=True)


def test_a_case_picks_the_unit_asked_for_among_the_owner_s_units(app, member, staff) -> None:
    community = make_board(kind=BoardKind.COMPLAINTS, slug="complaints").community
    services.approve(ask(member, community), staff)
    services.approve(ask(member, community, room="1501"), staff)
    second = db.session.scalars(select(Unit).order_by(Unit.id.desc())).first()
    category = make_category()

    default = make_case(fresh(member), community=community, category=category)
    chosen = make_case(fresh(member), community=community, category=category,
                       unit_id=second.id)
    elsewhere = make_case(fresh(member), category=category)

    assert default.unit.room == "1203" and chosen.unit_id == second.id
    assert elsewhere.unit_id is None


def test_a_member_without_verification_files_without_a_unit(app, member) -> None:
    case = make_case(member)

    assert case.unit_id is None


def test_queue_and_request_pages_stay_within_the_query_budget(app, client, login, staff,
                                                              community) -> None:
    for n in range(12):
        ask(make_user(), community, room=str(100 + n))
    services.approve(ask(make_user(), community, room="100", phone="13900000009"), staff)
    member = make_user()
    ask(member, community)
    login(staff)
    for url in ("/staff/verifications/", "/staff/verifications/?status=approved"):
        with counting_queries() as statements:
            assert client.get(url).status_code == 200
        assert len(statements) <= 8, (url, statements)
    client.post("/logout")
    login(member)
    with counting_queries() as statements:
        assert client.get("/settings/verification").status_code == 200
    assert len(statements) <= 8, statements


def test_the_filing_form_lets_an_owner_of_two_homes_choose(app, client, login, member,
                                                           staff) -> None:
    community = make_board(kind=BoardKind.COMPLAINTS, slug="complaints").community
    services.approve(ask(member, community), staff)
    services.approve(ask(member, community, room="1501"), staff)
    second = db.session.scalars(select(Unit).order_by(Unit.id.desc())).first()
    category = make_category()
    login(member)

    page = client.get(f"/c/{community.slug}/complaints/new").get_data(as_text=True)
    response = client.post(f"/c/{community.slug}/complaints/new", data={
        "title": "客厅窗户漏风", "category_id": category.id, "body": "冬天窗户缝隙明显漏风。",
        "location": "unit", "wanted_outcome": "更换密封条", "verified_unit_id": second.id})

    assert "3栋2单元1501" in page and "3栋2单元1203" in page
    assert response.status_code == 302
    assert db.session.scalar(select(Case.unit_id)) == second.id


def test_one_home_is_named_on_the_form_and_linked(app, client, login, member, staff) -> None:
    community = make_board(kind=BoardKind.COMPLAINTS, slug="complaints").community
    services.approve(ask(member, community), staff)
    login(member)

    page = client.get(f"/c/{community.slug}/complaints/new").get_data(as_text=True)

    assert "3栋2单元1203" in page and 'name="verified_unit_id"' not in page
