"""An owner files a complaint with photos from a phone: with JavaScript each photo uploads at
once with a preview and progress, the form carries their ids, the case shows a gallery."""
from __future__ import annotations

import pytest

from app.auth import services as auth_services
from app.auth.roles import Role
from app.communities.defaults import install_defaults
from app.communities.models import Board, BoardKind, Community
from app.extensions import db
from tests.e2e.conftest import screenshot
from tests.photos import images

pytestmark = pytest.mark.e2e
PASSWORD = "correct-horse-42"


@pytest.fixture
def site(live_app, tmp_path):
    live_app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    with live_app.app_context():
        install_defaults()
        community = Community(slug="siji-garden", name="四季花园", city="深圳")
        db.session.add(community)
        db.session.flush()
        db.session.add(Board(community_id=community.id, slug="complaints", name="投诉与建议",
                             kind=BoardKind.COMPLAINTS.value))
        db.session.commit()
        auth_services.create_account("wang3", "wang3@example.com", PASSWORD,
                                     display_name="3栋王先生", role=Role.OWNER)


def test_file_a_complaint_with_photos_on_a_phone(live_server, phone, site, tmp_path) -> None:
    page = phone
    shots = []
    for i, data in enumerate([images.jpeg((900, 600), gps=True), images.png_with_text(),
                              images.SVG]):
        path = tmp_path / f"IMG_{i}.{['jpg', 'png', 'svg'][i]}"
        path.write_bytes(data)
        shots.append(str(path))
    page.goto(live_server + "/login")
    page.get_by_label("用户名或邮箱").fill("wang3")
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("form.card").get_by_role("button", name="登录").click()
    page.goto(live_server + "/c/siji-garden/complaints/new")
    page.get_by_label("标题").fill("地库墙面裂缝越来越长")
    page.get_by_label("类别").select_option(label="防水渗漏")
    page.get_by_label("问题描述").fill("B2层墙面有一条裂缝，这个月明显变长了，下雨天渗水。")
    page.get_by_label("您希望如何解决？").fill("检测并修复")

    page.get_by_label("照片（可选）").set_input_files(shots)

    page.locator("input[name=photo_id]").nth(1).wait_for(state="attached")
    page.locator(".photo-failed .error").wait_for()
    assert "SVG" in page.locator(".photo-failed .error").inner_text()
    assert page.locator("input[name=photo_id]:checked").count() == 2
    screenshot(page, "photos-filing-phone")
    page.get_by_role("button", name="提交投诉").click()

    page.locator(".case-gallery").wait_for()
    assert page.locator(".case-gallery img").count() == 2
    assert page.locator(".post .photos img[loading=lazy]").count() == 2
    natural = page.locator(".case-gallery img").first.evaluate("img => img.naturalWidth")
    assert natural > 0  # the thumbnail really loads under the page's CSP
    screenshot(page, "photos-case-phone")
