"""Lock, pin and move a thread; the menu on thread pages; the audit trail and its filter."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.search.models import SearchDoc
from tests.factories import first_post, make_board, make_case, make_community, make_thread
from tests.helpers import fresh
from tests.moderation.helpers import audit_actions, last_audit


def test_a_moderator_sees_the_menu_and_members_do_not(client, login, moderator,
                                                      member) -> None:
    thread = make_thread(replies=1)
    login(member)
    assert "主题版务" not in client.get(f"/t/{thread.id}").get_data(as_text=True)
    client.post("/logout")
    login(moderator)
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "主题版务" in page and f"/mod/threads/{thread.id}/lock" in page
    assert f"/mod/posts/{first_post(thread).id}/redact" in page


@pytest.mark.parametrize("action,field,value,audit", [
    ("lock", "locked", True, "thread.lock"), ("pin", "pinned", True, "thread.pin")])
def test_lock_and_pin_go_through_a_confirm_page_and_back(client, login, moderator, action,
                                                         field, value, audit) -> None:
    thread = make_thread()
    login(moderator)

    assert client.get(f"/mod/threads/{thread.id}/{action}").status_code == 200
    response = client.post(f"/mod/threads/{thread.id}/{action}", data={"reason": "版规"})
    assert response.status_code == 302
    assert getattr(fresh(thread), field) is value
    assert last_audit().action == audit and last_audit().reason == "版规"

    client.post(f"/mod/threads/{thread.id}/un{action}", data={"reason": ""})
    assert getattr(fresh(thread), field) is not value
    assert audit_actions()[-1] == f"thread.un{action}"


def test_a_locked_thread_refuses_member_replies(client, login, moderator, member) -> None:
    thread = make_thread()
    login(moderator)
    client.post(f"/mod/threads/{thread.id}/lock", data={"reason": "讨论已结束"})
    client.post("/logout")
    login(member)

    assert client.post(f"/t/{thread.id}/reply", data={"body": "我还想说两句"}).status_code == 403
    assert "已锁定" in client.get(f"/t/{thread.id}").get_data(as_text=True)


def test_a_pinned_thread_leads_its_board(client, moderator) -> None:
    board = make_board()
    old = make_thread(board, title="旧的通知")
    make_thread(board, title="新的闲聊")
    from app.moderation import services
    services.set_pinned(old, moderator, on=True)

    page = client.get(f"/c/{board.community.slug}/{board.slug}").get_data(as_text=True)
    assert page.index("旧的通知") < page.index("新的闲聊")


def test_moving_a_thread_keeps_counters_and_search_right(client, login, moderator) -> None:
    source = make_board()
    target = make_board(make_community())
    thread = make_thread(source, replies=2, title="装修噪音扰民")
    src_before = (fresh(source).thread_count, fresh(source).post_count)
    login(moderator)

    page = client.get(f"/mod/threads/{thread.id}/move").get_data(as_text=True)
    assert target.name in page
    response = client.post(f"/mod/threads/{thread.id}/move",
                           data={"board_id": target.id, "reason": "发错版块"})

    assert response.status_code == 302
    assert fresh(thread).board_id == target.id
    assert (fresh(source).thread_count, fresh(source).post_count) == (src_before[0] - 1,
                                                                      src_before[1] - 3)
    assert (fresh(target).thread_count, fresh(target).post_count) == (1, 3)
    assert fresh(target.community).thread_count == 1
    assert fresh(source.community).thread_count == 0
    assert fresh(target).last_thread_id == thread.id and fresh(source).last_thread_id is None
    docs = db.session.scalars(db.select(SearchDoc).where(SearchDoc.thread_id == thread.id)).all()
    assert docs and {(d.board_id, d.community_id) for d in docs} == {(target.id,
                                                                    target.community_id)}
    entry = last_audit()
    assert entry.action == "thread.move" and entry.before["board_id"] == source.id
    assert entry.after["board_id"] == target.id and entry.reason == "发错版块"
    found = client.get("/search", query_string={"q": "噪音",
                                                "community": target.community_id})
    assert "装修噪音扰民" in found.get_data(as_text=True)


def test_a_complaint_cannot_leave_its_community(client, login, moderator) -> None:
    case = make_case()
    elsewhere = make_board()
    login(moderator)

    response = client.post(f"/mod/threads/{case.thread_id}/move",
                           data={"board_id": elsewhere.id, "reason": "x"})

    assert response.status_code == 400
    assert fresh(case.thread).board_id != elsewhere.id


def test_the_audit_page_filters_by_the_moderation_actions(client, login, moderator,
                                                          admin) -> None:
    thread = make_thread(title="审计测试主题")
    from app.moderation import services
    services.set_locked(thread, moderator, on=True, reason="锁定理由甲")
    services.set_pinned(thread, moderator, on=True, reason="置顶理由乙")
    login(admin)

    page = client.get("/staff/audit?action=thread.lock").get_data(as_text=True)
    assert "锁定理由甲" in page and "置顶理由乙" not in page
    page = client.get("/staff/audit?action=thread.").get_data(as_text=True)
    assert "锁定理由甲" in page and "置顶理由乙" in page
    assert "thread.pin" in client.get("/staff/audit?target_type=thread").get_data(as_text=True)
