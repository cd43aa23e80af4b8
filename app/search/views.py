"""Search pages: results for everyone, similar cases while an owner writes a complaint."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..complaints import queries as case_queries
from ..core.ids import db_int
from ..security.policy import can
from .forms import SearchForm
from .queries import SearchRequest, search, similar_cases

bp = Blueprint("search", __name__)
PER_PAGE = 20


@bp.get("/search")
def results():
    form = SearchForm(request.args)
    form.community_id.choices = [("", _("All communities"))] + [
        (c.id, c.name) for c in case_queries.communities_for_filing()]
    form.validate()
    page = max(1, request.args.get("page", 1, type=int) or 1)
    results = None
    if form.q.data and not form.q.errors:
        results = search(SearchRequest(
            q=form.q.data, community_id=form.community_id.data, kind=form.kind.data or "",
            status=form.status.data or "",
            since=None if form.since.errors else form.since.data,
            until=None if form.until.errors else form.until.data,
            sort=form.sort.data or "relevance", page=page,
            include_internal=can(current_user, "search.internal")), PER_PAGE)
    filtered = any(request.args.get(k) for k in ("community_id", "kind", "status", "since",
                                                  "until"))
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("search/results.html", form=form, page=page, results=results,
                           hits=results.hits if results else [],
                           has_next=results.has_next if results else False,
                           filtered=filtered, args=args)


@bp.get("/complaints/similar")
def similar():
    """Similar cases as an HTML fragment for the filing form's script (as-you-type).

    Without JavaScript the form's "check for similar complaints" button does the same
    in a full page (complaints.file)."""
    text = " ".join(filter(None, (request.args.get("title", "")[:120],
                                  request.args.get("body", "")[:500])))
    community_id = db_int(request.args.get("community_id", type=int))
    threads = similar_cases(text, community_id=community_id) if text.strip() else []
    return render_template("search/_similar.html", threads=threads)
