"""Charts drawn as SVG on the server: readable without JavaScript, crisp on phones, printable.

Pure: no Flask, no database. Each function takes labels and numbers already prepared and
returns the SVG as Markup, escaping every text it writes. Colours come from CSS classes
(`s0`, `s1`, ... on each series), because the CSP allows no inline style; the page's
stylesheet decides them, for screen and print alike. An SVG is an image to assistive
technology (role="img" with a title and description): every chart goes with a table of
its numbers on the page.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 320          # user units; the SVG scales to its box: about 1:1 on a phone
PLOT_HEIGHT = 150
LEFT, RIGHT, TOP, BOTTOM = 34, 6, 10, 30
ROW_HEIGHT = 34      # horizontal bars: a label line and a bar


@dataclass(frozen=True)
class Series:
    """One named row of values (None where there is no figure); `css` picks its colour."""

    name: str
    values: tuple[float | None, ...]
    css: str = "s0"


def plain_number(value: float) -> str:
    """A tick label: whole numbers without decimals, others with one."""
    if abs(value - round(value)) < 1e-9:
        return str(int(round(value)))
    return f"{value:.1f}"


def nice_ticks(top: float, count: int = 4, *, integer: bool = False) -> list[float]:
    """Round tick values from 0 up to at least `top`, about `count` steps: 17 → 0, 5 … 20."""
    if not math.isfinite(top) or top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = 10 * magnitude
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * magnitude >= raw - 1e-12:
            step = multiple * magnitude
            break
    if integer:
        step = max(1.0, math.ceil(step))
    steps = max(1, math.ceil(top / step - 1e-9))
    return [round(i * step, 10) for i in range(steps + 1)]


def _svg(kind: str, chart_id: str, height: float, title: str, desc: str, body: list[str]
         ) -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" '
            f'viewBox="0 0 {WIDTH} {_n(height)}" role="img" '
            f'aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d" focusable="false">'
            f'<title id="{escape(chart_id)}-t">{escape(title)}</title>'
            f'<desc id="{escape(chart_id)}-d">{escape(desc)}</desc>')
    return Markup(head + "".join(body) + "</svg>")


def _n(value: float) -> str:
    """A coordinate, short: 12, 12.5."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _axes(labels: Sequence[tuple[str, str]], ticks: list[float],
          fmt: Callable[[float], str]) -> tuple[list[str], Callable[[float], float], float]:
    """Grid lines, y tick labels and x labels; returns them with the y scale and slot width."""
    width = WIDTH - LEFT - RIGHT
    top_value = ticks[-1] or 1.0
    slot = width / max(1, len(labels))

    def y(value: float) -> float:
        return TOP + PLOT_HEIGHT * (1 - min(max(value, 0.0), top_value) / top_value)

    parts = ['<g class="grid">']
    parts += [f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_n(y(t))}" y2="{_n(y(t))}"/>'
              for t in ticks]
    parts.append('</g><g class="ticks">')
    parts += [f'<text x="{LEFT - 4}" y="{_n(y(t) + 4)}" text-anchor="end">{escape(fmt(t))}</text>'
              for t in ticks]
    base = TOP + PLOT_HEIGHT
    for i, (main, sub) in enumerate(labels):
        x = LEFT + slot * (i + 0.5)
        parts.append(f'<text x="{_n(x)}" y="{_n(base + 14)}" text-anchor="middle" '
                     f'class="x">{escape(main)}</text>')
        if sub:
            parts.append(f'<text x="{_n(x)}" y="{_n(base + 27)}" text-anchor="middle" '
                         f'class="sub">{escape(sub)}</text>')
    parts.append("</g>")
    return parts, y, slot


def _top(series: Sequence[Series]) -> float:
    return max((v for s in series for v in s.values if v is not None), default=0.0)


