"""Who is served which photo, with which headers; the gallery; moderators hiding photos;
the query budget of pages with photos; cleaning up abandoned uploads."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest

from app.audit.models import AuditEntry
from app.auth.roles import Role
from app.core import clock
from app.extensions import db
from app.forum import services as forum_services
from app.photos.models import Photo
from tests.factories import first_post, make_case, make_thread, make_user
from tests.helpers import counting_queries, fresh
from tests.photos import images
from tests.photos.helpers import files, photos, upload


def _thread_with_photo(client, login, author, n: int = 1):
    """A thread whose opening post carries `n` photos (posted through the form)."""
    from tests.factories import make_board
    board = make_board()
    login(author)
    response = client.post(f"/c/{board.community.slug}/{board.slug}/new", data={
        "title": "墙面开裂照片", "body": "请看照片",
        "photos": files(*[(images.jpeg(color=(i * 25, 80, 80)), f"{i}.jpg")
                          for i in range(n)])},
        content_type="multipart/form-data")
    assert response.status_code == 302
    client.post("/logout")
    thread_id = int(response.headers["Location"].split("/t/")[1].split("/")[0])
    return thread_id, photos()


def _get(client, photo: Photo, thumb: bool = False):
    return client.get(f"/photos/{photo.key}" + ("/thumb" if thumb else ""))


def test_a_photo_is_served_safely_to_everyone_who_can_see_the_post(client, login,
                                                                    owner) -> None:
    _, (photo,) = _thread_with_photo(client, login, owner)

    response = _get(client, photo)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == f'inline; filename="photo-{photo.id}.jpg"'
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp and "script" not in csp
    assert response.headers["Cache-Control"].startswith("private, max-age=")
    assert _get(client, photo, thumb=True).status_code == 200
    again = client.get(f"/photos/{photo.key}",
                       headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_unknown_and_malformed_addresses_are_404(client) -> None:
    for url in ("/photos/" + "0" * 32, "/photos/../../etc/passwd", "/photos/%2e%2e%2fx",
                "/photos/" + "a" * 31 + "/thumb"):
        assert client.get(url).status_code == 404, url


def test_a_pending_photo_is_its_uploaders_only(client, login, owner, other_owner,
                                               staff) -> None:
    login(owner)
    key = upload(client, images.jpeg()).get_json()["thumb"].split("/")[2]
    assert client.get(f"/photos/{key}").status_code == 200
    client.post("/logout")
    assert client.get(f"/photos/{key}").status_code == 404
    for other in (other_owner, staff):
        login(other)
        assert client.get(f"/photos/{key}").status_code == 404
        client.post("/logout")


def test_photos_of_a_deleted_post_are_not_served_except_to_staff(client, login, owner,
                                                                 other_owner, staff) -> None:
    thread_id, (photo,) = _thread_with_photo(client, login, owner)
    post = fresh(photo).post
    forum_services.delete_post(post, owner)

    assert _get(client, photo).status_code == 404
    login(owner)
    assert _get(client, photo).status_code == 404
    assert f"/photos/{photo.key}" not in client.get(f"/t/{thread_id}").get_data(as_text=True)
    client.post("/logout")
    login(staff)
    assert _get(client, photo).status_code == 200


@pytest.mark.parametrize("what", ["post", "thread"])
def test_photos_of_a_hidden_post_or_thread_are_for_staff_and_the_author(
        client, login, owner, other_owner, staff, moderator, what) -> None:
    from app.moderation import services as moderation

    thread_id, (photo,) = _thread_with_photo(client, login, owner)
    post = fresh(photo).post
    if what == "post":
        moderation.hide_post(post, moderator, reason="含有他人车牌")
    else:
        moderation.hide_thread(post.thread, moderator, reason="广告")

    assert _get(client, photo).status_code == 404
    assert _get(client, photo, thumb=True).status_code == 404
    for reader, served in ((other_owner, 404), (owner, 200), (staff, 200)):
        login(reader)
        assert _get(client, photo).status_code == served, reader
        client.post("/logout")
    moderation.restore_post(fresh(post), moderator) if what == "post" else \
        moderation.restore_thread(fresh(post).thread, moderator)
    assert _get(client, photo).status_code == 200


def test_visibility_goes_through_one_post_rule(monkeypatch, client, login, owner) -> None:
    """The integrator extends `post_visible` (e.g. moderator-hidden posts): photos follow."""
    from app.security import policy

    _, (photo,) = _thread_with_photo(client, login, owner)
    assert _get(client, photo).status_code == 200
    monkeypatch.setattr(policy, "post_visible", lambda user, post: False)

    assert _get(client, photo).status_code == 404


def test_a_moderator_hides_a_photo_with_a_reason(client, login, owner, moderator,
                                                 staff) -> None:
    thread_id, (photo,) = _thread_with_photo(client, login, owner)
    login(moderator)

    refused = client.post(f"/staff/photos/{photo.id}/hide", data={"reason": ""})
    assert refused.status_code == 302 and not fresh(photo).is_hidden
    response = client.post(f"/staff/photos/{photo.id}/hide", data={"reason": "照片里有车牌"})

    assert response.status_code == 302
    photo = fresh(photo)
    assert photo.is_hidden and photo.hidden_reason == "照片里有车牌"
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "photo.hide"))
    assert entry.target_id == photo.id and entry.reason == "照片里有车牌"
    assert entry.actor_id == moderator.id
    assert _get(client, photo).status_code == 200  # the moderator can still review it
    client.post("/logout")
    for viewer in (None, owner, staff):
        if viewer:
            login(viewer)
        assert _get(client, photo).status_code == 404
        assert _get(client, photo, thumb=True).status_code == 404
        page = client.get(f"/t/{thread_id}").get_data(as_text=True)
        assert "photo-tombstone" in page and photo.key not in page
        assert "照片里有车牌" not in page
        if viewer:
            client.post("/logout")

    login(moderator)
    assert client.post(f"/staff/photos/{photo.id}/unhide", data={}).status_code == 302
    assert not fresh(photo).is_hidden
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "photo.unhide"))


@pytest.mark.parametrize("who", ["owner", "staff"])
def test_only_moderators_hide_photos(client, login, owner, staff, who) -> None:
    _, (photo,) = _thread_with_photo(client, login, owner)
    login({"owner": owner, "staff": staff}[who])

    response = client.post(f"/staff/photos/{photo.id}/hide", data={"reason": "不喜欢"})

    assert response.status_code == 403
    assert not fresh(photo).is_hidden


def test_moderators_see_a_hide_button_others_do_not(client, login, owner, moderator) -> None:
    thread_id, (photo,) = _thread_with_photo(client, login, owner)

    assert "/hide" not in client.get(f"/t/{thread_id}").get_data(as_text=True)
    login(moderator)
    assert f"/staff/photos/{photo.id}/hide" in client.get(f"/t/{thread_id}").get_data(
        as_text=True)


def test_a_case_page_shows_every_visible_photo_as_a_gallery(client, login, staff,
                                                            moderator) -> None:
    case = make_case()
    login(case.filer)
    first = upload(client, images.jpeg()).get_json()["id"]
    client.post(f"/t/{case.thread_id}/reply", data={"body": "补充照片", "photo_id": [first]})
    second = upload(client, images.jpeg()).get_json()["id"]
    gone = upload(client, images.jpeg()).get_json()["id"]
    client.post(f"/t/{case.thread_id}/reply", data={"body": "又一张", "photo_id": [second]})
    client.post(f"/t/{case.thread_id}/reply", data={"body": "删掉的", "photo_id": [gone]})
    client.post("/logout")
    deleted = fresh(db.session.get(Photo, gone)).post
    forum_services.delete_post(deleted, case.filer)
    login(staff)
    client.post(f"/cases/{case.id}/answer", data={
        "body": "已修复", "photos": files((images.jpeg(), "fixed.jpg"))},
        content_type="multipart/form-data")
    client.post("/logout")
    hidden = photos()[-1]
    hidden.hidden_at = clock.now()
    db.session.commit()

    page = client.get(f"/t/{case.thread_id}").get_data(as_text=True)
    gallery = page.split('class="case-gallery"')[1].split("</ul>")[0]

    keys = {p.id: p.key for p in photos()}
    assert keys[first] in gallery and keys[second] in gallery
    assert keys[gone] not in gallery and hidden.key not in gallery
    assert gallery.count("<li") == 2


def test_pending_uploads_are_cleaned_up(app, client, login, owner, upload_dir) -> None:
    _, (attached,) = _thread_with_photo(client, login, owner)
    login(owner)
    old = db.session.get(Photo, upload(client, images.jpeg()).get_json()["id"])
    recent = db.session.get(Photo, upload(client, images.jpeg()).get_json()["id"])
    old.created_at = clock.now() - timedelta(hours=30)
    db.session.commit()
    old_files = [upload_dir / old.full_name, upload_dir / old.thumb_name]
    assert all(f.exists() for f in old_files)

    result = app.test_cli_runner().invoke(args=["photos", "clean-pending"])

    assert "Removed 1" in result.output
    assert {p.id for p in photos()} == {attached.id, recent.id}
    assert not any(f.exists() for f in old_files)


class MemoryStorage:
    """What an object store would look like: three methods."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def save(self, name: str, data: bytes) -> None:
        self.blobs[name] = data

    def open(self, name: str):
        if name not in self.blobs:
            raise FileNotFoundError(name)
        return io.BytesIO(self.blobs[name])

    def delete(self, name: str) -> None:
        self.blobs.pop(name, None)


