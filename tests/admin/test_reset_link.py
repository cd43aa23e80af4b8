"""Password reset links: an admin makes one (audited, only its hash stored, shown once);
the person sets a new password once, before it expires, and every session ends."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.auth import services as auth_services
from app.auth.models import PasswordReset, UserSession, hash_token
from app.auth.roles import Role
from app.core import clock
from app.core.errors import NotAllowed
from app.admin import services as admin_services
from app.extensions import db
from tests.conftest import make_test_app
from tests.factories import PASSWORD, make_user

NEW = "a-brand-new-pass-77"


def make_link(client, login, admin, user) -> str:
    login(admin)
    response = client.post(f"/admin/users/{user.id}/reset-link", data={})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    url = re.search(r"<code>(http[^<]+)</code>", response.get_data(as_text=True)).group(1)
    client.post("/logout")
    return url.replace("http://localhost", "")


def test_the_link_is_shown_once_stored_as_a_hash_and_audited(app, client, login, admin,
                                                             member) -> None:
    path = make_link(client, login, admin, member)

    token = path.rsplit("/", 1)[1]
    row = db.session.scalar(select(PasswordReset))
    assert row.token_hash == hash_token(token) and token not in row.token_hash
    assert row.expires_at - row.created_at == timedelta(hours=24)
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.action, entry.actor_id, entry.target_id) == ("user.reset_link", admin.id,
                                                               member.id)
    assert token not in str(entry.after) + str(entry.before)
    login(admin)
    assert token not in client.get(f"/admin/users/{member.id}").get_data(as_text=True)


def test_the_person_sets_a_new_password_once_and_every_session_ends(app, member) -> None:
    other_device = app.test_client()
    other_device.post("/login", data={"login": member.username, "password": PASSWORD})
    assert other_device.get("/settings").status_code == 200
    admin = make_user(Role.ADMIN)
    client = app.test_client()
    client.post("/login", data={"login": admin.username, "password": PASSWORD})
    page = client.post(f"/admin/users/{member.id}/reset-link", data={}).get_data(as_text=True)
    path = re.search(r"<code>http://[^/]+(/reset/[^<]+)</code>", page).group(1)
    visitor = app.test_client()

    assert visitor.get(path).status_code == 200
    response = visitor.post(path, data={"new_password": NEW, "confirm": NEW})

    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert other_device.get("/settings").status_code == 302  # logged out
    assert db.session.scalar(select(func.count()).select_from(UserSession).where(
        UserSession.user_id == member.id)) == 0
    assert auth_services.authenticate(member.username, NEW) is not None
    assert auth_services.authenticate(member.username, PASSWORD) is None
    # Single use: the same link again does nothing.
    assert visitor.get(path).status_code == 404
    again = visitor.post(path, data={"new_password": "another-pass-99",
                                     "confirm": "another-pass-99"})
    assert again.status_code == 404
    assert auth_services.authenticate(member.username, NEW) is not None


def test_an_expired_link_does_nothing(app, client, login, admin, member, monkeypatch) -> None:
    path = make_link(client, login, admin, member)
    later = clock.now() + timedelta(hours=24, minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)

    response = client.post(path, data={"new_password": NEW, "confirm": NEW})

    assert response.status_code == 404
    assert auth_services.authenticate(member.username, PASSWORD) is not None


def test_a_newer_link_cancels_the_older(app, client, login, admin, member) -> None:
    first = make_link(client, login, admin, member)
    second = make_link(client, login, admin, member)

    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_a_weak_password_is_refused_and_the_link_still_works(app, client, login, admin,
                                                             member) -> None:
    path = make_link(client, login, admin, member)

    response = client.post(path, data={"new_password": "123", "confirm": "123"})

    assert response.status_code == 400
    assert client.get(path).status_code == 200


def test_a_made_up_token_is_not_found(app, client) -> None:
    assert client.get("/reset/not-a-real-token").status_code == 404


def test_only_admins_make_links_and_not_for_themselves(app, admin, member) -> None:
    with pytest.raises(NotAllowed):
        admin_services.make_reset_link(make_user(Role.MODERATOR), member)
    with pytest.raises(NotAllowed):
        admin_services.make_reset_link(admin, admin)
    assert db.session.scalar(select(func.count()).select_from(PasswordReset)) == 0


def test_the_reset_form_needs_its_csrf_token() -> None:
    app = make_test_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.drop_all()
        db.create_all()
        try:
            member = make_user()
            token = auth_services.make_reset_link_token(member, created_by=None)
            db.session.commit()
            client = app.test_client()
            refused = client.post(f"/reset/{token}", data={"new_password": NEW, "confirm": NEW})
            page = client.get(f"/reset/{token}").get_data(as_text=True)
            csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
            accepted = client.post(f"/reset/{token}", data={"csrf_token": csrf,
                                                            "new_password": NEW,
                                                            "confirm": NEW})
            assert refused.status_code == 400 and accepted.status_code == 302
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
