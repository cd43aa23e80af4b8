"""Every route of the site × every persona: who may use it and who is refused.

The matrix below is the one place that says it. A route that has no entry fails
`test_every_route_has_an_entry`, so a new page cannot slip in unchecked. Each entry names, for
each HTTP method, the personas that may use it; everyone else must be refused (403, 404 for
what they may not know exists, or a redirect to the login page). Allowed personas must get a
page or a redirect that is not to the login page, never a refusal or a server error.

The requests carry plausible form data, so an allowed persona gets past the form and reaches
the rule in the service; a refused one must be refused whatever they send.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import pytest
from PIL import Image

from app.auth.roles import Role
from app.communities.models import BoardKind
from app.complaints import services as case_services
from app.auth import services as auth_services
from app.extensions import db, limiter
from app.owners import services as owner_services
from app.photos import services as photo_services
from app.sitesettings.calendar import seed_calendar
from app.sitesettings.models import CalendarDay
from app.notifications.models import Notification
from app.notifications.tokens import unsubscribe_token
from tests.conftest import make_test_app, with_tables
from tests.factories import (PASSWORD, first_post, make_board, make_case, make_category,
                             make_community, make_department, make_thread, make_user)

PERSONAS = ("visitor", "member", "owner", "other_owner", "handler", "other_handler", "staff",
            "moderator", "admin")
EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {"visitor"}
NOBODY: frozenset[str] = frozenset()
STAFF = frozenset({"staff", "moderator", "admin"})
HANDLERS = STAFF | {"handler", "other_handler"}          # every staff role, any department
CASE_WORKERS = STAFF | {"handler"}                         # those who work this case
MODERATORS = frozenset({"moderator", "admin"})
ADMINS = frozenset({"admin"})


@dataclass(frozen=True)
class Entry:
    """Who may use a route, per method; `args` picks the world's objects for its arguments."""

    get: frozenset[str] | None = None
    post: frozenset[str] | None = None
    args: dict[str, str] = field(default_factory=dict)


def page(who: frozenset[str], **args: str) -> Entry:
    return Entry(get=who, args=args)


def action(who: frozenset[str], **args: str) -> Entry:
    return Entry(post=who, args=args)


def form(get: frozenset[str], post: frozenset[str] | None = None, **args: str) -> Entry:
    return Entry(get=get, post=get if post is None else post, args=args)


