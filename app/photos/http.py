"""Request size limits for the routes that take photos.

MAX_CONTENT_LENGTH (16 MiB) stays the limit of every other request. The single-photo
upload route allows one photo; a post form sent without JavaScript carries its photos
itself, so it allows PHOTO_MAX_PER_POST of them (nginx needs the same, see README).
"""
from __future__ import annotations

from flask import Request, current_app

UPLOAD_ENDPOINT = "photos.upload"
# The forms that carry photos: new thread, reply, complaint, staff official reply.
FORM_ENDPOINTS = frozenset({"forum.new_thread", "forum.new_site_thread", "forum.reply",
                            "complaints.file", "complaints.answer"})
_SLACK = 1024 * 1024  # the text fields and multipart framing


def limit_for(endpoint: str | None) -> int | None:
    """The request size limit of a route that takes photos, or None for the default."""
    config = current_app.config
    if endpoint == UPLOAD_ENDPOINT:
        return config["PHOTO_MAX_BYTES"] + _SLACK
    if endpoint in FORM_ENDPOINTS:
        return max(config["MAX_CONTENT_LENGTH"] or 0,
                   config["PHOTO_MAX_BYTES"] * config["PHOTO_MAX_PER_POST"] + _SLACK)
    return None


class PhotoAwareRequest(Request):
    """Flask's request with a larger size limit on the routes that take photos (decided
    when the route is matched, before CSRF protection reads the body)."""

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and current_app and self.url_rule is not None:
            limit = limit_for(self.url_rule.endpoint)
            if limit is not None:
                return limit
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value
