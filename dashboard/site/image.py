"""A chart as a picture that carries its source: SVG drawn from the chart's own plotly spec, PNG rasterised from it.

Readers share images on messaging apps and social networks, where the page around a chart is lost; so the title,
the source line, the release version and date and the chart's address are drawn into the image (a footer, as
Our World in Data does), not only written beside it.

The SVG is written here from the plotly figure spec the registry builds (bars, lines, points and panels, the
same numbers the page draws with plotly.js), so no browser is needed; the PNG is that SVG rasterised by resvg
(``resvg-py``, a self-contained wheel) with the fonts that ship with the dashboard (Noto Naskh Arabic for Urdu,
DejaVu Sans for Latin text), never the machine's own, so the same release gives the same picture anywhere. An
Urdu line that mixes in Latin names or digits is laid out here run by run (each run measured by rendering it), as
resvg mixes up glyphs when one text element switches fonts between right-to-left and left-to-right runs.
Every text is escaped: a label from data is drawn as text, never read as markup.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from html import escape
from pathlib import Path

import numpy as np
import resvg_py
from PIL import Image

FONTS = Path(__file__).resolve().parent.parent / "assets" / "fonts"
FONT_FILES = [FONTS / "DejaVuSans.ttf", FONTS / "NotoNaskhArabic-Regular.ttf"]
LATIN = "'DejaVu Sans'"
URDU = "'Noto Naskh Arabic', 'DejaVu Sans'"
WIDTH = 1000
PANEL_HEIGHT = 300
INK, MUTED, GRID, AXIS = "#1f1f1f", "#4a4a4a", "#e5e5e5", "#444444"
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")


@dataclass(frozen=True)
class Footer:
    """What travels with the picture: where the figures come from and which release and page they belong to."""

    source: str  # "Source: PIPS; PICSS …"
    release: str  # "Dataset version abc123, 3 December 2026"
    address: str  # the chart's page on the site


def _values(raw) -> list:
    if raw is None:
        return []
    if isinstance(raw, np.ndarray):
        return [None if (isinstance(v, float) and math.isnan(v)) else v for v in raw.tolist()]
    if isinstance(raw, dict):  # plotly's typed array (``bdata``)
        return _values(np.frombuffer(__import__("base64").b64decode(raw["bdata"]), dtype=raw["dtype"]))
    return list(raw)


def _number(value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def _time(value) -> float | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value).timestamp() * 1000
    except ValueError:
        return None


def _color(trace: dict, index: int) -> str:
    for holder in (trace.get("marker") or {}, trace.get("line") or {}):
        color = holder.get("color")
        if isinstance(color, str):
            return color
    return PALETTE[index % len(PALETTE)]


def _fmt(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if abs(value) >= 1_000:
        return f"{value / 1_000:g}k"
    return f"{value:g}"


def _ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(lo / step) * step
    ticks, value = [], start
    while value <= hi + step * 0.001:
        ticks.append(round(value, 10))
        value += step
    return ticks


class _Panel:
    """One subplot: the traces on one y axis, each with its points on a shared x (time, number or category)."""

    def __init__(self, axis: str, layout: dict) -> None:
        self.axis = axis
        self.traces: list[dict] = []
        self.layout = layout.get("yaxis" + axis.removeprefix("y"), {}) or {}
        self.title = ""

    @property
    def top(self) -> float:
        domain = self.layout.get("domain") or [0, 1]
        return float(domain[1])


def _panels(spec: dict) -> list[_Panel]:
    layout = spec.get("layout", {})
    panels: dict[str, _Panel] = {}
    for trace in spec.get("data", []):
        if trace.get("type") in ("choropleth", "choroplethmap", "choroplethmapbox"):
            trace = _map_as_bars(trace)  # a map drawn as its values by place, largest first
        if trace.get("type", "scatter") not in ("bar", "scatter"):
            continue
        axis = trace.get("yaxis", "y")
        panels.setdefault(axis, _Panel(axis, layout)).traces.append(trace)
    ordered = sorted(panels.values(), key=lambda p: -p.top)
    titles = [a for a in layout.get("annotations", []) if a.get("yref") == "paper" and a.get("xref") == "paper"]
    for panel in ordered:  # a subplot title sits on its panel's top edge
        for note in titles:
            if abs(float(note.get("y", -1)) - panel.top) < 1e-6:
                panel.title = str(note.get("text", ""))
    return ordered


def _map_as_bars(trace: dict) -> dict:
    """A map trace's values by place as horizontal bars (the picture keeps the numbers, not the polygons)."""
    places = _values(trace.get("text")) or _values(trace.get("locations"))
    pairs = [(str(p), _number(v)) for p, v in zip(places, _values(trace.get("z")), strict=False)]
    pairs = sorted((pair for pair in pairs if pair[1] is not None), key=lambda pair: -(pair[1] or 0.0))
    return {
        "type": "bar",
        "orientation": "h",
        "y": [p for p, _v in pairs],
        "x": [v for _p, v in pairs],
        "name": trace.get("name") or "",
        "marker": {"color": "#0072B2"},
    }


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: float = 13,
    anchor: str = "start",
    fill: str = INK,
    rtl=False,
    weight: str = "normal",
    family: str = LATIN,
) -> str:
    """One line of text. A right-to-left line that mixes Arabic script with Latin letters or digits is laid out
    here run by run, each run in its own font and element: resvg draws a glyph of one font with the other when
    one text element switches fonts between bidirectional runs (a Latin "U" inside an Urdu word)."""
    if rtl and _LATIN.search(text) and _ARABIC.search(text):
        return _mixed_line(x, y, text, size=size, anchor=anchor, fill=fill, weight=weight)
    if rtl and _ARABIC.search(text):
        family = "Noto Naskh Arabic"
    elif rtl:
        family = LATIN
    direction = ' direction="rtl" unicode-bidi="embed"' if rtl else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{escape(family)}" font-size="{size}" fill="{fill}" '
        f'text-anchor="{anchor}" font-weight="{weight}"{direction}>{escape(text)}</text>'
    )


