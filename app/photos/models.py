"""A photo: re-encoded pixels kept in storage under a generated key, attached to a post.

A photo uploaded but not yet attached (`post_id` empty) is *pending*: only its uploader
sees it, and `flask photos clean-pending` removes those left behind.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import clock
from ..core.database import UTCDateTime
from ..extensions import db

if TYPE_CHECKING:
    from ..auth.models import User
    from ..forum.models import Post


class Photo(db.Model):
    __tablename__ = "photos"
    __table_args__ = (
        Index("ix_photos_post_id", "post_id", "position"),
        Index("ix_photos_uploader_created", "uploader_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random hex: the storage name and part of the address (never the uploaded file's name).
    key: Mapped[str] = mapped_column(String(32), unique=True)
    uploader_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"))
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    content_type: Mapped[str] = mapped_column(String(40), default="image/jpeg")
    width: Mapped[int]
    height: Mapped[int]
    thumb_width: Mapped[int]
    thumb_height: Mapped[int]
    byte_size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    attached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A moderator hid it (a face, a licence plate): a tombstone stays, the file is not served.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hidden_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    uploader: Mapped[User] = relationship("User", foreign_keys=[uploader_id])
    post: Mapped[Post | None] = relationship("Post")

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_pending(self) -> bool:
        return self.post_id is None

    @property
    def full_name(self) -> str:
        """Where the full-size file is kept."""
        return f"{self.key[:2]}/{self.key}.jpg"

    @property
    def thumb_name(self) -> str:
        return f"{self.key[:2]}/{self.key}_t.jpg"

    def __repr__(self) -> str:
        return f"<Photo {self.id}>"
