"""Redacting personal data and editing as a moderator: the original kept, for staff only."""
from __future__ import annotations

from app.auth.roles import Role
from app.extensions import db
from app.forum import services as forum_services
from app.moderation.models import Flag
from tests.factories import first_post, make_thread, make_user
from tests.helpers import fresh
from tests.moderation.helpers import flag, last_audit

PHONE = "13912345678"


def _thread_with_phone(author=None):
    thread = make_thread(author=author, title="楼上漏水找谁修",
                         body=f"请联系我 {PHONE}，3栋1单元502")
    return thread, first_post(thread)


def test_redaction_shows_the_cut_text_with_a_mark_and_keeps_the_original_for_staff(
        client, login, moderator, staff) -> None:
    owner = make_user(Role.OWNER)
    thread, post = _thread_with_phone(owner)
    forum_services.edit_post(post, owner, body=f"请联系我 {PHONE}，3栋1单元502室")
    reporter = make_user()
    flag(post, "personal_data", reporter=reporter)
    login(moderator)

    form = client.get(f"/mod/posts/{post.id}/redact").get_data(as_text=True)
    assert PHONE in form  # the moderator edits the text out of the prefilled body
    response = client.post(f"/mod/posts/{post.id}/redact", data={
        "title": thread.title, "body": "请联系我（已删除），3栋1单元502室",
        "reason": "公开了手机号"})
    assert response.status_code == 302

    post = fresh(post)
    assert post.redacted_at is not None and PHONE not in post.body_source
    assert all(r.staff_only for r in post.revisions) and len(post.revisions) == 2
    assert db.session.scalars(db.select(Flag)).one().outcome == "redacted"
    assert last_audit().action == "post.redact" and last_audit().reason == "公开了手机号"
    assert PHONE not in str(last_audit().before) + str(last_audit().after)

    client.post("/logout")
    public = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert PHONE not in public and "已删减个人信息" in public
    assert "<mark>" not in client.get("/search?q=13912345678").get_data(as_text=True)

    login(owner)  # the author's own history no longer holds the number
    history = client.get(f"/p/{post.id}/history")
    assert history.status_code == 200 and PHONE not in history.get_data(as_text=True)
    client.post("/logout")
    login(make_user())
    assert client.get(f"/p/{post.id}/history").status_code == 403
    client.post("/logout")
    login(staff)
    assert PHONE in client.get(f"/p/{post.id}/history").get_data(as_text=True)


def test_a_redaction_must_change_something_and_give_a_reason(client, login, moderator) -> None:
    thread, post = _thread_with_phone()
    login(moderator)

    same = client.post(f"/mod/posts/{post.id}/redact", data={
        "title": thread.title, "body": post.body_source, "reason": "手机号"})
    assert same.status_code == 400 and fresh(post).redacted_at is None
    no_reason = client.post(f"/mod/posts/{post.id}/redact", data={
        "title": thread.title, "body": "请联系我", "reason": ""})
    assert no_reason.status_code == 400 and fresh(post).redacted_at is None


def test_a_moderator_edit_keeps_the_original_in_the_authors_history(client, login,
                                                                   moderator) -> None:
    author = make_user()
    thread = make_thread(author=author, replies=0, title="业主群二维码")
    reply = forum_services.reply(thread, author, body="加群看这里 http://spam.example.com")
    reporter = make_user()
    flag(reply, "spam", reporter=reporter)
    login(moderator)

    client.post(f"/mod/posts/{reply.id}/edit", data={"body": "（广告链接已删除）",
                                                     "reason": "广告链接"})

    reply = fresh(reply)
    assert reply.body_source == "（广告链接已删除）" and reply.redacted_at is None
    assert [r.staff_only for r in reply.revisions] == [False]
    assert last_audit().action == "post.mod_edit"
    assert db.session.scalars(db.select(Flag)).one().outcome == "edited"
    client.post("/logout")
    login(author)
    assert "spam.example.com" in client.get(f"/p/{reply.id}/history").get_data(as_text=True)
    assert "已删减个人信息" not in client.get(f"/t/{thread.id}").get_data(as_text=True)
