"""The proofs under load and faults: their figures, printed at the end of the run."""
from __future__ import annotations

import json
from typing import Any

import pytest

from .harness import backend, is_long

FIGURES: list[tuple[str, dict[str, Any]]] = []


def report(name: str, **figures: Any) -> None:
    """Keep a proof's figures for the summary (and print them for `-s`)."""
    title = f"{name} [{backend()}, {'long' if is_long() else 'short'}]"
    FIGURES.append((title, figures))
    print(f"\n== proof figures: {title}: {json.dumps(figures, ensure_ascii=False, default=str)}")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not FIGURES:
        return
    terminalreporter.section("proof figures")
    for title, figures in FIGURES:
        terminalreporter.write_line(f"{title}:")
        for key, value in figures.items():
            terminalreporter.write_line(f"    {key}: {value}")


def pytest_collection_modifyitems(items: list[Any]) -> None:
    for item in items:
        if "tests/proofs/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.proof)
