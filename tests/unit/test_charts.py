"""The SVG chart module: scales, shapes, gaps, escaping, accessibility."""
from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import pytest

from app.complaints import charts

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = [("1月", "2026"), ("2月", ""), ("3月", "")]


@pytest.mark.parametrize(("top", "integer", "expected"), [
    (17, False, [0, 5, 10, 15, 20]),
    (100, False, [0, 25, 50, 75, 100]),
    (3, True, [0, 1, 2, 3]),
    (1, True, [0, 1]),
    (0, True, [0, 1]),
    (0.8, False, [0, 0.2, 0.4, 0.6, 0.8]),
    (1234, True, [0, 500, 1000, 1500]),
])
def test_ticks_are_round_and_reach_the_top(top, integer, expected) -> None:
    assert charts.nice_ticks(top, integer=integer) == pytest.approx(expected)


def _parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))


def test_columns_draw_one_rect_per_value_with_heights_in_proportion() -> None:
    svg = charts.columns("c", MONTHS, [charts.Series("收到", (2.0, 4.0, 0.0), "s0"),
                                       charts.Series("关闭", (1.0, None, 3.0), "s1")],
                         title="按月", desc="说明")

    root = _parse(svg)
    rects = root.findall(f".//{SVG}rect")
    heights = [float(r.get("height")) for r in rects]
    assert len(rects) == 5  # a None value draws nothing
    assert heights[1] == pytest.approx(2 * heights[0])      # 4 is twice 2
    assert heights[2] == 0                                   # 0 is a flat bar
    assert heights[3] == pytest.approx(heights[0] / 2)       # 1 is half of 2


def test_a_chart_is_an_image_with_a_title_and_description_for_assistive_technology() -> None:
    root = _parse(charts.columns("cases", MONTHS, [charts.Series("a", (1.0, 2.0, 3.0))],
                                 title="每月投诉", desc="近三个月"))

    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "cases-t cases-d"
    assert root.find(f"{SVG}title").text == "每月投诉"
    assert root.find(f"{SVG}title").get("id") == "cases-t"
    assert root.find(f"{SVG}desc").text == "近三个月"


def test_lines_leave_a_gap_where_a_value_is_missing() -> None:
    svg = charts.lines("l", MONTHS + [("4月", ""), ("5月", "")],
                       [charts.Series("承诺", (50.0, 60.0, None, 80.0, 90.0))],
                       title="t", desc="d", top=100)

    root = _parse(svg)
    paths = root.findall(f".//{SVG}path")
    assert len(paths) == 2                       # two runs around the gap
    assert len(root.findall(f".//{SVG}circle")) == 4


def test_a_line_value_of_100_percent_touches_the_top_tick() -> None:
    root = _parse(charts.lines("l", MONTHS, [charts.Series("x", (100.0, 0.0, 50.0))],
                               title="t", desc="d", top=100))

    ys = [float(c.get("cy")) for c in root.findall(f".//{SVG}circle")]
    assert ys[0] == charts.TOP
    assert ys[1] == charts.TOP + charts.PLOT_HEIGHT
    assert ys[2] == pytest.approx(charts.TOP + charts.PLOT_HEIGHT / 2)


def test_bars_are_longest_for_the_largest_value_and_labelled() -> None:
    root = _parse(charts.bars("b", ["防水渗漏", "门窗"], [10.0, 5.0], title="t", desc="d"))

    widths = [float(r.get("width")) for r in root.findall(f".//{SVG}rect")]
    labels = [t.text for t in root.findall(f".//{SVG}text") if t.get("class") == "label"]
    assert widths[0] == pytest.approx(2 * widths[1])
    assert labels == ["防水渗漏", "门窗"]


def test_every_text_is_escaped() -> None:
    svg = str(charts.bars("b", ['<script>alert(1)</script>"'], [1.0],
                          title="<b>", desc="&"))

    assert "<script>" not in svg and "<b>" not in svg
    _parse(svg)  # still well-formed XML


def test_charts_carry_no_inline_style_the_csp_would_block() -> None:
    svg = str(charts.columns("c", MONTHS, [charts.Series("a", (1.0, 2.0, 3.0))],
                             title="t", desc="d"))

    assert not re.search(r"\sstyle=", svg)
