"""Suspending and banning: the form, the banner, the refusal, expiry, lifting, the audit."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.auth.roles import Role
from app.core import clock
from app.moderation import services
from tests.factories import make_thread, make_user
from tests.helpers import fresh
from tests.moderation.helpers import audit_actions, last_audit


def test_a_moderator_suspends_a_member_for_days_with_a_reason(client, login,
                                                              moderator) -> None:
    member = make_user(Role.OWNER)
    login(moderator)

    form = client.get(f"/mod/users/{member.username}/suspend")
    assert form.status_code == 200 and "禁言或封禁" in form.get_data(as_text=True)
    response = client.post(f"/mod/users/{member.username}/suspend",
                           data={"kind": "suspend", "days": "3", "reason": "多次辱骂他人"})

    assert response.status_code == 302
    member = fresh(member)
    assert member.is_banned and member.banned_at is None
    assert timedelta(days=2, hours=23) < member.suspended_until - clock.now() <= timedelta(days=3)
    assert member.suspend_reason == "多次辱骂他人"
    entry = last_audit()
    assert (entry.action, entry.target_type, entry.target_id) == ("user.suspend", "user",
                                                                 member.id)
    assert entry.after["days"] == 3 and entry.reason == "多次辱骂他人"


def test_the_suspended_member_sees_the_reason_everywhere_and_cannot_post(
        client, login, moderator, monkeypatch) -> None:
    thread = make_thread()
    member = make_user(Role.OWNER)
    services.suspend(member, moderator, days=2, reason="发布广告")
    login(member)

    home = client.get("/").get_data(as_text=True)
    assert "你的账号被禁言至" in home and "原因：发布广告" in home
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "原因：发布广告" in page and 'id="reply-form"' not in page
    refused = client.post(f"/t/{thread.id}/reply", data={"body": "我偏要回复"})
    assert refused.status_code == 403
    assert "在此之前不能发帖" in refused.get_data(as_text=True)

    later = clock.now() + timedelta(days=2, minutes=5)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert "你的账号被禁言至" not in client.get("/").get_data(as_text=True)
    assert client.post(f"/t/{thread.id}/reply", data={"body": "我回来了"}).status_code == 302


def test_a_ban_lasts_until_lifted(client, login, moderator, monkeypatch) -> None:
    member = make_user()
    login(moderator)
    client.post(f"/mod/users/{member.username}/suspend",
                data={"kind": "ban", "days": "", "reason": "冒充物业诈骗"})
    member = fresh(member)
    assert member.banned_at is not None and member.ban_reason == "冒充物业诈骗"
    assert last_audit().action == "user.ban"

    later = clock.now() + timedelta(days=3000)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert fresh(member).is_banned
    monkeypatch.undo()  # (the moderator's login session would have ended by then)

    client.post(f"/mod/users/{member.username}/unsuspend", data={"reason": "申诉成功"})
    assert not fresh(member).is_banned
    assert audit_actions()[-1] == "user.unban" and last_audit().reason == "申诉成功"


def test_lifting_a_suspension(client, login, moderator) -> None:
    member = make_user()
    services.suspend(member, moderator, days=7, reason="刷屏")
    login(moderator)

    assert "解除禁言" in client.get(f"/mod/users/{member.username}/suspend").get_data(
        as_text=True)
    client.post(f"/mod/users/{member.username}/unsuspend", data={"reason": ""})

    member = fresh(member)
    assert not member.is_banned and member.suspended_until is None
    assert audit_actions()[-1] == "user.unsuspend"


def test_the_form_wants_a_reason_and_sensible_days(client, login, moderator) -> None:
    member = make_user()
    login(moderator)
    url = f"/mod/users/{member.username}/suspend"

    assert client.post(url, data={"kind": "suspend", "days": "3", "reason": ""}
                       ).status_code == 400
    assert client.post(url, data={"kind": "suspend", "days": "0", "reason": "x"}
                       ).status_code == 400
    assert client.post(url, data={"kind": "suspend", "days": "", "reason": "x"}
                       ).status_code == 400
    assert not fresh(member).is_banned


@pytest.mark.parametrize("role", [Role.MEMBER, Role.OWNER, Role.HANDLER, Role.STAFF])
def test_only_moderators_and_admins_suspend(client, login, role) -> None:
    member = make_user()
    login(make_user(role))
    assert client.get(f"/mod/users/{member.username}/suspend").status_code == 403
    assert client.post(f"/mod/users/{member.username}/suspend",
                       data={"kind": "ban", "reason": "x"}).status_code == 403
    assert client.post(f"/mod/users/{member.username}/unsuspend").status_code == 403
    assert not fresh(member).is_banned


def test_a_moderator_cannot_suspend_an_admin_but_an_admin_can_suspend_a_moderator(
        client, login, moderator, admin) -> None:
    login(moderator)
    assert client.post(f"/mod/users/{admin.username}/suspend",
                       data={"kind": "ban", "reason": "x"}).status_code == 403
    client.post("/logout")
    login(admin)
    client.post(f"/mod/users/{moderator.username}/suspend",
                data={"kind": "suspend", "days": "1", "reason": "滥用权限"})
    assert fresh(moderator).is_banned
    assert client.get("/mod/flags").status_code == 200


def test_the_profile_page_offers_moderators_the_form(client, login, moderator) -> None:
    member = make_user()
    services.suspend(member, moderator, days=1, reason="灌水")
    assert "灌水" not in client.get(f"/u/{member.username}").get_data(as_text=True)
    login(moderator)
    page = client.get(f"/u/{member.username}").get_data(as_text=True)
    assert f"/mod/users/{member.username}/suspend" in page and "灌水" in page


def test_an_unknown_user_is_404(client, login, moderator) -> None:
    login(moderator)
    assert client.get("/mod/users/nobody-here/suspend").status_code == 404
