"""The loyalty rule where it is defined: loyal only when all three answers are 4 or 5."""
from __future__ import annotations

import pytest

from app.complaints.models import Rating


@pytest.mark.parametrize(("overall", "buy_again", "recommend", "loyal"), [
    (5, 5, 5, True),
    (4, 4, 4, True),
    (5, 4, 5, True),
    (5, 5, 3, False),   # two high answers out of three are not loyalty
    (3, 5, 5, False),
    (5, 2, 5, False),
    (3, 3, 3, False),
    (1, 1, 1, False),
])
def test_a_rating_is_loyal_only_when_all_three_answers_are_high(overall, buy_again, recommend,
                                                                loyal):
    assert Rating(overall=overall, buy_again=buy_again, recommend=recommend).loyal is loyal
