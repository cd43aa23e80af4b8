"""Page arithmetic and the pager's window."""
from __future__ import annotations

from app.core.pagination import Page, clamp_page


def test_pages_round_up_and_an_empty_list_has_one_page() -> None:
    assert Page(number=1, per_page=20, total=41).pages == 3
    assert Page(number=1, per_page=20, total=0).pages == 1


def test_requests_outside_the_range_get_the_nearest_page() -> None:
    assert clamp_page(None, 100, 20) == 1
    assert clamp_page(-3, 100, 20) == 1
    assert clamp_page(99, 100, 20) == 5


def test_window_shows_first_last_and_neighbours_with_gaps() -> None:
    assert Page(number=10, per_page=10, total=500).window() == [1, None, 8, 9, 10, 11, 12,
                                                                  None, 50]
    assert Page(number=2, per_page=10, total=50).window() == [1, 2, 3, 4, 5]
