"""User text: Markdown rendering, sanitising, search terms."""
from __future__ import annotations

from .markdown import to_html
from .sanitize import clean

# Bump when rendering or the allow-list changes; `flask rerender` rewrites older posts.
RENDER_VERSION = 1


def render(source: str) -> str:
    """Markdown as typed to clean HTML, ready to store and show. Sanitising is the last step."""
    return clean(to_html(source))
