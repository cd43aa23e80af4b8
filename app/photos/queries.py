"""How photos are fetched for pages: one query for a page of posts (or a case's gallery)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..forum.models import Post
from ..security.policy import can
from .models import Photo


@dataclass
class ThreadPhotos:
    """The photos of a thread page: by post (hidden ones too, shown as a tombstone), and for
    a case every photo the reader may see, as the gallery."""

    by_post: dict[int, list[Photo]] = field(default_factory=dict)
    gallery: list[Photo] = field(default_factory=list)

    def of(self, post: Any) -> list[Photo]:
        return self.by_post.get(post.id, [])


def for_thread(thread: Any, posts: Sequence[Any], user: Any, *, gallery: bool) -> ThreadPhotos:
    """Photos of the posts on this page, or (`gallery`) of the whole thread, in one query."""
    result = ThreadPhotos()
    query = select(Photo).join(Photo.post).options(contains_eager(Photo.post))
    if gallery:
        query = query.where(Post.thread_id == thread.id)
    else:
        ids = [p.id for p in posts]
        if not ids:
            return result
        query = query.where(Photo.post_id.in_(ids))
    query = query.order_by(Post.number, Photo.position, Photo.id)
    page_ids = {p.id for p in posts}
    for photo in db.session.scalars(query):
        visible = can(user, "photo.view", photo)
        if photo.post_id in page_ids and (visible or photo.is_hidden):
            result.by_post.setdefault(photo.post_id, []).append(photo)
        if gallery and visible and not photo.is_hidden:
            result.gallery.append(photo)
    return result


def by_key(key: str) -> Photo | None:
    """A photo by its address key, with its post and thread (for the visibility rule)."""
    if len(key) != 32:
        return None
    return db.session.scalar(select(Photo).where(Photo.key == key)
                             .options(contains_eager(Photo.post).joinedload(Post.thread))
                             .outerjoin(Photo.post))
