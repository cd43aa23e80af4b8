"""Filing a complaint: one transaction makes thread, case, first event and promise clocks."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.auth.roles import Role
from app.communities.models import BoardKind
from app.complaints import services
from app.complaints.models import Case, CaseEvent
from app.core.errors import NotAllowed
from app.extensions import db
from app.forum.models import Thread
from tests.factories import make_board, make_case, make_category, make_thread, make_user


def _form(category, **overrides):
    return {"title": "3栋电梯经常停运", "category_id": category.id,
            "body": "电梯这周停了三次，老人上下楼很困难。", "location": "public",
            "location_text": "3栋1单元电梯", "wanted_outcome": "彻底检修并公布原因",
            "stage": "warranty", **overrides}


def test_an_owner_files_a_complaint_and_sees_it_received_with_promises(client, login,
                                                                          owner) -> None:
    board = make_board(kind=BoardKind.COMPLAINTS)
    category = make_category(limits=(24, 72, 240))
    login(owner)

    response = client.post(f"/c/{board.community.slug}/complaints/new", data=_form(category))

    case = db.session.scalar(select(Case))
    assert response.headers["Location"] == f"/t/{case.thread_id}"
    assert case.status == "received" and case.filer_id == owner.id
    assert case.department_id == category.routed_department_id
    assert (case.first_response_due - case.created_at).total_seconds() == 24 * 3600
    assert (case.resolve_due - case.created_at).total_seconds() == 240 * 3600
    assert [e.action for e in case.events] == ["filed"]
    assert case.thread.board_id == board.id and case.thread.post_count == 1
    page = client.get(f"/t/{case.thread_id}").get_data(as_text=True)
    assert "已受理" in page and case.number in page
    assert "彻底检修并公布原因" in page and "3栋1单元电梯" in page


def test_the_form_shows_each_categorys_standard_and_limits(client, login, owner) -> None:
    board = make_board(kind=BoardKind.COMPLAINTS)
    make_category(limits=(24, 72, 240))
    login(owner)

    page = client.get(f"/c/{board.community.slug}/complaints/new").get_data(as_text=True)

    assert "保修期5年" in page
    assert "24" in page and "72" in page and "240" in page


def test_a_complaint_without_a_category_is_refused_and_nothing_is_written(client, login,
                                                                           owner) -> None:
    board = make_board(kind=BoardKind.COMPLAINTS)
    category = make_category()
    login(owner)

    response = client.post(f"/c/{board.community.slug}/complaints/new",
                           data=_form(category, category_id=""))
    profession = client.post(f"/c/{board.community.slug}/complaints/new",
                             data=_form(category, category_id=category.parent_id))

    assert response.status_code == 400 and profession.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Thread)) == 0
    assert "3栋电梯经常停运" in profession.get_data(as_text=True)  # typed text kept


def test_a_visitor_cannot_file(client) -> None:
    board = make_board(kind=BoardKind.COMPLAINTS)

    response = client.post(f"/c/{board.community.slug}/complaints/new",
                           data=_form(make_category()))

    assert "/login" in response.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_staff_file_for_an_owner_who_phoned_with_private_contact_details(client, login,
                                                                         staff) -> None:
    board = make_board(kind=BoardKind.COMPLAINTS)
    login(staff)

    response = client.post(f"/c/{board.community.slug}/complaints/new?for=owner",
                           data=_form(make_category(), contact_name="赵阿姨",
                                      contact_phone="13712345678"))

    case = db.session.scalar(select(Case))
    assert response.status_code == 302
    assert case.filer_id is None and case.filed_by_id == staff.id
    assert case.contact_phone == "13712345678"
    client.post("/logout")
    assert "13712345678" not in client.get(f"/t/{case.thread_id}").get_data(as_text=True)


def test_staff_file_for_an_owners_account(client, login, staff, owner) -> None:
    board = make_board(kind=BoardKind.COMPLAINTS)
    login(staff)

    client.post(f"/c/{board.community.slug}/complaints/new?for=owner",
                data=_form(make_category(), owner_username=owner.username))

    case = db.session.scalar(select(Case))
    assert case.filer_id == owner.id and case.filed_by_id == staff.id
    assert case.events[0].data.get("on_behalf") is True


def test_the_file_for_owner_form_speaks_to_staff_not_to_the_owner(client, login,
                                                                 staff) -> None:
    board = make_board(kind=BoardKind.COMPLAINTS)
    login(staff)

    form_page = client.get(f"/c/{board.community.slug}/complaints/new?for=owner",
                           headers={"Accept-Language": "zh"}).get_data(as_text=True)
    done = client.post(f"/c/{board.community.slug}/complaints/new?for=owner",
                       data=_form(make_category(), contact_name="赵阿姨",
                                  contact_phone="13712345678"),
                       headers={"Accept-Language": "zh"}, follow_redirects=True)

    assert "您的投诉" not in form_page and "业主将看到" in form_page
    assert "业主的投诉已登记" in done.get_data(as_text=True)


def test_staff_are_not_offered_me_too(client, login, staff) -> None:
    case = make_case()
    login(staff)

    page = client.get(f"/t/{case.thread_id}").get_data(as_text=True)

    assert f"/cases/{case.id}/join" not in page
    assert client.post(f"/cases/{case.id}/join").status_code == 403


def test_filing_for_someone_else_needs_an_account_or_contact_details(client, login,
                                                                      staff) -> None:
    board = make_board(kind=BoardKind.COMPLAINTS)
    login(staff)

    response = client.post(f"/c/{board.community.slug}/complaints/new?for=owner",
                           data=_form(make_category()))

    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_a_member_cannot_file_for_someone_else(client, login, owner, other_owner) -> None:
    board = make_board(kind=BoardKind.COMPLAINTS)
    login(owner)

    client.post(f"/c/{board.community.slug}/complaints/new?for=owner",
                data=_form(make_category(), owner_username=other_owner.username))

    assert db.session.scalar(select(Case)).filer_id == owner.id  # filed as themself


def test_staff_turn_a_discussion_into_a_case(client, login, staff, owner) -> None:
    board = make_board(kind=BoardKind.DISCUSSION)
    make_board(board.community, kind=BoardKind.COMPLAINTS)
    thread = make_thread(board, owner, title="车库又积水了")
    category = make_category()
    login(staff)

    response = client.post(f"/t/{thread.id}/convert", data={
        "category_id": category.id, "location": "public", "location_text": "B2车库"})

    case = db.session.scalar(select(Case))
    assert response.status_code == 302
    assert case.thread_id == thread.id and case.filer_id == owner.id
    assert db.session.scalar(select(CaseEvent.action)) == "converted"


def test_a_member_cannot_convert_a_thread(client, login, owner) -> None:
    thread = make_thread(author=owner)
    login(owner)

    assert client.post(f"/t/{thread.id}/convert", data={"category_id": 1}).status_code == 403


def test_a_thread_written_by_staff_cannot_become_a_complaint(client, login, staff,
                                                            moderator) -> None:
    rules = make_thread(author=moderator, title="本版规则：发帖前请先阅读")
    login(staff)

    response = client.post(f"/t/{rules.id}/convert", data={
        "category_id": make_category().id, "location": "public", "location_text": "B2车库"})

    assert response.status_code == 403
    assert db.session.scalar(select(Case)) is None


def test_convert_is_not_offered_on_a_staff_thread(client, login, staff) -> None:
    notice = make_thread(author=staff, title="停水通知：周六上午检修")
    login(staff)

    page = client.get(f"/t/{notice.id}").get_data(as_text=True)

    assert f"/t/{notice.id}/convert" not in page


def test_one_thread_holds_at_most_one_case(app, staff) -> None:
    case = make_case()

    with pytest.raises(NotAllowed):
        services.convert_thread(case.thread, staff, services.Filing(
            title="x", body="", category_id=case.category_id))


def test_anonymous_filing_hides_the_owner_from_visitors_and_other_members(
        client, login, other_owner) -> None:
    filer = make_user(Role.OWNER, username="secretowner", display_name="18栋秘密业主")
    case = make_case(filer, anonymous=True, title="地下室渗水")
    thread_id, slug = case.thread_id, case.community.slug
    urls = ["/", f"/c/{slug}", f"/c/{slug}/complaints", f"/t/{thread_id}", "/u/secretowner"]

    visitor_pages = [client.get(u).get_data(as_text=True) for u in urls]
    login(other_owner)
    member_pages = [client.get(u).get_data(as_text=True) for u in urls]

    for page in visitor_pages[:4] + member_pages[:4]:
        assert "18栋秘密业主" not in page
        assert 'href="/u/secretowner"' not in page
    assert "地下室渗水" not in visitor_pages[-1]  # not on the owner's public profile
    assert "业主" in visitor_pages[3]


def test_anonymous_filers_are_known_to_staff_and_to_themselves(client, login, staff) -> None:
    filer = make_user(Role.OWNER, display_name="18栋秘密业主")
    case = make_case(filer, anonymous=True)

    login(staff)
    staff_page = client.get(f"/t/{case.thread_id}").get_data(as_text=True)
    client.post("/logout")
    login(filer)
    own_page = client.get(f"/t/{case.thread_id}").get_data(as_text=True)

    assert "18栋秘密业主" in staff_page and "18栋秘密业主" in own_page
