"""Atom 1.0 documents (RFC 4287), built with ElementTree so every text is escaped.

Pure: no Flask, no database; callers pass absolute URLs and aware datetimes.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
# Characters XML 1.0 cannot carry at all (control characters other than tab and newlines).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Entry:
    """One item of a feed: a thread or a case."""

    entry_id: str
    title: str
    link: str
    updated: datetime
    published: datetime | None = None
    summary: str = ""
    categories: tuple[str, ...] = ()


def timestamp(moment: datetime) -> str:
    """An RFC 3339 time in UTC: 2026-11-23T05:45:00Z."""
    if moment.tzinfo is None:
        raise ValueError("feed times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _text(text)
    return element


def render(*, feed_id: str, title: str, self_url: str, page_url: str, author: str,
           entries: Sequence[Entry], updated: datetime, subtitle: str = "",
           lang: str = "zh-Hans") -> bytes:
    """The feed as UTF-8 bytes with an XML declaration; `updated` is the latest change."""
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": lang})
    _add(feed, "id", feed_id)
    _add(feed, "title", title)
    if subtitle:
        _add(feed, "subtitle", subtitle)
    _add(feed, "updated", timestamp(updated))
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=page_url)
    _add(_add(feed, "author"), "name", author)
    for item in entries:
        entry = _add(feed, "entry")
        _add(entry, "id", item.entry_id)
        _add(entry, "title", item.title)
        _add(entry, "link", rel="alternate", type="text/html", href=item.link)
        _add(entry, "updated", timestamp(item.updated))
        if item.published is not None:
            _add(entry, "published", timestamp(item.published))
        for term in item.categories:
            _add(entry, "category", term=term)
        if item.summary:
            _add(entry, "summary", item.summary, type="text")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")
