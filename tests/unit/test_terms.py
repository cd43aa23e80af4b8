"""Search terms: the same segmentation at index and query time."""
from __future__ import annotations

import pytest

from app.text.terms import highlight_words, index_terms, normalize, query_terms


def _matches(query: str, text: str) -> bool:
    """Whether every query term has an alternative whose tokens occur in order in the text."""
    stream = index_terms(text).split(" ")
    for alternatives in query_terms(query):
        if not any(_contains(stream, alt.split(" ")) for alt in alternatives):
            return False
    return True


def _contains(stream: list[str], phrase: list[str]) -> bool:
    return any(stream[i:i + len(phrase)] == phrase for i in range(len(stream)))


@pytest.mark.parametrize(("query", "text"), [
    ("漏水", "卫生间漏水了"),
    ("电梯", "3栋电梯又坏了，困人半小时"),
    ("物业费", "今年物业费涨价了"),
    ("物业", "物业费太贵"),
    ("空鼓", "客厅墙面空鼓开裂"),
    ("B座 1203", "B座1203室天花板渗水"),
    ("b座", "Ｂ座的门禁坏了"),          # full-width letters fold
    ("电梯", "電梯經常停運"),            # traditional characters fold
    ('"电梯困人"', "昨晚3栋电梯困人"),
    ("天花板漏水", "卫生间天花板漏水严重"),
])
def test_queries_find_the_texts_owners_would_expect(query: str, text: str) -> None:
    assert _matches(query, text)


@pytest.mark.parametrize(("query", "text"), [
    ("漏水", "卫生间的水管很新"),
    ('"电梯困人"', "电梯运行正常，没有困人"),
    ("物业费 电梯", "物业费涨价了"),          # every word must match
])
def test_queries_do_not_find_unrelated_texts(query: str, text: str) -> None:
    assert not _matches(query, text)


def test_normalize_folds_width_case_and_traditional() -> None:
    assert normalize("ＡＢＣ電梯") == "abc电梯"


def test_punctuation_and_empty_queries_give_no_terms() -> None:
    assert query_terms("，。！？") == []
    assert query_terms("   ") == []


def test_highlight_words_are_longest_first() -> None:
    words = highlight_words("卫生间漏水")

    assert words == sorted(words, key=len, reverse=True)
    assert "卫生间" in words and "漏水" in words
