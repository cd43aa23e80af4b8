"""Moderation forms need their CSRF token, even from a logged-in moderator."""
from __future__ import annotations

import re

from app.auth.roles import Role
from app.extensions import db
from tests.conftest import make_test_app
from tests.factories import PASSWORD, make_user
from tests.helpers import fresh
from tests.moderation.helpers import flagged_reply


def _token(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_a_moderator_without_the_token_changes_nothing_and_with_it_acts() -> None:
    app = make_test_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.drop_all()
        db.create_all()
        try:
            moderator = make_user(Role.MODERATOR)
            member = make_user()
            thread, reply = flagged_reply()
            client = app.test_client()
            client.post("/login", data={"csrf_token": _token(client, "/login"),
                                        "login": moderator.username, "password": PASSWORD})

            for url, data in ((f"/mod/posts/{reply.id}/hide", {"reason": "广告"}),
                              (f"/mod/threads/{thread.id}/lock", {"reason": "x"}),
                              (f"/mod/users/{member.username}/suspend",
                               {"kind": "ban", "reason": "x"}),
                              (f"/mod/flags/{reply.id}/dismiss", {})):
                assert client.post(url, data=data).status_code == 400, url
            assert not fresh(reply).is_hidden and not fresh(thread).locked
            assert not fresh(member).is_banned

            token = _token(client, f"/mod/posts/{reply.id}/hide")
            response = client.post(f"/mod/posts/{reply.id}/hide",
                                   data={"csrf_token": token, "reason": "广告"})
            assert response.status_code == 302 and fresh(reply).is_hidden
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