MATRIX: dict[str, Entry] = {
    # Reading the forum and the public record: everyone.
    "forum.home": page(EVERYONE),
    "forum.community": page(EVERYONE),
    "forum.board": page(EVERYONE),
    "forum.site_board": page(EVERYONE),
    "forum.thread": page(EVERYONE),
    "forum.post": page(EVERYONE),
    "auth.profile": page(EVERYONE),
    "complaints.show": page(EVERYONE),
    "complaints.choose_community": page(SIGNED_IN),
    "search.results": page(EVERYONE),
    "search.similar": page(EVERYONE),
    "transparency.scorecard": page(EVERYONE),
    "transparency.ranking": page(EVERYONE),
    "transparency.community_scorecard": page(EVERYONE),
    "transparency.resolved": page(EVERYONE),
    "feeds.board": page(EVERYONE),
    "feeds.site_board": page(EVERYONE),
    "feeds.community_cases": page(EVERYONE),
    "feeds.resolved": page(EVERYONE),
    "static": page(EVERYONE),
    # Accounts.
    "auth.login": form(EVERYONE),
    "auth.register": form(EVERYONE),
    "auth.logout": action(EVERYONE),                 # a visitor is simply sent home
    "auth.set_language": action(EVERYONE),
    "auth.choose_language": page(EVERYONE),
    "auth.settings": form(SIGNED_IN),
    "auth.change_password": form(SIGNED_IN),
    "notifications.index": page(SIGNED_IN),
    "notifications.settings": form(SIGNED_IN),
    "notifications.read_all": action(SIGNED_IN),
    "notifications.read": action(SIGNED_IN),   # someone else's notice changes nothing (own test)
    "notifications.unsubscribe": form(EVERYONE),                # the signed link is the key
    # Writing in the forum.
    "forum.new_thread": form(SIGNED_IN),
    "forum.new_site_thread": form(SIGNED_IN),
    "forum.reply": form(SIGNED_IN),
    "forum.watch": action(SIGNED_IN),
    "forum.edit_post": form(frozenset({"member"}) | MODERATORS),  # the author, moderators
    "forum.delete_post": action(frozenset({"member"})),          # the author only
    "forum.post_history": page(frozenset({"member"}) | STAFF),   # author and staff
    # Complaints.
    "complaints.file": form(SIGNED_IN),
    "complaints.convert": form(STAFF),
    "complaints.take_step": action(CASE_WORKERS),
    "complaints.answer": action(CASE_WORKERS),
    "complaints.add_note": action(HANDLERS),
    "complaints.join": action(SIGNED_IN - {"owner"} - HANDLERS),
    "complaints.merge": action(STAFF),
    "complaints.confirm": action(frozenset({"owner"}), case_id="resolved_case"),
    "complaints.reject": action(frozenset({"owner"}), case_id="resolved_case"),
    "complaints.reopen": action(frozenset({"owner"}), case_id="closed_case"),
    # The staff workbench (blueprint guard: a handler role or above, fresh login).
    "staff.queue": page(HANDLERS),
    "staff.export": page(HANDLERS),
    "staff.audit": page(HANDLERS),
    "staff.bulk_assign": action(HANDLERS),   # each case then by case.act
    "defects.report": page(HANDLERS),
    "defects.export": page(HANDLERS),
    "defects.mark": form(CASE_WORKERS),
    "defects.clear": action(CASE_WORKERS),
    # Moderation (members report; moderators act). The world's post is the member's own.
    "flags.flag": form(SIGNED_IN - {"member"}),
    "moderation.flags": page(MODERATORS),
    "moderation.hidden": page(MODERATORS),
    "moderation.dismiss": action(MODERATORS),
    "moderation.edit_post": form(MODERATORS),
    "moderation.hide_post": form(MODERATORS),
    "moderation.redact_post": form(MODERATORS),
    "moderation.restore_post": form(MODERATORS),
    "moderation.thread_hide": form(MODERATORS),
    "moderation.thread_restore": form(MODERATORS),
    "moderation.thread_lock": form(MODERATORS),
    "moderation.thread_unlock": form(MODERATORS),
    "moderation.thread_pin": form(MODERATORS),
    "moderation.thread_unpin": form(MODERATORS),
    "moderation.thread_move": form(MODERATORS),
    "moderation.suspend": form(MODERATORS),
    "moderation.unsuspend": action(MODERATORS),
    # Operations.
    "ops.healthz": page(EVERYONE),
    "ops.readyz": page(EVERYONE),
    "jobs.index": page(ADMINS),
    "jobs.requeue": action(ADMINS),
    "jobs.requeue_emails": action(ADMINS),
    # Owner verification: members ask, staff decide; a reset link is its own key.
    "owners.request_form": form(SIGNED_IN),
    "verifications.queue": page(STAFF),
    "verifications.approve": action(STAFF),
    "verifications.reject": action(STAFF),
    "auth.reset_password": form(EVERYONE, token="reset_token"),
    # Administration: admins only.
    "admin.index": page(ADMINS),
    "admin.communities": form(ADMINS),
    "admin.community": form(ADMINS),
    "admin.archive_community": action(ADMINS),
    "admin.create_board": action(ADMINS),
    "admin.create_site_board": action(ADMINS),
    "admin.board": form(ADMINS),
    "admin.archive_board": action(ADMINS),
    "admin.categories": form(ADMINS),
    "admin.category": form(ADMINS),
    "admin.archive_category": action(ADMINS),
    "admin.calendar": form(ADMINS),
    "admin.remove_day": action(ADMINS),
    "admin.departments": form(ADMINS),
    "admin.department": form(ADMINS),
    "admin.add_member": action(ADMINS),
    "admin.settings": form(ADMINS),
    "admin.users": page(ADMINS),
    "admin.user": page(ADMINS),
    "admin.set_department": action(ADMINS),
    "admin.reset_link": action(ADMINS),
    "admin.set_role": action(ADMINS),
    # Photos: served with their post's visibility; uploads by members; moderators hide.
    "photos.full": page(EVERYONE),
    "photos.thumb": page(EVERYONE),
    "photos.upload": action(SIGNED_IN),
    "photo_moderation.hide": action(MODERATORS, photo_id="photo_for"),
    "photo_moderation.unhide": action(MODERATORS, photo_id="hidden_photo_for"),
}

