"""Photo routes: serving the files (with the post's visibility), the one-photo upload of the
JavaScript form, and moderators hiding a photo."""
from __future__ import annotations

from flask import (Blueprint, Response, abort, current_app, flash, jsonify, redirect, request,
                   send_file, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.errors import Invalid
from ..extensions import db
from ..forum.views import post_url
from ..security.guards import require_staff
from ..security.policy import can, require
from . import queries, services
from .forms import HidePhotoForm, UnhidePhotoForm
from .models import Photo
from .storage import LocalStorage, storage

bp = Blueprint("photos", __name__)
moderation = Blueprint("photo_moderation", __name__, url_prefix="/staff/photos")
require_staff(moderation)

# A photo is never a document: no script, no plugin, no frame, sandboxed if opened alone.
PHOTO_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def _send(photo: Photo, name: str, filename: str, variant: str) -> Response:
    config = current_app.config
    files = storage()
    prefix = config["PHOTO_X_ACCEL_PREFIX"]
    if prefix:  # nginx sends the file from an internal location on UPLOAD_DIR
        response = Response(status=200, mimetype=photo.content_type)
        response.headers["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{name}"
    else:
        try:
            source = files.path(name) if isinstance(files, LocalStorage) else files.open(name)
            response = send_file(source, mimetype=photo.content_type, download_name=filename,
                                 conditional=True, etag=f"{photo.key}-{variant}",
                                 max_age=config["PHOTO_CACHE_SECONDS"])
        except FileNotFoundError:
            abort(404)
    headers = response.headers
    headers["Content-Type"] = photo.content_type
    headers["Content-Disposition"] = f'inline; filename="{filename}"'
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Content-Security-Policy"] = PHOTO_CSP
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    # Private: the answer depends on who asks, and a photo hidden later must stop showing.
    headers["Cache-Control"] = f"private, max-age={config['PHOTO_CACHE_SECONDS']}"
    headers["Vary"] = "Cookie"
    return response


def _visible_or_404(key: str) -> Photo:
    photo = queries.by_key(key)
    if photo is None or not can(current_user, "photo.view", photo):
        abort(404)  # as if it did not exist: no hint that a hidden photo is there
    return photo


@bp.get("/photos/<key>")
def full(key: str):
    photo = _visible_or_404(key)
    return _send(photo, photo.full_name, f"photo-{photo.id}.jpg", "full")


@bp.get("/photos/<key>/thumb")
def thumb(key: str):
    photo = _visible_or_404(key)
    return _send(photo, photo.thumb_name, f"photo-{photo.id}-small.jpg", "thumb")


@bp.post("/photos")
@login_required
def upload():
    """One photo from the JavaScript form: kept as pending; its id goes with the post."""
    sent = request.files.get("photo")
    if sent is None or not sent.filename:
        return jsonify(error=_("Choose a photo to send.")), 400
    try:
        photo = services.upload(current_user, sent.stream)
    except Invalid as err:
        return jsonify(error=f"{services.shown_name(sent.filename)}: {err.message}"), 400
    return jsonify(id=photo.id, thumb=url_for("photos.thumb", key=photo.key),
                   width=photo.thumb_width, height=photo.thumb_height,
                   name=services.shown_name(sent.filename)), 201


def _photo_or_404(photo_id: int) -> Photo:
    photo = db.session.get(Photo, photo_id)
    if photo is None or photo.post is None:
        abort(404)
    return photo


@moderation.post("/<int:photo_id>/hide")
def hide(photo_id: int):
    photo = _photo_or_404(photo_id)
    require(current_user, "photo.hide", photo)  # refuse before reading anything sent
    form = HidePhotoForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for hiding this photo."), "error")
    else:
        services.hide(photo, current_user, reason=form.reason.data)
        flash(_("The photo is hidden. A note stays in its place."), "success")
    return redirect(post_url(photo.post))


@moderation.post("/<int:photo_id>/unhide")
def unhide(photo_id: int):
    photo = _photo_or_404(photo_id)
    require(current_user, "photo.unhide", photo)
    form = UnhidePhotoForm()
    if form.validate_on_submit():
        services.unhide(photo, current_user, reason=form.reason.data or "")
        flash(_("The photo is shown again."), "success")
    return redirect(post_url(photo.post))
