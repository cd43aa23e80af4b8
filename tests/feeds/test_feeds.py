"""Atom feeds of boards, of a community's cases and of resolved cases."""
from __future__ import annotations

import pytest

from app.communities.models import BoardKind
from app.extensions import db
from tests.complaints.stats_data import NOW, D, H, shaped_case
from tests.factories import make_board, make_case, make_category, make_thread, make_user
from tests.helpers import counting_queries

feedparser = pytest.importorskip("feedparser")


def _feed(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.content_type.startswith("application/atom+xml")
    parsed = feedparser.parse(response.get_data())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def test_a_board_feed_lists_its_threads_with_links(client) -> None:
    board = make_board(name="业主交流")
    first = make_thread(board, title="周末团购榴莲")
    make_thread(board, title="小区快递柜坏了")
    make_thread(make_board(), title="别的版块")

    feed = _feed(client, f"/c/{board.community.slug}/{board.slug}/feed.atom")

    assert [e.title for e in feed.entries] == ["小区快递柜坏了", "周末团购榴莲"]
    assert feed.entries[1].link == f"http://localhost/t/{first.id}"
    assert "业主交流" in feed.feed.title


def test_a_site_board_has_a_feed(client) -> None:
    board = make_board(site_wide=True, slug="news")
    make_thread(board, title="平台公告")

    assert _feed(client, "/b/news/feed.atom").entries[0].title == "平台公告"


def test_pages_point_to_their_feeds(client) -> None:
    board = make_board(kind=BoardKind.COMPLAINTS)
    slug = board.community.slug

    board_page = client.get(f"/c/{slug}/{board.slug}").get_data(as_text=True)
    community_page = client.get(f"/c/{slug}").get_data(as_text=True)
    archive = client.get("/cases/resolved").get_data(as_text=True)

    assert (f'rel="alternate" type="application/atom+xml" title="{board.name}" '
            f'href="/c/{slug}/{board.slug}/feed.atom"') in board_page
    assert f'href="/c/{slug}/cases.atom"' in community_page
    assert 'rel="alternate" type="application/atom+xml"' in archive
    assert 'href="/cases/resolved.atom"' in archive


def test_a_community_feed_lists_its_cases_with_public_status(client) -> None:
    case = make_case(title="电梯经常停运")
    make_case(title="别的小区的投诉")

    feed = _feed(client, f"/c/{case.community.slug}/cases.atom")

    assert [e.title for e in feed.entries] == ["电梯经常停运"]
    assert case.number in feed.entries[0].summary
    assert "已受理" in feed.entries[0].summary


def test_the_resolved_feed_lists_closed_cases_with_their_outcome(client) -> None:
    board = make_board(kind=BoardKind.COMPLAINTS)
    category = make_category()
    shaped_case(board.community, category, filed=NOW - 20 * D, status="closed",
                kind="confirmed", responded=H, planned=5 * H, resolved=3 * D, closed=4 * D,
                rating=(5, 4, 4), title="窗户漏风", resolution="更换密封条")
    shaped_case(board.community, category, filed=NOW - 2 * D, status="received",
                title="还没处理")

    feed = _feed(client, "/cases/resolved.atom")

    assert [e.title for e in feed.entries] == ["窗户漏风"]
    assert "更换密封条" in feed.entries[0].summary and "业主已确认" in feed.entries[0].summary


def test_an_unknown_board_or_community_feed_is_404(client) -> None:
    assert client.get("/c/nowhere/cases.atom").status_code == 404
    assert client.get("/c/nowhere/talk/feed.atom").status_code == 404
    assert client.get("/b/nothing/feed.atom").status_code == 404


def test_feeds_name_no_author_so_anonymous_filers_stay_anonymous(client) -> None:
    filer = make_user(display_name="匿名的王女士", username="wangnvshi")
    case = make_case(filer, anonymous=True, title="物业费计费有误")

    bodies = [client.get(url).get_data(as_text=True) for url in (
        f"/c/{case.community.slug}/cases.atom",
        f"/c/{case.community.slug}/{case.thread.board.slug}/feed.atom")]

    assert all("物业费计费有误" in body for body in bodies)
    assert not any("王女士" in body or "wangnvshi" in body for body in bodies)


@pytest.mark.parametrize("kind", ["board", "community", "resolved"])
def test_a_feed_makes_a_small_fixed_number_of_queries(client, kind) -> None:
    board = make_board(kind=BoardKind.COMPLAINTS)
    category = make_category()
    for i in range(6):
        shaped_case(board.community, category, filed=NOW - (i + 5) * D, status="closed",
                    kind="confirmed", responded=H, planned=5 * H, resolved=3 * D,
                    closed=4 * D, rating=(5, 5, 5), title=f"案例{i}")
    url = {"board": f"/c/{board.community.slug}/{board.slug}/feed.atom",
           "community": f"/c/{board.community.slug}/cases.atom",
           "resolved": "/cases/resolved.atom"}[kind]
    db.session.remove()

    with counting_queries() as statements:
        assert client.get(url).status_code == 200

    assert len(statements) <= 8, statements
