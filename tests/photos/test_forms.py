"""Posting with photos: without JavaScript (files ride with the form) and with it (ids of
photos sent one by one); limits; nothing typed or sent is lost when something is refused."""
from __future__ import annotations

import re

import pytest

from app.auth.roles import Role
from app.communities.models import BoardKind
from app.core import clock
from app.extensions import db
from app.forum.models import Post
from tests.complaints.helpers import fresh_case
from tests.factories import make_board, make_case, make_category, make_thread, make_user
from tests.photos import images
from tests.photos.helpers import files, photos, upload


def _new_thread_url(board) -> str:
    return f"/c/{board.community.slug}/{board.slug}/new"


def _ids(page: str) -> list[int]:
    return [int(v) for v in re.findall(r'name="photo_id" value="(\d+)" checked', page)]


def test_a_thread_with_photos_without_javascript(client, login, owner) -> None:
    board = make_board()
    login(owner)

    response = client.post(_new_thread_url(board), data={
        "title": "地库墙面裂缝", "body": "B2层墙面有一条很长的裂缝",
        "photos": files((images.jpeg(), "crack.jpg"), (images.webp(), "stain.webp"))},
        content_type="multipart/form-data")

    assert response.status_code == 302
    attached = photos()
    assert len(attached) == 2 and all(p.post_id is not None for p in attached)
    assert [p.position for p in attached] == [0, 1]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    for p in attached:
        assert f'src="/photos/{p.key}/thumb" loading="lazy"' in page
        assert f'width="{p.thumb_width}" height="{p.thumb_height}"' in page
        assert f'href="/photos/{p.key}"' in page


def test_a_reply_with_photos_sent_one_by_one_with_javascript(client, login, owner) -> None:
    thread = make_thread()
    login(owner)
    first = upload(client, images.jpeg()).get_json()["id"]
    second = upload(client, images.png_with_text(), "b.png").get_json()["id"]

    response = client.post(f"/t/{thread.id}/reply", data={
        "body": "我家也是这样", "photo_id": [str(second), str(first)]})

    assert response.status_code == 302
    post = db.session.scalar(db.select(Post).where(Post.thread_id == thread.id,
                                                   Post.number == 2))
    attached = {p.id: p for p in photos()}
    assert attached[second].post_id == post.id and attached[second].position == 0
    assert attached[first].post_id == post.id and attached[first].position == 1


def test_the_tenth_photo_is_refused_and_nothing_is_lost(client, login, owner) -> None:
    board = make_board()
    login(owner)
    sent = files(*[(images.jpeg(color=(i * 20, 50, 50)), f"p{i}.jpg") for i in range(10)])

    response = client.post(_new_thread_url(board), data={
        "title": "十张照片的帖子", "body": "这里写了很多字，不能丢", "photos": sent},
        content_type="multipart/form-data")

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "这里写了很多字，不能丢" in page and "十张照片的帖子" in page
    assert "p9.jpg" in page and "9" in page
    kept = _ids(page)
    assert len(kept) == 9 and all(p.post_id is None for p in photos())
    # Sending the form again (the nine kept) posts them.
    response = client.post(_new_thread_url(board), data={
        "title": "十张照片的帖子", "body": "这里写了很多字，不能丢", "photo_id": kept})
    assert response.status_code == 302
    assert sum(p.post_id is not None for p in photos()) == 9


def test_ten_ids_are_refused_by_the_service_too(client, login, owner) -> None:
    thread = make_thread()
    login(owner)
    ids = [upload(client, images.jpeg()).get_json()["id"] for _ in range(10)]

    response = client.post(f"/t/{thread.id}/reply", data={"body": "十张", "photo_id": ids})

    assert response.status_code == 400
    assert "十张" in response.get_data(as_text=True)
    assert all(p.post_id is None for p in photos())


