"""The public scorecards and the comparison of communities, as pages."""
from __future__ import annotations

import re
from unittest import mock

import pytest

from app.communities.models import BoardKind
from app.extensions import db
from tests.complaints.stats_data import NOW, six_cases
from tests.factories import make_board, make_category
from tests.helpers import counting_queries


@pytest.fixture
def community(app):
    board = make_board(kind=BoardKind.COMPLAINTS, name="投诉与建议")
    six_cases(board.community, make_category(name="防水渗漏"))
    with mock.patch("app.core.clock.now", lambda: NOW):
        yield board.community


def _tiles(page: str) -> dict[str, str]:
    return dict(re.findall(r"<dt>([^<]+)</dt>\s*<dd class=\"tile-value\">([^<]+)</dd>", page))


def test_the_community_scorecard_shows_the_hand_counted_figures(app, client,
                                                                community) -> None:
    app.config["SCORECARD_MIN_SAMPLE"] = 1

    page = client.get(f"/c/{community.slug}/scorecard").get_data(as_text=True)

    tiles = _tiles(page)
    assert tiles["收到的投诉"] == "6"
    assert tiles["处理中"] == "2"
    assert tiles["首次回复承诺兑现"] == "80%"
    assert tiles["方案承诺兑现"] == "75%"
    assert tiles["解决承诺兑现"] == "50%"
    assert tiles["业主确认后关闭"] == "67%"
    assert tiles["首次回复时间中位数"] == "4小时"
    assert tiles["忠诚度"] == "50%"


def test_a_figure_over_too_few_cases_reads_too_few_cases(app, client, community) -> None:
    app.config["SCORECARD_MIN_SAMPLE"] = 5

    tiles = _tiles(client.get(f"/c/{community.slug}/scorecard").get_data(as_text=True))

    assert tiles["首次回复承诺兑现"] == "80%"
    assert tiles["方案承诺兑现"] == "案例太少"
    assert tiles["忠诚度"] == "案例太少"


def test_each_chart_is_an_svg_image_with_a_table_of_its_numbers(app, client,
                                                                 community) -> None:
    app.config["SCORECARD_MIN_SAMPLE"] = 1

    page = client.get("/scorecard").get_data(as_text=True)

    charts = page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart')
    assert charts == 4
    assert page.count('role="img"') >= 4
    assert page.count('<details class="chart-numbers">') == charts
    assert "<table" in page.split('class="chart-numbers"')[1]


def test_a_chart_with_no_month_large_enough_says_so_instead_of_drawing(app, client,
                                                                       community) -> None:
    app.config["SCORECARD_MIN_SAMPLE"] = 5

    page = client.get("/scorecard").get_data(as_text=True)

    # Months hold 1 to 3 cases: no resolution median or promise share may be drawn.
    assert page.count('class="chart-empty"') == 2
    assert page.count('<details class="chart-numbers">') == 4


def test_the_comparison_ranks_communities_and_lists_the_rest_last(app, client,
                                                                   community) -> None:
    app.config["SCORECARD_MIN_SAMPLE"] = 1
    quiet = make_board(kind=BoardKind.COMPLAINTS).community

    page = client.get("/scorecard/communities?by=loyalty").get_data(as_text=True)

    assert page.index(community.name) < page.index(quiet.name)
    assert 'aria-sort="descending"' in page
    assert "is-unranked" in page


def test_an_unknown_measure_ranks_by_confirmed_resolutions(client, community) -> None:
    assert client.get("/scorecard/communities?by=nonsense").status_code == 200


def test_an_unknown_community_scorecard_is_404(client) -> None:
    assert client.get("/c/nowhere/scorecard").status_code == 404


@pytest.mark.parametrize("path", ["/scorecard", "/c/{slug}/scorecard",
                                  "/scorecard/communities"])
def test_scorecard_pages_make_a_small_fixed_number_of_queries(client, community,
                                                              path) -> None:
    url = path.format(slug=community.slug)
    db.session.remove()

    with counting_queries() as statements:
        assert client.get(url).status_code == 200

    assert len(statements) <= 8, statements
