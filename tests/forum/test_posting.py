"""Threads and replies: who may post where, and what posting changes."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.auth.roles import Role
from app.communities.models import BoardKind
from app.core import clock
from app.extensions import db
from app.forum.models import Post, Thread
from tests.factories import first_post, make_board, make_thread, make_user
from tests.helpers import fresh


def _new_thread_url(board) -> str:
    return f"/c/{board.community.slug}/{board.slug}/new"


def test_a_member_starts_a_thread_and_it_leads_the_board(client, login, owner) -> None:
    board = make_board()
    make_thread(board)
    login(owner)

    response = client.post(_new_thread_url(board), data={
        "title": "卫生间天花板漏水", "body": "楼上卫生间**漏水**，已经一周了。"})

    thread = db.session.scalar(select(Thread).where(Thread.title == "卫生间天花板漏水"))
    assert response.headers["Location"] == f"/t/{thread.id}"
    board_page = client.get(f"/c/{board.community.slug}/{board.slug}").get_data(as_text=True)
    assert board_page.index("卫生间天花板漏水") < board_page.index("话题")
    assert "<strong>漏水</strong>" in client.get(f"/t/{thread.id}").get_data(as_text=True)


def test_posting_keeps_every_counter_on_its_row(client, login, owner) -> None:
    board = make_board()
    login(owner)

    client.post(_new_thread_url(board), data={"title": "电梯又坏了", "body": "3栋电梯停了"})
    thread = db.session.scalar(select(Thread))
    client.post(f"/t/{thread.id}/reply", data={"body": "我家也是"})

    board, thread, owner = fresh(board), fresh(thread), fresh(owner)
    assert (board.thread_count, board.post_count, board.last_thread_id) == (1, 2, thread.id)
    assert (board.community.thread_count, board.community.post_count) == (1, 2)
    assert (thread.post_count, thread.reply_count, thread.last_post_user_id) == (2, 1, owner.id)
    assert (owner.thread_count, owner.post_count) == (1, 2)


def test_a_visitor_cannot_post_and_is_sent_to_log_in(client) -> None:
    board = make_board()
    thread = make_thread(board)

    new = client.post(_new_thread_url(board), data={"title": "匿名发帖", "body": "试试"})
    reply = client.post(f"/t/{thread.id}/reply", data={"body": "匿名回复"})

    assert "/login" in new.headers["Location"] and "/login" in reply.headers["Location"]
    assert fresh(thread).post_count == 1


def test_a_banned_member_cannot_post(client, login) -> None:
    banned = make_user()
    thread = make_thread()
    login(banned)
    banned.banned_at = clock.now()
    db.session.commit()

    response = client.post(f"/t/{thread.id}/reply", data={"body": "我又来了"})

    assert response.status_code == 403
    assert fresh(thread).post_count == 1


def test_a_suspended_member_can_post_again_when_the_suspension_ends(client, login) -> None:
    member = make_user(suspended_until=clock.now() + timedelta(days=1))
    thread = make_thread()
    login(member)

    assert client.post(f"/t/{thread.id}/reply", data={"body": "还不行"}).status_code == 403
    member.suspended_until = clock.now() - timedelta(seconds=1)
    db.session.commit()
    assert client.post(f"/t/{thread.id}/reply", data={"body": "可以了"}).status_code == 302


def test_only_staff_start_threads_in_an_announcement_board(client, login, owner, staff) -> None:
    board = make_board(kind=BoardKind.ANNOUNCEMENTS)
    data = {"title": "停水通知：周六9点至12点", "body": "因管道检修停水。"}

    login(owner)
    refused = client.post(_new_thread_url(board), data=data)
    client.post("/logout")
    login(staff)
    accepted = client.post(_new_thread_url(board), data=data)

    assert refused.status_code == 403
    assert accepted.status_code == 302
    assert fresh(board).thread_count == 1


def test_members_may_reply_to_announcements(client, login, owner) -> None:
    board = make_board(kind=BoardKind.ANNOUNCEMENTS)
    notice = make_thread(board, make_user(Role.STAFF))
    login(owner)

    response = client.post(f"/t/{notice.id}/reply", data={"body": "收到，谢谢通知"})

    assert response.status_code == 302


def test_a_locked_thread_accepts_no_replies_and_says_so(client, login, owner) -> None:
    thread = make_thread(locked=True)
    login(owner)

    response = client.post(f"/t/{thread.id}/reply", data={"body": "还想说两句"})
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)

    assert response.status_code == 403
    assert fresh(thread).post_count == 1
    assert "本主题已锁定" in page
    assert 'id="reply-form"' not in page


def test_a_moderator_may_still_reply_to_a_locked_thread(client, login, moderator) -> None:
    thread = make_thread(locked=True)
    login(moderator)

    response = client.post(f"/t/{thread.id}/reply", data={"body": "已锁帖，情况已处理。"})

    assert response.status_code == 302


def test_an_empty_or_oversized_post_is_refused_and_nothing_is_written(client, login,
                                                                        owner) -> None:
    board = make_board()
    login(owner)

    empty = client.post(_new_thread_url(board), data={"title": "标题够长了", "body": "   "})
    short_title = client.post(_new_thread_url(board), data={"title": "漏", "body": "内容"})
    huge = client.post(_new_thread_url(board), data={"title": "标题够长了", "body": "水" * 20001})

    assert (empty.status_code, short_title.status_code, huge.status_code) == (400, 400, 400)
    assert fresh(board).thread_count == 0
    assert "标题够长了" in empty.get_data(as_text=True)  # what was typed is kept in the form


def test_a_reply_redirects_to_its_place_on_the_last_page(client, login, owner) -> None:
    thread = make_thread(replies=20)
    login(owner)

    response = client.post(f"/t/{thread.id}/reply", data={"body": "第22楼"})

    assert response.headers["Location"] == f"/t/{thread.id}?page=2#p22"


def test_quoting_prefills_the_reply_with_the_quoted_post(client, login, owner) -> None:
    author = make_user(display_name="5栋林女士")
    thread = make_thread(author=author, body="物业费为什么涨了？\n\n请说明。")
    login(owner)

    page = client.get(f"/t/{thread.id}/reply?quote={first_post(thread).id}").get_data(as_text=True)

    assert "&gt; 5栋林女士 写道：\n&gt; 物业费为什么涨了？\n&gt;\n&gt; 请说明。" in page


def test_the_quote_then_renders_as_a_blockquote(client, login, owner) -> None:
    thread = make_thread(body="物业费为什么涨了？")
    login(owner)

    client.post(f"/t/{thread.id}/reply", data={"body": "> 物业费为什么涨了？\n\n同问"})

    assert "<blockquote>" in db.session.scalar(select(Post.body_html).where(Post.number == 2))


def test_thread_urls_accept_a_trailing_slug(client) -> None:
    thread = make_thread(title="地库积水")

    assert client.get(f"/t/{thread.id}/di-ku-ji-shui").status_code == 200


def test_a_post_link_redirects_to_its_page_and_anchor(client) -> None:
    thread = make_thread(replies=25)
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.number == 23))

    response = client.get(f"/p/{post.id}")

    assert response.headers["Location"] == f"/t/{thread.id}?page=2#p23"


def test_site_wide_boards_live_under_b(client, login, owner) -> None:
    board = make_board(site_wide=True, slug="life", name="购房与生活")
    login(owner)

    page = client.get("/b/life")
    posted = client.post("/b/life/new", data={"title": "哪家装修公司靠谱", "body": "求推荐"})

    assert page.status_code == 200 and "购房与生活" in page.get_data(as_text=True)
    assert posted.status_code == 302
    assert fresh(board).thread_count == 1


def test_a_nul_byte_is_refused_with_a_reason_and_nothing_is_written(client, login) -> None:
    """PostgreSQL cannot store NUL in text (the insert failed with a 500); SQLite kept it
    silently. Found by the form fuzzing in tests/proofs."""
    thread = make_thread()
    login(thread.author)
    before = db.session.scalar(select(func.count(Post.id)))
    client.set_cookie("lang", "en")

    answer = client.post(f"/t/{thread.id}/reply", data={"body": "漏水\x00还没修好"})
    searched = client.get("/search?q=%00")

    assert answer.status_code == 400 and searched.status_code == 400
    assert "cannot be saved (a NUL byte)" in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Post.id))) == before
