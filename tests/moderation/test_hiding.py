"""Hiding and restoring: tombstones per reader, search, lists, counters, complaint cases."""
from __future__ import annotations

import pytest

from app.auth.roles import Role
from app.complaints import stats
from app.core import clock
from app.extensions import db
from app.moderation import services
from app.communities.models import BoardKind
from tests.complaints.helpers import walk_to
from tests.complaints.test_archive import _closed
from tests.factories import (first_post, make_board, make_case, make_category, make_thread,
                             make_user)
from tests.helpers import counting_queries, fresh
from tests.moderation.helpers import audit_actions, flagged_reply, last_audit

TOMBSTONE = "此帖已被版主隐藏"


def _found(client, word: str) -> bool:
    return "<mark>" in client.get("/search", query_string={"q": word}).get_data(as_text=True)


def test_a_hidden_reply_is_a_tombstone_for_readers_and_shows_its_reason_to_its_author(
        client, login, moderator) -> None:
    author = make_user(Role.OWNER)
    thread = make_thread(author=make_user(), title="物业收费公示")
    from app.forum import services as forum_services
    reply = forum_services.reply(thread, author, body="骂人的话不堪入目")
    login(moderator)

    response = client.post(f"/mod/posts/{reply.id}/hide", data={"reason": "人身攻击，违反版规"})
    assert response.status_code == 302

    staff_page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "骂人的话不堪入目" in staff_page and "已隐藏" in staff_page
    client.post("/logout")
    visitor_page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert TOMBSTONE in visitor_page and "骂人的话不堪入目" not in visitor_page
    assert "人身攻击" not in visitor_page
    login(make_user())
    member_page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert TOMBSTONE in member_page and "骂人的话不堪入目" not in member_page
    client.post("/logout")
    login(author)
    author_page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "骂人的话不堪入目" in author_page and "原因：人身攻击，违反版规" in author_page
    assert "只有你和工作人员能看到" in author_page
    assert fresh(reply).body_source == "骂人的话不堪入目"  # nothing deleted


def test_hiding_needs_a_reason_and_writes_the_audit(client, login, moderator) -> None:
    _thread, reply = flagged_reply()
    login(moderator)

    page = client.get(f"/mod/posts/{reply.id}/hide")
    assert page.status_code == 200 and 'name="reason"' in page.get_data(as_text=True)
    assert client.post(f"/mod/posts/{reply.id}/hide", data={"reason": ""}).status_code == 400
    assert not fresh(reply).is_hidden

    client.post(f"/mod/posts/{reply.id}/hide", data={"reason": "广告"})
    entry = last_audit()
    assert (entry.action, entry.target_id, entry.reason) == ("post.hide", reply.id, "广告")
    assert entry.before == {"hidden": False} and entry.after == {"hidden": True}

    client.post(f"/mod/posts/{reply.id}/restore", data={"reason": "误判"})
    assert not fresh(reply).is_hidden
    assert audit_actions()[-1] == "post.restore" and last_audit().reason == "误判"


def test_a_hidden_post_leaves_search_at_once_and_comes_back_when_restored(
        client, moderator) -> None:
    thread = make_thread(title="停车问题")
    from app.forum import services as forum_services
    reply = forum_services.reply(thread, make_user(), body="代办违章停车罚单加微信")
    assert _found(client, "罚单")

    services.hide_post(reply, moderator, reason="广告")
    assert not _found(client, "罚单")

    services.restore_post(reply, moderator)
    assert _found(client, "罚单")


def test_a_search_rebuild_keeps_hidden_posts_and_hidden_threads_out(client, moderator) -> None:
    from app.forum import services as forum_services
    from app.search import rebuild

    thread = make_thread(title="停车问题")
    reply = forum_services.reply(thread, make_user(), body="代办违章停车罚单加微信")
    gone = make_thread(title="违规主题", body="高价回收二手装修材料", replies=1)
    services.hide_post(reply, moderator, reason="广告")
    services.hide_thread(gone, moderator, reason="广告")

    rebuild.rebuild()
    db.session.commit()

    assert not _found(client, "罚单") and not _found(client, "回收")
    reply_on_hidden = forum_services.reply(fresh(gone), moderator, body="回收的帖子已处理")
    db.session.commit()
    assert not _found(client, "处理")   # a new post in a hidden thread stays out too
    assert reply_on_hidden.id


