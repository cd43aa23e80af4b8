"""Home, community, board and thread pages: content, paging, and a fixed number of queries."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.core import clock
from app.extensions import db
from app.forum import services
from app.forum.models import Thread
from tests.factories import make_board, make_thread, make_user
from tests.helpers import counting_queries

MAX_QUERIES = 8


def _board_url(board) -> str:
    return f"/c/{board.community.slug}/{board.slug}"


def _spread_activity(board) -> list[int]:
    """Give every thread a distinct last-activity time; return ids newest first."""
    ids = list(db.session.scalars(select(Thread.id).where(Thread.board_id == board.id)
                                  .order_by(Thread.id)))
    start = clock.now() - timedelta(days=len(ids))
    for i, thread_id in enumerate(ids):
        db.session.execute(update(Thread).where(Thread.id == thread_id)
                           .values(last_post_at=start + timedelta(hours=i)))
    db.session.commit()
    return ids[::-1]


def _titles_on(client, url: str) -> list[str]:
    page = client.get(url).get_data(as_text=True)
    return [chunk.split("</a>")[0].split(">")[-1]
            for chunk in page.split('class="thread-title"')[1:]]


def test_home_shows_communities_their_boards_and_latest_threads(client) -> None:
    board = make_board(name="业主交流")
    make_thread(board, title="周末团购榴莲")

    page = client.get("/").get_data(as_text=True)

    assert board.community.name in page
    assert "业主交流" in page
    assert "周末团购榴莲" in page


def test_community_page_lists_its_boards_with_counts(client) -> None:
    board = make_board(name="投诉与建议")
    make_thread(board, replies=2)

    page = client.get(f"/c/{board.community.slug}").get_data(as_text=True)

    assert "投诉与建议" in page
    assert "1 个主题，3 篇帖子" in page


def test_unknown_community_board_or_thread_is_404(client) -> None:
    board = make_board()

    assert client.get("/c/nowhere").status_code == 404
    assert client.get(f"/c/{board.community.slug}/nothing").status_code == 404
    assert client.get("/t/999999").status_code == 404


def test_pinned_threads_come_first_then_latest_activity(client) -> None:
    board = make_board()
    old = make_thread(board, title="置顶：业主公约")
    make_thread(board, title="新话题")
    old.pinned = True
    db.session.commit()

    assert _titles_on(client, _board_url(board))[:2] == ["置顶：业主公约", "新话题"]


@pytest.mark.parametrize("page", [1, 2, 3, 4])
def test_every_board_page_shows_exactly_its_slice(app, client, page) -> None:
    app.config["THREADS_PER_PAGE"] = 5
    board = make_board()
    author = make_user()
    for i in range(18):
        make_thread(board, author, title=f"话题{i:02d}")
    expected = [db.session.get(Thread, i).title for i in _spread_activity(board)]

    titles = _titles_on(client, f"{_board_url(board)}?page={page}")

    assert titles == expected[(page - 1) * 5: page * 5]


def test_pinned_threads_stay_first_on_deep_pages_counted_from_the_end(app, client) -> None:
    app.config["THREADS_PER_PAGE"] = 3
    board = make_board()
    author = make_user()
    threads = [make_thread(board, author, title=f"话题{i:02d}") for i in range(10)]
    order = _spread_activity(board)
    threads[0].pinned = True
    db.session.commit()
    expected = [threads[0].title] + [db.session.get(Thread, i).title for i in order
                                     if i != threads[0].id]

    pages = [_titles_on(client, f"{_board_url(board)}?page={n}") for n in (1, 2, 3, 4)]

    assert sum(pages, []) == expected


def test_a_page_past_the_end_shows_the_last_page(app, client) -> None:
    app.config["THREADS_PER_PAGE"] = 5
    board = make_board()
    author = make_user()
    for i in range(7):
        make_thread(board, author, title=f"话题{i}")

    assert len(_titles_on(client, f"{_board_url(board)}?page=99")) == 2


def test_thread_pages_hold_posts_in_order(app, client) -> None:
    app.config["POSTS_PER_PAGE"] = 10
    thread = make_thread(replies=24)

    second = client.get(f"/t/{thread.id}?page=2").get_data(as_text=True)
    third = client.get(f"/t/{thread.id}?page=3").get_data(as_text=True)

    assert 'id="p11"' in second and 'id="p20"' in second and 'id="p21"' not in second
    assert "第24条回复" in third and 'id="p25"' in third and 'id="p10"' not in third


def _seed_busy_board():
    board = make_board()
    people = [make_user() for _ in range(6)]
    for i in range(40):
        make_thread(board, people[i % 6], replies=i % 3)
    busy = make_thread(board, people[0])
    for i in range(30):
        services.reply(busy, people[i % 6], body=f"回复{i}")
    return board, busy


@pytest.mark.parametrize("logged_in", [False, True])
def test_pages_make_a_small_fixed_number_of_queries(client, login, logged_in) -> None:
    board, busy = _seed_busy_board()
    viewer = make_user()
    if logged_in:
        login(viewer)
    urls = ["/", f"/c/{board.community.slug}", _board_url(board), f"{_board_url(board)}?page=2",
            f"/t/{busy.id}", f"/t/{busy.id}?page=2", f"/u/{viewer.username}"]

    counts = {}
    for url in urls:
        db.session.remove()  # a request starts with an empty session
        with counting_queries() as statements:
            assert client.get(url).status_code == 200
        counts[url] = len(statements)

    assert max(counts.values()) <= MAX_QUERIES, counts
