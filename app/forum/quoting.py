"""Quoting a post in a reply: Markdown in, Markdown out. Pure."""
from __future__ import annotations

from flask_babel import gettext as _

QUOTE_MAX = 1000


def quote_markdown(author_name: str, source: str) -> str:
    """A Markdown blockquote of `source` headed by who wrote it, ready to reply below."""
    text = source.strip()
    if len(text) > QUOTE_MAX:
        text = text[:QUOTE_MAX].rstrip() + " …"
    lines = [_("%(name)s wrote:", name=author_name), *text.splitlines()]
    return "\n".join("> " + line if line else ">" for line in lines) + "\n\n"
