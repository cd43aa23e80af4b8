"""Public transparency (信息透明): the resolved-case archive, scorecards, communities compared.

Anyone may read these, without an account; they show public case data only.
"""
from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _

from ..core import clock
from . import queries, stats, transparency
from .forms import ArchiveFilterForm

if TYPE_CHECKING:
    from ..communities.models import Community

bp = Blueprint("transparency", __name__)


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


@bp.get("/cases/resolved")
def resolved():
    form = ArchiveFilterForm(request.args)
    communities = queries.communities_for_filing()
    professions = queries.professions()
    years = transparency.archive_years(queries.first_closing(), clock.now(), _zone())
    form.community.choices = [("", _("All communities"))] + [(c.slug, c.name)
                                                             for c in communities]
    form.year.choices = [("", _("Any year"))] + [(y, str(y)) for y in years]
    page = transparency.archive_page(
        transparency.archive_filter(form, communities, professions, years, _zone()),
        after=request.args.get("after"), before=request.args.get("before"),
        per_page=current_app.config["ARCHIVE_PER_PAGE"])
    filters = {k: v for k, v in request.args.items() if k in transparency.FILTER_ARGS and v}
    return render_template("transparency/resolved.html", form=form, page=page,
                           communities=communities, professions=professions, years=years,
                           filters=filters)


def _scorecard_page(community: Community | None = None) -> str:
    card = stats.scorecard(community.id if community else None)
    prefix = f"c{community.id}" if community else "site"
    return render_template("transparency/scorecard.html", card=card, community=community,
                           tiles=transparency.scorecard_tiles(card),
                           satisfaction=transparency.satisfaction_rows(card),
                           charts=transparency.scorecard_charts(card, prefix),
                           communities=queries.communities_for_filing())


@bp.get("/scorecard")
def scorecard():
    return _scorecard_page()


@bp.get("/c/<community_slug>/scorecard")
def community_scorecard(community_slug: str):
    community = queries.community_by_slug(community_slug)
    if community is None:
        abort(404)
    return _scorecard_page(community)


@bp.get("/scorecard/communities")
def ranking():
    by = request.args.get("by", "confirmed")
    if by not in stats.MEASURES:
        by = "confirmed"
    ranked, unranked = stats.rank(stats.compared_communities(), by)
    return render_template("transparency/ranking.html",
                           rows=transparency.ranking_rows(ranked, unranked), by=by,
                           labels=transparency.measure_labels(),
                           min_sample=current_app.config["SCORECARD_MIN_SAMPLE"])
