"""Forum screens: home, community, board, thread, posting, editing, watching."""
from __future__ import annotations

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..communities.models import Board
from ..core.errors import Conflict, Invalid
from ..core.ids import db_int
from ..extensions import db, limiter
from ..photos import queries as photo_queries
from ..photos.forms import from_request as photos_from_request
from ..photos.services import Attachments
from ..security.policy import can, require
from . import hooks, queries, services
from .forms import ConfirmForm, PostEditForm, ReplyForm, ThreadForm, WatchForm
from .models import Post, Thread
from .quoting import quote_markdown

bp = Blueprint("forum", __name__)


def _post_limit() -> str:
    return current_app.config["POST_RATE_LIMIT"]


def _page_arg() -> int | None:
    return request.args.get("page", type=int)


def _board_or_404(community_slug: str | None, board_slug: str) -> Board:
    board = queries.board_by_slugs(community_slug, board_slug)
    if board is None:
        abort(404)
    return board


def board_url(board: Board, **kwargs) -> str:  # noqa: ANN003
    """The address of a board page, community or site-wide."""
    if board.community is None:
        return url_for("forum.site_board", board_slug=board.slug, **kwargs)
    return url_for("forum.board", community_slug=board.community.slug,
                   board_slug=board.slug, **kwargs)


def post_url(post: Post) -> str:
    """The address of a post: its thread page with an anchor."""
    page = queries.page_of_post(post, current_app.config["POSTS_PER_PAGE"])
    args = {"page": page} if page > 1 else {}
    return url_for("forum.thread", thread_id=post.thread_id, **args) + f"#p{post.number}"


@bp.get("/")
def home():
    return render_template("forum/home.html", communities=queries.home_communities(),
                           site_boards=queries.site_boards(),
                           latest=queries.latest_threads(10))


@bp.get("/c/<community_slug>")
def community(community_slug: str):
    found = queries.community_by_slug(community_slug)
    if found is None:
        abort(404)
    return render_template("forum/community.html", community=found)


def _show_board(board: Board):  # noqa: ANN202
    page = queries.board_threads(board, _page_arg(), current_app.config["THREADS_PER_PAGE"])
    return render_template("forum/board.html", board=board, page=page)


@bp.get("/c/<community_slug>/<board_slug>")
def board(community_slug: str, board_slug: str):
    return _show_board(_board_or_404(community_slug, board_slug))


@bp.get("/b/<board_slug>")
def site_board(board_slug: str):
    return _show_board(_board_or_404(None, board_slug))


def _new_thread(board: Board):  # noqa: ANN202
    require(current_user, "board.post", board)
    form = ThreadForm()
    photos = photos_from_request(current_user) if form.is_submitted() else Attachments()
    if form.validate_on_submit() and photos.ok:
        try:
            thread = services.create_thread(board, current_user, title=form.title.data,
                                            body=form.body.data, photo_ids=photos.ids)
        except Invalid as err:
            photos.errors.append(str(err.message))
        else:
            flash(_("Your thread is posted."), "success")
            return redirect(url_for("forum.thread", thread_id=thread.id))
    status = 400 if form.is_submitted() else 200
    return render_template("forum/new_thread.html", board=board, form=form,
                           photos=photos), status


@bp.route("/c/<community_slug>/<board_slug>/new", methods=["GET", "POST"])
@login_required
@limiter.limit(_post_limit, methods=["POST"])
def new_thread(community_slug: str, board_slug: str):
    return _new_thread(_board_or_404(community_slug, board_slug))


@bp.route("/b/<board_slug>/new", methods=["GET", "POST"])
@login_required
@limiter.limit(_post_limit, methods=["POST"])
def new_site_thread(board_slug: str):
    return _new_thread(_board_or_404(None, board_slug))


def _thread_or_404(thread_id: int):  # noqa: ANN202
    thread = queries.thread_for_page(thread_id)
    if thread is None:
        abort(404)
    return thread