def test_a_bad_file_keeps_the_text_and_the_good_photos(client, login, owner) -> None:
    board = make_board()
    login(owner)

    response = client.post(_new_thread_url(board), data={
        "title": "电梯按钮坏了", "body": "3栋电梯按钮按不动",
        "photos": files((images.jpeg(), "good.jpg"),
                        (images.SVG, "<img src=x onerror=alert(1)>.svg"))},
        content_type="multipart/form-data")

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "3栋电梯按钮按不动" in page and "电梯按钮坏了" in page
    assert "&lt;img src=x onerror=alert(1)&gt;.svg" in page and "<img src=x" not in page
    assert len(_ids(page)) == 1


def test_text_too_short_keeps_the_photos_sent(client, login, owner) -> None:
    thread = make_thread()
    login(owner)

    response = client.post(f"/t/{thread.id}/reply", data={
        "body": "", "photos": files((images.jpeg(), "a.jpg"))},
        content_type="multipart/form-data")

    assert response.status_code == 400
    assert len(_ids(response.get_data(as_text=True))) == 1


def test_someone_elses_pending_photo_cannot_be_attached(client, login, owner,
                                                        other_owner) -> None:
    thread = make_thread()
    login(other_owner)
    theirs = upload(client, images.jpeg()).get_json()["id"]
    client.post("/logout")
    login(owner)

    response = client.post(f"/t/{thread.id}/reply", data={"body": "借用别人的照片",
                                                           "photo_id": [theirs]})

    assert response.status_code == 302  # the foreign id is simply not kept
    assert photos()[0].post_id is None


def test_a_complaint_filed_with_photos(client, login, owner) -> None:
    board = make_board(kind=BoardKind.COMPLAINTS)
    category = make_category()
    login(owner)

    response = client.post(f"/c/{board.community.slug}/complaints/new", data={
        "title": "卫生间天花板漏水", "category_id": category.id,
        "body": "楼上卫生间漏水一周了，天花板发黄。", "location": "unit",
        "wanted_outcome": "尽快修好", "photos": files((images.jpeg(), "leak.jpg"),
                                                    (images.heic(), "IMG_2.HEIC"))},
        content_type="multipart/form-data")

    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'class="case-gallery"' in page
    assert page.count('loading="lazy"') == 4  # two in the post, two in the gallery


def test_a_refused_complaint_keeps_what_was_typed_and_sent(client, login, owner) -> None:
    board = make_board(kind=BoardKind.COMPLAINTS)
    category = make_category()
    login(owner)

    response = client.post(f"/c/{board.community.slug}/complaints/new", data={
        "title": "卫生间天花板漏水", "category_id": category.id,
        "body": "楼上卫生间漏水一周了，天花板发黄。", "location": "unit",
        "wanted_outcome": "尽快修好", "photos": files((images.NOT_AN_IMAGE, "x.jpg"),
                                                    (images.jpeg(), "ok.jpg"))},
        content_type="multipart/form-data")

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "楼上卫生间漏水一周了" in page and "x.jpg" in page and len(_ids(page)) == 1


def test_staff_attach_photos_to_an_official_reply(client, login, staff) -> None:
    case = make_case()
    login(staff)

    response = client.post(f"/cases/{case.id}/answer", data={
        "body": "已完成维修，见照片", "photos": files((images.jpeg(), "done.jpg"))},
        content_type="multipart/form-data")

    assert response.status_code == 302
    official = db.session.scalar(db.select(Post).where(Post.is_official.is_(True)))
    assert [p.post_id for p in photos()] == [official.id]
    assert fresh_case(case).first_response_at is not None


def test_a_refused_official_reply_keeps_its_photos(client, login, staff) -> None:
    case = make_case()
    login(staff)

    response = client.post(f"/cases/{case.id}/answer", data={
        "body": "", "photos": files((images.jpeg(), "done.jpg"))},
        content_type="multipart/form-data")

    assert response.status_code == 400
    assert len(_ids(response.get_data(as_text=True))) == 1


def test_members_cannot_post_official_photos(client, login, owner) -> None:
    case = make_case()
    login(owner)

    response = client.post(f"/cases/{case.id}/answer", data={
        "body": "冒充官方", "photos": files((images.jpeg(), "x.jpg"))},
        content_type="multipart/form-data")

    assert response.status_code == 403
    assert photos() == []


