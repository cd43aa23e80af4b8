"""Search terms for Chinese, English and digits, the same at index and query time. Pure.

Chinese has no spaces, and the usual tokenizers (FTS5 trigram, a plain LIKE)
miss two-character words such as 漏水 inside 卫生间漏水了. Text is segmented
with rjieba (a fast jieba) in search mode, plus the domain dictionary
`search_words.txt`, and every run of Han characters also contributes its
overlapping character pairs, so a query word the segmenter cut differently
still matches as a phrase of pairs.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import opencc
    import rjieba

# rjieba and OpenCC (~36 MB, and ~26 MB more for the dictionary) are imported on first
# use: a worker that only serves pages never loads them (issue 7, worker memory).

DICTIONARY = Path(__file__).with_name("search_words.txt")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Glue between letters or digits that owners type either way (Wi-Fi, TS-000123).
_JOINER = re.compile(r"(?<=[0-9a-z])[-_.·](?=[0-9a-z])")
_ALNUM_PARTS = re.compile(r"[a-z]+|[0-9]+")
# Single-character particles a query may end with (楼上漏水了): they carry no meaning here.
_PARTICLES = frozenset("了的吗呢吧啊呀又也都还很太就在是")


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _segmenter() -> rjieba.Jieba:
    import rjieba

    jieba = rjieba.Jieba()
    for line in DICTIONARY.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            jieba.add_word(word, 50000, None)
    return jieba


def normalize(text: str) -> str:
    """Full-width to half-width, traditional to simplified (OpenCC), lower case, and
    letters or digits joined by a hyphen or dot written as one word."""
    text = _to_simplified().convert(unicodedata.normalize("NFKC", text)).lower()
    return _JOINER.sub("", text)


def _pairs(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)]


def words(text: str) -> list[str]:
    """The words of a text as the segmenter sees them (search mode), in order."""
    out: list[str] = []
    for token in _segmenter().cut_for_search(normalize(text)):
        for word in _WORD.findall(token):
            out.append(word)
            parts = _ALNUM_PARTS.findall(word)
            if len(parts) > 1 and not _HAN.search(word):
                out.extend(parts)  # ts000123 is also found as 000123
    return out


def index_terms(text: str) -> str:
    """The space-joined terms stored for a document: words, then each Han run's pairs."""
    terms = words(text)
    for run in _HAN.findall(normalize(text)):
        terms.extend(_pairs(run))
    return " ".join(terms)


def _phrase_tokens(phrase: str) -> list[str]:
    """A quoted phrase as it stands in the index: all-Han as its pairs (the pair stream),
    mixed with Latin letters or digits as the segmenter's words (the word stream)."""
    pieces = _WORD.findall(phrase)
    if pieces and all(_HAN.fullmatch(p) for p in pieces):
        return [pair for p in pieces for pair in (_pairs(p) if len(p) > 1 else [p])]
    return words(phrase)


def pair_phrase(word: str) -> str:
    """A word as it stands in the pair stream (itself when it is two characters or fewer)."""
    return " ".join(_pairs(word)) if len(word) > 2 else word


def _han_terms(run: str) -> list[list[str]]:
    """Terms for a run of Han characters in a query.

    Each word the segmenter finds must occur (as its pairs, so a different cut in the
    document still matches); when it leaves single characters (困人 alone cuts to 困 /
    人), the whole run is one phrase of pairs instead.
    """
    cut = [w for w in _segmenter().cut(run) if w.strip()]
    if len(cut) > 1:
        cut = [w for w in cut if w not in _PARTICLES] or cut
        run = "".join(cut)
    if len(run) > 2 and all(len(w) >= 2 for w in cut):
        return [[pair_phrase(w)] for w in cut]
    return [[pair_phrase(run)]]


def query_terms(query: str) -> list[list[str]]:
    """A query as terms that must all match; each term lists alternative phrases
    (space-separated tokens in order). Quoted parts ("电梯 困人") are one phrase."""
    out: list[list[str]] = []
    for phrase, bare in re.findall(r'"([^"]*)"|(\S+)', normalize(query)):
        if phrase:
            tokens = _phrase_tokens(phrase)
            if tokens:
                out.append([" ".join(tokens)])
            continue
        for piece in _WORD.findall(bare):
            for part in re.split(f"({_HAN.pattern})", piece):
                if not part:
                    continue
                if _HAN.fullmatch(part):
                    out.extend(_han_terms(part))
                else:
                    out.extend([[w] for w in words(part)])
    return out


def similarity_terms(text: str, limit: int = 20) -> list[str]:
    """Distinct words of a text worth matching loosely (any of them), longest first."""
    found = dict.fromkeys(w for w in words(text) if len(w) > 1)
    return sorted(found, key=len, reverse=True)[:limit]


def highlight_words(query: str) -> list[str]:
    """The words to mark in a snippet, longest first."""
    found: set[str] = set()
    for phrase, bare in re.findall(r'"([^"]*)"|(\S+)', normalize(query)):
        found.update(w for w in words(phrase or bare) if len(w) > 1 or not _HAN.match(w))
        found.update(_HAN.findall(phrase or bare))
    return sorted(found, key=len, reverse=True)
