"""A chart in words, for readers who cannot see it: what it shows, the latest value and the trend.

Pure: a chart's table in, one or two sentences out, in the reader's language. Every chart block prints
it under the chart (and screen readers reach it before the plot), next to the Table tab that holds the
exact numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import i18n
from dashboard.i18n import _

MAX_SERIES = 4


@dataclass(frozen=True)
class Summary:
    """Which columns of a chart's table say what: the value, when (or None for a ranking), the series."""

    value: str
    when: str | None = None
    series: str | tuple[str, ...] | None = None  # one column, or several naming a series together
    order: str | None = None  # column to sort time by when ``when`` is a label (e.g. as_of for date_label)
    percent: bool = False


def describe(table: pd.DataFrame, spec: Summary) -> str:
    """The chart's latest value and trend per series (largest series first), or its ranking."""
    if spec.value not in table or table[spec.value].dropna().empty:
        return _("No figures for this selection.")
    rows = table[table[spec.value].notna()]
    if spec.when is None:
        return _ranking(rows, spec)
    keys = [spec.series] if isinstance(spec.series, str) else list(spec.series or ())
    groups = [(None, rows)] if not keys else list(rows.groupby(keys, sort=False))
    fmt = _percent if spec.percent else _number
    pieces = []
    for name, part in groups:
        part = part.sort_values(spec.order or spec.when)
        latest = part.iloc[-1]
        piece = _("{value} in {when}").format(
            value=i18n.qualified(latest[spec.value], _kind(latest, spec), fmt(latest[spec.value])),
            when=_text(latest[spec.when]),
        )
        # A comparison in words is made only between two exact figures of the same series (the series keys
        # carry the source, definition and region): never with an approximate or lower-bound figure.
        if len(part) >= 2 and not _kind(latest, spec) and not _kind(part.iloc[-2], spec):
            previous = part.iloc[-2]
            change = latest[spec.value] - previous[spec.value]
            template = (
                _("up from {value} in {when}")
                if change > 0
                else _("down from {value} in {when}")
                if change < 0
                else _("unchanged from {when}")
            )
            piece += ", " + template.format(value=fmt(previous[spec.value]), when=_text(previous[spec.when]))
        label = None if name is None else " / ".join(_text(n) for n in (name if isinstance(name, tuple) else (name,)))
        pieces.append((latest[spec.value], piece if label is None else f"{label}: {piece}"))
    pieces.sort(key=lambda p: -float(p[0]))
    shown = [p for _, p in pieces[:MAX_SERIES]]
    more = len(pieces) - len(shown)
    text = _("Latest: {pieces}.").format(pieces="; ".join(shown))
    if more > 0:
        text += " " + i18n.ngettext("{n} more series in the table.", "{n} more series in the table.", more).format(
            n=i18n.num(more)
        )
    return text


def _ranking(rows: pd.DataFrame, spec: Summary) -> str:
    label = (spec.series if isinstance(spec.series, str) else (spec.series or (None,))[0]) or rows.columns[0]
    ordered = rows.sort_values(spec.value, ascending=False)
    top, bottom = ordered.iloc[0], ordered.iloc[-1]
    text = _("Highest: {name} ({value}).").format(name=_text(top[label]), value=_number(top[spec.value]))
    if len(ordered) > 1:
        text += " " + _("Lowest: {name} ({value}).").format(
            name=_text(bottom[label]), value=_number(bottom[spec.value])
        )
    return text


def _kind(row: pd.Series, spec: Summary) -> str | None:
    """How the source gave the row's figure: "lower_bound", "approx", or None when it is exact."""
    qualifier = row.get(f"{spec.value}_qualifier", row.get("value_kind"))
    if isinstance(qualifier, str) and qualifier and qualifier != "exact":
        return "lower_bound" if qualifier == "lower_bound" else "approx"
    approx = row.get("approx")
    if (
        f"{spec.value}_qualifier" not in row
        and "value_kind" not in row
        and approx is not None
        and not pd.isna(approx)
        and bool(approx)
    ):
        return "approx"
    return None


def _percent(value) -> str:
    return i18n.pct(float(value), 1)


def _number(value) -> str:
    value = float(value)
    return i18n.num(value, 0 if value.is_integer() else 1)


def _text(value) -> str:
    if isinstance(value, pd.Timestamp):
        return i18n.month(value)
    if i18n.current() != i18n.DEFAULT:  # "2025 H1" in words: "2025 کی پہلی ششماہی"
        return str(i18n.period_words(value))
    return str(value)
