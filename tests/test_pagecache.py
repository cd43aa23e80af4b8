"""The visitors' page cache (issue 7): no session for visitors, whole pages cached,
every change shown at once, members never served a cached page."""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest

from app.auth.roles import Role
from app.core import pagecache
from app.extensions import db
from app.forum import services as forum
from app.forum.models import Post
from tests.complaints.helpers import step
from tests.conftest import make_test_app
from tests.factories import PASSWORD, first_post, make_board, make_case, make_thread, make_user
from tests.helpers import counting_queries

BACKENDS = ["local"] + (["redis"] if os.environ.get("TEST_REDIS_URL") else [])


@pytest.fixture(params=BACKENDS)
def app(request: Any, tmp_path: Any) -> Iterator[Any]:
    overrides: dict = {"PAGE_CACHE_SECONDS": 60,
                       "PAGE_CACHE_GEN_FILE": str(tmp_path / "gens")}
    if request.param == "redis":
        overrides["REDIS_URL"] = os.environ["TEST_REDIS_URL"]
    app = make_test_app(**overrides)
    with app.app_context():
        db.drop_all()
        db.create_all()
        if request.param == "redis":
            pagecache.clear(app)
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def visitor(app: Any) -> Any:
    return app.test_client()


@pytest.fixture
def member_client(app: Any) -> Any:
    return app.test_client()


def log_in(client: Any, user: Any) -> None:
    response = client.post("/login", data={"login": user.username, "password": PASSWORD})
    assert response.status_code == 302


def get(client: Any, url: str, **kwargs: Any) -> tuple[Any, str]:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return response, response.get_data(as_text=True)


def cache_state(client: Any, url: str, **kwargs: Any) -> str | None:
    return client.get(url, **kwargs).headers.get("X-Page-Cache")


def board_path(board: Any) -> str:
    return f"/c/{board.community.slug}/{board.slug}"


def public_paths(thread: Any, case: Any) -> list[str]:
    board = thread.board
    return ["/", f"/c/{board.community.slug}", board_path(board), f"/t/{thread.id}",
            f"/t/{case.thread_id}", "/cases/resolved", "/scorecard",
            f"/u/{thread.author.username}", f"{board_path(board)}/feed.atom", "/search?q=漏水"]


def test_visitor_pages_make_no_session_and_are_cached_whole(app: Any, visitor: Any) -> None:
    thread = make_thread(replies=3)
    case = make_case()
    for path in public_paths(thread, case):
        first = visitor.get(path)
        assert first.status_code == 200, path
        assert "Set-Cookie" not in first.headers, path
        assert "csrf" not in first.get_data(as_text=True), path
        assert first.headers["X-Page-Cache"] == "miss", path
        assert {"Cookie", "Accept-Language"} <= set(first.vary), path
        with counting_queries() as queries:
            second = visitor.get(path)
        assert second.headers["X-Page-Cache"] == "hit", path
        assert queries == [], path  # a hit touches no database
        assert second.get_data() == first.get_data(), path
        assert "Set-Cookie" not in second.headers, path
        assert "Content-Security-Policy" in second.headers, path
        assert {"Cookie", "Accept-Language"} <= set(second.vary), path
    assert visitor.get_cookie("session") is None


def test_a_reply_shows_at_once_on_thread_board_and_home(app: Any, visitor: Any,
                                                       member_client: Any) -> None:
    thread = make_thread(replies=1)
    member = make_user(Role.MEMBER)
    board = board_path(thread.board)
    for path in (f"/t/{thread.id}", board, "/"):
        get(visitor, path)
        assert cache_state(visitor, path) == "hit"

    log_in(member_client, member)
    response = member_client.post(f"/t/{thread.id}/reply", data={"body": "楼上说得对，我家也漏水"})
    assert response.status_code == 302

    response, page = get(visitor, f"/t/{thread.id}")
    assert response.headers["X-Page-Cache"] == "miss"
    assert "楼上说得对，我家也漏水" in page
    assert cache_state(visitor, board) == "miss"
    assert cache_state(visitor, "/") == "miss"