def test_the_daily_limit_per_member(app, client, login, owner) -> None:
    app.config["PHOTO_DAILY_LIMIT"] = 2
    login(owner)

    answers = [upload(client, images.jpeg()) for _ in range(3)]

    assert [a.status_code for a in answers] == [201, 201, 400]
    assert "24" in answers[2].get_json()["error"]


def test_visitors_and_banned_members_cannot_upload(client, login) -> None:
    assert upload(client, images.jpeg()).status_code in (302, 401)
    banned = make_user(Role.OWNER)
    login(banned)
    banned.banned_at = clock.now()
    db.session.commit()

    assert upload(client, images.jpeg()).status_code == 403


def test_post_forms_take_nine_photos_but_other_routes_keep_the_16_mib_limit(app) -> None:
    from app.photos.http import limit_for

    with app.test_request_context():
        assert limit_for("forum.reply") >= 9 * 10 * 1024 * 1024
        assert limit_for("photos.upload") < 12 * 1024 * 1024
        assert limit_for("auth.login") is None


def test_a_big_form_is_accepted_on_a_photo_route_and_refused_elsewhere(app, client, login,
                                                                      owner) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    thread = make_thread()
    login(owner)
    big = images.jpeg((600, 600), quality=100) + b"\x00" * 60_000  # over 50 kB, a photo

    response = client.post(f"/t/{thread.id}/reply", data={
        "body": "大照片", "photos": files((big, "big.jpg"))},
        content_type="multipart/form-data")
    assert response.status_code == 302

    assert client.post("/settings", data={"x": "y" * 60_000}).status_code == 413


@pytest.mark.parametrize("page", ["new_thread", "reply", "file"])
def test_forms_are_multipart_and_offer_photos(client, login, owner, page) -> None:
    board = make_board(kind=BoardKind.COMPLAINTS)
    thread = make_thread(board)
    login(owner)
    url = {"new_thread": _new_thread_url(board), "reply": f"/t/{thread.id}/reply",
           "file": f"/c/{board.community.slug}/complaints/new"}[page]

    html = client.get(url).get_data(as_text=True)

    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" id="photos" name="photos" multiple' in html
    assert 'accept="image/jpeg,image/png,image/webp,image/heic' in html


def test_a_photo_attached_meanwhile_cannot_be_attached_again(client, login, owner,
                                                             monkeypatch) -> None:
    from app.core.errors import Invalid
    from app.forum import services as forum_services
    from app.photos import services as photo_services

    thread = make_thread(author=owner)
    login(owner)
    photo_id = upload(client, images.jpeg()).get_json()["id"]
    stale = photo_services.pending_of(owner, [photo_id])  # what a second request read
    first = forum_services.reply(thread, owner, body="先到的回复", photo_ids=[photo_id])
    monkeypatch.setattr(photo_services, "pending_of", lambda user, ids: stale)

    with pytest.raises(Invalid):
        forum_services.reply(thread, owner, body="后到的回复", photo_ids=[photo_id])

    db.session.rollback()
    assert photos()[0].post_id == first.id


def test_staff_filing_for_an_owner_attach_their_own_photos(client, login, staff) -> None:
    board = make_board(kind=BoardKind.COMPLAINTS)
    category = make_category()
    owner = make_user(Role.OWNER)
    login(staff)

    response = client.post(f"/c/{board.community.slug}/complaints/new?for=owner", data={
        "owner_username": owner.username, "title": "业主来电：外墙渗水",
        "category_id": category.id, "body": "业主来电反映外墙渗水，拍了照片发到客服微信。",
        "location": "unit", "wanted_outcome": "尽快修好",
        "photos": files((images.jpeg(), "wechat.jpg"))}, content_type="multipart/form-data")

    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    photo = photos()[0]
    assert photo.post_id is not None and photo.uploader_id == staff.id
    assert photo.post.author_id == owner.id
