"""The staff workbench: urgency order, filters, saved views, counts, bulk assign, CSV."""
from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest

from app.auth.roles import Role
from app.core import clock
from app.extensions import db
from tests.complaints.helpers import fresh_case, step, walk_to
from tests.factories import make_case, make_category, make_department, make_user
from tests.helpers import counting_queries


def _filed_ago(hours: float, **kwargs):
    moment = clock.now() - timedelta(hours=hours)
    with mock.patch("app.core.clock.now", lambda: moment):
        return make_case(**kwargs)


def _order(client, query: str = "") -> list[str]:
    page = client.get("/staff/" + query).get_data(as_text=True)
    return [chunk.split("<")[0] for chunk in page.split('#case">')[1:]]


def test_broken_promises_come_first_then_the_nearest_deadline(client, login, staff) -> None:
    fresh = _filed_ago(1, title="刚提交")        # first response due in 23 h
    late = _filed_ago(30, title="超时未回复")     # first response 6 h overdue
    later = _filed_ago(20, title="快到期")        # due in 4 h
    login(staff)

    assert _order(client) == [late.number, later.number, fresh.number]


def test_closed_cases_sort_after_open_ones(client, login, staff) -> None:
    done = make_case(title="已处理")
    open_case = make_case(title="未处理")
    login(staff)
    walk_to(client, done, "resolved")

    assert _order(client) == [open_case.number, done.number]


def test_views_mine_unassigned_overdue_and_awaiting_owner(client, login) -> None:
    department = make_department()
    handler = make_user(Role.HANDLER, department_id=department.id)
    staff = make_user(Role.STAFF)
    mine = make_case(category=make_category(department))
    untouched = make_case()
    overdue = _filed_ago(30)
    login(staff)
    step(client, mine, "assign", department_id=department.id, handler_id=handler.id)
    client.post("/logout")
    login(handler)

    assert _order(client, "?view=mine") == [mine.number]
    assert set(_order(client, "?view=unassigned")) == {untouched.number, overdue.number}
    assert _order(client, "?view=overdue") == [overdue.number]
    assert _order(client, "?view=awaiting_owner") == []


def test_search_by_case_number_or_title(client, login, staff) -> None:
    lift = make_case(title="3栋电梯困人")
    make_case(title="车库积水")
    login(staff)

    assert _order(client, "?q=电梯") == [lift.number]
    assert _order(client, f"?q={lift.number}") == [lift.number]
    assert _order(client, f"?q={lift.id}") == [lift.number]


def test_filter_by_community_and_status(client, login, staff) -> None:
    one = make_case()
    two = make_case()
    login(staff)
    walk_to(client, two, "assigned")

    assert _order(client, f"?community_id={one.community_id}") == [one.number]
    assert _order(client, "?status=assigned") == [two.number]


def test_counts_per_status_and_overdue(client, login, staff) -> None:
    _filed_ago(30)
    make_case()
    login(staff)

    page = client.get("/staff/").get_data(as_text=True)

    def count(marker: str) -> str:
        return page.split(marker, 1)[1].split("<strong>", 1)[1].split("</strong>", 1)[0]

    assert count('class="count-overdue"') == "1"
    assert count("status=received") == "2"
    assert count("status=assigned") == "0"


def test_bulk_assign_moves_the_selected_cases(client, login, staff) -> None:
    department = make_department()
    a, b, c = make_case(), make_case(), make_case()
    login(staff)

    client.post("/staff/assign", data={"case": [a.id, b.id], "department_id": department.id,
                                       f"version-{a.id}": a.version,
                                       f"version-{b.id}": b.version})

    assert fresh_case(a).status == fresh_case(b).status == "assigned"
    assert fresh_case(a).department_id == department.id
    assert fresh_case(c).status == "received"


def test_bulk_assign_skips_a_case_someone_changed_meanwhile(client, login, staff) -> None:
    department = make_department()
    changed, untouched = make_case(), make_case()
    seen = changed.version
    login(staff)
    step(client, changed, "decline")

    client.post("/staff/assign", data={"case": [changed.id, untouched.id],
                                       "department_id": department.id,
                                       f"version-{changed.id}": seen,
                                       f"version-{untouched.id}": untouched.version})

    assert fresh_case(changed).status == "declined"
    assert fresh_case(untouched).status == "assigned"


def test_the_csv_export_has_a_bom_and_the_filtered_rows(client, login, staff) -> None:
    make_case(title="3栋电梯困人")
    make_case(title="车库积水")
    login(staff)

    response = client.get("/staff/cases.csv?q=电梯")

    text = response.get_data().decode("utf-8")
    assert response.mimetype == "text/csv"
    assert text.startswith("\ufeff")
    assert "3栋电梯困人" in text and "车库积水" not in text


@pytest.mark.parametrize("who", ["member", "owner"])
def test_members_cannot_open_the_workbench(client, login, who) -> None:
    login(make_user(Role.MEMBER if who == "member" else Role.OWNER))

    assert client.get("/staff/").status_code == 403
    assert client.get("/staff/cases.csv").status_code == 403


def test_a_visitor_is_sent_to_log_in(client) -> None:
    response = client.get("/staff/")

    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_remembered_login_must_sign_in_again_for_staff_pages(app, client, login,
                                                                staff) -> None:
    login(staff, remember=True)
    remembered = app.test_client()
    remembered.set_cookie("remember_token", client.get_cookie("remember_token").value)

    response = remembered.get("/staff/")

    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_queue_page_makes_a_small_fixed_number_of_queries(client, login, staff) -> None:
    for _ in range(12):
        make_case()
    login(staff)
    db.session.remove()  # a request starts with an empty session

    with counting_queries() as statements:
        assert client.get("/staff/").status_code == 200

    assert len(statements) <= 8, [s[:80] for s in statements]
