"""Ids from outside beyond the id columns' range are "not found", never a database error."""
from __future__ import annotations

import pytest

from app.core.ids import MAX_ID, db_int, int_or_none

TOO_BIG = "99999999999"


def test_ids_out_of_the_column_range_count_as_absent() -> None:
    assert db_int(MAX_ID) == MAX_ID and db_int(MAX_ID + 1) is None
    assert int_or_none("12") == 12 and int_or_none(TOO_BIG) is None
    assert int_or_none("x") is None and int_or_none(None) is None


@pytest.mark.parametrize("path", [f"/t/{TOO_BIG}", f"/p/{TOO_BIG}", f"/cases/{TOO_BIG}",
                                  f"/t/{TOO_BIG}99999999999/slug"])
def test_routes_with_ids_past_the_range_are_not_found(client, path) -> None:
    assert client.get(path).status_code == 404


def test_query_and_form_ids_past_the_range_change_nothing(client, login, staff) -> None:
    login(staff)
    assert client.get(f"/staff/?department_id={TOO_BIG}&q={TOO_BIG}").status_code == 200
    assert client.get(f"/search?q=漏水&community_id={TOO_BIG}").status_code == 200
    assert client.get(f"/notifications?before={TOO_BIG}").status_code == 200
    answer = client.post("/staff/assign", data={"case": TOO_BIG, "department_id": TOO_BIG})
    assert answer.status_code == 302
