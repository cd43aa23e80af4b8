"""Privacy, proven: sentinel values in every private field never reach a visitor or an
unrelated member, on any public page, feed or answer (bodies and headers alike).

Private fields (PRODUCT.md "People"): real names, phones, emails, units, the identity of
anonymous filers, the contact details staff took on the phone, internal notes, work-order
internals, defect root causes, deleted posts and the earlier text of edited posts, and a
rating comment its owner kept private. Every GET route outside /staff is fetched with
each case's ids, and the public pages also with their filters.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from app.auth.roles import Role
from app.communities.models import BoardKind
from app.complaints import defects, services
from app.extensions import db
from app.forum import services as forum_services
from app.owners import services as owner_services
from app.moderation import services as moderation
from tests.factories import first_post, make_board, make_case, make_thread, make_user

SECRETS = {
    "named filer's real name": "真名SNTL甲",
    "named filer's phone": "13900SNTL001",
    "named filer's email": "sntl-named@example.com",
    "anonymous filer's name": "匿名者SNTL乙",
    "anonymous filer's username": "sntlanon",
    "anonymous filer's email": "sntl-anon@example.com",
    "anonymous filer's real name": "真名SNTL丁",
    "anonymous filer's phone": "13900SNTL002",
    "unit": "18栋2单元SNTL1203",
    "phoned-in owner's name": "电话业主SNTL丙",
    "phoned-in owner's phone": "13900SNTL003",
    "phoned-in owner's email": "sntl-phone@example.com",
    "internal note": "内部备注SNTL-NOTE",
    "work-order details": "派单细节SNTL-WORK",
    "defect root cause": "根因SNTL-CAUSE",
    "deleted post": "已删除SNTL-DELETED",
    "edited-away text": "改掉的SNTL-EDITED",
    "private rating comment": "不公开的评价SNTL-RATING",
    # Owner verification (issue 4): what a member gives to be verified, and the unit it names.
    "verification contract name": "合同名SNTL戊",
    "verification phone": "13987654321",
    "verified building": "SNTLB7",
    "verified room": "SNTL0909",
    "pending contract name": "合同名SNTL己",
    "pending phone": "13987654322",
    "pending room": "SNTLP0101",
    # Moderation (issue 4): hidden text and its reason, redacted data, reports, suspensions.
    "hidden post": "被隐藏SNTL-HIDDEN",
    "hiding reason": "隐藏原因SNTL-WHY",
    "hidden thread title": "隐藏主题SNTL-HTITLE",
    "redacted phone": "13900SNTL009",
    "report note": "举报说明SNTL-FLAG",
    "suspension reason": "禁言原因SNTL-SUSP",
}
PUBLIC_QUERIES = [
    "/cases/resolved?rating=4%2B", "/cases/resolved?outcome=confirmed",
    "/cases/resolved?rating=none", "/scorecard/communities?by=loyalty",
    "/scorecard/communities?by=promises", "/search?q=SNTL", "/search?q=漏水",
    "/no/such/page",
]


def _steps(case, staff) -> None:
    for action, step in (
            ("assign", services.StepInput(department_id=case.category.routed_department_id)),
            ("plan", services.StepInput(note="下周上门",
                                        committed_date=date.today() + timedelta(days=5))),
            ("dispatch", services.StepInput(
                work_order_number="WO-1", work_order_details=SECRETS["work-order details"]))):
        services.take_step(case, action, staff, step, seen_version=case.version)


@pytest.fixture
def world(app, staff):
    """Cases in several states, with a secret in every private field."""
    board = make_board(kind=BoardKind.COMPLAINTS, slug="complaints")
    community = board.community
    talk = make_board(community, slug="talk", name="业主交流")
    site_news = make_board(site_wide=True, slug="news", name="平台公告")
    make_thread(site_news, staff, title="平台公告：记分卡上线")
    named = make_user(Role.OWNER, username="named", display_name="3栋王先生",
                      email=SECRETS["named filer's email"],
                      real_name=SECRETS["named filer's real name"],
                      phone=SECRETS["named filer's phone"])
    anon = make_user(Role.OWNER, username=SECRETS["anonymous filer's username"],
                     display_name=SECRETS["anonymous filer's name"],
                     email=SECRETS["anonymous filer's email"],
                     real_name=SECRETS["anonymous filer's real name"],
                     phone=SECRETS["anonymous filer's phone"])

    verified = owner_services.request_verification(
        named, community_id=community.id, building=SECRETS["verified building"], entrance="2",
        room=SECRETS["verified room"], contract_name=SECRETS["verification contract name"],
        phone=SECRETS["verification phone"])
    owner_services.approve(verified, staff)
    owner_services.request_verification(
        anon, community_id=community.id, building="9", entrance="1",
        room=SECRETS["pending room"], contract_name=SECRETS["pending contract name"],
        phone=SECRETS["pending phone"])
    named = db.session.get(type(named), named.id)

    closed = make_case(named, community=community, title="卫生间漏水", location="unit",
                       unit_text=SECRETS["unit"])
    hidden = make_case(anon, community=community, title="车库照明不足", anonymous=True,
                       unit_text=SECRETS["unit"])
    phoned = services.file_complaint(community, None, services.Filing(
        title="电话反映：电梯异响", body="业主来电反映电梯运行有异响。",
        category_id=closed.category_id, contact_name=SECRETS["phoned-in owner's name"],
        contact_phone=SECRETS["phoned-in owner's phone"],
        contact_email=SECRETS["phoned-in owner's email"]), filed_by=staff)

    for case in (closed, hidden):
        services.add_note(case, staff, body=SECRETS["internal note"])
        _steps(case, staff)
    services.take_step(closed, "resolve", staff,
                       services.StepInput(resolution_summary="重做防水层并闭水试验"),
                       seen_version=closed.version)
    services.confirm(closed, named, services.RatingInput(
        overall=5, buy_again=4, recommend=4, comment=SECRETS["private rating comment"],
        comment_public=False))
    services.answer(hidden, staff, body="已安排电工检查照明线路。")
    defects.mark_defect(closed, staff, category_id=closed.category_id,
                        department_id=closed.category.routed_department_id,
                        cause=SECRETS["defect root cause"])

    forum_services.reply(hidden.thread, anon, body="补充：B2层最暗。")
    talk_thread = make_thread(talk, named, title="小区绿化讨论", body="大家觉得呢？")
    gone = forum_services.reply(talk_thread, named, body=SECRETS["deleted post"])
    forum_services.delete_post(gone, named)
    opening = first_post(hidden.thread)
    forum_services.edit_post(opening, anon, body=SECRETS["edited-away text"])
    forum_services.edit_post(opening, anon, body="车库B2层照明不足，晚上很暗。")

    moderator, poster = make_user(Role.MODERATOR), make_user(display_name="某业主")
    rude = forum_services.reply(talk_thread, poster, body=SECRETS["hidden post"])
    moderation.hide_post(rude, moderator, reason=SECRETS["hiding reason"])
    spam = make_thread(talk, poster, title=SECRETS["hidden thread title"], body="加微信领优惠")
    moderation.hide_thread(spam, moderator, reason="广告")
    exposed = forum_services.reply(talk_thread, poster,
                                   body=f"我的电话 {SECRETS['redacted phone']}")
    moderation.flag_post(exposed, named, reason="personal_data", note=SECRETS["report note"])
    moderation.moderate_text(exposed, moderator, body="我的电话（已删除）", reason="手机号",
                             redact=True)
    moderation.flag_post(first_post(talk_thread), poster, reason="other",
                         note=SECRETS["report note"])
    moderation.suspend(named, moderator, days=3, reason=SECRETS["suspension reason"])
    return {"community": community, "boards": [board, talk, site_news],
            "subjects": [(closed, first_post(closed.thread)), (hidden, opening),
                         (phoned, first_post(phoned.thread)), (None, gone)],
            "talk_thread": talk_thread, "profiles": ["named", staff.username]}


def _urls(app, world) -> list[str]:
    """Every GET route outside /staff, filled in with each case's and post's values."""
    community = world["community"]
    fills = []
    for case, post in world["subjects"]:
        thread_id = case.thread_id if case else world["talk_thread"].id
        for board in world["boards"]:
            for username in world["profiles"]:
                fills.append({"thread_id": thread_id, "post_id": post.id,
                              "case_id": case.id if case else 1,
                              "community_slug": community.slug, "board_slug": board.slug,
                              "username": username})
    urls = set(PUBLIC_QUERIES)
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or \
                rule.rule.startswith("/staff"):
            continue
        for values in fills:
            urls.add(re.sub(r"<(?:\w+:)?(\w+)>",
                            lambda m, v=values: str(v.get(m.group(1), "x")), rule.rule))
    return sorted(urls)


def _leaks(client, urls) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for url in urls:
        response = client.get(url, follow_redirects=True)
        seen = response.get_data(as_text=True) + "\n" + "\n".join(
            f"{k}: {v}" for k, v in response.headers.items())
        hits = [name for name, secret in SECRETS.items() if secret.lower() in seen.lower()]
        if hits:
            found[url] = hits
    return found


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_no_private_value_reaches_a_visitor_or_an_unrelated_member(app, client, login, world,
                                                                   who) -> None:
    urls = _urls(app, world)
    if who == "member":
        login(make_user(Role.OWNER, display_name="无关的业主"))

    leaks = _leaks(client, urls)

    assert len(urls) > 40
    assert leaks == {}


def test_the_sentinels_are_really_there_for_staff(app, client, login, world) -> None:
    """The test would catch a leak: staff do see these values on the case pages."""
    login(make_user(Role.STAFF))
    closed, hidden = world["subjects"][0][0], world["subjects"][1][0]

    pages = "\n".join(client.get(f"/t/{case.thread_id}").get_data(as_text=True)
                      for case in (closed, hidden))

    for name in ("internal note", "work-order details", "defect root cause", "unit",
                 "anonymous filer's name", "private rating comment", "verified building",
                 "verified room"):
        assert SECRETS[name] in pages, name
    queue = client.get("/staff/verifications/").get_data(as_text=True)
    for name in ("pending contract name", "pending phone", "pending room"):
        assert SECRETS[name] in queue, name


def test_the_moderation_sentinels_are_really_there_for_moderators(app, client, login,
                                                                  world) -> None:
    login(make_user(Role.MODERATOR))
    thread = client.get(f"/t/{world['talk_thread'].id}").get_data(as_text=True)
    queue = client.get("/mod/flags").get_data(as_text=True)
    history = "\n".join(client.get(f"/p/{post_id}/history").get_data(as_text=True)
                        for post_id in range(1, 20))
    suspend = client.get("/mod/users/named/suspend").get_data(as_text=True)

    assert SECRETS["hidden post"] in thread and SECRETS["hiding reason"] in thread
    assert SECRETS["report note"] in queue
    assert SECRETS["redacted phone"] in history
    assert SECRETS["suspension reason"] in suspend
