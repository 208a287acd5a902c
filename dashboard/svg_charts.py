"""Small static charts as inline SVG, for print: bars, lines and dated points, drawn from plain lists.

Used by the briefing pack, which must open offline and print the same everywhere, so it carries its charts as
SVG markup rather than a plotting library. No words are drawn here: titles, legends and readings are written
around the chart by the caller, in the reader's language; the SVG holds only axes, numbers and tick labels
(time always runs left to right, also in a right-to-left document).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

WIDTH, HEIGHT = 330, 160
MARGIN = {"left": 52, "right": 12, "top": 14, "bottom": 34}
AXIS, GRID, TEXT = "#444444", "#e3e3e3", "#1f1f1f"


@dataclass
class Series:
    """One set of values to draw: ``xs`` are positions on the x axis (category index or day number)."""

    name: str
    color: str
    xs: Sequence[float]
    ys: Sequence[float | None]
    labels: Sequence[str] = field(default_factory=list)  # printed beside each value ("" for none)
    dashed: bool = False
    hollow: Sequence[bool] = field(default_factory=list)  # per value: drawn open (approximate)
    widths: Sequence[float] = field(default_factory=list)  # bars: the period each value covers, in x units


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round steps from zero up to at least ``top`` (1, 2, 2.5 or 5 × a power of ten)."""
    if not top or top <= 0 or math.isnan(top):
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks, value = [0.0], 0.0
    while value < top:
        value += step
        ticks.append(value)
    return ticks


def chart(
    kind: str,
    series: list[Series],
    x_ticks: Sequence[tuple[float, str]],
    fmt: Callable[[float], str],
    *,
    label: str,
    x_range: tuple[float, float] | None = None,
    y_max: float | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> str:
    """An SVG chart: ``kind`` is ``bar`` (grouped bars per x), ``line`` (joined points) or ``dots``.

    ``label`` is the chart's accessible name (its title in the reader's language); ``fmt`` writes the numbers
    of the y axis and value labels as the reader's locale does.
    """
    values = [y for s in series for y in s.ys if y is not None and not math.isnan(y)]
    ticks = nice_ticks(y_max if y_max is not None else max(values, default=0.0))
    xs = [x for s in series for x in s.xs] + [x for x, _ in x_ticks]
    lo, hi = x_range if x_range else (min(xs, default=0.0), max(xs, default=1.0))
    pad = 0.5 if kind == "bar" else (hi - lo) * 0.06 or 0.5
    lo, hi = lo - pad, hi + pad
    left, right = MARGIN["left"], width - MARGIN["right"]
    top, bottom = MARGIN["top"], height - MARGIN["bottom"]

    def sx(x: float) -> float:
        return left + (x - lo) / (hi - lo) * (right - left)

    def sy(y: float) -> float:
        return bottom - y / ticks[-1] * (bottom - top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(label)}" direction="ltr" class="chart">',
        f"<title>{escape(label)}</title>",
    ]
    for tick in ticks:
        y = sy(tick)
        parts.append(f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(_text(left - 5, y + 3.5, fmt(tick), anchor="end"))
    parts.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{AXIS}" stroke-width="1"/>')
    for x, text in x_ticks:
        parts.append(f'<line x1="{sx(x):.1f}" x2="{sx(x):.1f}" y1="{bottom}" y2="{bottom + 4}" stroke="{AXIS}"/>')
        parts.append(_text(sx(x), bottom + 16, text, anchor="middle"))
    if not values:
        parts.append("</svg>")
        return "".join(parts)
    draw = {"bar": _bars, "line": _lines, "dots": _dots}[kind]
    parts += draw(series, sx, sy, (sx(lo + 1) - sx(lo)) if kind == "bar" else 0.0)
    parts.append("</svg>")
    return "".join(parts)


def swatch(color: str, dashed: bool = False, shape: str = "bar") -> str:
    """A legend key (drawn, so it prints even where background colours are not printed)."""
    if shape == "line":
        dash = ' stroke-dasharray="4 3"' if dashed else ""
        body = f'<line x1="1" x2="21" y1="6" y2="6" stroke="{color}" stroke-width="2.5"{dash}/>'
    elif shape == "dot":
        body = f'<circle cx="6" cy="6" r="4.5" fill="{color}"/>'
    else:
        body = f'<rect x="1" y="1" width="10" height="10" fill="{color}"/>'
    width = 22 if shape == "line" else 12
    return f'<svg class="key" width="{width}" height="12" viewBox="0 0 {width} 12" aria-hidden="true">{body}</svg>'


def _text(x: float, y: float, text: str, anchor: str = "middle", weight: str = "normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="9.5" fill="{TEXT}" text-anchor="{anchor}" '
        f'font-weight="{weight}">{escape(text)}</text>'
    )


def _bars(series: list[Series], sx, sy, unit: float) -> list[str]:
    """Grouped bars: each x's slot (one unit, or the value's period) shared by the series side by side."""
    parts = []
    for i, s in enumerate(series):
        for j, (x, y) in enumerate(zip(s.xs, s.ys, strict=True)):
            if y is None or math.isnan(y):
                continue
            slot = unit * (s.widths[j] if j < len(s.widths) else 1.0)
            band = slot * 0.8 / max(len(series), 1)
            x0 = sx(x) - slot * 0.4 + i * band
            top = sy(y)
            parts.append(
                f'<rect x="{x0:.1f}" y="{top:.1f}" width="{band * 0.92:.1f}" height="{sy(0) - top:.1f}" '
                f'fill="{s.color}"/>'
            )
            if j < len(s.labels) and s.labels[j]:
                parts.append(_text(x0 + band * 0.46, top - 3, s.labels[j]))
    return parts


def _lines(series: list[Series], sx, sy, _slot: float) -> list[str]:
    parts = []
    for s in series:
        run: list[str] = []
        for x, y in [*zip(s.xs, s.ys, strict=True), (None, None)]:
            if x is None or y is None or math.isnan(y):  # a gap in the figures stays a gap in the line
                if len(run) > 1:
                    dash = ' stroke-dasharray="5 3"' if s.dashed else ""
                    parts.append(
                        f'<polyline points="{" ".join(run)}" fill="none" stroke="{s.color}" stroke-width="2"{dash}/>'
                    )
                run = []
                continue
            run.append(f"{sx(x):.1f},{sy(y):.1f}")
    return parts + _dots(series, sx, sy, 0.0, radius=2.6)


def _dots(series: list[Series], sx, sy, _slot: float, radius: float = 4.0) -> list[str]:
    parts = []
    labelled_at: list[float] = []  # where labels already stand: a close neighbour's label goes below its dot
    for s in series:
        for j, (x, y) in enumerate(zip(s.xs, s.ys, strict=True)):
            if y is None or math.isnan(y):
                continue
            open_ = j < len(s.hollow) and s.hollow[j]
            fill = "white" if open_ else s.color
            parts.append(
                f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="{radius}" fill="{fill}" stroke="{s.color}" '
                f'stroke-width="1.6"/>'
            )
            if j < len(s.labels) and s.labels[j]:
                crowded = any(abs(sx(x) - other) < 46 for other in labelled_at)
                parts.append(_text(sx(x), sy(y) + radius + 11 if crowded else sy(y) - radius - 3, s.labels[j]))
                labelled_at.append(sx(x))
    return parts
