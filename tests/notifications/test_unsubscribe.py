"""One-click unsubscribe: the link in each e-mail works without login, by its button or by a
mail program's RFC 8058 POST; the settings page switches each kind on and off."""
from __future__ import annotations

import re

import pytest

from app.auth.roles import Role
from app.extensions import db
from app.notifications import queries
from app.notifications.tokens import unsubscribe_token
from tests.conftest import make_test_app
from tests.factories import make_case, make_user
from tests.notifications.helpers import emails_to, take


def _path(url: str) -> str:
    return url.removeprefix("http://ownervoice.test")


def test_the_unsubscribe_link_works_without_login(app, client, owner, staff) -> None:
    take(make_case(owner), "assign", staff)
    link = _path(emails_to(owner)[0].unsubscribe_url)

    page = client.get(link)
    response = client.post(link)

    assert page.status_code == 200 and "<form method=\"post\"" in page.get_data(as_text=True)
    assert response.status_code == 200
    assert queries.opted_out_kinds(owner.id) == {"case_event"}


def test_the_unsubscribe_link_changes_nothing_until_its_button_is_pressed(app, client,
                                                                          owner) -> None:
    client.get(f"/unsubscribe/{unsubscribe_token(owner.id, 'case_event')}")

    assert queries.opted_out_kinds(owner.id) == set()


def test_a_forged_unsubscribe_link_is_refused(app, client, owner) -> None:
    token = unsubscribe_token(owner.id, "case_event")[:-2] + "xx"

    assert client.get(f"/unsubscribe/{token}").status_code == 400
    assert client.post(f"/unsubscribe/{token}").status_code == 400
    assert queries.opted_out_kinds(owner.id) == set()


@pytest.fixture
def csrf_client():
    app = make_test_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app.test_client()
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def test_a_one_click_post_unsubscribes_without_a_csrf_token(csrf_client) -> None:
    user = make_user(Role.OWNER)
    link = f"/unsubscribe/{unsubscribe_token(user.id, 'assigned')}"

    response = csrf_client.post(link, data={"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert queries.opted_out_kinds(user.id) == {"assigned"}


def test_the_unsubscribe_button_still_needs_its_csrf_token(csrf_client) -> None:
    user = make_user(Role.OWNER)
    link = f"/unsubscribe/{unsubscribe_token(user.id, 'case_event')}"

    refused = csrf_client.post(link)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      csrf_client.get(link).get_data(as_text=True)).group(1)
    accepted = csrf_client.post(link, data={"csrf_token": token})

    assert (refused.status_code, accepted.status_code) == (400, 200)
    assert queries.opted_out_kinds(user.id) == {"case_event"}


def test_unsubscribing_twice_keeps_one_opt_out(app, client, owner) -> None:
    link = f"/unsubscribe/{unsubscribe_token(owner.id, 'case_event')}"

    client.post(link, data={"List-Unsubscribe": "One-Click"})
    client.post(link, data={"List-Unsubscribe": "One-Click"})

    assert queries.opted_out_kinds(owner.id) == {"case_event"}


def test_the_settings_page_switches_emails_of_a_kind_off_and_on(app, client, login,
                                                                owner) -> None:
    login(owner)

    client.post("/settings/notifications", data={})
    off = queries.opted_out_kinds(owner.id)
    client.post("/settings/notifications", data={"case_event": "y"})

    assert off == {"case_event"}
    assert queries.opted_out_kinds(owner.id) == set()


def test_the_settings_page_offers_only_the_kinds_a_person_can_receive(app, client, login,
                                                                      owner) -> None:
    supervisor = make_user(Role.STAFF, is_supervisor=True)
    login(owner)
    mine = client.get("/settings/notifications").get_data(as_text=True)
    client.post("/logout")
    login(supervisor)
    theirs = client.get("/settings/notifications").get_data(as_text=True)

    assert 'name="case_event"' in mine and 'name="escalated"' not in mine
    assert 'name="escalated"' in theirs
