"""What photo actions change: upload (pending), attach to a post, hide, clean up."""
from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from ..audit.services import record
from ..core import clock
from ..core.errors import Invalid
from ..extensions import db
from ..security.policy import require
from . import imaging
from .models import Photo
from .storage import storage

log = logging.getLogger(__name__)


def shown_name(filename: str | None) -> str:
    """An uploaded file's name as it may appear in a message: last part, printable, short.

    It is never used to store anything."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name[:57] + "…") if len(name) > 60 else (name or "?")


def _uploaded_today(user: Any) -> int:
    since = clock.now() - timedelta(days=1)
    return db.session.scalar(select(func.count(Photo.id)).where(
        Photo.uploader_id == user.id, Photo.created_at >= since)) or 0


def upload(user: Any, stream: Any) -> Photo:
    """Check, re-encode and keep one photo as pending (its uploader's, for the next post)."""
    require(user, "photo.upload")
    config = current_app.config
    if _uploaded_today(user) >= config["PHOTO_DAILY_LIMIT"]:
        raise Invalid(_l("You have sent %(n)s photos in the last 24 hours, the most we "
                         "accept. Please try again tomorrow.", n=config["PHOTO_DAILY_LIMIT"]))
    data = imaging.read_limited(stream, config["PHOTO_MAX_BYTES"])
    done = imaging.process(data, max_pixels=config["PHOTO_MAX_PIXELS"],
                           max_edge=config["PHOTO_MAX_EDGE"],
                           thumb_edge=config["PHOTO_THUMB_EDGE"])
    photo = Photo(key=secrets.token_hex(16), uploader_id=user.id, content_type="image/jpeg",
                  width=done.width, height=done.height, thumb_width=done.thumb_width,
                  thumb_height=done.thumb_height, byte_size=len(done.full),
                  created_at=clock.now())
    files = storage()
    files.save(photo.full_name, done.full)
    files.save(photo.thumb_name, done.thumb)
    db.session.add(photo)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        _delete_files(photo)
        raise
    return photo


@dataclass
class Attachments:
    """The photos a post form carries: kept (already uploaded) plus newly sent, and what
    was refused, with a message per file."""

    photos: list[Photo] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [p.id for p in self.photos]

    @property
    def ok(self) -> bool:
        return not self.errors


def pending_of(user: Any, ids: Iterable[Any]) -> list[Photo]:
    """The uploader's own pending photos among `ids`, in the order given (one query)."""
    wanted = []
    for value in ids:
        try:
            wanted.append(int(value))
        except (TypeError, ValueError):
            continue
    if not wanted or not getattr(user, "is_authenticated", False):
        return []
    found = {p.id: p for p in db.session.scalars(select(Photo).where(
        Photo.id.in_(wanted), Photo.uploader_id == user.id, Photo.post_id.is_(None)))}
    seen: set[int] = set()
    return [found[i] for i in wanted if i in found and not (i in seen or seen.add(i))]


def collect(user: Any, kept_ids: Iterable[Any], files: Sequence[Any]) -> Attachments:
    """What a submitted post form attaches: the pending photos it kept and the files it
    sent (each checked and kept as pending, so nothing sent is lost if the form is shown
    again). The files past the per-post limit are refused with a message."""
    result = Attachments(photos=pending_of(user, kept_ids))
    limit = current_app.config["PHOTO_MAX_PER_POST"]
    for upload_file in files:
        if not getattr(upload_file, "filename", None):
            continue  # the empty part of a file input left blank
        name = shown_name(upload_file.filename)
        if len(result.photos) >= limit:
            result.errors.append(str(_l("%(name)s: at most %(n)s photos per post.",
                                        name=name, n=limit)))
            continue
        try:
            result.photos.append(upload(user, upload_file.stream))
        except Invalid as err:
            result.errors.append(f"{name}: {err.message}")
    return result


def attach(post: Any, user: Any, photo_ids: Sequence[int]) -> list[Photo]:
    """Attach the uploader's pending photos to their new post (no commit: the post's own
    transaction carries it)."""
    if not photo_ids:
        return []
    limit = current_app.config["PHOTO_MAX_PER_POST"]
    if len(set(photo_ids)) > limit:
        raise Invalid(_l("At most %(n)s photos per post.", n=limit), field="photos")
    photos = pending_of(user, photo_ids)
    if len(photos) != len(set(photo_ids)):
        raise Invalid(_l("A photo is no longer available. Please add it again."),
                      field="photos")
    now = clock.now()
    for position, photo in enumerate(photos):
        # Guarded: of two posts sent at once with the same photo, only one gets it.
        taken = db.session.execute(
            update(Photo).where(Photo.id == photo.id, Photo.post_id.is_(None))
            .values(post_id=post.id, position=position, attached_at=now),
            execution_options={"synchronize_session": False}).rowcount
        if taken != 1:
            raise Invalid(_l("A photo is no longer available. Please add it again."),
                          field="photos")
        photo.post_id, photo.position, photo.attached_at = post.id, position, now
    return photos


def hide(photo: Photo, moderator: Any, *, reason: str) -> None:
    """Hide a photo (a face, a licence plate): a tombstone stays; the file is not served."""
    require(moderator, "photo.hide", photo)
    if not reason.strip():
        raise Invalid(_l("Give the reason for hiding this photo."), field="reason")
    photo.hidden_at = clock.now()
    photo.hidden_by_id = moderator.id
    photo.hidden_reason = reason.strip()
    record(moderator, "photo.hide", "photo", photo.id, before={"hidden": False},
           after={"hidden": True, "post_id": photo.post_id}, reason=reason)
    db.session.commit()


def unhide(photo: Photo, moderator: Any, *, reason: str = "") -> None:
    """Show a hidden photo again."""
    require(moderator, "photo.unhide", photo)
    photo.hidden_at = None
    photo.hidden_by_id = None
    record(moderator, "photo.unhide", "photo", photo.id, before={"hidden": True},
           after={"hidden": False, "post_id": photo.post_id}, reason=reason)
    db.session.commit()


def _delete_files(photo: Photo) -> None:
    files = storage()
    for name in (photo.full_name, photo.thumb_name):
        try:
            files.delete(name)
        except OSError:
            log.warning("could not delete photo file %s", name, exc_info=True)


def clean_pending(older_than: timedelta) -> int:
    """Delete photos uploaded but never attached to a post (an abandoned form)."""
    cutoff = clock.now() - older_than
    stale = list(db.session.scalars(select(Photo).where(Photo.post_id.is_(None),
                                                        Photo.created_at < cutoff)))
    for photo in stale:
        db.session.delete(photo)
    db.session.commit()
    for photo in stale:
        _delete_files(photo)
    return len(stale)
