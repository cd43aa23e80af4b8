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
from .models import KIND_NOTE, KIND_POST, TSVECTOR, SearchDoc

SNIPPET_CHARS = 90
_FTS = table("search_fts", column("rowid"))
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


def _ranked(terms: list[list[str]]) -> tuple[Select, Any]:
    """Document ids with a rank expression (lower is better), on the current engine."""
    if db.session.get_bind().dialect.name == "sqlite":
        rank = func.bm25(literal_column("search_fts"), 4.0, 1.0)
        query = (select(SearchDoc.id).join(_FTS, _FTS.c.rowid == SearchDoc.id)
                 .where(literal_column("search_fts").op("MATCH")(match_sqlite(terms))))
        return query, rank
    vector = literal_column(f"({TSVECTOR})")
    tsquery = func.to_tsquery("simple", match_postgres(terms))
    query = select(SearchDoc.id).where(vector.op("@@")(tsquery))
    return query, -func.ts_rank_cd(vector, tsquery)


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


def search(request: SearchRequest, per_page: int = 20) -> tuple[list[Hit], bool]:
    """One page of results and whether there is another; nothing the reader may not see."""
    terms = query_terms(request.q)
    if not terms:
        return [], False
    query, rank = _ranked(terms)
    query = _filtered(query.add_columns(SearchDoc.kind, SearchDoc.source_id,
                                        SearchDoc.thread_id, SearchDoc.created_at), request)
    order = (SearchDoc.created_at.desc(), SearchDoc.id.desc()) if request.sort == "newest" \
        else (rank, SearchDoc.created_at.desc())
    rows = db.session.execute(query.order_by(*order).offset((request.page - 1) * per_page)
                              .limit(per_page + 1)).all()
    has_next, rows = len(rows) > per_page, rows[:per_page]
    return _hits(rows, highlight_words(request.q)), has_next


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

    Any shared word counts (OR), ranked; only public opening posts of case threads.
    """
    loose = similarity_terms(text)
    if not loose:
        return []
    query, rank = _ranked([[pair_phrase(w) for w in loose]])
    query = (query.add_columns(SearchDoc.thread_id, SearchDoc.community_id)
             .where(SearchDoc.public.is_(True), SearchDoc.kind == KIND_POST,
                    SearchDoc.title_terms != "",
                    SearchDoc.thread_id.in_(select(Case.thread_id)))
             .order_by(rank).limit(limit * 4))
    if exclude_thread:
        query = query.where(SearchDoc.thread_id != exclude_thread)
    rows = db.session.execute(query).all()
    ordered = [r.thread_id for r in rows if r.community_id == community_id] + \
              [r.thread_id for r in rows if r.community_id != community_id]
    chosen = list(dict.fromkeys(ordered))[:limit]
    if not chosen:
        return []
    threads = {t.id: t for t in db.session.scalars(
        select(Thread).where(Thread.id.in_(chosen))
        .options(joinedload(Thread.case), joinedload(Thread.board).joinedload(Board.community)))}
    return [threads[i] for i in chosen if i in threads]
