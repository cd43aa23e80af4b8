"""Every verification and administration route, called as every persona: allowed or refused.

The matrix is data in one place: a new route in these blueprints without an entry fails.
"Refused" is 403 for a logged-in persona and a redirect to the login page for a visitor.
"""
from __future__ import annotations

import re

import pytest

from app.auth.roles import Role
from app.owners import services as owner_services
from app.sitesettings import calendar as calendar_store
from tests.factories import PASSWORD, make_board, make_category, make_department, make_user

PERSONAS = ("visitor", "member", "owner", "other_owner", "other_handler", "staff",
            "moderator", "admin")
ALL_MEMBERS = frozenset(PERSONAS) - {"visitor"}
STAFF_UP = frozenset({"staff", "moderator", "admin"})
ADMIN = frozenset({"admin"})
BLUEPRINTS = ("owners.", "verifications.", "admin.")

# endpoint -> who may use it (every method of the route)
MATRIX: dict[str, frozenset[str]] = {
    "owners.request_form": ALL_MEMBERS,
    "verifications.queue": STAFF_UP,
    "verifications.approve": STAFF_UP,
    "verifications.reject": STAFF_UP,
    "admin.index": ADMIN,
    "admin.communities": ADMIN,
    "admin.community": ADMIN,
    "admin.archive_community": ADMIN,
    "admin.create_board": ADMIN,
    "admin.create_site_board": ADMIN,
    "admin.board": ADMIN,
    "admin.archive_board": ADMIN,
    "admin.categories": ADMIN,
    "admin.category": ADMIN,
    "admin.archive_category": ADMIN,
    "admin.calendar": ADMIN,
    "admin.remove_day": ADMIN,
    "admin.departments": ADMIN,
    "admin.department": ADMIN,
    "admin.add_member": ADMIN,
    "admin.set_department": ADMIN,
    "admin.users": ADMIN,
    "admin.user": ADMIN,
    "admin.set_role": ADMIN,
    "admin.reset_link": ADMIN,
    "admin.settings": ADMIN,
}


def test_every_route_of_these_blueprints_has_an_entry(app) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules()
                 if r.endpoint.startswith(BLUEPRINTS)}

    assert endpoints == set(MATRIX)


@pytest.fixture
def world(app):
    department, other_department = make_department(), make_department()
    category = make_category(department)
    board = make_board()
    people = {
        "member": make_user(Role.MEMBER),
        "owner": make_user(Role.OWNER),
        "other_owner": make_user(Role.OWNER),
        "other_handler": make_user(Role.HANDLER, department_id=other_department.id),
        "staff": make_user(Role.STAFF),
        "moderator": make_user(Role.MODERATOR),
        "admin": make_user(Role.ADMIN),
    }
    subject = make_user(Role.MEMBER, username="subject")
    request = owner_services.request_verification(
        people["owner"], community_id=board.community_id, building="1", entrance="1",
        room="101", contract_name="王建国", phone="13912345678")
    calendar_store.seed_calendar()
    values = {"community_id": board.community_id, "board_id": board.id,
              "category_id": category.id, "department_id": department.id,
              "user_id": subject.id, "request_id": request.id, "day_id": 1}
    return people, values


def _calls(app, values):
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(BLUEPRINTS):
            continue
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule.rule)
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule.endpoint, method, url


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_matrix(app, world, persona) -> None:
    people, values = world
    client = app.test_client()
    if persona != "visitor":
        response = client.post("/login", data={"login": people[persona].username,
                                               "password": PASSWORD})
        assert response.status_code == 302

    wrong = []
    for endpoint, method, url in _calls(app, values):
        response = client.open(url, method=method, data={})
        to_login = response.status_code == 302 and "/login" in response.headers.get(
            "Location", "")
        refused = response.status_code == 403 or to_login
        allowed = persona in MATRIX[endpoint]
        if allowed == refused or response.status_code >= 500:
            wrong.append((method, url, response.status_code))
        if persona == "visitor" and refused:
            assert to_login, (method, url, response.status_code)

    assert wrong == []
