"""Search at scale: best match ranks a window of the newest matches, counts stop at a cap,
and paging stays exact (each match on one page, in one stable order)."""
from __future__ import annotations

import pytest

from app.search import queries
from app.search.queries import SearchRequest, search, similar_cases
from tests.factories import make_case, make_thread

TITLES = [f"帖子{i}" for i in range(9)]


@pytest.fixture
def nine(app, monkeypatch) -> list[str]:
    """Nine threads about 漏水, oldest first; the sixth says it three times (best match)."""
    monkeypatch.setattr(queries, "WINDOW", 4)
    monkeypatch.setattr(queries, "COUNT_CAP", 6)
    for i, title in enumerate(TITLES):
        make_thread(title=title, body="卫生间漏水，漏水，还是漏水" if i == 5 else f"第{i}帖提到漏水")
    return TITLES


def _pages(sort: str, per_page: int = 2) -> list[list[str]]:
    pages, page = [], 1
    while True:
        results = search(SearchRequest(q="漏水", sort=sort, page=page), per_page=per_page)
        pages.append([hit.thread.title for hit in results.hits])
        if not results.has_next:
            return pages
        page += 1


def test_best_match_ranks_the_newest_window_then_lists_older_matches_newest_first(
        nine) -> None:
    order = [title for page in _pages("relevance") for title in page]

    newest_four = TITLES[:4:-1]
    assert order[0] == "帖子5" or order[0] in newest_four
    assert sorted(order[:4]) == sorted(newest_four)  # the window: the newest four, ranked
    assert order[4:] == TITLES[4::-1]                # the rest: newest first
    assert len(order) == len(set(order)) == 9


def test_the_window_is_ranked_by_relevance(nine, monkeypatch) -> None:
    monkeypatch.setattr(queries, "WINDOW", 5)

    first = search(SearchRequest(q="漏水"), per_page=3).hits[0]

    assert first.thread.title == "帖子5"


@pytest.mark.parametrize("per_page", [1, 2, 3, 4, 5, 10])
def test_every_page_size_lists_each_match_once_in_the_same_order(nine, per_page) -> None:
    one_page = [t for page in _pages("relevance", per_page=20) for t in page]

    paged = [t for page in _pages("relevance", per_page=per_page) for t in page]

    assert paged == one_page


def test_newest_first_pages_through_every_match(nine) -> None:
    assert [t for page in _pages("newest") for t in page] == TITLES[::-1]


def test_counts_are_exact_up_to_the_cap_and_then_say_more(nine, client) -> None:
    few = search(SearchRequest(q="第3帖"))
    many = search(SearchRequest(q="漏水"))

    assert (few.total, few.more) == (1, False)
    assert (many.total, many.more) == (6, True)
    page = client.get("/search?q=漏水").get_data(as_text=True)
    assert "6" in page.split('class="search-count"')[1].split("</p>")[0]


def test_the_page_shows_an_exact_count_below_the_cap(client) -> None:
    make_thread(title="地库积水", body="积水")
    make_thread(title="电梯积水", body="积水")

    page = client.get("/search?q=积水").get_data(as_text=True)

    assert "2" in page.split('class="search-count"')[1].split("</p>")[0]


def test_similar_cases_find_a_converted_discussion_and_never_plain_threads(
        client, login, staff) -> None:
    from app.complaints import services as case_services
    from app.complaints.services import Filing
    from tests.factories import make_category

    thread = make_thread(title="地下车库天花板渗水", body="车库渗水")
    make_thread(title="车库渗水讨论", body="车库渗水")
    case = make_case(title="花园积水")
    category = make_category()
    case_services.convert_thread(thread, staff, Filing(category_id=category.id,
                                                       title=thread.title, body=""))

    found = [t.title for t in similar_cases("车库渗水", community_id=case.community_id)]

    assert found == ["地下车库天花板渗水"]
