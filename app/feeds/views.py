"""Atom feeds: every board, every community's cases, and the resolved cases.

Public data only: titles, public status, category, public outcome and rating, links.
No author names at all (so an anonymous filer stays anonymous), no post bodies (so
nothing deleted or hidden can travel), no internal notes or private owner data.
"""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, current_app, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ..communities.models import Board
from ..complaints import queries as case_queries
from ..complaints.models import Case
from ..complaints.workflow import STATUS_LABELS, Status
from ..core import clock
from ..forum import queries as forum_queries
from ..forum.models import Thread
from . import atom, queries

bp = Blueprint("feeds", __name__)


def _limit() -> int:
    return current_app.config["FEED_ENTRIES"]


def _lang() -> str:
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "zh-Hans"


def _status(case: Case) -> str:
    label = str(STATUS_LABELS[Status(case.status)])
    if case.status == Status.CLOSED:
        label += " · " + (_("confirmed by the owner") if case.confirmed else _("not confirmed"))
    return label


def _case_updated(case: Case) -> datetime:
    return max(t for t in (case.created_at, case.first_response_at, case.planned_at,
                           case.resolved_at, case.closed_at) if t is not None)


def _thread_link(thread_id: int) -> str:
    return url_for("forum.thread", thread_id=thread_id, _external=True)


def _respond(*, title: str, page_url: str, entries: list[atom.Entry], subtitle: str = ""
             ) -> Response:
    body = atom.render(feed_id=request.base_url, title=f"{title} · {_('OwnerVoice')}",
                       subtitle=subtitle, self_url=request.base_url, page_url=page_url,
                       author=_("OwnerVoice"), entries=entries, lang=_lang(),
                       updated=max((e.updated for e in entries), default=clock.now()))
    return Response(body, content_type=atom.CONTENT_TYPE)


def _thread_entry(thread: Thread) -> atom.Entry:
    parts = [_("%(n)s replies", n=thread.reply_count)]
    if thread.case is not None:
        parts.insert(0, f"{thread.case.number} · {_status(thread.case)}")
    return atom.Entry(entry_id=_thread_link(thread.id), title=thread.title,
                      link=_thread_link(thread.id), updated=thread.last_post_at,
                      published=thread.created_at, summary=" · ".join(parts))


def _board_feed(board: Board) -> Response:
    threads = queries.first(queries.board_threads(board), _limit())
    title = f"{board.name} · {board.community.name}" if board.community else board.name
    page_url = url_for("forum.board", community_slug=board.community.slug,
                       board_slug=board.slug, _external=True) if board.community else \
        url_for("forum.site_board", board_slug=board.slug, _external=True)
    return _respond(title=title, page_url=page_url, subtitle=board.description,
                    entries=[_thread_entry(t) for t in threads])


@bp.get("/c/<community_slug>/<board_slug>/feed.atom")
def board(community_slug: str, board_slug: str):
    found = forum_queries.board_by_slugs(community_slug, board_slug)
    if found is None:
        abort(404)
    return _board_feed(found)


@bp.get("/b/<board_slug>/feed.atom")
def site_board(board_slug: str):
    found = forum_queries.board_by_slugs(None, board_slug)
    if found is None:
        abort(404)
    return _board_feed(found)


def _case_entry(case: Case, *, outcome: bool = False) -> atom.Entry:
    parts = [case.number, case.category.full_name, _status(case)]
    if outcome:
        parts.insert(1, case.community.name)
        if case.resolution_summary:
            parts.append(_("What was done: %(text)s", text=case.resolution_summary))
        if case.rating is not None:
            parts.append(_("Owner's rating: satisfaction %(a)s, buy again %(b)s, recommend "
                           "%(c)s (of 5)", a=case.rating.overall, b=case.rating.buy_again,
                           c=case.rating.recommend))
    # A thread a moderator hid keeps its case in the feed, without its title (issue 4).
    title = _("Title withheld: the thread was hidden by a moderator") \
        if case.thread.is_hidden else case.thread.title
    return atom.Entry(entry_id=_thread_link(case.thread_id), title=title,
                      link=_thread_link(case.thread_id),
                      updated=case.closed_at if outcome and case.closed_at
                      else _case_updated(case),
                      published=case.created_at, summary=" · ".join(parts),
                      categories=(case.category.name,))


@bp.get("/c/<community_slug>/cases.atom")
def community_cases(community_slug: str):
    community = case_queries.community_by_slug(community_slug)
    if community is None:
        abort(404)
    cases = queries.first(queries.community_cases(community), _limit())
    return _respond(title=_("Complaints in %(community)s", community=community.name),
                    page_url=url_for("forum.community", community_slug=community.slug,
                                     _external=True),
                    entries=[_case_entry(c) for c in cases])


@bp.get("/cases/resolved.atom")
def resolved():
    cases = case_queries.archive_rows(
        case_queries.resolved_archive(case_queries.ArchiveFilter()), _limit())
    return _respond(title=_("Resolved cases"),
                    page_url=url_for("transparency.resolved", _external=True),
                    entries=[_case_entry(c, outcome=True) for c in cases])

