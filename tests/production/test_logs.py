"""Structured logs: one JSON line per request (request id, user, method, route, status,
duration), errors with their traceback as JSON, and never a password, token, e-mail
address or phone number in any line."""
from __future__ import annotations

import json
import logging

from app.core.logs import JsonFormatter, scrub
from app.extensions import db
from app.notifications.tokens import unsubscribe_token
from tests.conftest import make_test_app
from tests.factories import make_thread, make_user


def _lines(captured: str) -> list[dict]:
    return [json.loads(line) for line in captured.splitlines() if line.startswith("{")]


def _requests(captured: str) -> list[dict]:
    return [line for line in _lines(captured) if line["logger"] == "ownervoice.request"]


def test_each_request_is_one_json_line_with_who_what_and_how_long(app, client, login, member,
                                                                   capsys) -> None:
    thread = make_thread()
    login(member)
    capsys.readouterr()

    response = client.get(f"/t/{thread.id}")

    [line] = _requests(capsys.readouterr().err)
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["user_id"] == member.id
    assert (line["method"], line["route"], line["endpoint"], line["status"]) == (
        "GET", "/t/<int:thread_id>", "forum.thread", 200)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["level"] == "info" and line["ts"].endswith("+00:00")


def test_a_visitor_has_no_user_id_and_an_unknown_address_no_route(app, client, capsys) -> None:
    client.get("/no/such/page")

    [line] = _requests(capsys.readouterr().err)
    assert line["user_id"] is None and line["route"] is None and line["status"] == 404


def test_a_request_id_from_the_proxy_is_kept_and_echoed(app, client, capsys) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.42"})

    assert response.headers["X-Request-ID"] == "lb-7f3a.42"
    assert _requests(capsys.readouterr().err)[0]["request_id"] == "lb-7f3a.42"


def test_a_malformed_request_id_is_replaced_by_a_new_one(app, client) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "a b<script>" + "x" * 200})

    new = response.headers["X-Request-ID"]
    assert len(new) == 32 and new.isalnum()
    assert client.get("/healthz").headers["X-Request-ID"] != new


def test_an_error_is_logged_as_json_with_its_traceback_and_request_id(capsys) -> None:
    app = make_test_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/_boom")
    def _boom():  # noqa: ANN202
        raise RuntimeError("the boiler burst")

    with app.app_context():
        db.create_all()
        response = app.test_client().get("/_boom")
        db.session.remove()
        db.engine.dispose()

    assert response.status_code == 500
    lines = _lines(capsys.readouterr().err)
    [error] = [line for line in lines if line["level"] == "error"]
    assert error["exc_type"] == "RuntimeError"
    assert "the boiler burst" in error["traceback"] and "Traceback" in error["traceback"]
    assert error["request_id"] == response.headers["X-Request-ID"]
    assert [line["status"] for line in lines if line["logger"] == "ownervoice.request"] == [500]


def test_no_password_token_email_or_phone_ever_reaches_the_log(app, client, capsys) -> None:
    password, email, phone = "leak-in-bathroom-7", "wang3@example.com", "13812345678"
    client.post("/register", data={"username": "wang3", "display_name": "3栋王先生",
                                   "email": email, "password": password, "confirm": password})
    client.post("/logout")
    client.post("/login", data={"login": "wang3", "password": password})
    client.post("/login", data={"login": email, "password": "wrong-" + password})
    user = make_user(email="lin5@example.com")
    token = unsubscribe_token(user.id, "case_event")
    client.get(f"/unsubscribe/{token}")
    client.post(f"/unsubscribe/{token}")
    # A careless message, as a library might write one:
    logging.getLogger("app.somewhere").error(
        "send to %s (phone %s) failed; password=%s token=%s", email, phone, password, token)
    try:
        raise ValueError(f"refused {email} {phone}")
    except ValueError:
        logging.getLogger("app.somewhere").exception("recipient refused")

    output = capsys.readouterr().err
    assert _requests(output)  # the requests were logged...
    for secret in (password, email, "lin5@example.com", phone, token):
        assert secret not in output, secret  # ...without any of these
    assert "(email)" in output and "(phone)" in output and "password=(withheld)" in output


def test_sql_parameters_are_withheld() -> None:
    message = ("(psycopg.errors.UniqueViolation) duplicate key\n[SQL: INSERT INTO users "
               "(email, password_hash) VALUES (%(email)s, %(password_hash)s)]\n"
               "[parameters: {'email': 'x@y.cn', 'password_hash': 'scrypt:32768$abc'}]\n"
               "(Background on this error at: https://sqlalche.me/e/20/gkpj)")

    cleaned = scrub(message)

    assert "scrypt" not in cleaned and "x@y.cn" not in cleaned
    assert "[parameters withheld]" in cleaned and "INSERT INTO users" in cleaned


def test_the_formatter_keeps_extra_fields_and_scrubs_them() -> None:
    record = logging.makeLogRecord({"name": "t", "levelname": "INFO", "msg": "x",
                                    "job": "app.jobs.tasks:send_outbox",
                                    "to": "someone@example.com"})

    line = json.loads(JsonFormatter().format(record))

    assert line["job"] == "app.jobs.tasks:send_outbox" and line["to"] == "(email)"