# Plausible values for every field a form of the site may ask for: an allowed persona gets
# past validation and reaches the rule, so the test sees the rule, not a form error.
FORM_DATA: dict[str, Any] = {
    "login": "nobody", "password": "not-the-password", "username": "newcomer",
    "email": "newcomer@example.com", "password2": "not-the-password",
    "title": "电梯又坏了，三号楼", "body": "三号楼电梯今早又停了，老人上下楼很不方便。",
    "reason": "还是漏水，维修没有效果。", "note": "已电话联系业主", "overall": "4",
    "buy_again": "4", "recommend": "4", "comment": "处理及时", "language": "en",
    "summary": "卫生间防水层破损", "category_id": "", "wanted_outcome": "尽快修好",
}


@pytest.fixture
def app(tmp_path: Any) -> Any:
    """The test app without rate limits: this test logs in hundreds of times from one address."""
    yield from with_tables(make_test_app(RATELIMIT_ENABLED=False,
                                         UPLOAD_DIR=str(tmp_path / "uploads")))
    limiter.enabled = True  # the limiter is one object for every app: switch it back on


@dataclass
class World:
    users: dict[str, Any]
    values: dict[str, Any]


def build_world() -> World:
    """One community with a case in each needed state, a discussion thread, every persona."""
    department, other_department = make_department(), make_department()
    category = make_category(department)
    community = make_community()
    make_board(community, BoardKind.COMPLAINTS, slug="complaints")
    talk = make_board(community, slug="talk")
    site_board = make_board(site_wide=True, slug="site-talk")
    users = {
        "member": make_user(Role.MEMBER), "owner": make_user(Role.OWNER),
        "other_owner": make_user(Role.OWNER),
        "handler": make_user(Role.HANDLER, department_id=department.id),
        "other_handler": make_user(Role.HANDLER, department_id=other_department.id),
        "staff": make_user(Role.STAFF), "moderator": make_user(Role.MODERATOR),
        "admin": make_user(Role.ADMIN),
    }
    thread = make_thread(talk, users["member"], replies=1)
    open_case = make_case(users["owner"], community=community, category=category)
    resolved_case = make_case(users["owner"], community=community, category=category,
                              title="地下车库积水")
    _walk_to_resolved(resolved_case, users["staff"], department.id)
    closed_case = make_case(users["owner"], community=community, category=category,
                            title="小区大门门禁失灵")
    _walk_to_resolved(closed_case, users["staff"], department.id)
    case_services.confirm(closed_case, users["owner"], case_services.RatingInput(
        overall=4, buy_again=4, recommend=4, comment="", comment_public=False))
    db.session.commit()
    request = owner_services.request_verification(
        users["member"], community_id=community.id, building="3", entrance="2", room="1203",
        contract_name="张三", phone="13800000000")
    seed_calendar()
    reset_tokens = {persona: auth_services.make_reset_link_token(
        make_user(Role.MEMBER), created_by=users["admin"]) for persona in PERSONAS}
    db.session.commit()
    photos = _photos(first_post(thread), users["member"], 2 * len(PERSONAS))
    for photo in photos[len(PERSONAS):]:
        photo_services.hide(photo, users["moderator"], reason="拍到了车牌")
    notification = db.session.scalars(db.select(Notification).where(
        Notification.user_id == users["owner"].id)).first()
    values = {
        "thread_id": thread.id, "post_id": first_post(thread).id, "case_id": open_case.id,
        "resolved_case": resolved_case.id, "closed_case": closed_case.id,
        "community_slug": community.slug, "board_slug": talk.slug,
        "site_board_slug": site_board.slug, "username": users["member"].username,
        "notification_id": notification.id if notification else 0,
        "token": unsubscribe_token(users["owner"].id, "case_event"),
        "filename": "css/app.css", "slug": "topic", "request_id": request.id,
        "reset_token": reset_tokens, "community_id": community.id, "board_id": talk.id,
        "category_id": category.id, "department_id": department.id,
        "user_id": users["member"].id,
        "day_id": db.session.scalars(db.select(CalendarDay.id)).first(),
        "key": photos[0].key,   # one photo per persona where acting on it changes it:
        "photo_for": dict(zip(PERSONAS, (p.id for p in photos[:len(PERSONAS)]))),
        "hidden_photo_for": dict(zip(PERSONAS, (p.id for p in photos[len(PERSONAS):]))),
    }
    return World(users, values)


