"""Photo tests keep their files in a temporary directory."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    return tmp_path / "uploads"
