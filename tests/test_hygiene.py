"""Site-wide guarantees: CSRF on every POST, no `|safe`, security headers, plain errors."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import create_app
from app.extensions import db
from app.notifications.tokens import unsubscribe_token
from config import ProductionConfig
from tests.conftest import make_test_app, with_tables
from tests.factories import PASSWORD, first_post, make_case, make_thread

ROOT = Path(__file__).resolve().parent.parent


def _post_rules(app) -> list:
    return [r for r in app.url_map.iter_rules() if "POST" in r.methods]


@pytest.fixture
def csrf_app():
    yield from with_tables(make_test_app(WTF_CSRF_ENABLED=True))


def test_every_post_route_refuses_a_request_without_a_csrf_token(csrf_app) -> None:
    case = make_case()
    thread = case.thread
    post = first_post(thread)
    values = {"thread_id": thread.id, "post_id": post.id, "case_id": case.id,
              "community_slug": thread.board.community.slug, "board_slug": thread.board.slug,
              # A valid link: the exempt unsubscribe view still wants a token from its button.
              "notification_id": 1, "photo_id": 1, "username": thread.author.username,
              "token": unsubscribe_token(thread.author_id, "case_event"),
              # issue 4: verification and administration routes
              "request_id": 1, "community_id": thread.board.community.id,
              "board_id": thread.board.id, "category_id": case.category_id, "day_id": 1,
              "department_id": 1, "user_id": thread.author_id}
    client = csrf_app.test_client()
    rules = _post_rules(csrf_app)

    refused = {}
    for rule in rules:
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<{name}>", str(values[name])).replace(
                f"<int:{name}>", str(values[name]))
        response = client.post(url, data={"login": thread.author.username,
                                          "password": PASSWORD, "body": "x" * 10})
        refused[rule.endpoint] = response.status_code

    assert len(rules) >= 8
    assert all(code == 400 for code in refused.values()), refused


def test_a_form_with_its_token_is_accepted(csrf_app) -> None:
    thread = make_thread()
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    response = client.post("/login", data={"csrf_token": token, "login":
                                           thread.author.username, "password": PASSWORD})

    assert response.status_code == 302


def test_no_template_marks_anything_safe() -> None:
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "templates").rglob("*.html")
                 if re.search(r"\|\s*safe\b|Markup\(|autoescape\s+false", p.read_text())]

    assert offenders == []


def test_only_the_sanitiser_imports_bleach() -> None:
    importers = [str(p.relative_to(ROOT)) for p in (ROOT / "app").rglob("*.py")
                 if re.search(r"^\s*(import|from)\s+bleach", p.read_text(), re.M)]

    assert importers == ["app/text/sanitize.py"]


def test_pages_carry_security_headers_and_a_csp_without_inline_script(client) -> None:
    response = client.get("/")

    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.get_data(as_text=True)


def test_requests_over_the_size_limit_are_refused(app, client) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1000

    response = client.post("/login", data={"login": "x" * 5000, "password": "y"})

    assert response.status_code == 413


def test_error_pages_are_plain_and_in_chinese_by_default(client) -> None:
    response = client.get("/no/such/page")

    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Traceback" not in page
    assert "找不到" in page or "不存在" in page


def test_errors_answer_json_to_clients_that_ask_for_it(client) -> None:
    response = client.get("/no/such/page", headers={"Accept": "application/json"})

    assert response.status_code == 404
    assert response.is_json and "error" in response.get_json()


def test_production_refuses_to_start_without_a_secret_key(monkeypatch) -> None:
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://")


def test_a_row_changed_under_a_request_is_a_409_not_a_500() -> None:
    from sqlalchemy.orm.exc import StaleDataError

    app = make_test_app()

    @app.get("/_stale")
    def _stale():  # noqa: ANN202
        raise StaleDataError("UPDATE statement on table 'cases' expected to update 1 row(s)")

    with app.app_context():
        response = app.test_client().get("/_stale")

    assert response.status_code == 409
    assert "同时" in response.get_data(as_text=True)