_ARABIC_LETTERS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_ARABIC = re.compile(f"[{_ARABIC_LETTERS}]")
_LATIN = re.compile(r"[A-Za-z0-9]")
#: A left-to-right run inside a right-to-left line: from a Latin letter or digit to the last one (a closing
#: bracket or % included), with anything but Arabic letters between; spaces and other neutrals around it stay
#: with the right-to-left text, as the bidirectional algorithm places them.
_LTR_RUN = re.compile(f"[A-Za-z0-9][^{_ARABIC_LETTERS}]*[A-Za-z0-9)\\]%]|[A-Za-z0-9]")


def _mixed_line(x: float, y: float, text: str, *, size: float, anchor: str, fill: str, weight: str) -> str:
    runs: list[tuple[bool, str]] = []  # (left to right?, text), in logical order
    cursor = 0
    for match in _LTR_RUN.finditer(text):
        if match.start() > cursor:
            runs.append((False, text[cursor : match.start()]))
        runs.append((True, match.group()))
        cursor = match.end()
    if cursor < len(text):
        runs.append((False, text[cursor:]))
    space = size * 0.28
    split: list[tuple[bool, str]] = []
    for ltr, part in runs:  # punctuation at the edges of a right-to-left run is placed by the line, not the run
        edges = None if ltr else _EDGES.match(part)
        if edges and (edges.group(1).strip() or edges.group(3).strip()):
            split += [(True, edges.group(1)), (False, edges.group(2)), (True, edges.group(3))]
        else:
            split.append((ltr, part))
    pieces = [  # each piece without its outer spaces, which become gaps of their own
        (ltr, part.strip(), space * (len(part) - len(part.lstrip())), space * (len(part) - len(part.rstrip())))
        for ltr, part in split
        if part
    ]
    widths = [lead + _width(core, ltr, size) + trail for ltr, core, lead, trail in pieces]
    total = sum(widths)
    if anchor == "middle":
        right = x + total / 2
    elif anchor == "end":
        right = x
    else:  # a right-to-left line starts at its right edge
        right = x + total if x < WIDTH / 2 else x
    parts = []
    for ltr, core, lead, trail in pieces:  # logical order runs from right to left
        right -= lead
        if core:
            family = "Noto Naskh Arabic" if _ARABIC.search(core) else "DejaVu Sans"
            direction = "" if ltr else ' direction="rtl" unicode-bidi="embed"'
            parts.append(
                f'<text x="{right:.1f}" y="{y:.1f}" font-family="{family}" font-size="{size}" fill="{fill}" '
                f'text-anchor="end" font-weight="{weight}"{direction}>{escape(core)}</text>'
            )
            right -= _width(core, ltr, size)
        right -= trail
    return "".join(parts)


_EDGES = re.compile(r"^([\s:;,./\-–،؛۔]*)(.*?)([\s:;,./\-–،؛۔]*)$", re.DOTALL)


