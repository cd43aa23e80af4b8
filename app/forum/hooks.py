"""Extension points other domains plug into, so the forum never imports them."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Each provider gets (thread, user, overrides) and returns extra template context for the
# thread page (complaints adds its case panel). Registered once at app assembly.
ThreadContext = Callable[[Any, Any, dict], dict]
_thread_context: list[ThreadContext] = []


def register_thread_context(provider: ThreadContext) -> None:
    """Add a provider of thread-page context (idempotent)."""
    if provider not in _thread_context:
        _thread_context.append(provider)


def thread_context(thread: Any, user: Any, overrides: dict) -> dict:
    """The extra context every provider offers for this thread page."""
    context: dict = {}
    for provider in _thread_context:
        context.update(provider(thread, user, overrides))
    return context