def test_a_reply_leaves_other_threads_cached(app: Any, visitor: Any) -> None:
    thread, other = make_thread(), make_thread()
    get(visitor, f"/t/{other.id}")
    forum.reply(thread, make_user(Role.MEMBER), body="只改这一个帖子")
    assert cache_state(visitor, f"/t/{other.id}") == "hit"
    assert "只改这一个帖子" in get(visitor, f"/t/{thread.id}")[1]


def test_an_edit_shows_at_once(app: Any, visitor: Any, member_client: Any) -> None:
    thread = make_thread()
    get(visitor, f"/t/{thread.id}")
    log_in(member_client, thread.author)
    post = first_post(thread)
    response = member_client.post(f"/p/{post.id}/edit",
                                  data={"body": "改过的正文：已经修好了", "title": "新标题：已修好"})
    assert response.status_code == 302
    page = get(visitor, f"/t/{thread.id}")[1]
    assert "改过的正文：已经修好了" in page and "新标题：已修好" in page
    assert "新标题：已修好" in get(visitor, board_path(thread.board))[1]


def test_a_deletion_shows_at_once(app: Any, visitor: Any, member_client: Any) -> None:
    thread = make_thread(replies=1)
    reply = db.session.query(Post).filter_by(thread_id=thread.id, number=2).one()
    get(visitor, f"/t/{thread.id}")
    log_in(member_client, reply.author)
    assert member_client.post(f"/p/{reply.id}/delete").status_code == 302
    page = get(visitor, f"/t/{thread.id}")[1]
    assert reply.body_source not in page


def test_any_change_to_a_post_row_shows_at_once(app: Any, visitor: Any) -> None:
    """Moderation (hiding) and future columns: every ORM change to a post counts."""
    thread = make_thread()
    get(visitor, f"/t/{thread.id}")
    post = first_post(thread)
    post.body_html = "<p>版主处理后的内容</p>"
    db.session.commit()
    assert "版主处理后的内容" in get(visitor, f"/t/{thread.id}")[1]


def test_a_new_thread_shows_at_once(app: Any, visitor: Any, member_client: Any) -> None:
    board = make_board()
    member = make_user(Role.MEMBER)
    get(visitor, board_path(board))
    get(visitor, "/")
    log_in(member_client, member)
    response = member_client.post(f"{board_path(board)}/new",
                                  data={"title": "电梯又坏了怎么办", "body": "三号楼电梯停了两天"})
    assert response.status_code == 302
    assert "电梯又坏了怎么办" in get(visitor, board_path(board))[1]
    assert "电梯又坏了怎么办" in get(visitor, "/")[1]


def test_a_case_status_change_shows_at_once(app: Any, visitor: Any, member_client: Any) -> None:
    case = make_case()
    staff = make_user(Role.STAFF)
    path = f"/t/{case.thread_id}"
    before = get(visitor, path)[1]
    get(visitor, "/scorecard")
    log_in(member_client, staff)
    assert step(member_client, case, "assign").status_code == 302
    response, after = get(visitor, path)
    assert response.headers["X-Page-Cache"] == "miss"
    assert after != before
    assert cache_state(visitor, "/scorecard") == "miss"


def test_a_me_too_shows_at_once(app: Any, visitor: Any, member_client: Any) -> None:
    case = make_case()
    path = f"/t/{case.thread_id}"
    get(visitor, path)
    log_in(member_client, make_user(Role.OWNER))
    assert member_client.post(f"/cases/{case.id}/join").status_code == 302
    assert cache_state(visitor, path) == "miss"


def test_a_display_name_change_reaches_every_page(app: Any, visitor: Any) -> None:
    thread = make_thread()
    get(visitor, f"/t/{thread.id}")
    thread.author.display_name = "改名后的业主"
    db.session.commit()
    assert "改名后的业主" in get(visitor, f"/t/{thread.id}")[1]


def test_private_changes_keep_pages_cached(app: Any, visitor: Any, member_client: Any) -> None:
    thread = make_thread()
    get(visitor, f"/t/{thread.id}")
    log_in(member_client, make_user(Role.MEMBER))  # a session row, a login: nothing public
    assert member_client.post(f"/t/{thread.id}/watch", data={"on": "1"}).status_code == 302
    assert cache_state(visitor, f"/t/{thread.id}") == "hit"


