"""Defect feedback: staff mark a case as a product defect; the report groups them; CSV."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from app.auth.roles import Role
from app.communities.models import BoardKind
from app.complaints.models import CaseDefect
from app.extensions import db
from tests.complaints.helpers import fresh_case
from tests.complaints.stats_data import NOW, D, shaped_case
from tests.factories import make_board, make_case, make_category, make_department, make_user
from tests.helpers import counting_queries

CAUSE = "窗框与墙体之间的发泡胶施工不饱满"


def _mark(client, case, **fields):
    data = {"category_id": case.category_id,
            "department_id": case.category.routed_department_id, "cause": CAUSE, **fields}
    return client.post(f"/staff/cases/{case.id}/defect", data=data)


def _defect(case) -> CaseDefect | None:
    db.session.expire_all()
    return db.session.scalar(select(CaseDefect).where(CaseDefect.case_id == case.id))


def test_staff_mark_a_case_as_a_defect_from_the_case_page(client, login, staff) -> None:
    case = make_case()
    version = case.version
    login(staff)
    page = client.get(f"/t/{case.thread_id}").get_data(as_text=True)

    response = _mark(client, case)

    assert f'action="/staff/cases/{case.id}/defect"' in page
    assert response.status_code == 302 and response.headers["Location"].endswith("#defect")
    defect = _defect(case)
    assert (defect.category_id, defect.cause, defect.marked_by_id) == (
        case.category_id, CAUSE, staff.id)
    assert fresh_case(case).is_defect
    assert fresh_case(case).version == version  # an open step form stays valid


def test_the_case_page_shows_the_defect_record_to_staff(client, login, staff) -> None:
    case = make_case()
    login(staff)
    _mark(client, case)

    page = client.get(f"/t/{case.thread_id}").get_data(as_text=True)

    assert CAUSE in page and "/defect/clear" in page


def test_staff_may_choose_another_item_and_department_on_the_full_form(client, login,
                                                                      staff) -> None:
    case = make_case()
    doors = make_category(name="门窗")
    design = make_department(name="设计部")
    login(staff)

    form = client.get(f"/staff/cases/{case.id}/defect")
    response = _mark(client, case, category_id=doors.id, department_id=design.id)

    assert form.status_code == 200 and "门窗" in form.get_data(as_text=True)
    assert response.status_code == 302
    assert (_defect(case).category_id, _defect(case).department_id) == (doors.id, design.id)


def test_marking_again_corrects_the_record(client, login, staff) -> None:
    case = make_case()
    login(staff)
    _mark(client, case)

    _mark(client, case, cause="防水层未做上翻")

    assert _defect(case).cause == "防水层未做上翻"
    assert db.session.query(CaseDefect).count() == 1


@pytest.mark.parametrize(("field", "value"), [("cause", ""), ("category_id", "999999"),
                                              ("department_id", "")])
def test_a_defect_without_item_department_or_cause_is_refused(client, login, staff, field,
                                                              value) -> None:
    case = make_case()
    login(staff)

    response = _mark(client, case, **{field: value})

    assert response.status_code == 400
    assert _defect(case) is None


def test_the_mark_can_be_removed(client, login, staff) -> None:
    case = make_case()
    login(staff)
    _mark(client, case)

    response = client.post(f"/staff/cases/{case.id}/defect/clear")

    assert response.status_code == 302
    assert _defect(case) is None and not fresh_case(case).is_defect


@pytest.mark.parametrize("who", ["member", "owner", "other_handler"])
def test_only_those_who_work_the_case_may_mark_it(client, login, who) -> None:
    case = make_case()
    user = make_user({"member": Role.MEMBER, "owner": Role.OWNER,
                      "other_handler": Role.HANDLER}[who],
                     department_id=make_department().id if who == "other_handler" else None)
    login(user)

    response = _mark(client, case)

    assert response.status_code == 403
    assert _defect(case) is None


def test_a_visitor_is_sent_to_log_in(client) -> None:
    case = make_case()

    assert _mark(client, case).status_code == 302
    assert client.get("/staff/defects").status_code == 302
    assert _defect(case) is None


@pytest.fixture
def defects(client, login, staff):
    """Three defects in two communities, two items and two departments, and one too old."""
    category = make_category(name="防水渗漏")
    doors = make_category(name="门窗")
    east = make_board(kind=BoardKind.COMPLAINTS).community
    west = make_board(kind=BoardKind.COMPLAINTS).community
    cases = [shaped_case(east, category, filed=NOW - 5 * D, status="received", title="东区漏水"),
             shaped_case(east, doors, filed=NOW - 4 * D, status="received", title="东区窗户"),
             shaped_case(west, category, filed=NOW - 3 * D, status="received", title="西区漏水"),
             shaped_case(west, category, filed=NOW - 400 * D, status="received",
                         title="很早以前")]
    login(staff)
    for case in cases:
        assert _mark(client, case).status_code == 302
    return {"east": east, "west": west, "cases": cases, "doors": doors, "leaks": category}


def _period() -> str:
    return f"since={(NOW - 30 * D).date()}&until={NOW.date()}"


def test_the_report_groups_defects_by_community_item_and_department(client,
                                                                      defects) -> None:
    page = client.get(f"/staff/defects?{_period()}").get_data(as_text=True)

    east = page.split('id="defects-community"')[1].split("</section>")[0]
    items = page.split('id="defects-item"')[1].split("</section>")[0]
    assert defects["east"].name in east and defects["west"].name in east
    assert "东区漏水" in east and "西区漏水" in east
    assert "很早以前" not in page                        # filed outside the period
    assert items.index("防水渗漏") < items.index("门窗")  # 2 leaks before 1 window
    assert "defects-department" in page


def test_the_report_narrows_to_one_community(client, defects) -> None:
    page = client.get(f"/staff/defects?{_period()}&community_id={defects['west'].id}"
                      ).get_data(as_text=True)

    assert "西区漏水" in page and "东区漏水" not in page


def test_the_csv_has_a_bom_and_one_row_per_defect(client, defects) -> None:
    response = client.get(f"/staff/defects.csv?{_period()}")

    body = response.get_data(as_text=True)
    assert response.mimetype == "text/csv" and "attachment" in response.headers[
        "Content-Disposition"]
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 1 + 3
    assert {r[1] for r in rows[1:]} == {"东区漏水", "东区窗户", "西区漏水"}
    assert all(r[5] == CAUSE for r in rows[1:])


def test_a_cell_that_looks_like_a_formula_stays_text(client, login, staff) -> None:
    case = make_case(title="=HYPERLINK(\"http://x\")漏水")
    login(staff)
    _mark(client, case, cause="+cmd|calc")

    body = client.get("/staff/defects.csv").get_data(as_text=True)

    assert "'=HYPERLINK" in body and "'+cmd|calc" in body


def test_members_cannot_see_the_report(client, login) -> None:
    login(make_user(Role.OWNER))

    assert client.get("/staff/defects").status_code == 403
    assert client.get("/staff/defects.csv").status_code == 403


def test_the_report_makes_a_small_fixed_number_of_queries(client, defects) -> None:
    db.session.remove()

    with counting_queries() as statements:
        assert client.get(f"/staff/defects?{_period()}").status_code == 200

    assert len(statements) <= 8, statements
