"""An owner files a complaint on a phone, staff answer it, the owner confirms and rates."""
from __future__ import annotations

import re

import pytest

from app.auth import services as auth_services
from app.auth.roles import Role
from app.communities.defaults import install_defaults
from app.communities.models import Board, BoardKind, Community, Department
from app.extensions import db
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e
PASSWORD = "correct-horse-42"


@pytest.fixture
def site(live_app):
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
        staff = auth_services.create_account("kefu", "kefu@example.com", PASSWORD,
                                             display_name="客服小陈", role=Role.STAFF)
        staff.department_id = db.session.scalar(
            db.select(Department.id).where(Department.slug == "customer-relations"))
        db.session.commit()


def _login(page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("用户名或邮箱").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("form.card").get_by_role("button", name="登录").click()


def _logout(page) -> None:
    page.locator(".user-nav").get_by_role("button", name="退出").click()


def test_file_answer_confirm_and_rate_on_a_phone(live_server, phone, site) -> None:
    page = phone
    _login(page, live_server, "wang3")
    page.get_by_role("link", name="我要投诉").first.click()
    page.get_by_role("link", name="四季花园").click()
    page.get_by_label("标题").fill("卫生间天花板漏水，已经一周了")
    page.get_by_label("类别").select_option(label="防水渗漏")
    assert page.locator(".standard.is-current").is_visible()  # the standard shows as chosen
    page.get_by_label("问题描述").fill("楼上卫生间漏水一周了，天花板发黄，晚上还在滴水。")
    page.get_by_label("我家户内").check()
    page.get_by_label("您的房号（楼栋、单元、房间）").fill("3栋1单元1203")
    page.get_by_label("您希望如何解决？").fill("查明原因并修好天花板")
    screenshot(page, "e2e-file-complaint-phone")
    page.get_by_role("button", name="提交投诉").click()
    assert re.search(r"/t/\d+$", page.url)
    thread_url = page.url
    assert page.locator(".case-panel .status").inner_text().strip() == "已受理"
    _logout(page)

    _login(page, live_server, "kefu")
    page.goto(thread_url)
    page.locator("summary", has_text="发布官方回复").click()
    page.get_by_label("官方回复", exact=True).fill("王先生您好，已收到，工程部明天上午上门查看。")
    answer = page.locator("details.step", has_text="发布官方回复")
    answer.get_by_role("button", name="发布官方回复").click()
    for action, fill in [
        ("分派", {}),
        ("出具方案", {"承诺完成日期": "2030-01-15", "公开说明": "重做楼上卫生间防水层"}),
        ("派发工单", {"工单号": "WO-2026-1123"}),
        ("标记为已解决", {"处理结果（公开显示）": "已重做防水层，闭水试验48小时无渗漏"}),
    ]:
        details = page.locator("details.step", has=page.locator("summary", has_text=action))
        details.locator("summary").click()
        for label, value in fill.items():
            details.get_by_label(label).fill(value)
        details.get_by_role("button", name=action).click()
        assert "投诉已更新" in page.locator(".flashes").inner_text()
    assert page.locator(".case-panel .status").inner_text().strip() == "待业主确认"
    _logout(page)

    _login(page, live_server, "wang3")
    page.goto(thread_url)
    rating = page.locator("form.rating-form")
    for question in ("总体", "再次购买", "推荐"):
        rating.locator("fieldset", has_text=question).get_by_text("5 ★").click()
    rating.get_by_role("button", name="确认并关闭").click()
    assert "已关闭" in page.locator(".case-panel .status").inner_text()
    assert page.locator(".case-rating").is_visible()
    screenshot(page, "e2e-case-closed-phone")
