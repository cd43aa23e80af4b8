"""Editing keeps every earlier version; deleting leaves a tombstone."""
from __future__ import annotations

from app.auth.roles import Role
from tests.factories import first_post, make_thread, make_user
from tests.helpers import fresh


def test_the_author_edits_a_post_and_the_earlier_version_is_kept(client, login, owner) -> None:
    thread = make_thread(author=owner, title="车位问题", body="车位被占了")
    post = first_post(thread)
    login(owner)

    client.post(f"/p/{post.id}/edit", data={"title": "车位被长期占用", "body": "车位被占了一个月"})
    client.post(f"/p/{post.id}/edit", data={"title": "车位被长期占用", "body": "已经两个月了"})

    post = fresh(post)
    assert post.body_source == "已经两个月了" and post.edit_count == 2
    assert [r.body_source for r in post.revisions] == ["车位被占了", "车位被占了一个月"]
    assert post.revisions[0].title == "车位问题"
    assert fresh(thread).title == "车位被长期占用"


def test_an_edited_post_says_edited_and_its_history_is_for_author_and_staff(
        client, login, owner, other_owner) -> None:
    thread = make_thread(author=owner, body="我的电话13800000000")
    post = first_post(thread)
    login(owner)
    client.post(f"/p/{post.id}/edit", data={"title": thread.title, "body": "电话已删除"})

    assert "已编辑" in client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "13800000000" in client.get(f"/p/{post.id}/history").get_data(as_text=True)
    client.post("/logout")
    login(other_owner)
    assert client.get(f"/p/{post.id}/history").status_code == 403
    client.post("/logout")
    login(make_user(Role.STAFF))
    assert client.get(f"/p/{post.id}/history").status_code == 200


def test_a_member_cannot_edit_someone_elses_post(client, login, owner, other_owner) -> None:
    post = first_post(make_thread(author=owner, body="原文"))
    login(other_owner)

    get = client.get(f"/p/{post.id}/edit")
    post_req = client.post(f"/p/{post.id}/edit", data={"body": "篡改"})

    assert (get.status_code, post_req.status_code) == (403, 403)
    assert fresh(post).body_source == "原文"


def test_edit_buttons_show_only_on_ones_own_posts(client, login, owner, other_owner) -> None:
    thread = make_thread(author=owner)
    login(other_owner)

    page = client.get(f"/t/{thread.id}").get_data(as_text=True)

    assert f"/p/{first_post(thread).id}/edit" not in page


def test_a_moderator_can_edit_any_post(client, login, owner, moderator) -> None:
    post = first_post(make_thread(author=owner, body="有广告链接"))
    login(moderator)

    client.post(f"/p/{post.id}/edit", data={"body": "（广告已删除）"})

    assert fresh(post).body_source == "（广告已删除）"


def test_deleting_ones_own_post_leaves_a_tombstone_and_keeps_the_text(client, login,
                                                                       owner) -> None:
    thread = make_thread(author=owner, replies=1)
    post = first_post(thread)
    login(owner)

    response = client.post(f"/p/{post.id}/delete")
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)

    assert response.status_code == 302
    assert "该帖子已被作者删除。" in page
    assert "楼上卫生间漏水了" not in page
    assert fresh(post).body_source == "楼上卫生间漏水了，物业什么时候来看？"
    assert fresh(thread).post_count == 2


def test_a_member_cannot_delete_someone_elses_post(client, login, owner, other_owner) -> None:
    post = first_post(make_thread(author=owner))
    login(other_owner)

    response = client.post(f"/p/{post.id}/delete")

    assert response.status_code == 403
    assert fresh(post).deleted_at is None