@lru_cache(maxsize=4096)
def _width(core: str, ltr: bool, size: float) -> float:
    """How wide ``core`` (no outer spaces) is drawn in its font: measured by rendering it alone (ink from its
    first to its last pixel, at twice the size), plus a little side bearing."""
    if not core:
        return 0.0
    family = "Noto Naskh Arabic" if _ARABIC.search(core) else "DejaVu Sans"
    direction = "" if ltr else ' direction="rtl" unicode-bidi="embed"'
    box = int(size * (len(core) + 4))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{box}" height="{int(size * 2.5)}">'
        f'<text x="{box - size:.1f}" y="{size * 1.6:.1f}" font-family="{family}" font-size="{size}" '
        f'text-anchor="end"{direction}>{escape(core)}</text></svg>'
    )
    pixels = np.asarray(Image.open(io.BytesIO(png(svg, zoom=2.0))).convert("L"))
    columns = np.flatnonzero((pixels < 200).any(axis=0))
    ink = (columns[-1] - columns[0] + 1) / 2.0 if columns.size else 0.0
    return float(ink) + size * 0.1


def _wrap(text: str, limit: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > limit:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def chart_svg(spec: dict, title: str, subtitle: str, footer: Footer, *, rtl: bool = False) -> str:
    """The chart as a standalone SVG: title, subtitle, one panel per subplot, legend, and the footer."""
    family = URDU if rtl else LATIN
    panels = _panels(spec)
    horizontal = any(t.get("orientation") == "h" for p in panels for t in p.traces)
    categories = _categories(panels, horizontal)
    panel_height = max(PANEL_HEIGHT, 34 * len(categories) + 40) if horizontal else PANEL_HEIGHT
    edge = WIDTH - 30 if rtl else 30
    anchor = "end" if rtl else "start"
    weight = "normal" if rtl else "bold"  # the Naskh font ships in one weight: no faked bold for Urdu
    head = [
        _text(edge, 42 + 30 * i, line, size=22, anchor=anchor, rtl=rtl, weight=weight, family=family)
        for i, line in enumerate(_wrap(title, 70)[:2])
    ]
    y = 42 + 30 * len(head) - 4
    if subtitle:
        head.append(_text(edge, y, subtitle, size=14, anchor=anchor, fill=MUTED, rtl=rtl, family=family))
        y += 18
    body: list[str] = []
    legend: dict[str, str] = {}
    if not panels:
        body.append(_text(WIDTH / 2, y + 80, "—", size=40, anchor="middle", fill=MUTED))
        y += 160
    for index, panel in enumerate(panels):
        if panel.title:
            body.append(_text(WIDTH / 2, y + 18, panel.title, size=14, anchor="middle", rtl=rtl, family=family))
            y += 24
        top, bottom = y + 10, y + panel_height - 40
        body += _draw_panel(panel, spec.get("layout", {}), categories, horizontal, top, bottom, legend, index)
        y += panel_height
    x = 70.0
    for name, color in legend.items():
        label = name if len(name) <= 60 else name[:59] + "…"
        width = 26 + 7.5 * len(label)
        if x + width > WIDTH - 30:
            y += 22
            x = 70
        body.append(f'<rect x="{x}" y="{y + 2}" width="14" height="10" fill="{escape(color)}"/>')
        body.append(_text(x + 20, y + 12, label, size=12, family=family, rtl=rtl))
        x += width + 16
    y += 34 if legend else 10
    foot = [f'<line x1="30" x2="{WIDTH - 30}" y1="{y}" y2="{y}" stroke="#bbbbbb"/>']
    y += 22
    for line in [*_wrap(footer.source, 110)[:3], footer.release]:
        foot.append(_text(edge, y, line, size=13, anchor=anchor, fill=MUTED, rtl=rtl, family=family))
        y += 19
    foot.append(_text(edge, y, footer.address, size=13, anchor=anchor, fill="#0b5cad"))
    height = int(y + 22)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        f'<rect width="{WIDTH}" height="{height}" fill="white"/>' + "".join(head + body + foot) + "</svg>\n"
    )


def _categories(panels: list[_Panel], horizontal: bool) -> list[str]:
    seen: dict[str, None] = {}
    for panel in panels:
        for trace in panel.traces:
            for value in _values(trace.get("y" if horizontal else "x")):
                if value is not None and _time(value) is None and _number(value) is None:
                    seen[str(value)] = None
    return list(seen)


