"""The resolved-case archive: what it lists, its filters, and keyset paging."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from app.communities.models import BoardKind
from app.complaints import queries
from app.extensions import db
from tests.complaints.stats_data import NOW, D, H, shaped_case
from tests.factories import make_board, make_category
from tests.helpers import counting_queries


@pytest.fixture
def place(app):
    board = make_board(kind=BoardKind.COMPLAINTS)
    return board.community, make_category(name="防水渗漏")


def _closed(community, category, days_ago: float, title: str, **kwargs):
    kwargs.setdefault("kind", "confirmed")
    return shaped_case(community, category, filed=NOW - (days_ago + 10) * D, status="closed",
                       responded=2 * H, planned=20 * H, resolved=9 * D, closed=10 * D,
                       title=title, **kwargs)


def _titles(client, url: str) -> list[str]:
    page = client.get(url).get_data(as_text=True)
    return re.findall(r'class="archive-title"><a href="[^"]+">([^<]+)</a>', page)


def test_lists_closed_cases_newest_closing_first_and_nothing_else(client, place) -> None:
    community, category = place
    _closed(community, category, 5, "较早关闭")
    _closed(community, category, 1, "最近关闭")
    shaped_case(community, category, filed=NOW - 3 * D, status="declined", title="不予受理的")
    shaped_case(community, category, filed=NOW - 3 * D, status="in_progress", title="处理中的")

    assert _titles(client, "/cases/resolved") == ["最近关闭", "较早关闭"]


def test_an_entry_shows_times_promises_rating_and_summary(client, place) -> None:
    community, category = place
    _closed(community, category, 1, "窗户漏风", rating=(5, 5, 5),
            resolution="更换了窗框密封条并做了淋水试验，业主确认不再漏风。")

    page = client.get("/cases/resolved").get_data(as_text=True)

    assert "窗户漏风" in page and community.name in page and "防水渗漏" in page
    assert "更换了窗框密封条" in page
    assert "2小时" in page           # time to first response
    assert "9天" in page             # time to resolve
    assert page.count('class="kept"') == 3
    assert "业主已确认" in page and "5 星（满分 5 星）" in page


def test_an_unconfirmed_closure_is_marked_as_such(client, place) -> None:
    community, category = place
    _closed(community, category, 1, "无人回应", kind="unconfirmed")

    page = client.get("/cases/resolved").get_data(as_text=True)

    assert "is-unconfirmed" in page and "未经业主确认即关闭" in page


@pytest.mark.parametrize(("query", "expected"), [
    ("rating=5", ["五星"]),
    ("rating=4%2B", ["五星", "四星"]),
    ("rating=1-3", ["两星"]),
    ("rating=loyal", ["五星"]),
    ("rating=none", ["未评"]),
    ("outcome=unconfirmed", ["未评"]),
    ("outcome=confirmed", ["五星", "四星", "两星"]),
])
def test_filter_by_rating_and_outcome(client, place, query, expected) -> None:
    community, category = place
    _closed(community, category, 1, "五星", rating=(5, 5, 5))
    _closed(community, category, 2, "四星", rating=(4, 3, 4))
    _closed(community, category, 3, "两星", rating=(2, 2, 2))
    _closed(community, category, 4, "未评", kind="unconfirmed")

    assert _titles(client, f"/cases/resolved?{query}") == expected


def test_filter_by_community_category_and_year(client, place) -> None:
    community, category = place
    other_place = make_board(kind=BoardKind.COMPLAINTS).community
    doors = make_category(name="门窗")
    _closed(community, category, 1, "本小区漏水")
    _closed(other_place, category, 2, "别的小区")
    _closed(community, doors, 3, "本小区门窗")
    _closed(community, category, 400, "去年的")

    assert _titles(client, f"/cases/resolved?community={community.slug}") == [
        "本小区漏水", "本小区门窗", "去年的"]
    assert _titles(client, f"/cases/resolved?category={doors.id}") == ["本小区门窗"]
    assert _titles(client, f"/cases/resolved?category={doors.parent_id}") == ["本小区门窗"]
    year = (NOW - 400 * D).year
    assert _titles(client, f"/cases/resolved?year={year}") == ["去年的"]


def test_keyset_pages_walk_older_and_back_newer(app, client, place) -> None:
    community, category = place
    app.config["ARCHIVE_PER_PAGE"] = 2
    for i in range(5):
        _closed(community, category, i + 1, f"第{i + 1}新")

    first = client.get("/cases/resolved").get_data(as_text=True)
    older = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(older).get_data(as_text=True)
    newer = re.search(r'rel="prev" href="([^"]+)"', second).group(1).replace("&amp;", "&")
    last = re.search(r'rel="next" href="([^"]+)"', second).group(1).replace("&amp;", "&")

    assert _titles(client, "/cases/resolved") == ["第1新", "第2新"]
    assert 'rel="prev"' not in first
    assert _titles(client, older) == ["第3新", "第4新"]
    assert _titles(client, newer) == ["第1新", "第2新"]
    assert _titles(client, last) == ["第5新"]
    assert 'rel="next"' not in client.get(last).get_data(as_text=True)


def test_cases_closed_at_the_same_moment_are_all_listed_once(app, client, place) -> None:
    community, category = place
    app.config["ARCHIVE_PER_PAGE"] = 2
    for i in range(3):
        _closed(community, category, 1, f"同时{i}")

    first = client.get("/cases/resolved").get_data(as_text=True)
    older = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")

    assert _titles(client, "/cases/resolved") + _titles(client, older) == [
        "同时2", "同时1", "同时0"]


def test_a_paging_filter_survives_to_the_next_page(app, client, place) -> None:
    community, category = place
    app.config["ARCHIVE_PER_PAGE"] = 1
    _closed(community, category, 1, "甲", rating=(5, 5, 5))
    _closed(community, category, 2, "乙", rating=(1, 1, 1))
    _closed(community, category, 3, "丙", rating=(5, 5, 5))

    first = client.get("/cases/resolved?rating=5").get_data(as_text=True)
    older = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")

    assert "rating=5" in older
    assert _titles(client, older) == ["丙"]


@pytest.mark.parametrize("cursor", ["x", "12-", "-3", "9" * 40 + "-1", "1.5-2"])
def test_a_malformed_cursor_shows_the_latest_page(client, place, cursor) -> None:
    community, category = place
    _closed(community, category, 1, "最新")

    response = client.get(f"/cases/resolved?after={cursor}")

    assert response.status_code == 200
    assert _titles(client, f"/cases/resolved?after={cursor}") == ["最新"]


def test_the_archive_walks_its_index_without_sorting(app, place) -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan is checked on SQLite; PostgreSQL's depends on its statistics")
    community, category = place
    cursor = queries.Cursor(NOW, 10**6)
    for f in (queries.ArchiveFilter(), queries.ArchiveFilter(community_id=community.id)):
        statement = queries.resolved_archive(f, after=cursor).limit(20)
        compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})

        plan = " | ".join(str(row[-1]) for row in db.session.execute(
            text(f"EXPLAIN QUERY PLAN {compiled}")))

        assert "ix_cases_archive" in plan or "ix_cases_community_archive" in plan, plan
        assert "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize("query", ["", "?rating=4%2B&outcome=confirmed", "?year=2026"])
def test_the_archive_page_makes_a_small_fixed_number_of_queries(client, place, query) -> None:
    community, category = place
    for i in range(6):
        _closed(community, category, i + 1, f"案例{i}", rating=(5, 4, 4))
    db.session.remove()

    with counting_queries() as statements:
        assert client.get(f"/cases/resolved{query}").status_code == 200

    assert len(statements) <= 8, statements
