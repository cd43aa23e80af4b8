"""Registration, login, logout, sessions, passwords, profiles."""
from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import User, UserSession
from app.extensions import db
from tests.factories import PASSWORD, make_thread, make_user
from tests.helpers import fresh

GOOD = {"username": "wang3", "display_name": "3栋王先生", "email": "Wang3@Example.com",
        "password": "leak-in-bathroom-7", "confirm": "leak-in-bathroom-7"}


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_registering_creates_the_account_and_logs_in(client) -> None:
    response = client.post("/register", data=GOOD)

    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "wang3"))
    assert user.email == "wang3@example.com"
    assert user.role == "member"
    assert "3栋王先生" in client.get("/").get_data(as_text=True)


def test_registering_with_a_taken_username_says_so_and_creates_nothing(client) -> None:
    make_user(username="wang3")
    before = _users()

    response = client.post("/register", data=GOOD)

    assert response.status_code == 400
    assert "该用户名已被使用。" in response.get_data(as_text=True)
    assert _users() == before


def test_registering_with_a_taken_email_in_another_case_is_refused(client) -> None:
    make_user(username="someone", email="wang3@example.com")

    response = client.post("/register", data=GOOD)

    assert response.status_code == 400
    assert "该邮箱已注册。" in response.get_data(as_text=True)


def test_registering_with_a_weak_password_is_refused(client) -> None:
    response = client.post("/register", data={**GOOD, "password": "12345678",
                                               "confirm": "12345678"})

    assert response.status_code == 400
    assert _users() == 0


def test_registering_with_mismatched_passwords_is_refused(client) -> None:
    response = client.post("/register", data={**GOOD, "confirm": "something-else-9"})

    assert response.status_code == 400
    assert "两次输入的密码不一致。" in response.get_data(as_text=True)


def test_registering_with_a_bad_username_is_refused(client) -> None:
    response = client.post("/register", data={**GOOD, "username": "../admin"})

    assert response.status_code == 400
    assert _users() == 0


def test_login_with_username_or_email_works(client, owner) -> None:
    assert client.post("/login", data={"login": owner.username,
                                       "password": PASSWORD}).status_code == 302
    client.post("/logout")
    assert client.post("/login", data={"login": owner.email.upper(),
                                       "password": PASSWORD}).status_code == 302


def test_login_with_a_wrong_password_is_refused_with_one_message(client, owner) -> None:
    response = client.post("/login", data={"login": owner.username, "password": "nope-nope-1"})

    assert response.status_code == 400
    assert "用户名、邮箱或密码错误。" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0


def test_login_returns_to_a_local_next_page_only(client, owner) -> None:
    local = client.post("/login?next=/u/" + owner.username,
                        data={"login": owner.username, "password": PASSWORD})
    client.post("/logout")
    offsite = client.post("/login?next=https://evil.example/",
                          data={"login": owner.username, "password": PASSWORD})

    assert local.headers["Location"] == "/u/" + owner.username
    assert offsite.headers["Location"] == "/"


def test_remember_me_sets_a_long_lived_cookie(client, owner, login) -> None:
    response = login(owner, remember=True)

    cookie = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token")]
    assert cookie and "Expires=" in cookie[0] and "HttpOnly" in cookie[0]


def test_session_cookie_is_httponly_and_samesite(client, owner, login) -> None:
    response = login(owner)

    cookie = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")][0]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_login_attempts_are_rate_limited(client, owner) -> None:
    codes = [client.post("/login", data={"login": owner.username,
                                         "password": "wrong-pass-1"}).status_code
             for _ in range(12)]

    assert codes[:10] == [400] * 10
    assert codes[10:] == [429, 429]


def test_logout_ends_the_session_so_a_replayed_cookie_is_refused(app, client, owner,
                                                                   login) -> None:
    login(owner, remember=True)
    stolen = {c.key: c.value for c in client._cookies.values()}

    client.post("/logout")
    replay = app.test_client()
    for key, value in stolen.items():
        replay.set_cookie(key, value)

    assert replay.get("/settings").status_code == 302  # to the login page
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0


def test_changing_the_password_ends_other_sessions_but_keeps_this_one(app, client, owner,
                                                                       login) -> None:
    other_device = app.test_client()
    other_device.post("/login", data={"login": owner.username, "password": PASSWORD})
    login(owner)

    response = client.post("/settings/password", data={
        "current_password": PASSWORD, "new_password": "new-secret-words-9",
        "confirm": "new-secret-words-9"})

    assert response.status_code == 302
    assert client.get("/settings").status_code == 200
    assert other_device.get("/settings").status_code == 302
    client.post("/logout")
    assert client.post("/login", data={"login": owner.username,
                                       "password": "new-secret-words-9"}).status_code == 302


def test_changing_the_password_needs_the_current_one(client, owner, login) -> None:
    login(owner)

    response = client.post("/settings/password", data={
        "current_password": "not-my-password", "new_password": "new-secret-words-9",
        "confirm": "new-secret-words-9"})

    assert response.status_code == 400
    assert "当前密码不正确。" in response.get_data(as_text=True)


def test_editing_the_display_name(client, owner, login) -> None:
    login(owner)

    client.post("/settings", data={"display_name": "3栋王大爷"})

    assert fresh(owner).display_name == "3栋王大爷"


def test_settings_need_a_login(client) -> None:
    response = client.get("/settings")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_profile_shows_name_join_date_posts_and_threads_but_never_the_email(client) -> None:
    author = make_user(username="lin5", display_name="5栋林女士",
                       email="lin.private@example.com")
    make_thread(author=author, title="地下车库积水问题", replies=2)

    page = client.get("/u/lin5").get_data(as_text=True)

    assert "5栋林女士" in page
    assert "地下车库积水问题" in page
    assert "lin.private@example.com" not in page
    assert ">3<" in page  # posts: opening post and two replies


def test_profile_of_a_missing_user_is_404(client) -> None:
    assert client.get("/u/nobody").status_code == 404


def test_a_huge_email_is_refused_by_its_length_before_the_email_parser_sees_it(app) -> None:
    """The e-mail parser's cost grows faster than the input: a 400,000-character address cost
    seconds of CPU per request (found by the form fuzzing in tests/proofs)."""
    from unittest import mock

    from app.auth.forms import RegisterForm

    with app.test_request_context(method="POST", data={
            "username": "bigmail", "display_name": "大邮件", "email": "长" * 400_000 + "@x.cn",
            "password": "a-long-pass-2026", "confirm": "a-long-pass-2026"}):
        form = RegisterForm()
        with mock.patch("email_validator.validate_email",
                        side_effect=AssertionError("the e-mail parser ran")):
            assert not form.validate()
    assert len(form.email.errors) == 1