def test_another_storage_can_replace_the_directory(app, client, login, owner,
                                                   upload_dir) -> None:
    store = MemoryStorage()
    app.extensions["photo_storage"] = store
    login(owner)

    answer = upload(client, images.jpeg())

    assert answer.status_code == 201 and len(store.blobs) == 2
    assert not upload_dir.exists()
    response = client.get(answer.get_json()["thumb"])
    assert response.status_code == 200 and response.get_data()[:3] == b"\xff\xd8\xff"


def test_nginx_can_send_the_files(app, client, login, owner) -> None:
    _, (photo,) = _thread_with_photo(client, login, owner)
    app.config["PHOTO_X_ACCEL_PREFIX"] = "/_photos/"

    response = _get(client, photo)

    assert response.headers["X-Accel-Redirect"] == f"/_photos/{photo.full_name}"
    assert response.get_data() == b"" and response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", ["visitor", "member", "moderator"])
def test_a_thread_page_full_of_photos_stays_within_8_queries(client, login, owner, moderator,
                                                            who) -> None:
    thread = make_thread(author=owner)
    login(owner)
    for i in range(19):
        ids = [upload(client, images.jpeg((16, 16))).get_json()["id"] for _ in range(2)]
        client.post(f"/t/{thread.id}/reply", data={"body": f"照片{i}", "photo_id": ids})
    client.post("/logout")
    if who != "visitor":
        login({"member": make_user(), "moderator": moderator}[who])
    thread_id = thread.id
    db.session.remove()

    with counting_queries() as statements:
        page = client.get(f"/t/{thread_id}")

    assert page.get_data(as_text=True).count('loading="lazy"') == 38
    assert len(statements) <= 8, statements