def _photos(post: Any, author: Any, count: int) -> list[Any]:
    """`count` small photos on `post`, through the real upload and attach services."""
    image = Image.new("RGB", (32, 24), (180, 40, 40))
    data = io.BytesIO()
    image.save(data, "JPEG")
    made = [photo_services.upload(author, io.BytesIO(data.getvalue())) for _ in range(count)]
    for start in range(0, count, 9):
        photo_services.attach(post, author, [p.id for p in made[start:start + 9]])
    db.session.commit()
    return made


def _walk_to_resolved(case: Any, actor: Any, department_id: int) -> None:
    from datetime import date, timedelta
    steps = [("assign", case_services.StepInput(department_id=department_id)),
             ("plan", case_services.StepInput(committed_date=date.today() + timedelta(days=3),
                                              note="下周上门")),
             ("dispatch", case_services.StepInput(work_order_number="WO-1",
                                                  work_order_details="王师傅")),
             ("resolve", case_services.StepInput(resolution_summary="已修好"))]
    for name, step in steps:
        case_services.take_step(case, name, actor, step, seen_version=case.version)
        db.session.commit()


ROUTE_ARG_DEFAULTS = {"board_slug": "board_slug"}
SITE_BOARD_ENDPOINTS = {"forum.site_board", "forum.new_site_thread", "feeds.site_board"}


def _url(rule: Any, entry: Entry, world: World, persona: str) -> str:
    url = rule.rule
    for name in rule.arguments:
        key = entry.args.get(name, name)
        if name == "board_slug" and rule.endpoint in SITE_BOARD_ENDPOINTS:
            key = "site_board_slug"
        value = world.values[key]
        if isinstance(value, dict):   # one per persona (a one-time link)
            value = value[persona]
        for pattern in (f"<{name}>", f"<int:{name}>", f"<path:{name}>"):
            url = url.replace(pattern, str(value))
    return url


def _rules(app: Any) -> dict[str, Any]:
    rules: dict[str, Any] = {}
    for rule in app.url_map.iter_rules():
        rules.setdefault(rule.endpoint, rule)   # one URL per endpoint (/t/<id> before slug)
    return rules


def test_every_route_has_an_entry(app: Any) -> None:
    missing = sorted(set(_rules(app)) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(_rules(app)))

    assert missing == [], f"routes without a permission entry: {missing}"
    assert stale == [], f"entries for routes that no longer exist: {stale}"


def test_every_entry_covers_the_methods_of_its_route(app: Any) -> None:
    for endpoint, rule in _rules(app).items():
        entry = MATRIX[endpoint]
        assert ("GET" in rule.methods) == (entry.get is not None), endpoint
        assert ("POST" in rule.methods) == (entry.post is not None), endpoint


def _refused(response: Any) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code in (301, 302, 303) and \
        "/login" in response.headers.get("Location", "")


def _client_for(app: Any, persona: str, world: World) -> Any:
    client = app.test_client()
    if persona != "visitor":
        response = client.post("/login", data={"login": world.users[persona].username,
                                                "password": PASSWORD})
        assert response.status_code == 302, persona
    return client


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_route_admits_exactly_its_personas(app: Any, endpoint: str) -> None:
    rules = _rules(app)
    if endpoint not in rules:
        pytest.fail(f"{endpoint} has an entry but no route")
    rule, entry = rules[endpoint], MATRIX[endpoint]
    world = build_world()
    wrong: list[str] = []
    for persona in PERSONAS:
        url = _url(rule, entry, world, persona)
        client = _client_for(app, persona, world)
        for method, allowed in (("GET", entry.get), ("POST", entry.post)):
            if allowed is None:
                continue
            response = client.get(url) if method == "GET" else client.post(url, data=FORM_DATA)
            assert response.status_code < 500, (persona, method, url)
            if (persona in allowed) == _refused(response):
                wrong.append(f"{persona} {method} {url} -> {response.status_code} "
                             f"{response.headers.get('Location', '')}".strip())
    assert wrong == [], "\n".join(wrong)
