"""The HTML sanitiser: the only module that imports bleach.

bleach 6.4.0 (June 2026) is upstream's final release and its repository is
archived; it stays pinned here, and a swap to nh3 means rewriting this one file
with the same explicit lists (nh3's own defaults are far wider).
"""
from __future__ import annotations

import bleach

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
})
LINK_REL = "nofollow ugc noopener"
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _attribute_allowed(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in {"href", "title"} or (name == "rel" and value == LINK_REL)
    # Table alignment arrives as `style`: dropped, like every style attribute.
    if tag == "ol":
        return name == "start" and value.isdigit()
    return False


_cleaner = bleach.sanitizer.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_attribute_allowed,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def clean(html: str) -> str:
    """Reduce HTML to the allow-list. The result is safe as element content only."""
    return _cleaner.clean(html)