def columns(chart_id: str, labels: Sequence[tuple[str, str]], series: Sequence[Series], *,
            title: str, desc: str, fmt: Callable[[float], str] = plain_number,
            integer: bool = True) -> Markup:
    """Grouped columns, one group per label (a month), one column per series."""
    ticks = nice_ticks(_top(series), integer=integer)
    parts, y, slot = _axes(labels, ticks, fmt)
    group = slot * 0.72
    width = group / max(1, len(series))
    for k, s in enumerate(series):
        parts.append(f'<g class="series {escape(s.css)}">')
        for i, value in enumerate(s.values):
            if value is None:
                continue
            x = LEFT + slot * i + (slot - group) / 2 + width * k
            top = y(value)
            parts.append(f'<rect x="{_n(x)}" y="{_n(top)}" width="{_n(width)}" '
                         f'height="{_n(TOP + PLOT_HEIGHT - top)}"><title>'
                         f'{escape(labels[i][0])} {escape(labels[i][1])} · {escape(s.name)}: '
                         f'{escape(fmt(value))}</title></rect>')
        parts.append("</g>")
    return _svg("columns", chart_id, TOP + PLOT_HEIGHT + BOTTOM, title, desc, parts)


def lines(chart_id: str, labels: Sequence[tuple[str, str]], series: Sequence[Series], *,
          title: str, desc: str, fmt: Callable[[float], str] = plain_number,
          top: float | None = None) -> Markup:
    """One line per series over the labels; a None value leaves a gap in its line."""
    ticks = nice_ticks(top if top is not None else _top(series))
    parts, y, slot = _axes(labels, ticks, fmt)
    for s in series:
        points = [(LEFT + slot * (i + 0.5), y(v) if v is not None else 0.0, v)
                  for i, v in enumerate(s.values)]
        runs: list[list[tuple[float, float]]] = [[]]
        for x, py, v in points:
            if v is None:
                if runs[-1]:
                    runs.append([])
                continue
            runs[-1].append((x, py))
        parts.append(f'<g class="series {escape(s.css)}">')
        for run in runs:
            if len(run) > 1:
                path = " ".join(f"{'M' if j == 0 else 'L'}{_n(x)} {_n(py)}"
                                for j, (x, py) in enumerate(run))
                parts.append(f'<path d="{path}"/>')
        for i, (x, py, v) in enumerate(points):
            if v is not None:
                parts.append(f'<circle cx="{_n(x)}" cy="{_n(py)}" r="3"><title>'
                             f'{escape(labels[i][0])} {escape(labels[i][1])} · '
                             f'{escape(s.name)}: {escape(fmt(v))}</title></circle>')
        parts.append("</g>")
    return _svg("lines", chart_id, TOP + PLOT_HEIGHT + BOTTOM, title, desc, parts)


def bars(chart_id: str, labels: Sequence[str], values: Sequence[float], *, title: str,
         desc: str, fmt: Callable[[float], str] = plain_number, css: str = "s0") -> Markup:
    """Horizontal bars, largest first as given: each label on its own line above its bar."""
    top_value = max(values, default=0) or 1
    room = WIDTH - 8 - 44  # the value's text sits right of the longest bar
    parts = [f'<g class="series {escape(css)}">']
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y0 = 4 + i * ROW_HEIGHT
        length = max(1.0, room * value / top_value) if value else 0.0
        parts.append(f'<text x="4" y="{_n(y0 + 11)}" class="label">{escape(label)}</text>')
        parts.append(f'<rect x="4" y="{_n(y0 + 16)}" width="{_n(length)}" height="12">'
                     f'<title>{escape(label)}: {escape(fmt(value))}</title></rect>')
        parts.append(f'<text x="{_n(8 + length)}" y="{_n(y0 + 26)}" class="value">'
                     f'{escape(fmt(value))}</text>')
    parts.append("</g>")
    return _svg("bars", chart_id, 8 + ROW_HEIGHT * len(labels), title, desc, parts)
