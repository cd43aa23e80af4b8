"""Internal notes, work-order internals and private owner details reach staff only."""
from __future__ import annotations

import pytest

from app.auth.roles import Role
from app.complaints import services
from app.extensions import db
from tests.complaints.helpers import step, walk_to
from tests.factories import make_case, make_user
from tests.helpers import counting_queries

SECRET_NOTE = "内部备注-SENTINEL-7731"
SECRET_WORK = "派单细节-SENTINEL-5520"
SECRET_UNIT = "18栋2单元SENTINEL-1203"
SECRET_PHONE = "1390000SENTINEL"


@pytest.fixture
def private_case(client, login, staff):
    filer = make_user(Role.OWNER, phone=SECRET_PHONE)
    case = make_case(filer, unit_text=SECRET_UNIT, location="unit")
    services.add_note(case, staff, body=SECRET_NOTE)
    login(staff)
    walk_to(client, case, "planned")
    step(client, case, "dispatch", work_order_details=SECRET_WORK)
    client.post("/logout")
    return case


def _pages(case) -> list[str]:
    slug = case.community.slug
    return ["/", f"/c/{slug}", f"/c/{slug}/complaints", f"/t/{case.thread_id}",
            f"/u/{case.filer.username}", f"/cases/{case.id}"]


def _bodies(client, urls) -> str:
    return "\n".join(client.get(u, follow_redirects=True).get_data(as_text=True) for u in urls)


@pytest.mark.parametrize("who", ["visitor", "member", "filer"])
def test_internal_data_never_reaches_anyone_but_staff(client, login, private_case, who) -> None:
    urls = _pages(private_case)
    if who == "member":
        login(make_user(Role.OWNER))
    elif who == "filer":
        login(private_case.filer)

    everything = _bodies(client, urls)

    assert SECRET_NOTE not in everything
    assert SECRET_WORK not in everything
    if who != "filer":
        assert SECRET_UNIT not in everything and SECRET_PHONE not in everything


def test_staff_see_the_internal_data(client, login, private_case, staff) -> None:
    login(staff)

    page = client.get(f"/t/{private_case.thread_id}").get_data(as_text=True)

    assert SECRET_NOTE in page and SECRET_WORK in page
    assert SECRET_UNIT in page and SECRET_PHONE in page


def test_internal_notes_are_not_counted_as_posts(private_case) -> None:
    assert private_case.thread.post_count == 1


def test_a_member_cannot_write_an_internal_note(client, login, private_case) -> None:
    login(make_user(Role.OWNER))

    response = client.post(f"/cases/{private_case.id}/notes", data={"body": "我也想写备注"})

    assert response.status_code == 403


@pytest.mark.parametrize("who", ["visitor", "filer", "staff"])
def test_a_case_page_makes_a_small_fixed_number_of_queries(client, login, private_case, staff,
                                                           who) -> None:
    for _ in range(5):
        services.join_case(private_case, make_user(Role.OWNER))
    if who != "visitor":
        login({"filer": private_case.filer, "staff": staff}[who])
    thread_id = private_case.thread_id
    db.session.remove()  # a request starts with an empty session

    with counting_queries() as statements:
        assert client.get(f"/t/{thread_id}").status_code == 200

    assert len(statements) <= 8, statements
