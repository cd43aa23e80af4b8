"""Search quality: the relevance queries (relevance.py) over the fixed corpus (corpus.py).

The corpus goes in once per module through the real services (threads, replies,
complaints, a withdrawn post, internal notes), each post a minute after the last so
ties in rank fall the same way on both engines. Every query runs through
`app.search.queries.search` as a member, or as staff where the judgment says so.
Recall@10 and MRR are printed (`pytest -s`) and must stay above the thresholds; a post
that must not be found is a failure on its own.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from app.auth.roles import Role
from app.communities.models import BoardKind
from app.complaints import services as complaint_services
from app.core import clock
from app.extensions import db
from app.forum import services as forum_services
from app.search.queries import SearchRequest, search
from tests.conftest import make_test_app, test_database_url
from tests.factories import (first_post, make_board, make_case, make_category,
                             make_community, make_user)
from tests.search.corpus import BY_ID, COMMUNITIES, COMPLAINT, NOTES, POSTS
from tests.search.relevance import QUERIES, Query

# Measured on this corpus: recall@10 0.990 and MRR 0.972 on SQLite, 1.000 and 1.000 on
# PostgreSQL (the same posts match on both; bm25 and ts_rank_cd order broad words
# differently). Full traditional-to-simplified folding (OpenCC), dropping trailing
# particles (楼上漏水了) and joining hyphenated codes (TS-000123, Wi-Fi) raised them from
# 0.918 / 0.947. The thresholds sit just below SQLite's figures: losing half the expected
# posts of one query, or one query's first hit dropping a place, fails.
MIN_RECALL_AT_10 = 0.98
MIN_MRR = 0.96
TOP = 10


@dataclass
class Loaded:
    """The corpus in the database: our ids for its rows, and its communities' ids."""

    posts: dict[int, str]        # Post.id -> corpus id
    notes: dict[int, str]        # CaseNote.id -> corpus id
    communities: dict[str, int]  # community key -> Community.id


def _ticking_clock() -> Callable[[], datetime]:
    """A clock a minute on at every reading, from a fixed start."""
    start = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
    minutes = itertools.count()
    return lambda: start + timedelta(minutes=next(minutes))


def _load() -> Loaded:
    owners = [make_user(Role.OWNER, display_name=f"{n}栋业主") for n in range(1, 9)]
    staff = make_user(Role.STAFF, display_name="客服小陈")
    category = make_category(name="综合问题")
    communities, boards = {}, {}
    for key, name in COMMUNITIES.items():
        community = make_community(slug=key, name=name)
        communities[key] = community
        boards[key] = make_board(community, name="业主交流", slug="talk")
        make_board(community, kind=BoardKind.COMPLAINTS, name="投诉建议", slug="complaints")
    loaded = Loaded(posts={}, notes={}, communities={k: c.id for k, c in communities.items()})
    threads, cases, authors, rows = {}, {}, {}, {}
    for n, post in enumerate(POSTS):
        author = owners[n % len(owners)]
        if post.reply_to:
            row = forum_services.reply(threads[post.reply_to], author, body=post.body)
        elif post.kind == COMPLAINT:
            case = make_case(author, community=communities[post.community],
                             category=category, title=post.title, body=post.body)
            cases[post.id], threads[post.id] = case, case.thread
            row = first_post(case.thread)
        else:
            threads[post.id] = forum_services.create_thread(
                boards[post.community], author, title=post.title, body=post.body)
            row = first_post(threads[post.id])
        loaded.posts[row.id] = post.id
        authors[post.id], rows[post.id] = author, row
    for post in POSTS:
        if post.deleted:
            forum_services.delete_post(rows[post.id], authors[post.id])
    for note in NOTES:
        row = complaint_services.add_note(cases[note.case], staff, body=note.body)
        loaded.notes[row.id] = note.id
    return loaded


@pytest.fixture(scope="module")
def corpus() -> Iterator[Loaded]:
    """The whole corpus, loaded once for this module's tests."""
    app = make_test_app()
    with app.app_context():
        db.drop_all()
        db.create_all()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(clock, "now", _ticking_clock())
            loaded = _load()
        yield loaded
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _found(query: Query, loaded: Loaded) -> list[str]:
    """Every result of the query, best first, as corpus ids."""
    request = SearchRequest(q=query.q, include_internal=query.staff,
                            community_id=loaded.communities.get(query.community))
    results = search(request, per_page=1000)
    assert not results.has_next
    return [loaded.notes[h.note.id] if h.note else loaded.posts[h.post.id]
            for h in results.hits]


def _recall_and_rank(query: Query, found: list[str]) -> tuple[float, int | None]:
    """Recall@10 of the query's `must` posts, and the rank of the first one (None: none)."""
    top = found[:TOP]
    rank = next((i for i, post in enumerate(top, start=1) if post in query.must), None)
    return sum(post in top for post in query.must) / len(query.must), rank


def test_every_judged_post_is_in_the_corpus() -> None:
    known = set(BY_ID) | {note.id for note in NOTES}

    unknown = {query.label: [i for i in query.must + query.must_not if i not in known]
               for query in QUERIES}

    assert {label: ids for label, ids in unknown.items() if ids} == {}


def test_the_set_has_the_size_the_issue_asks_for() -> None:
    assert len(POSTS) >= 300
    assert len(QUERIES) >= 40


def test_recall_at_ten_and_mrr_stay_above_their_thresholds(corpus: Loaded) -> None:
    judged = [query for query in QUERIES if query.must]
    lines, recalls, reciprocal_ranks = [], [], []
    for query in judged:
        found = _found(query, corpus)
        recall, rank = _recall_and_rank(query, found)
        recalls.append(recall)
        reciprocal_ranks.append(1 / rank if rank else 0.0)
        missed = [post for post in query.must if post not in found[:TOP]]
        if missed:
            lines.append(f"  {query.label}: recall {recall:.2f}, first at {rank}, "
                         f"missed {', '.join(missed)}" + (f" ({query.weak})" if query.weak
                                                          else ""))

    recall_at_10 = sum(recalls) / len(recalls)
    mrr = sum(reciprocal_ranks) / len(reciprocal_ranks)
    engine = test_database_url().split(":", 1)[0]
    print(f"\nsearch relevance on {engine}: {len(judged)} judged queries "
          f"({len(QUERIES)} in all), {len(POSTS)} posts, recall@10 {recall_at_10:.3f}, "
          f"MRR {mrr:.3f}", *lines, sep="\n")

    assert recall_at_10 >= MIN_RECALL_AT_10
    assert mrr >= MIN_MRR


@pytest.mark.parametrize("query", [
    pytest.param(query, id=query.label, marks=pytest.mark.xfail(
        strict=True, reason=query.false_positive) if query.false_positive else ())
    for query in QUERIES if query.must_not])
def test_a_query_never_finds_what_it_must_not(corpus: Loaded, query: Query) -> None:
    found = _found(query, corpus)

    assert [post for post in query.must_not if post in found] == []
