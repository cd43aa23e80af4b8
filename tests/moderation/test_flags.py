"""Reporting posts and threads, the flags queue, and telling reporters the outcome."""
from __future__ import annotations

import pytest

from app.auth.roles import Role
from app.extensions import db
from app.moderation import services
from app.moderation.models import Flag
from app.notifications.models import Notification
from tests.conftest import make_test_app
from tests.factories import PASSWORD, first_post, make_thread, make_user
from tests.helpers import counting_queries, fresh
from tests.moderation.helpers import audit_actions, flag, flagged_reply


def test_a_member_reports_a_post_with_a_reason_and_a_note(client, login, member) -> None:
    thread, reply = flagged_reply()
    login(member)

    page = client.get(f"/p/{reply.id}/flag")
    assert page.status_code == 200 and "个人信息" in page.get_data(as_text=True)
    response = client.post(f"/p/{reply.id}/flag", data={"reason": "personal_data",
                                                        "note": "有手机号"})

    assert response.status_code == 302
    row = db.session.scalars(db.select(Flag)).one()
    assert (row.post_id, row.reporter_id, row.reason, row.note) == (reply.id, member.id,
                                                                   "personal_data", "有手机号")
    assert row.is_open


def test_a_thread_is_reported_through_its_opening_post(client, login, member) -> None:
    thread = make_thread()
    login(member)

    assert "举报此帖" in client.get(f"/t/{thread.id}").get_data(as_text=True)
    client.post(f"/p/{first_post(thread).id}/flag", data={"reason": "spam"})

    assert db.session.scalars(db.select(Flag)).one().post_id == first_post(thread).id


def test_one_open_report_per_member_per_post(client, login, member) -> None:
    _thread, reply = flagged_reply()
    login(member)
    client.post(f"/p/{reply.id}/flag", data={"reason": "spam"})

    again = client.post(f"/p/{reply.id}/flag", data={"reason": "abuse"})

    assert again.status_code == 200 and "已经举报" in again.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Flag.id))) == 1
    with pytest.raises(Exception):
        services.flag_post(reply, member, reason="abuse")
    db.session.rollback()


def test_after_a_moderator_acts_the_member_may_report_the_post_again(app, member,
                                                                    moderator) -> None:
    _thread, reply = flagged_reply()
    services.flag_post(reply, member, reason="spam")
    services.dismiss_flags(reply, moderator)

    services.flag_post(reply, member, reason="spam", note="又改回广告了")

    assert db.session.scalar(db.select(db.func.count(Flag.id))) == 2


def test_a_reason_is_required_and_own_posts_are_not_reported(client, login) -> None:
    thread, reply = flagged_reply()
    login(thread.author)

    assert client.post(f"/p/{reply.id}/flag", data={"reason": "spam"}).status_code == 403
    client.post("/logout")
    login(make_user())
    assert client.post(f"/p/{reply.id}/flag", data={"reason": ""}).status_code == 400
    assert client.post(f"/p/{reply.id}/flag", data={"reason": "bogus"}).status_code == 400


def test_visitors_are_sent_to_log_in(client) -> None:
    _thread, reply = flagged_reply()
    response = client.get(f"/p/{reply.id}/flag")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_reports_are_rate_limited_per_member() -> None:
    app = make_test_app(FLAG_RATE_LIMIT="2 per hour", RATELIMIT_ENABLED=True)
    with app.app_context():
        db.drop_all()
        db.create_all()
        try:
            member = make_user()
            posts = [flagged_reply()[1] for _ in range(3)]
            client = app.test_client()
            client.post("/login", data={"login": member.username, "password": PASSWORD})
            codes = [client.post(f"/p/{p.id}/flag", data={"reason": "spam"}).status_code
                     for p in posts]
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
    assert codes == [302, 302, 429]


