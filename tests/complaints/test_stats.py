"""Scorecard figures on hand-made cases whose right answers were counted by hand."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from app.communities.models import BoardKind
from app.complaints import stats
from tests.complaints.stats_data import NOW, D, H, shaped_case, six_cases
from tests.factories import make_board, make_category

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def place(app):
    board = make_board(kind=BoardKind.COMPLAINTS)
    return board.community, make_category()


@pytest.fixture
def card(place):
    community, category = place
    six_cases(community, category)
    return stats.compute_scorecard(community.id, now=NOW, min_sample=1, zone=SHANGHAI)


def test_counts_by_state(card) -> None:
    assert (card.received, card.open_now, card.awaiting_owner) == (6, 2, 0)
    assert (card.closed, card.confirmed, card.unconfirmed, card.declined) == (3, 2, 1, 1)
    assert card.group_complaints == 1


def test_promises_kept_count_only_decided_promises(card) -> None:
    # First response: 5 decided (case 6 still running), 4 on time (case 2 took 30 h of 24).
    # Plan: 4 decided (the declined case owed none), 3 on time (case 2 took 80 h of 72).
    # Resolution: cases 1–3 done, case 5 overdue; 2 on time.
    assert (card.promises["first_response"].part, card.promises["first_response"].n) == (4, 5)
    assert (card.promises["plan"].part, card.promises["plan"].n) == (3, 4)
    assert (card.promises["resolve"].part, card.promises["resolve"].n) == (2, 4)
    assert card.promises["resolve"].value == 0.5


def test_medians_from_filing(card) -> None:
    # First responses after 1, 2, 4, 10, 30 hours; plans after 20, 48, 70, 80 hours;
    # resolutions after 120, 192, 288 hours.
    assert card.medians["first_response"].delta == timedelta(hours=4)
    assert card.medians["plan"].delta == timedelta(hours=59)
    assert card.medians["resolve"].delta == timedelta(hours=192)
    assert card.medians["resolve"].n == 3


def test_confirmed_share_counts_owner_confirmations_only(card) -> None:
    assert (card.confirmed_share.part, card.confirmed_share.n) == (2, 3)


def test_reopen_share_is_of_cases_resolved_at_least_once(card) -> None:
    assert (card.reopen_share.part, card.reopen_share.n) == (1, 4)


def test_satisfaction_and_loyalty(card) -> None:
    assert card.ratings == 2
    assert card.satisfaction["overall"].value == 4.0
    assert card.satisfaction["buy_again"].value == 4.5
    assert card.satisfaction["recommend"].value == 4.0
    assert card.satisfied["overall"].value == 0.5
    assert card.satisfied["buy_again"].value == 1.0
    assert (card.loyalty.part, card.loyalty.n) == (1, 2)


def test_months_count_filings_closings_and_resolution_medians(card) -> None:
    months = {m.key: m for m in card.months}

    assert len(card.months) == 12 and card.months[-1].key == "2026-06"
    assert [(k, months[k].received) for k in ("2026-04", "2026-05", "2026-06")] == [
        ("2026-04", 2), ("2026-05", 3), ("2026-06", 1)]
    assert (months["2026-04"].closed, months["2026-05"].closed) == (1, 2)
    assert months["2026-04"].resolve_median.delta == timedelta(hours=120)
    assert months["2026-05"].resolve_median.delta == timedelta(hours=240)  # (192 + 288) / 2
    assert months["2026-03"].received == 0 and not months["2026-03"].resolve_median.shown


def test_monthly_promises_by_month_of_filing(card) -> None:
    may = next(m for m in card.months if m.key == "2026-05")

    # Filed in May: cases 3, 4, 5. First responses 4 h, 10 h, 1 h: all kept.
    assert (may.promises["first_response"].part, may.promises["first_response"].n) == (3, 3)
    # Resolution: case 3 kept; case 5 overdue; the declined case owed none.
    assert (may.promises["resolve"].part, may.promises["resolve"].n) == (1, 2)


def test_figures_over_too_few_cases_are_withheld(place) -> None:
    community, category = place
    six_cases(community, category)

    card = stats.compute_scorecard(community.id, now=NOW, min_sample=5, zone=SHANGHAI)

    assert card.promises["first_response"].value == 0.8            # 5 decided: shown
    assert card.promises["plan"].value is None                      # 4 decided: withheld
    assert card.promises["plan"].part is None                       # ...and its count too
    assert card.satisfaction["overall"].value is None               # 2 ratings
    assert card.loyalty.value is None and card.medians["resolve"].value is None
    assert card.received == 6                                       # counts are always shown


def test_a_month_is_counted_in_local_time(place) -> None:
    community, category = place
    # 17:00 UTC on 31 May is 01:00 on 1 June in Shanghai.
    shaped_case(community, category, filed=NOW.replace(month=5, day=31, hour=17),
                status="received")

    card = stats.compute_scorecard(community.id, now=NOW, min_sample=1, zone=SHANGHAI)

    months = {m.key: m.received for m in card.months}
    assert (months["2026-05"], months["2026-06"]) == (0, 1)


def test_a_community_scorecard_counts_only_its_cases_and_the_site_counts_all(place) -> None:
    community, category = place
    six_cases(community, category)
    elsewhere = make_board(kind=BoardKind.COMPLAINTS).community
    shaped_case(elsewhere, category, filed=NOW - 3 * D, status="received")

    mine = stats.compute_scorecard(community.id, now=NOW, min_sample=1, zone=SHANGHAI)
    site = stats.compute_scorecard(None, now=NOW, min_sample=1, zone=SHANGHAI)

    assert (mine.received, site.received) == (6, 7)
    assert site.open_now == 3


def test_top_categories_most_first(place) -> None:
    community, category = place
    six_cases(community, category)
    doors = make_category(name="门窗")
    shaped_case(community, doors, filed=NOW - 3 * D, status="received")

    card = stats.compute_scorecard(community.id, now=NOW, min_sample=1, zone=SHANGHAI)

    assert [count for _name, count in card.categories] == [6, 1]
    assert card.categories[1][0].endswith("门窗")


def test_an_empty_site_has_zeros_and_no_figures(app) -> None:
    card = stats.compute_scorecard(None, now=NOW, min_sample=5, zone=SHANGHAI)

    assert card.received == 0 and card.categories == []
    assert not card.promises["first_response"].shown and not card.medians["plan"].shown


def test_communities_are_compared_on_three_measures(place) -> None:
    community, category = place
    six_cases(community, category)
    other = make_board(kind=BoardKind.COMPLAINTS).community
    for days in (10, 11):
        shaped_case(other, category, filed=NOW - days * D, status="closed", kind="confirmed",
                    responded=H, planned=10 * H, resolved=2 * D, closed=3 * D,
                    rating=(5, 5, 5))
    empty = make_board(kind=BoardKind.COMPLAINTS).community

    rows = {r.community_id: r for r in stats.community_figures(now=NOW, min_sample=2)}
    ranked, unranked = stats.rank(list(rows.values()), "confirmed")

    mine = rows[community.id]
    assert (mine.confirmed.part, mine.confirmed.n) == (2, 3)
    assert (mine.promises.part, mine.promises.n) == (4 + 3 + 2, 5 + 4 + 4)
    assert (mine.loyalty.part, mine.loyalty.n) == (1, 2)
    assert rows[other.id].confirmed.value == 1.0 and rows[other.id].loyalty.value == 1.0
    assert [r.community_id for r in ranked] == [other.id, community.id]
    assert [r.community_id for r in unranked] == [empty.id]


def test_figures_are_cached_for_the_configured_time(app, place) -> None:
    community, category = place
    app.config["SCORECARD_CACHE_SECONDS"] = 60
    first = stats.scorecard(community.id)
    shaped_case(community, category, filed=NOW - H, status="received")

    assert stats.scorecard(community.id).received == first.received == 0
    app.config["SCORECARD_CACHE_SECONDS"] = 0
    assert stats.scorecard(community.id).received == 1
