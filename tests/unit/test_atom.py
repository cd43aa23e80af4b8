"""Atom documents: well-formed, escaped, times in UTC."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from xml.etree import ElementTree as ET

import pytest

from app.feeds import atom

NS = "{http://www.w3.org/2005/Atom}"
WHEN = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _feed(**entry) -> ET.Element:
    item = atom.Entry(**{"entry_id": "http://x/t/1", "title": "标题", "link": "http://x/t/1",
                         "updated": WHEN, **entry})
    body = atom.render(feed_id="http://x/f", title="版块", self_url="http://x/f",
                       page_url="http://x/", author="业主之声", entries=[item], updated=WHEN)
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(body)


def test_a_feed_has_the_required_elements() -> None:
    root = _feed(summary="已受理")

    assert root.tag == f"{NS}feed"
    assert root.find(f"{NS}id").text == "http://x/f"
    assert root.find(f"{NS}updated").text == "2026-03-01T12:00:00Z"
    assert root.find(f"{NS}author/{NS}name").text == "业主之声"
    entry = root.find(f"{NS}entry")
    assert entry.find(f"{NS}title").text == "标题"
    assert entry.find(f"{NS}summary").text == "已受理"


def test_text_is_escaped_and_control_characters_dropped() -> None:
    root = _feed(title="<script>&\x01\x0b")

    assert root.find(f"{NS}entry/{NS}title").text == "<script>&"


def test_times_are_written_in_utc() -> None:
    shanghai = timezone(timedelta(hours=8))

    assert atom.timestamp(datetime(2026, 3, 1, 8, 0, tzinfo=shanghai)) == "2026-03-01T00:00:00Z"
    with pytest.raises(ValueError):
        atom.timestamp(datetime(2026, 3, 1))
