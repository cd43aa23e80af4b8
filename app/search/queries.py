"""Searching: one interface, the same results on SQLite (FTS5) and PostgreSQL (GIN)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import Select, column, func, literal_column, select, table
from sqlalchemy.orm import joinedload

from ..communities.models import Board
from ..complaints.models import Case, CaseNote
from ..core import clock
from ..extensions import db
from ..forum.models import Post, Thread
from ..text.terms import highlight_words, pair_phrase, query_terms, similarity_terms
from .models import CASE_MARK, KIND_NOTE, KIND_POST, TSV_COLUMN, SearchDoc

SNIPPET_CHARS = 90
# Best match ranks this many of the newest matches; older ones follow, newest first.
WINDOW = 300
# "Similar cases" ranks this many of the newest complaints that share a word.
SIMILAR_WINDOW = 200
# Results are counted up to this many; beyond it the page says "1,000+".
COUNT_CAP = 1000
_FTS = table("search_fts", column("rowid"))
_TSV = literal_column(TSV_COLUMN)
_MARKDOWN = re.compile(r"[*_`#>\[\]]+|\(https?://\S+\)")


@dataclass
class SearchRequest:
    """What the reader asked for; empty fields filter nothing."""

    q: str = ""
    community_id: int | None = None
    board_id: int | None = None
    kind: str = ""            # "discussion" or "complaint"
    status: str = ""          # a case status
    since: date | None = None
    until: date | None = None
    sort: str = "relevance"   # or "newest"
    page: int = 1
    include_internal: bool = False  # staff: hidden posts and internal notes too


@dataclass
class Hit:
    """One result: the thread, the post (or note) and a highlighted snippet."""

    kind: str
    thread: Thread
    post: Post | None
    note: CaseNote | None
    snippet: Markup
    created_at: datetime


def match_sqlite(terms: list[list[str]]) -> str:
    """An FTS5 query: every term must match; a term matches any of its alternatives."""
    return " AND ".join("(" + " OR ".join(f'"{alt}"' for alt in alts) + ")" for alts in terms)


def match_postgres(terms: list[list[str]]) -> str:
    """The same query as a tsquery (`<->` keeps a pair phrase in order)."""
    return " & ".join("(" + " | ".join(" <-> ".join(alt.split()) for alt in alts) + ")"
                      for alts in terms)


def _matching(terms: list[list[str]], *, rank: bool = False) -> Select:
    """Matching documents (id, kind, source_id, thread_id, created_at), newest first.

    The index's order is the order documents were written (`search_docs.id`): new
    posts are the newest, and a rebuild writes the old ones oldest first. Both engines
    walk their index in that order and stop at the LIMIT, so a common word costs what a
    rare one does. With `rank`, a column `rank` (lower is better) is added.
    """
    columns = (SearchDoc.id, SearchDoc.kind, SearchDoc.source_id, SearchDoc.thread_id,
               SearchDoc.created_at)
    if db.session.get_bind().dialect.name == "sqlite":
        # Driven by FTS5 (descending rowid, which FTS5 serves from its doclists);
        # bm25 is computed for the rows returned only.
        ranked = (func.bm25(literal_column("search_fts"), 4.0, 1.0).label("rank"),) \
            if rank else ()
        return (select(*columns, *ranked).select_from(_FTS)
                .join(SearchDoc, SearchDoc.id == _FTS.c.rowid)
                .where(literal_column("search_fts").op("MATCH")(match_sqlite(terms)))
                .order_by(_FTS.c.rowid.desc()))
    tsquery = func.to_tsquery("simple", match_postgres(terms))
    query = (select(*columns, *((_TSV.label("tsv"),) if rank else ()))
             .where(_TSV.op("@@")(tsquery)).order_by(SearchDoc.id.desc()))
    return query


def _ranked_window(terms: list[list[str]], query: Select, size: int) -> list:
    """The first `size` rows of a `_matching(terms, rank=True)` query, each with its rank."""
    query = query.limit(size)
    if db.session.get_bind().dialect.name == "sqlite":
        return db.session.execute(query).all()
    # Ranked outside the LIMIT: ts_rank_cd runs on the window only, not on every match.
    window = query.subquery()
    tsquery = func.to_tsquery("simple", match_postgres(terms))
    return db.session.execute(select(
        *(c for c in window.c if c.name != "tsv"),
        (-func.ts_rank_cd(window.c.tsv, tsquery)).label("rank"))).all()


def _filtered(query: Select, request: SearchRequest) -> Select:
    if not request.include_internal:
        query = query.where(SearchDoc.public.is_(True), SearchDoc.kind == KIND_POST)
    if request.community_id:
        query = query.where(SearchDoc.community_id == request.community_id)
    if request.board_id:
        query = query.where(SearchDoc.board_id == request.board_id)
    cases = select(Case.thread_id)
    if request.status:
        cases = cases.where(Case.status == request.status)
    if request.kind == "complaint" or request.status:
        query = query.where(SearchDoc.thread_id.in_(cases))
    elif request.kind == "discussion":
        query = query.where(SearchDoc.thread_id.not_in(select(Case.thread_id)))
    zone = clock.now().tzinfo
    if request.since:
        query = query.where(SearchDoc.created_at >= datetime.combine(request.since, time(),
                                                                     tzinfo=zone))
    if request.until:
        query = query.where(SearchDoc.created_at < datetime.combine(
            request.until + timedelta(days=1), time(), tzinfo=zone))
    return query


def snippet(source: str, words: list[str]) -> Markup:
    """A short piece of the text around the first matched word, with the words marked."""
    plain = " ".join(_MARKDOWN.sub(" ", source).split())
    lowered = plain.lower()
    first = min((i for i in (lowered.find(w) for w in words) if i >= 0), default=0)
    start = max(0, first - SNIPPET_CHARS // 3)
    piece = plain[start:start + SNIPPET_CHARS]
    if not words:
        return escape(piece)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(piece):
        out.append(escape(piece[last:match.start()]))
        out.append(Markup("<mark>%s</mark>") % piece[match.start():match.end()])
        last = match.end()
    out.append(escape(piece[last:]))
    prefix = "…" if start else ""
    suffix = "…" if start + SNIPPET_CHARS < len(plain) else ""
    return Markup(prefix) + Markup("").join(out) + Markup(suffix)


@dataclass
class Results:
    """One page of results, how many there are in all (up to COUNT_CAP) and whether
    there are more than that."""

    hits: list[Hit]
    total: int
    more: bool        # more than `total` (COUNT_CAP) matches
    has_next: bool


def _count(terms: list[list[str]], request: SearchRequest) -> tuple[int, bool]:
    """How many documents match, counted up to COUNT_CAP (then "COUNT_CAP+")."""
    capped = _filtered(_matching(terms), request).order_by(None).limit(COUNT_CAP + 1)
    found = db.session.scalar(select(func.count()).select_from(capped.subquery())) or 0
    return min(found, COUNT_CAP), found > COUNT_CAP


def _newest(terms: list[list[str]], request: SearchRequest, offset: int, limit: int) -> list:
    return db.session.execute(_filtered(_matching(terms), request)
                              .offset(offset).limit(limit)).all()


def search(request: SearchRequest, per_page: int = 20) -> Results:
    """One page of results; nothing the reader may not see is found or counted.

    Best match ranks the newest WINDOW matches (bm25 on SQLite, ts_rank_cd on
    PostgreSQL; ties newest first) and lists any older matches after them, newest
    first: ranking every match of a common word at a million posts would cost a
    second, and the order stays the same from page to page. Newest first is the
    index's own order. Pages are positions in that one order, so every match is on
    exactly one page.
    """
    terms = query_terms(request.q)
    if not terms:
        return Results([], 0, False, False)
    offset, end = (request.page - 1) * per_page, request.page * per_page
    if request.sort == "newest":
        rows = _newest(terms, request, offset, per_page + 1)
        if request.page == 1 and len(rows) <= per_page:
            total, more = len(rows), False
        else:
            total, more = _count(terms, request)
    else:
        window = _ranked_window(terms, _filtered(_matching(terms, rank=True), request),
                                WINDOW + 1)
        complete = len(window) <= WINDOW
        ranked = sorted(window[:WINDOW], key=lambda r: (r.rank, -r.id))
        rows = ranked[offset:end + 1]
        if not complete and end + 1 > WINDOW:
            start = max(offset, WINDOW)
            rows += _newest(terms, request, start, end + 1 - start)
        total, more = (len(window), False) if complete else _count(terms, request)
    has_next = len(rows) > per_page
    return Results(_hits(rows[:per_page], highlight_words(request.q)), total, more, has_next)


def _hits(rows: list, words: list[str]) -> list[Hit]:
    thread_ids = {r.thread_id for r in rows}
    threads = {t.id: t for t in db.session.scalars(
        select(Thread).where(Thread.id.in_(thread_ids))
        .options(joinedload(Thread.board).joinedload(Board.community),
                 joinedload(Thread.case)))} if rows else {}
    post_ids = [r.source_id for r in rows if r.kind == KIND_POST]
    posts = {p.id: p for p in db.session.scalars(
        select(Post).where(Post.id.in_(post_ids)).options(joinedload(Post.author)))} \
        if post_ids else {}
    note_ids = [r.source_id for r in rows if r.kind == KIND_NOTE]
    notes = {n.id: n for n in db.session.scalars(
        select(CaseNote).where(CaseNote.id.in_(note_ids)))} if note_ids else {}
    hits = []
    for r in rows:
        post, note = posts.get(r.source_id) if r.kind == KIND_POST else None, \
            notes.get(r.source_id) if r.kind == KIND_NOTE else None
        source = post.body_source if post else note.body_source if note else ""
        if r.thread_id not in threads or (post is None and note is None):
            continue
        hits.append(Hit(kind=r.kind, thread=threads[r.thread_id], post=post, note=note,
                        snippet=snippet(source, words), created_at=r.created_at))
    return hits


def similar_cases(text: str, *, community_id: int | None, exclude_thread: int | None = None,
                  limit: int = 5) -> list[Thread]:
    """Complaints that look like `text`: this community's first, then elsewhere.

    Any shared word counts (OR), among complaints' opening posts only (CASE_MARK);
    the newest SIMILAR_WINDOW of them are ranked, as for search.
    """
    loose = similarity_terms(text)
    if not loose:
        return []
    terms = [[CASE_MARK], [pair_phrase(w) for w in loose]]
    query = (_matching(terms, rank=True).add_columns(SearchDoc.community_id)
             .where(SearchDoc.public.is_(True), SearchDoc.kind == KIND_POST))
    if exclude_thread:
        query = query.where(SearchDoc.thread_id != exclude_thread)
    rows = sorted(_ranked_window(terms, query, SIMILAR_WINDOW), key=lambda r: (r.rank, -r.id))
    ordered = [r.thread_id for r in rows if r.community_id == community_id] + \
              [r.thread_id for r in rows if r.community_id != community_id]
    chosen = list(dict.fromkeys(ordered))[:limit]
    if not chosen:
        return []
    threads = {t.id: t for t in db.session.scalars(
        select(Thread).where(Thread.id.in_(chosen))
        .options(joinedload(Thread.case), joinedload(Thread.board).joinedload(Board.community)))}
    return [threads[i] for i in chosen if i in threads]
