"""Fixtures for production-mode tests: job functions from this folder, reset between tests."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.jobs import queue
from tests.production import sample_jobs


@pytest.fixture
def jobs(monkeypatch) -> Iterator[list]:
    """Allow this folder's sample jobs; their calls, in order."""
    monkeypatch.setattr(queue, "ALLOWED_PREFIXES", ("app.", "tests.production."))
    sample_jobs.CALLS.clear()
    sample_jobs.FAILURES["left"] = 0
    yield sample_jobs.CALLS
    sample_jobs.CALLS.clear()