def _draw_panel(panel, layout, categories, horizontal, top, bottom, legend, panel_index) -> list[str]:
    """Axes, grid and marks of one panel; a vertical chart runs time (or categories) left to right."""
    left, right = 90, WIDTH - 30
    if horizontal:
        left = 230
    value_axis = (layout.get("xaxis") if horizontal else panel.layout) or {}
    log = value_axis.get("type") == "log"
    points = []  # (trace index, position value or category, number)
    for i, trace in enumerate(panel.traces):
        xs, ys = _values(trace.get("x")), _values(trace.get("y"))
        positions, numbers = (ys, xs) if horizontal else (xs, ys)
        for position, number in zip(positions, numbers, strict=False):
            points.append((i, position, _number(number)))
    numbers = [n for _, _, n in points if n is not None and (n > 0 or not log)]
    parts: list[str] = []
    if not numbers:
        return [_text((left + right) / 2, (top + bottom) / 2, "—", size=30, anchor="middle", fill=MUTED)]
    hi: float
    if log:
        lo, hi = math.floor(math.log10(min(numbers))), math.ceil(math.log10(max(numbers)))
        ticks = [float(10**e) for e in range(lo, max(hi, lo + 1) + 1)]

        def scale(v: float) -> float:
            return (math.log10(max(v, ticks[0])) - lo) / ((max(hi, lo + 1)) - lo)
    else:
        fixed = value_axis.get("range")
        hi = float(fixed[1]) if fixed else max(max(numbers), 0.0)
        lo_value = min(min(numbers), 0.0)
        ticks = _ticks(lo_value, hi)

        def scale(v: float) -> float:
            return (v - ticks[0]) / ((ticks[-1] - ticks[0]) or 1)

    # Position axis: time in ms, plain numbers, or categories in order.
    kinds = {
        ("time" if _time(p) is not None else "number" if _number(p) is not None else "category")
        for _, p, _ in points
        if p is not None
    }
    if kinds == {"time"}:
        where = {p: _time(p) for _, p, _ in points if p is not None}
    elif kinds == {"number"}:
        where = {p: _number(p) for _, p, _ in points if p is not None}
    else:
        where = {
            p: float(categories.index(str(p))) if str(p) in categories else 0.0 for _, p, _ in points if p is not None
        }
    spots = [v for v in where.values() if v is not None]
    p_lo, p_hi = min(spots), max(spots)
    pad = (p_hi - p_lo) * 0.04 or 0.5
    if kinds not in ({"time"}, {"number"}):
        pad = 0.5
    p_lo, p_hi = p_lo - pad, p_hi + pad
    bar_traces = [t for t in panel.traces if t.get("type") == "bar"]
    stacked = layout.get("barmode") == "stack"

    def pos(p) -> float:  # pixel along the position axis
        spot = where.get(p)
        share = ((spot if spot is not None else p_lo) - p_lo) / ((p_hi - p_lo) or 1)
        return top + share * (bottom - top) if horizontal else left + share * (right - left)

    def val(v: float) -> float:  # pixel along the value axis
        share = scale(v)
        return left + share * (right - left) if horizontal else bottom - share * (bottom - top)

    for tick in ticks:
        at = val(tick)
        if horizontal:
            parts.append(f'<line x1="{at:.1f}" x2="{at:.1f}" y1="{top}" y2="{bottom}" stroke="{GRID}"/>')
            parts.append(_text(at, bottom + 18, _fmt(tick), size=12, anchor="middle", fill=MUTED))
        else:
            parts.append(f'<line x1="{left}" x2="{right}" y1="{at:.1f}" y2="{at:.1f}" stroke="{GRID}"/>')
            parts.append(_text(left - 8, at + 4, _fmt(tick), size=12, anchor="end", fill=MUTED))
    if horizontal:
        parts.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{bottom}" stroke="{AXIS}"/>')
        for name in categories:
            parts.append(
                _text(left - 8, pos(name) + 4, name if len(name) <= 34 else name[:33] + "…", size=12, anchor="end")
            )
    else:
        parts.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{AXIS}"/>')
        parts += _position_ticks(kinds, where, pos, bottom, p_lo, p_hi, categories)
    slot = (bottom - top if horizontal else right - left) / max(len(set(where.values())), 1)
    base: dict[tuple, float] = {}
    for i, trace in enumerate(panel.traces):
        color = _color(trace, panel_index * 3 + i)
        name = str(trace.get("name") or "")
        if name and trace.get("showlegend", True) is not False:
            legend.setdefault(name, color)
        mine = [(p, n) for j, p, n in points if j == i and p is not None and n is not None]
        if trace.get("type") == "bar":
            widths = _values(trace.get("width")) if not isinstance(trace.get("width"), int | float) else []
            group = 1 if stacked else max(len(bar_traces), 1)
            k = 0 if stacked else next(n for n, t in enumerate(bar_traces) if t is trace)
            for idx, (p, n) in enumerate(mine):
                size = slot * 0.8
                span = _number(widths[idx]) if kinds == {"time"} and idx < len(widths) else None
                if span:
                    size = span / ((p_hi - p_lo) or 1) * ((bottom - top) if horizontal else (right - left))
                band = size / group
                centre = pos(p) - size / 2 + band * k + band / 2
                start = (
                    base.get((panel.axis, p, n >= 0), ticks[0] if log else 0.0)
                    if stacked
                    else (ticks[0] if log else 0.0)
                )
                end = start + n if stacked else n
                if stacked:
                    base[(panel.axis, p, n >= 0)] = end
                a, b = sorted((val(start), val(end)))
                if horizontal:
                    parts.append(
                        f'<rect x="{a:.1f}" y="{centre - band / 2:.1f}" width="{b - a:.1f}" '
                        f'height="{band * 0.92:.1f}" fill="{escape(color)}"/>'
                    )
                else:
                    parts.append(
                        f'<rect x="{centre - band / 2:.1f}" y="{a:.1f}" width="{band * 0.92:.1f}" '
                        f'height="{b - a:.1f}" fill="{escape(color)}"/>'
                    )
            continue
        mode = str(trace.get("mode") or "lines+markers")
        spots_px = [((val(n), pos(p)) if horizontal else (pos(p), val(n))) for p, n in mine]
        if "lines" in mode and len(spots_px) > 1:
            dash = (trace.get("line") or {}).get("dash")
            pattern = ' stroke-dasharray="3 4"' if dash in ("dot", "dash", "dashdot") else ""
            parts.append(
                f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in spots_px)}" fill="none" '
                f'stroke="{escape(color)}" stroke-width="2.5"{pattern}/>'
            )
        if "markers" in mode:
            symbol = str((trace.get("marker") or {}).get("symbol") or "")
            fill = "white" if "open" in symbol else escape(color)
            for x, y in spots_px:
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{fill}" stroke="{escape(color)}" '
                    'stroke-width="2"/>'
                )
        if "text" in mode:
            labels = _values(trace.get("text"))
            for (x, y), label in zip(spots_px, [lab for (p, n), lab in zip(mine, labels, strict=False)], strict=False):
                if label:
                    parts.append(_text(x, y - 9, str(label), size=11, anchor="middle", fill=MUTED))
    return parts