def test_hiding_the_opening_post_hides_the_whole_thread(client, login, moderator) -> None:
    board = make_board()
    keep = make_thread(board, title="保留的主题")
    gone = make_thread(board, title="违规主题标题", body="违规正文", replies=1)
    before = fresh(board).thread_count
    community = board.community

    services.hide_post(first_post(gone), moderator, reason="广告帖")

    assert fresh(gone).is_hidden and not first_post(gone).is_hidden
    assert fresh(board).thread_count == before - 1
    assert fresh(community).thread_count == before - 1
    assert fresh(board).last_thread_id == keep.id
    listing = client.get(f"/c/{community.slug}/{board.slug}").get_data(as_text=True)
    assert "违规主题标题" not in listing and "保留的主题" in listing
    assert "违规主题标题" not in client.get("/").get_data(as_text=True)
    feed = client.get(f"/c/{community.slug}/{board.slug}/feed.atom").get_data(as_text=True)
    assert "违规主题标题" not in feed
    assert not _found(client, "违规") and not _found(client, "第1条回复")
    page = client.get(f"/t/{gone.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert TOMBSTONE in text and "违规主题标题" not in text and "违规正文" not in text

    login(gone.author)
    own = client.get(f"/t/{gone.id}").get_data(as_text=True)
    assert "违规主题标题" in own and "原因：广告帖" in own
    assert "不能再回复" in own

    services.restore_thread(fresh(gone), moderator, reason="已整改")
    assert fresh(board).thread_count == before
    assert _found(client, "违规")
    assert "违规主题标题" in client.get(f"/c/{community.slug}/{board.slug}").get_data(
        as_text=True)


def test_a_hidden_complaint_keeps_its_case_in_public(client, login, staff, moderator) -> None:
    case = make_case(title="车库顶板开裂渗水")
    login(staff)
    walk_to(client, case, "resolved")
    client.post("/logout")
    def figures():
        card = stats.compute_scorecard(None, now=clock.now(), min_sample=1, zone=stats._zone())
        return (card.received, card.open_now, card.awaiting_owner, card.closed)
    before = figures()
    assert before[0] == 1

    services.hide_thread(case.thread, moderator, reason="含有他人隐私")

    page = client.get(f"/t/{case.thread_id}").get_data(as_text=True)
    assert case.number in page and TOMBSTONE in page
    assert "车库顶板开裂渗水" not in page
    assert "其投诉仍在公开跟踪" in page
    assert client.get(f"/cases/{case.id}").status_code in (200, 302)
    # Statistics never lose a case because its thread was hidden.
    assert figures() == before
    assert client.get("/scorecard").status_code == 200
    community_feed = client.get(f"/c/{case.community.slug}/cases.atom").get_data(as_text=True)
    assert case.number in community_feed or "标题不予显示" in community_feed
    assert "车库顶板开裂渗水" not in community_feed


def test_a_closed_hidden_complaint_stays_in_the_archive_without_its_title(
        client, moderator) -> None:
    board = make_board(kind=BoardKind.COMPLAINTS)
    case = _closed(board.community, make_category(), 2, "电梯异响投诉")
    assert "电梯异响投诉" in client.get("/cases/resolved").get_data(as_text=True)

    services.hide_thread(case.thread, moderator, reason="隐私")

    archive = client.get("/cases/resolved").get_data(as_text=True)
    assert "电梯异响投诉" not in archive and "标题不予显示" in archive
    assert case.number in archive
    feed = client.get("/cases/resolved.atom").get_data(as_text=True)
    assert "电梯异响投诉" not in feed and "标题不予显示" in feed


def test_a_hidden_post_cannot_be_replied_to_or_reported(client, login, moderator) -> None:
    thread, reply = flagged_reply()
    services.hide_post(reply, moderator, reason="广告")
    login(make_user())

    assert client.get(f"/p/{reply.id}/flag").status_code == 403
    services.hide_thread(fresh(thread), moderator, reason="广告")
    assert client.post(f"/t/{thread.id}/reply", data={"body": "顶一下顶一下"}).status_code == 403


def test_members_and_staff_cannot_use_the_moderation_tools(client, login) -> None:
    thread, reply = flagged_reply()
    for role in (Role.MEMBER, Role.OWNER, Role.HANDLER, Role.STAFF):
        login(make_user(role))
        for url in (f"/mod/posts/{reply.id}/hide", f"/mod/threads/{thread.id}/lock",
                    f"/mod/posts/{reply.id}/redact", f"/mod/threads/{thread.id}/move"):
            assert client.post(url, data={"reason": "x"}).status_code == 403, (role, url)
        client.post("/logout")
    assert not fresh(reply).is_hidden and not fresh(thread).locked


@pytest.mark.parametrize("who", ["visitor", "member", "author", "moderator"])
def test_thread_pages_with_hidden_and_redacted_posts_stay_within_budget(client, login, who,
                                                                        moderator) -> None:
    author = make_user()
    thread = make_thread(author=author, replies=6)
    posts = db.session.scalars(db.select(type(first_post(thread)))
                               .where(type(first_post(thread)).thread_id == thread.id)).all()
    services.hide_post(posts[2], moderator, reason="广告")
    services.moderate_text(posts[3], moderator, body="（已删除）", reason="手机号", redact=True)
    if who != "visitor":
        login({"member": make_user(), "author": author, "moderator": moderator}[who])
    client.get(f"/t/{thread.id}")

    with counting_queries() as statements:
        assert client.get(f"/t/{thread.id}").status_code == 200

    assert len(statements) <= 8, statements


def test_moderators_find_what_is_hidden_and_can_restore_it(client, login, moderator) -> None:
    thread, reply = flagged_reply()
    other = make_thread(title="被隐藏的主题甲")
    services.hide_post(reply, moderator, reason="理由乙")
    services.hide_thread(other, moderator, reason="理由丙")
    login(make_user(Role.STAFF))
    assert client.get("/mod/hidden").status_code == 403
    client.post("/logout")
    login(moderator)

    with counting_queries() as statements:
        page = client.get("/mod/hidden").get_data(as_text=True)

    assert "被隐藏的主题甲" in page and "理由乙" in page and "理由丙" in page
    assert f"/mod/threads/{other.id}/restore" in page and f"/mod/posts/{reply.id}/restore" in page
    assert len(statements) <= 8


def test_writing_in_a_hidden_thread_keeps_it_out_of_search(client, moderator) -> None:
    from app.forum import services as forum_services
    thread = make_thread(title="违规的主题", body="普通的开头", replies=1)
    services.hide_thread(thread, moderator, reason="广告")

    forum_services.edit_post(first_post(thread), thread.author, body="作者改成了推销词")
    forum_services.reply(fresh(thread), moderator, body="版主说明锁帖缘由")

    assert not _found(client, "推销") and not _found(client, "缘由")


def test_a_hidden_post_is_not_offered_for_quoting(client, login, moderator) -> None:
    thread, reply = flagged_reply()
    from app.forum import services as forum_services
    rude = forum_services.reply(thread, make_user(), body="不能被引用的坏话")
    services.hide_post(rude, moderator, reason="辱骂")
    login(moderator)

    assert f"quote={rude.id}" not in client.get(f"/t/{thread.id}").get_data(as_text=True)
    form = client.get(f"/t/{thread.id}/reply?quote={rude.id}").get_data(as_text=True)
    assert "不能被引用的坏话" not in form