def test_a_failed_transaction_bumps_nothing(app: Any, visitor: Any) -> None:
    thread = make_thread()
    get(visitor, f"/t/{thread.id}")
    first_post(thread).body_html = "<p>never committed</p>"
    db.session.flush()
    db.session.rollback()
    assert cache_state(visitor, f"/t/{thread.id}") == "hit"


def test_each_language_has_its_own_page(app: Any, visitor: Any) -> None:
    make_thread()
    zh = get(visitor, "/")[1]
    switch = visitor.get("/lang?lang=en&next=/")
    assert switch.status_code == 302 and switch.headers["Location"].endswith("/")
    assert "lang=en" in switch.headers["Set-Cookie"]
    response, en = get(visitor, "/")
    assert response.headers["X-Page-Cache"] == "miss"
    assert 'lang="en"' in en and en != zh
    other = app.test_client()
    assert 'lang="zh-Hans"' in get(other, "/")[1]
    assert 'lang="en"' in get(other, "/", headers={"Accept-Language": "en-GB,en"})[1]


def test_the_language_switch_unsafe_next_goes_home(app: Any, visitor: Any) -> None:
    response = visitor.get("/lang?lang=en&next=https://evil.example/")
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_members_never_read_or_fill_the_cache(app: Any, visitor: Any,
                                             member_client: Any) -> None:
    thread = make_thread()
    member = make_user(Role.MEMBER, display_name="登录的张三")
    log_in(member_client, member)
    for _ in range(2):
        response, page = get(member_client, f"/t/{thread.id}")
        assert "X-Page-Cache" not in response.headers
        assert "登录的张三" in page and 'name="csrf-token"' in page
    response, page = get(visitor, f"/t/{thread.id}")
    assert response.headers["X-Page-Cache"] == "miss" and "登录的张三" not in page
    # The visitor's cached page is never shown to the member either.
    assert "登录的张三" in get(member_client, f"/t/{thread.id}")[1]


def test_remembered_members_are_not_served_cached_pages(app: Any, visitor: Any) -> None:
    thread = make_thread()
    get(visitor, f"/t/{thread.id}")
    visitor.set_cookie("remember_token", "anything")
    assert "X-Page-Cache" not in visitor.get(f"/t/{thread.id}").headers


def test_a_flashed_message_is_never_cached_or_skipped(app: Any, visitor: Any) -> None:
    make_thread()
    get(visitor, "/")
    with visitor.session_transaction() as sess:
        sess["_flashes"] = [("success", "您已退出登录")]
    response, page = get(visitor, "/")
    assert "X-Page-Cache" not in response.headers and "您已退出登录" in page
    response, page = get(visitor, "/")
    assert response.headers["X-Page-Cache"] == "hit" and "您已退出登录" not in page


def test_a_response_setting_a_cookie_is_never_stored(app: Any, visitor: Any) -> None:
    thread = make_thread()

    @app.after_request
    def _set_cookie(response: Any) -> Any:
        response.set_cookie("tracker", "1")
        return response

    for _ in range(2):
        response = visitor.get(f"/t/{thread.id}")
        assert response.headers.get("X-Page-Cache") != "hit"


def test_login_and_register_still_work_with_csrf(tmp_path: Any) -> None:
    app = make_test_app(WTF_CSRF_ENABLED=True, PAGE_CACHE_SECONDS=60,
                        PAGE_CACHE_GEN_FILE=str(tmp_path / "gens"))
    with app.app_context():
        db.drop_all()
        db.create_all()
        user = make_user(Role.MEMBER)
        client = app.test_client()
        home = client.get("/")
        assert "Set-Cookie" not in home.headers
        assert 'name="csrf-token"' not in home.get_data(as_text=True)

        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post("/login", data={"csrf_token": token, "login": user.username,
                                               "password": PASSWORD})
        assert response.status_code == 302
        page = client.get("/").get_data(as_text=True)
        assert 'name="csrf-token"' in page and user.display_name in page

        other = app.test_client()
        page = other.get("/register").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = other.post("/register", data={
            "csrf_token": token, "username": "newowner", "display_name": "新业主",
            "email": "new@example.com", "password": "a-long-pass-2026",
            "confirm": "a-long-pass-2026"})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        # Without a token, the member's language switch is still refused.
        assert other.post("/lang", data={"lang": "en"}).status_code == 400
        db.session.remove()
        db.drop_all()