def _position_ticks(kinds, where, pos, bottom, p_lo, p_hi, categories) -> list[str]:
    parts = []
    if kinds == {"time"}:
        first, last = datetime.fromtimestamp(p_lo / 1000).year, datetime.fromtimestamp(p_hi / 1000).year
        step = max(1, math.ceil((last - first + 1) / 12))
        for year in range(first + 1, last + 1, step):
            at = datetime(year, 1, 1).timestamp() * 1000
            parts.append(_tick(pos_of(at, p_lo, p_hi, pos, where), bottom, str(year)))
    elif kinds == {"number"}:
        for tick in _ticks(p_lo, p_hi, 8):
            if p_lo <= tick <= p_hi:
                parts.append(_tick(pos_of(tick, p_lo, p_hi, pos, where), bottom, _fmt(tick)))
    else:
        step = max(1, math.ceil(len(categories) / 14))
        for name in categories[::step]:
            parts.append(_tick(pos(name), bottom, name[:14]))
    return parts


def pos_of(value: float, p_lo: float, p_hi: float, pos, where) -> float:
    """The pixel of a position value that is not one of the data's own (a year boundary, a round number)."""
    key = object()
    where[key] = value
    try:
        return pos(key)
    finally:
        del where[key]


def _tick(x: float, bottom: float, label: str) -> str:
    return f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{bottom}" y2="{bottom + 5}" stroke="{AXIS}"/>' + _text(
        x, bottom + 20, label, size=12, anchor="middle", fill=MUTED
    )


def png(svg: str, zoom: float = 1.0) -> bytes:
    """The SVG rasterised by resvg with the shipped fonts only (the machine's own fonts are never used)."""
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            skip_system_fonts=True,
            font_files=[str(path) for path in FONT_FILES],
            font_family="DejaVu Sans",
            sans_serif_family="DejaVu Sans",
            zoom=zoom,
            background="#ffffff",
        )
    )


def text_of(svg: str) -> Sequence[str]:
    """The texts drawn in an SVG (its text layer), for checks."""
    from html import unescape

    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.DOTALL)
    return [unescape(re.sub(r"</?tspan[^>]*>", "", t)) for t in texts]