def test_the_queue_groups_reports_by_post_with_counts(client, login, moderator) -> None:
    _t1, busy = flagged_reply()
    _t2, quiet = flagged_reply()
    for reason in ("abuse", "abuse", "spam"):
        flag(busy, reason)
    flag(quiet, "off_topic", note="跑题了")
    login(moderator)

    page = client.get("/mod/flags").get_data(as_text=True)

    assert "4 条未处理的举报，涉及 2 个帖子" in page
    assert page.count('class="card flag-row"') == 2
    assert page.index(f'id="f{busy.id}"') < page.index(f'id="f{quiet.id}"')  # most first
    assert "3 条举报" in page and "跑题了" in page
    filtered = client.get("/mod/flags?reason=off_topic").get_data(as_text=True)
    assert filtered.count('class="card flag-row"') == 1


def test_the_queue_costs_few_queries_however_many_reports(client, login, moderator) -> None:
    for _ in range(6):
        _thread, reply = flagged_reply()
        for reason in ("abuse", "spam", "personal_data"):
            flag(reply, reason)
    login(moderator)
    client.get("/mod/flags")

    with counting_queries() as statements:
        assert client.get("/mod/flags").status_code == 200

    assert len(statements) <= 8, statements


@pytest.mark.parametrize("role,status", [("member", 403), ("owner", 403), ("handler", 403),
                                         ("staff", 403), ("moderator", 200), ("admin", 200)])
def test_only_moderators_and_admins_see_the_queue(client, login, role, status) -> None:
    login(make_user(Role(role)))
    assert client.get("/mod/flags").status_code == status


def test_visitors_are_sent_from_the_queue_to_log_in(client) -> None:
    response = client.get("/mod/flags")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_dismissing_tells_every_reporter_and_empties_the_row(client, login, moderator) -> None:
    _thread, reply = flagged_reply()
    reporters = [make_user(), make_user()]
    for person in reporters:
        flag(reply, "abuse", reporter=person)
    login(moderator)

    client.post(f"/mod/flags/{reply.id}/dismiss", data={"reason": "正常批评"})

    assert all(not f.is_open and f.outcome == "dismissed"
               for f in db.session.scalars(db.select(Flag)))
    for person in reporters:
        assert fresh(person).unread_count == 1
        notice = db.session.scalars(db.select(Notification)
                                    .where(Notification.user_id == person.id)).one()
        assert notice.kind == "flag_outcome" and notice.flag.outcome == "dismissed"
    assert "flag.dismiss" in audit_actions()
    assert "没有未处理的举报" in client.get("/mod/flags").get_data(as_text=True)


def test_hiding_from_the_queue_tells_the_reporter_under_the_bell(client, login, moderator
                                                                ) -> None:
    _thread, reply = flagged_reply()
    reporter = make_user()
    flag(reply, "abuse", reporter=reporter)
    login(moderator)

    client.post(f"/mod/posts/{reply.id}/hide", data={"reason": "人身攻击"})
    client.post("/logout")
    login(reporter)
    page = client.get("/notifications").get_data(as_text=True)

    assert "你的举报" in page and "版主已隐藏" in page
    assert f"/p/{reply.id}" in page


def test_the_notice_page_stays_within_the_query_budget(client, login, moderator) -> None:
    reporter = make_user()
    for _ in range(5):
        _thread, reply = flagged_reply()
        flag(reply, "spam", reporter=reporter)
        services.dismiss_flags(reply, moderator)
    login(reporter)
    with counting_queries() as statements:
        assert client.get("/notifications").status_code == 200
    assert len(statements) <= 8


def test_the_workbench_leads_moderators_to_the_flags_queue(client, login, moderator) -> None:
    handler = make_user(Role.HANDLER)
    login(moderator)
    page = client.get("/staff/").get_data(as_text=True)
    assert 'href="/mod/flags"' in page and 'href="/mod/hidden"' in page
    client.post("/logout")

    login(handler)
    page = client.get("/staff/").get_data(as_text=True)
    assert 'href="/mod/flags"' not in page and 'href="/staff/audit"' in page