@pytest.mark.parametrize("who", ["visitor", "filer", "staff"])
def test_a_case_page_with_photos_stays_within_8_queries(client, login, staff, who) -> None:
    case = make_case()
    login(case.filer)
    for i in range(5):
        ids = [upload(client, images.jpeg((16, 16))).get_json()["id"] for _ in range(3)]
        client.post(f"/t/{case.thread_id}/reply", data={"body": f"照片{i}", "photo_id": ids})
    client.post("/logout")
    if who != "visitor":
        login({"filer": case.filer, "staff": staff}[who])
    thread_id = case.thread_id
    db.session.remove()

    with counting_queries() as statements:
        page = client.get(f"/t/{thread_id}").get_data(as_text=True)

    assert page.count('loading="lazy"') == 30  # 15 in the posts, 15 in the gallery
    assert len(statements) <= 8, statements


def test_the_first_post_of_a_thread_shows_its_photos(client, login, owner) -> None:
    thread_id, found = _thread_with_photo(client, login, owner, n=3)

    page = client.get(f"/t/{thread_id}").get_data(as_text=True)

    assert all(f"/photos/{p.key}/thumb" in page for p in found)
    assert first_post(db.session.get(type(fresh(found[0]).post.thread),
                                     found[0].post.thread_id)).id == found[0].post_id
