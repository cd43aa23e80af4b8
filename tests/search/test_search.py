"""Search through the page: Chinese words, visibility like the pages, filters, freshness."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.auth.roles import Role
from app.complaints import services as case_services
from app.complaints.models import Case
from app.extensions import db
from app.forum import services as forum_services
from tests.complaints.helpers import step
from tests.factories import first_post, make_board, make_case, make_thread, make_user
from tests.helpers import counting_queries


def _titles(client, query: str) -> list[str]:
    page = client.get("/search", query_string={"q": query} if isinstance(query, str)
                      else query).get_data(as_text=True)
    return [chunk.split("</a>")[0].split(">")[-1] for chunk in page.split("<h2><a ")[1:]]


def test_a_two_character_word_finds_it_inside_a_longer_sentence(client) -> None:
    make_thread(title="楼上卫生间漏水了", body="天花板一直滴水")
    make_thread(title="小区绿化很好", body="夏天很凉快")

    assert _titles(client, "漏水") == ["楼上卫生间漏水了"]


def test_results_mark_the_matched_words(client) -> None:
    make_thread(title="电梯", body="3栋电梯困人半小时")

    page = client.get("/search?q=困人").get_data(as_text=True)

    assert "<mark>困人</mark>" in page


def test_a_new_reply_is_findable_at_once_and_an_edit_replaces_it(client, login,
                                                                 owner) -> None:
    thread = make_thread(title="车库问题", body="车位太窄")
    reply = forum_services.reply(thread, owner, body="地下车库积水严重")
    assert _titles(client, "积水") == ["车库问题"]

    forum_services.edit_post(reply, owner, body="已经修好了")

    assert _titles(client, "积水") == []
    assert _titles(client, "修好") == ["车库问题"]


def test_a_deleted_post_is_no_longer_found(client, owner) -> None:
    thread = make_thread(author=owner, title="出售二手婴儿车", body="九成新婴儿车转让")

    forum_services.delete_post(first_post(thread), owner)

    assert _titles(client, "婴儿车") == []


def test_internal_notes_are_found_by_staff_only(client, login, staff) -> None:
    case = make_case(title="外墙渗水")
    case_services.add_note(case, staff, body="供应商承认防水材料批次有问题")

    visitor = _titles(client, "防水材料")
    login(make_user(Role.OWNER))
    member = _titles(client, "防水材料")
    client.post("/logout")
    login(staff)
    staff_titles = _titles(client, "防水材料")

    assert visitor == [] and member == []
    assert staff_titles == ["外墙渗水"]


def test_anonymous_filers_stay_anonymous_in_results(client) -> None:
    filer = make_user(Role.OWNER, display_name="18栋秘密业主")
    make_case(filer, anonymous=True, title="地下室渗水", body="地下室墙角渗水发霉")

    page = client.get("/search?q=渗水").get_data(as_text=True)

    assert "地下室渗水" in page and "18栋秘密业主" not in page


def test_filter_by_kind_and_community(client) -> None:
    case = make_case(title="电梯故障投诉", body="电梯经常停")
    make_thread(title="电梯保养讨论", body="电梯多久保养一次")

    assert _titles(client, {"q": "电梯", "kind": "complaint"}) == ["电梯故障投诉"]
    assert _titles(client, {"q": "电梯", "kind": "discussion"}) == ["电梯保养讨论"]
    assert _titles(client, {"q": "电梯", "community_id": case.community_id}) == ["电梯故障投诉"]


def test_filter_by_case_status(client, login, staff) -> None:
    make_case(title="门窗漏风", body="窗户关不严")
    declined = make_case(title="窗户太小", body="窗户设计太小")
    login(staff)
    step(client, declined, "decline")

    assert _titles(client, {"q": "窗户", "status": "declined"}) == ["窗户太小"]


def test_nothing_found_suggests_dropping_filters(client) -> None:
    board = make_board()
    make_thread(board, title="游泳池开放时间", body="游泳池几点开")

    page = client.get(f"/search?q=游泳池&community_id={board.community_id + 99}")

    assert "/search?q=" in page.get_data(as_text=True)


def test_newest_first_sorting(client) -> None:
    make_thread(title="旧帖：宽带很慢", body="宽带")
    make_thread(title="新帖：宽带又断了", body="宽带")

    assert _titles(client, {"q": "宽带", "sort": "newest"}) == ["新帖：宽带又断了", "旧帖：宽带很慢"]


@pytest.mark.parametrize("logged_in", [False, True])
def test_the_results_page_makes_a_small_fixed_number_of_queries(client, login,
                                                                logged_in) -> None:
    for i in range(15):
        make_thread(title=f"漏水问题{i}", body="卫生间漏水")
    if logged_in:
        login(make_user())

    with counting_queries() as statements:
        assert client.get("/search?q=漏水").status_code == 200

    assert len(statements) <= 8


def test_similar_cases_prefer_the_same_community(client) -> None:
    here = make_case(title="3栋电梯经常停运")
    make_case(title="5栋电梯困人")
    make_thread(title="电梯广告太多", body="电梯里广告")

    page = client.get("/complaints/similar", query_string={
        "title": "电梯又停了", "community_id": here.community_id}).get_data(as_text=True)

    assert page.index("3栋电梯经常停运") < page.index("5栋电梯困人")
    assert "电梯广告太多" not in page  # discussions are not cases


def test_without_javascript_the_form_checks_for_similar_cases_and_keeps_the_text(
        client, login, owner) -> None:
    existing = make_case(title="3栋电梯经常停运")
    login(owner)

    response = client.post(f"/c/{existing.community.slug}/complaints/new", data={
        "title": "电梯又停运了", "body": "今天早上又停了", "check_similar": "1"})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "3栋电梯经常停运" in page
    assert "今天早上又停了" in page  # nothing typed is lost
    assert db.session.scalar(select(func.count()).select_from(Case)) == 1