def test_generations_are_shared_between_processes(tmp_path: Any) -> None:
    """Two workers on one machine (no Redis) share the generations through a file."""
    one = pagecache.FileGenerations(str(tmp_path / "gens"))
    two = pagecache.FileGenerations(str(tmp_path / "gens"))
    before = two.get(["t:1", "site"])
    one.bump({"t:1"})
    after = two.get(["t:1", "site"])
    assert after[0] != before[0] and after[1] == before[1]


def test_the_page_store_keeps_within_its_budget() -> None:
    pages = pagecache.MemoryPages(max_bytes=1000)
    for n in range(20):
        pages.set(f"k{n}", b"x" * 200, ttl=60)
    assert pages.get("k0") is None and pages.get("k19") == b"x" * 200
    pages.set("old", b"y", ttl=-1)
    assert pages.get("old") is None


def test_the_clear_command_invalidates_every_page(app: Any, visitor: Any) -> None:
    thread = make_thread()
    get(visitor, f"/t/{thread.id}")
    get(visitor, "/")
    result = app.test_cli_runner().invoke(args=["pagecache", "clear"])
    assert result.exit_code == 0, result.output
    assert cache_state(visitor, f"/t/{thread.id}") == "miss"
    assert cache_state(visitor, "/") == "miss"


def test_the_wsgi_hit_path_uses_the_apps_locale(app: Any) -> None:
    """HitServer computes the locale without a request context: it must agree with Flask's."""
    from flask_babel import get_locale, refresh
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request as PlainRequest

    cases = [({}, {}), ({"lang": "en"}, {}), ({"lang": "xx"}, {"Accept-Language": "en"}),
             ({}, {"Accept-Language": "en-GB,en;q=0.8"}), ({}, {"Accept-Language": "fr"}),
             ({"lang": "zh"}, {"Accept-Language": "en"})]
    for cookies, headers in cases:
        if cookies:
            headers = {**headers, "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        environ = EnvironBuilder(path="/", headers=headers).get_environ()
        with app.request_context(environ):
            refresh()  # the test's app context outlives each request: forget its locale
            flask_locale = str(get_locale())
        assert pagecache.visitor_locale(app, PlainRequest(environ)) == flask_locale, headers


def test_hits_answer_before_flask_with_the_same_page(app: Any, visitor: Any) -> None:
    thread = make_thread()
    first = visitor.get(f"/t/{thread.id}")
    calls = []
    app.before_request_funcs.setdefault(None, []).append(lambda: calls.append(1))
    second = visitor.get(f"/t/{thread.id}")
    assert second.headers["X-Page-Cache"] == "hit" and calls == []
    assert second.get_data() == first.get_data()
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert set(second.vary) == set(first.vary)
    visitor.set_cookie("lang", "en")
    english = visitor.get(f"/t/{thread.id}")
    assert english.headers["X-Page-Cache"] == "miss" and 'lang="en"' in english.get_data(True)


def test_staff_side_changes_invalidate_exactly_what_readers_see(app: Any, visitor: Any) -> None:
    """A verification badge or a hidden post shows at once; a report or a request, which no
    reader sees, leaves the cached page alone."""
    from app.moderation import services as moderation
    from app.owners import services as owners
    from tests.factories import first_post

    author = make_user(Role.MEMBER)
    thread = make_thread(author=author, replies=1)
    staff = make_user(Role.STAFF)
    path = f"/t/{thread.id}"
    get(visitor, path)

    moderation.flag_post(first_post(thread), make_user(Role.MEMBER), reason="spam")
    request = owners.request_verification(
        author, community_id=thread.board.community_id, building="3", entrance="1",
        room="502", contract_name="王小明", phone="13800000000")
    assert cache_state(visitor, path) == "hit"

    owners.approve(request, staff)
    _, page = get(visitor, path)
    assert "认证业主" in page

    moderation.hide_thread(thread, make_user(Role.MODERATOR), reason="广告")
    _, page = get(visitor, path)
    assert "此帖已被版主隐藏" in page
