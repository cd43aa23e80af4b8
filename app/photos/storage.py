"""Where photo files are kept: one small interface (save, open, delete), a directory today.

An object store can replace `LocalStorage` by putting another object with the same three
methods in `app.extensions["photo_storage"]`. Names are made by the app only
(`ab/<32 hex>.jpg`); anything else is refused, so no uploaded name can reach the disk.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

_NAME = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{32}(_t)?\.jpg$")


class PhotoStorage(Protocol):
    def save(self, name: str, data: bytes) -> None: ...

    def open(self, name: str) -> BinaryIO: ...

    def delete(self, name: str) -> None: ...


def _checked(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a photo storage name: {name!r}")
    return name


class LocalStorage:
    """Files in a directory outside the static folder (a shared volume in production)."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def path(self, name: str) -> Path:
        return self.root / _checked(name)

    def save(self, name: str, data: bytes) -> None:
        """Write whole or not at all: a temporary file renamed into place."""
        target = self.path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(temp, 0o644)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def open(self, name: str) -> BinaryIO:
        return self.path(name).open("rb")

    def delete(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)


def storage() -> PhotoStorage:
    """The configured storage of the current app."""
    custom = current_app.extensions.get("photo_storage")
    return custom or LocalStorage(current_app.config["UPLOAD_DIR"])