def render_thread(thread: Thread, *, page: int | None = None, status: int = 200,
                  watching: bool | None = None, **overrides: object):  # noqa: ANN201
    """The thread page; other domains pass filled-in forms back after a refused POST."""
    posts = queries.thread_posts(thread, page, current_app.config["POSTS_PER_PAGE"])
    context = hooks.thread_context(thread, current_user, overrides)
    # Forms make a CSRF token (and a session): only for members, so visitors' pages cache.
    member = current_user.is_authenticated
    reply_form = overrides.get("reply_form") or (ReplyForm() if member else None)
    if watching is None:
        watching = queries.is_watching(thread, current_user.id)
    photos = photo_queries.for_thread(thread, posts.items, current_user,
                                      gallery=thread.case is not None)
    return render_template("forum/thread.html", thread=thread, page=posts,
                           reply_form=reply_form,
                           confirm_form=ConfirmForm() if member else None,
                           watching=watching, photos=photos, **context), status


@bp.get("/t/<int:thread_id>")
@bp.get("/t/<int:thread_id>/<path:slug>")
def thread(thread_id: int, slug: str | None = None):
    found = queries.thread_for_viewer(thread_id, current_user.id)
    if found is None:
        abort(404)
    return render_thread(found[0], page=_page_arg(), watching=found[1])


@bp.post("/t/<int:thread_id>/watch")
@login_required
def watch(thread_id: int):
    found = _thread_or_404(thread_id)
    form = WatchForm()
    if not form.validate_on_submit():
        abort(400)
    on = form.on.data == "1"
    services.set_watch(found, current_user, on=on)
    flash(_("You are watching this thread: you will be told when its complaint moves.") if on
          else _("You no longer watch this thread."), "success")
    return redirect(url_for("forum.thread", thread_id=found.id))


@bp.route("/t/<int:thread_id>/reply", methods=["GET", "POST"])
@login_required
@limiter.limit(_post_limit, methods=["POST"])
def reply(thread_id: int):
    found = _thread_or_404(thread_id)
    require(current_user, "thread.reply", found)
    form = ReplyForm()
    photos = photos_from_request(current_user) if form.is_submitted() else Attachments()
    if form.validate_on_submit() and photos.ok:
        try:
            post = services.reply(found, current_user, body=form.body.data,
                                  photo_ids=photos.ids)
        except Invalid as err:
            photos.errors.append(str(err.message))
        else:
            return redirect(post_url(post))
    if not form.is_submitted():
        quoted = db_int(request.args.get("quote", type=int))
        source = db.session.get(Post, quoted) if quoted else None
        if source is not None and source.thread_id == found.id and not source.is_deleted \
                and not source.is_hidden:  # hidden text must not be quoted back into view
            # The reply is public: an anonymous filer is quoted as "an owner", even by staff.
            name = _("An owner") if found.hides_author(source.author_id) \
                else source.author.display_name
            form.body.data = quote_markdown(name, source.body_source)
    status = 400 if form.is_submitted() else 200
    return render_template("forum/reply.html", thread=found, form=form, photos=photos), status


@bp.get("/p/<int:post_id>")
def post(post_id: int):
    return redirect(post_url(db.get_or_404(Post, post_id)))


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int):
    found = db.get_or_404(Post, post_id)
    require(current_user, "post.edit", found)
    form = PostEditForm()
    if not form.is_submitted():
        form.body.data = found.body_source
        form.title.data = found.thread.title if found.is_opening else None
    elif form.validate_on_submit():
        try:
            services.edit_post(found, current_user, body=form.body.data,
                               title=form.title.data if found.is_opening else None)
        except Conflict as err:
            flash(str(err.message), "warning")
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(post_url(found))
    status = 400 if form.is_submitted() else 200
    return render_template("forum/edit_post.html", post=found, form=form), status


@bp.post("/p/<int:post_id>/delete")
@login_required
def delete_post(post_id: int):
    found = db.get_or_404(Post, post_id)
    if ConfirmForm().validate_on_submit():
        services.delete_post(found, current_user)
        flash(_("Your post is deleted. A note stays in its place."), "success")
    return redirect(post_url(found))


@bp.get("/p/<int:post_id>/history")
@login_required
def post_history(post_id: int):
    found = db.get_or_404(Post, post_id)
    require(current_user, "post.view_history", found)
    # Versions that held personal data a moderator redacted are for staff only (issue 4).
    revisions = [r for r in found.revisions
                 if not r.staff_only or can(current_user, "revision.view_redacted", found)]
    return render_template("forum/history.html", post=found, revisions=revisions)
