"""Sending photos the way browsers do."""
from __future__ import annotations

import io
from typing import Any

from app.extensions import db
from app.photos.models import Photo


def upload(client: Any, data: bytes, name: str = "photo.jpg",
           content_type: str = "image/jpeg") -> Any:
    """POST one file to the JavaScript upload route."""
    return client.post("/photos", data={"photo": (io.BytesIO(data), name, content_type)},
                       content_type="multipart/form-data",
                       headers={"Accept": "application/json"})


def files(*items: tuple[bytes, str]) -> list:
    """Form file parts for `photos` (a no-JavaScript post form)."""
    return [(io.BytesIO(data), name, "image/jpeg") for data, name in items]


def photos() -> list[Photo]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Photo).order_by(Photo.id)))
