"""A new owner registers on a phone, starts a thread, replies, and sees it on the board."""
from __future__ import annotations

import re

import pytest

from app.communities.models import Board, BoardKind, Community
from app.extensions import db
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def board(live_app):
    with live_app.app_context():
        community = Community(slug="lychee-garden", name="荔枝花园", city="深圳")
        db.session.add(community)
        db.session.flush()
        db.session.add(Board(community_id=community.id, slug="talk", name="业主交流",
                             kind=BoardKind.DISCUSSION.value))
        db.session.commit()
    return "/c/lychee-garden/talk"


def test_register_start_a_thread_reply_and_see_it_on_the_board(live_server, phone,
                                                                 board) -> None:
    page = phone
    page.goto(live_server + "/")
    page.get_by_role("link", name="注册").first.click()
    page.get_by_label("用户名").fill("wang3")
    page.get_by_label("昵称").fill("3栋王先生")
    page.get_by_label("邮箱").fill("wang3@example.com")
    page.get_by_label("密码", exact=True).fill("leak-in-bathroom-7")
    page.get_by_label("确认密码").fill("leak-in-bathroom-7")
    page.get_by_role("button", name="注册").click()
    assert page.get_by_text("3栋王先生").first.is_visible()

    page.goto(live_server + board)
    page.get_by_role("link", name="发新帖").click()
    page.get_by_label("标题").fill("卫生间天花板漏水，物业多久能来？")
    page.get_by_label("内容").fill("楼上卫生间**漏水**一周了，天花板已经发黄。")
    screenshot(page, "e2e-new-thread-phone")
    page.get_by_role("button", name="发表主题").click()
    assert re.search(r"/t/\d+$", page.url)
    assert page.locator(".post-body strong").inner_text() == "漏水"

    page.get_by_label("您的回复").fill("补充一下：下雨天更严重。")
    page.get_by_role("button", name="发表回复").click()
    assert page.locator("#p2 .post-body").inner_text().strip() == "补充一下：下雨天更严重。"
    screenshot(page, "e2e-thread-phone")

    page.goto(live_server + board)
    row = page.locator(".thread-row", has_text="卫生间天花板漏水")
    assert row.is_visible()
    assert row.locator(".count").inner_text().strip().endswith("1")
    screenshot(page, "e2e-board-phone")
