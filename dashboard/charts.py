"""Charts: pure functions from a DataFrame (as the queries return it) to a plotly figure spec.

No Streamlit here and no data access: the same frame that is drawn is the one shown as a table and
offered as CSV. Suppressed values (``<10``) and approximate ones (≈) are drawn and labelled as such.

The builders write plotly's figure spec as plain dicts (``Chart``) rather than through plotly's graph
objects, which check every property as it is set: 40–50 ms for a chart of a dozen bars, most of a page's
CPU whenever a reader picks a new period. The spec is the same, and it is still checked against plotly's
schema: once when it is built into the chart cache (``validated``, a few ms), and for every builder in
``tests/dashboard/test_charts.py``, so a misspelt property fails where the spec is made.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.colors import SEQUENCE, SOURCE_ORG_COLORS, SUPPRESSED_COLOR, platform_color
from dashboard.i18n import N_, _

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"  # no web fonts fetched
# The note every page with takedowns and incidents on one axis shows (translated where it is shown).
NOT_CAUSE = N_("Takedowns and incidents on one timeline: co-movement is not evidence that one causes the other.")


def _plain(values) -> list | np.ndarray:
    """Data for a spec: numbers as numpy arrays (plotly ships them base64-encoded), dates as ISO text,
    text as a list with None for a missing value; a DataFrame (``customdata``) as a list of rows."""
    if isinstance(values, pd.DataFrame):
        columns = [_plain(values[c]) for c in values.columns]
        return [list(row) for row in zip(*(list(c) for c in columns), strict=True)]
    if isinstance(values, (pd.Series, pd.Index)):
        if pd.api.types.is_datetime64_any_dtype(values.dtype):
            return [None if pd.isna(t) else t.isoformat() for t in values]
        if pd.api.types.is_bool_dtype(values.dtype) and not values.hasnans:
            return values.to_numpy(dtype=bool)
        if pd.api.types.is_numeric_dtype(values.dtype):
            return values.to_numpy(dtype=float, na_value=np.nan)
        return [None if pd.isna(v) else _scalar(v) for v in values]
    if isinstance(values, np.ndarray):
        return values
    if isinstance(values, (list, tuple)):
        return [_scalar(v) for v in values]
    return values


def _scalar(value):
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    return value


_DATA_KEYS = {"x", "y", "z", "text", "customdata", "width", "locations"}
_AXIS_KEY = re.compile(r"^[xy]axis\d*$")


def _merge(target: dict, changes: dict) -> dict:
    """Plotly's update semantics on dicts: nested dicts merge, None removes a property."""
    for key, value in changes.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = dict(value) if isinstance(value, dict) else value
    return target


class Chart:
    """The part of plotly's Figure API the builders use (``add_bar``, ``update_layout``, subplots in rows …),
    writing the figure spec as plain dicts. ``figure()`` hands the finished spec to plotly once.

    It refuses what it does not implement rather than writing a spec that fails when drawn: subplots come in
    one column only (no ``cols`` above 1, no ``col``), and axis updates apply to every axis of a letter (no
    ``row``, ``col`` or ``selector``)."""

    def __init__(
        self,
        rows: int = 1,
        cols: int = 1,
        *,
        shared_xaxes: bool = False,
        vertical_spacing: float = 0.2,
        subplot_titles=(),
    ):
        if cols != 1:
            raise ValueError(f"Chart lays subplots out in one column only; cols={cols!r} is not supported")
        if not isinstance(rows, int) or rows < 1:
            raise ValueError(f"Chart needs at least one row of subplots; rows={rows!r}")
        self.data: list[dict] = []
        self.layout: dict = {}
        self.rows = rows
        if rows == 1 and not subplot_titles:
            return
        # As plotly's make_subplots(rows=n, cols=1) lays them out: equal heights, row 1 on top.
        height = (1 - vertical_spacing * (rows - 1)) / rows
        for row in range(1, rows + 1):
            top = 1 - (row - 1) * (height + vertical_spacing)
            suffix = "" if row == 1 else str(row)
            xaxis: dict[str, object] = {"anchor": f"y{suffix}", "domain": [0.0, 1.0]}
            if shared_xaxes and row < rows:
                xaxis |= {"matches": f"x{rows}", "showticklabels": False}
            self.layout[f"xaxis{suffix}"] = xaxis
            self.layout[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "domain": [max(top - height, 0.0), top]}
            if row <= len(subplot_titles):
                self.add_annotation(
                    text=subplot_titles[row - 1],
                    x=0.5,
                    xanchor="center",
                    xref="paper",
                    y=top,
                    yanchor="bottom",
                    yref="paper",
                    showarrow=False,
                    font={"size": 16},
                )

    def add_trace(self, trace: dict, row: int | None = None, **refused) -> Chart:
        if refused:
            raise TypeError(
                f"Chart.add_trace does not implement {', '.join(sorted(refused))}: subplots come in one column, "
                "give the row only"
            )
        if row is not None and not 1 <= row <= self.rows:
            raise ValueError(f"row={row!r} is outside this chart's {self.rows} row(s) of subplots")
        trace = {k: (_plain(v) if k in _DATA_KEYS else v) for k, v in trace.items() if v is not None}
        for key in [k for k in trace if k.startswith("marker_")]:  # plotly's magic underscores: marker_color
            *path, last = key.split("_")
            node = trace
            for part in path:
                node = node.setdefault(part, {})
            node[last] = trace.pop(key)
        if row:
            suffix = "" if row == 1 else str(row)
            trace |= {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
        self.data.append(trace)
        return self

    def add_bar(self, row: int | None = None, **props) -> Chart:
        _refuse("add_bar", props, "subplots come in one column: give the row only")
        return self.add_trace({"type": "bar", **props}, row)

    def add_scatter(self, row: int | None = None, **props) -> Chart:
        _refuse("add_scatter", props, "subplots come in one column: give the row only")
        return self.add_trace({"type": "scatter", **props}, row)

    def add_annotation(self, **props) -> Chart:
        self.layout.setdefault("annotations", []).append(props)
        return self

    def update_layout(self, **props) -> Chart:
        _merge(self.layout, props)
        return self

    def _update_axes(self, letter: str, props: dict) -> Chart:
        _refuse(f"update_{letter}axes", props, "it updates every axis; set one axis with update_layout")
        keys = [k for k in self.layout if _AXIS_KEY.match(k) and k.startswith(letter)] or [f"{letter}axis"]
        for key in keys:
            _merge(self.layout.setdefault(key, {}), props)
        return self

    def update_xaxes(self, **props) -> Chart:
        return self._update_axes("x", props)

    def update_yaxes(self, **props) -> Chart:
        return self._update_axes("y", props)

    def spec(self) -> dict:
        spec = {"data": self.data, "layout": self.layout}
        return _localised_axes(spec) if i18n.current() != i18n.DEFAULT else spec


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _localised_axes(spec: dict) -> dict:
    """Time axes in the reader's language: plotly.js writes month names in English only (its locales are not
    shipped with Streamlit), so a date axis gets its ticks as text (years, or Urdu month names for a short span)
    and numbers in full with Latin digits, the app's one digit style (no "k" or "M"). Time still runs left to
    right."""
    dates: dict[str, list[pd.Timestamp]] = {}
    for trace in spec["data"]:
        xs = trace.get("x")
        if isinstance(xs, list) and any(isinstance(v, str) and _ISO_DATE.match(v) for v in xs):
            axis = "xaxis" + str(trace.get("xaxis", "x"))[1:]
            dates.setdefault(axis, []).extend(pd.Timestamp(v) for v in xs if isinstance(v, str) and _ISO_DATE.match(v))
    every = [v for values in dates.values() for v in values]  # one set of ticks: panels may share their axis
    for axis in dates:
        layout = spec["layout"].setdefault(axis, {})
        if "tickvals" in layout:
            continue
        ticks, text = _date_ticks(min(every), max(every))
        layout |= {"type": "date", "tickmode": "array", "tickvals": ticks, "ticktext": text, "hoverformat": "%Y-%m-%d"}
    for key in [k for k in spec["layout"] if k.startswith("yaxis")] or ["yaxis"]:
        axis = spec["layout"].setdefault(key, {})
        if "tickformat" not in axis:
            axis |= {"exponentformat": "none", "separatethousands": True}
    return spec


def _date_ticks(first: pd.Timestamp, last: pd.Timestamp) -> tuple[list[str], list[str]]:
    """At most about ten ticks between two dates: whole years (by one, two, five …) for a span of three years or
    more, else months by one, two, three or six, each written as the reader's locale writes it."""
    if last.year - first.year >= 3:
        years = last.year - first.year + 1
        step = next(s for s in (1, 2, 5, 10, 20, 50) if years / s <= 10)
        start = first.year + (-first.year % step) if first.month == 1 and first.day == 1 else first.year + 1
        start += -start % step
        ticks = [pd.Timestamp(year, 1, 1) for year in range(start, last.year + 1, step)]
        return [t.strftime("%Y-%m-%d") for t in ticks], [str(t.year) for t in ticks]
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next(s for s in (1, 2, 3, 6, 12) if months / s <= 10)
    tick = pd.Timestamp(first.year, first.month, 1)
    if tick < first:
        tick += pd.DateOffset(months=1)
    ticks = []
    while tick <= last:
        if (tick.month - 1) % step == 0:
            ticks.append(tick)
        tick += pd.DateOffset(months=1)
    return [t.strftime("%Y-%m-%d") for t in ticks], [i18n.month(t) for t in ticks]


_REFUSED = ("row", "col", "selector")  # plotly's subplot selectors that Chart does not implement


def _refuse(method: str, given: dict, hint: str) -> None:
    """A TypeError naming the selector arguments ``method`` was given that Chart does not implement (plotly
    would honour them, and a spec that merely carried them would fail only when drawn)."""
    refused = sorted(k for k in given if k in _REFUSED)
    if refused:
        raise TypeError(f"Chart.{method} does not implement {', '.join(refused)}: {hint}")


def validated(spec: dict) -> dict:
    """``spec`` once it has passed plotly's full validation (``go.Figure(spec)``, a few ms), which raises on a
    misspelt property or a value of the wrong kind; the spec itself is returned unchanged. Run once per chart
    built into the cache, so a bad spec fails where it is made rather than in the reader's browser."""
    go.Figure({**spec, "data": [dict(trace) for trace in spec["data"]]})  # plotly pops and re-adds a trace's type
    return spec


def as_figure(spec: dict, boundaries: Callable[[], dict] | None = None) -> go.Figure:
    """A spec as a plotly Figure, unchecked (it was ``validated`` when it was built into the cache): what
    ``st.plotly_chart`` takes without validating the whole spec again on every page run (about 1 ms a chart
    instead of 8). Map traces get the province polygons here, and a spec with no trace at all (a period with no
    figure from any source) gets an empty one, which plotly needs to draw the axes and the note."""
    if not spec["data"]:
        spec = {**spec, "data": [{"type": "scatter", "x": [], "y": [], "showlegend": False}]}
    if boundaries is not None and any(t.get("geojson") == BOUNDARIES for t in spec["data"]):
        polygons = boundaries()
        data = [{**t, "geojson": polygons} if t.get("geojson") == BOUNDARIES else t for t in spec["data"]]
        spec = {**spec, "data": data}
    return go.Figure(spec, _validate=False)


def _layout(fig: Chart, title: str, y_title: str = "", x_title: str = "") -> Chart:
    rtl = i18n.is_rtl()  # Urdu: titles from the right, the shipped Naskh font first (time still runs left to right)
    fig.update_layout(
        title={"text": title, "x": 1 if rtl else 0, "xanchor": "right" if rtl else "left", "font": {"size": 16}},
        font={"family": ("'Noto Naskh Arabic', " if rtl else "") + FONT, "size": 13, "color": "#1f1f1f"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0, "title": None},
        hovermode="x unified",
        separators=".,",
    )
    fig.update_xaxes(title=x_title or None, showgrid=False, linecolor="#444")
    fig.update_yaxes(title=y_title or None, gridcolor="#e5e5e5", zerolinecolor="#999", rangemode="tozero")
    return fig


def add_events(
    fig: Chart,
    events: pd.DataFrame | None,
    x_min=None,
    x_max=None,
    row=None,
    labelled: bool = True,
    top: float | None = None,
) -> Chart:
    """Dated events inside the plotted range as dotted vertical lines with labels, in two traces per panel.

    Drawn as traces (not layout shapes) so that the legend can hide them and so that a figure with many
    panels stays fast to build; ``top`` is the height of the lines in data units (default: the panel's maximum).
    """
    if events is None or events.empty:
        return fig
    dates = pd.to_datetime(events["event_date"])
    keep = pd.Series(True, index=events.index)
    if x_min is not None:
        keep &= dates >= pd.Timestamp(x_min)
    if x_max is not None:
        keep &= dates <= pd.Timestamp(x_max)
    if not keep.any():
        return fig
    if top is None:
        top = _panel_max(fig, row) or 1
    kept, when = events[keep], dates[keep]
    xs, ys = [], []
    for moment in when:
        xs += [moment, moment, None]
        ys += [0, top, None]
    place = {"row": row} if row else {}
    first = not any(t.get("legendgroup") == "events" for t in fig.data)
    fig.add_scatter(
        x=xs,
        y=ys,
        mode="lines",
        line={"dash": "dot", "color": "#6b6b6b", "width": 1},
        name=_("Events (hover a ▼ for what happened)"),
        legendgroup="events",
        showlegend=first,
        hoverinfo="skip",
        **place,
    )
    if labelled:
        fig.add_scatter(
            x=when,
            y=[top] * len(kept),
            mode="markers",  # the label shows on hover: printed labels collide when events are close
            marker={"symbol": "triangle-down", "size": 9, "color": "#6b6b6b"},
            legendgroup="events",
            showlegend=False,
            customdata=kept[["title", "event_date"]].astype(str),
            hovertemplate="%{customdata[1]}: %{customdata[0]}<extra></extra>",
            **place,
        )
    return fig


def _panel_max(fig: Chart, row: int | None) -> float:
    """Largest y value among the traces already drawn in a panel (row 1 or no subplots: the main axis)."""
    axis = "y" if not row or row == 1 else f"y{row}"
    tops = []
    for trace in fig.data:
        if (trace.get("yaxis") or "y") == axis and trace.get("y") is not None:
            values = pd.to_numeric(pd.Series(list(trace["y"])), errors="coerce")
            if values.notna().any():
                tops.append(float(values.max()))
    return max(tops) * 1.08 if tops else 0.0


def _midpoint(frame: pd.DataFrame) -> pd.Series:
    start, end = pd.to_datetime(frame["period_start"]), pd.to_datetime(frame["period_end"])
    return start + (end - start) / 2


def totals_over_time(
    frame: pd.DataFrame,
    value: str,
    group: str,
    title: str,
    y_title: str,
    qualifier: str | None = None,
    events: pd.DataFrame | None = None,
    colors: dict | None = None,
    barmode: str = "group",
) -> Chart:
    """Bars per period (centred on the period) and group; suppressed values as labelled markers at zero."""
    fig = Chart()
    if frame.empty:
        return _empty(title)
    x = _midpoint(frame)
    width_ms = (
        (pd.to_datetime(frame["period_end"]) - pd.to_datetime(frame["period_start"])).dt.days.max() * 86_400_000 * 0.8
    )
    groups = list(dict.fromkeys(frame[group]))
    for i, name in enumerate(groups):
        rows = frame[group] == name
        color = (colors or {}).get(name, SEQUENCE[i % len(SEQUENCE)])
        fig.add_bar(
            x=x[rows],
            y=frame.loc[rows, value],
            name=str(name),
            marker_color=color,
            width=width_ms / (1 if barmode != "group" else max(len(groups), 1)),
            customdata=frame.loc[rows, ["period"]],
            hovertemplate="%{customdata[0]}: %{y:,}<extra>" + str(name) + "</extra>",
        )
    if qualifier and qualifier in frame and frame[qualifier].notna().any():
        rows = frame[qualifier].notna()
        fig.add_scatter(
            x=x[rows],
            y=[0] * int(rows.sum()),
            mode="markers+text",
            name=_("suppressed by the source (<10 or ?)"),
            text=frame.loc[rows, qualifier],
            textposition="top center",
            marker={"symbol": "x-thin-open", "size": 10, "color": SUPPRESSED_COLOR, "line": {"width": 2}},
            hovertemplate="%{text} (value not published)<extra></extra>",
        )
    fig.update_layout(barmode=barmode)
    add_events(fig, events, pd.to_datetime(frame["period_start"]).min(), pd.to_datetime(frame["period_end"]).max())
    return _layout(fig, title, y_title)


def measures_over_time(
    frame: pd.DataFrame,
    measures: dict[str, str],
    title: str,
    color: str = "#0072B2",
    qualifiers: dict[str, str] | None = None,
    events: pd.DataFrame | None = None,
) -> Chart:
    """One panel per measure (each on its own scale), bars per period; suppressed values labelled at zero."""
    if frame.empty:
        return _empty(title)
    fig = Chart(rows=len(measures), shared_xaxes=True, vertical_spacing=0.1, subplot_titles=list(measures.values()))
    x = _midpoint(frame)
    width = (pd.to_datetime(frame["period_end"]) - pd.to_datetime(frame["period_start"])).dt.days * 86_400_000 * 0.8
    for row, (column, label) in enumerate(measures.items(), start=1):
        fig.add_bar(
            x=x,
            y=frame[column],
            width=width,
            name=label,
            marker_color=color,
            row=row,
            customdata=frame[["period"]],
            hovertemplate="%{customdata[0]}: %{y:,}<extra>" + label + "</extra>",
        )
        qualifier = (qualifiers or {}).get(column)
        if qualifier and frame[qualifier].notna().any():
            rows = frame[qualifier].notna()
            fig.add_scatter(
                x=x[rows],
                y=[0] * int(rows.sum()),
                mode="markers+text",
                text=frame.loc[rows, qualifier],
                name=_("suppressed by the source"),
                textposition="top center",
                row=row,
                marker={"symbol": "x-thin-open", "size": 10, "color": SUPPRESSED_COLOR, "line": {"width": 2}},
                hovertemplate="%{text} (value not published)<extra></extra>",
                showlegend=row == 1,
            )
        add_events(
            fig,
            events,
            pd.to_datetime(frame["period_start"]).min(),
            pd.to_datetime(frame["period_end"]).max(),
            row=row,
            labelled=row == 1,
        )
    _layout(fig, title)
    fig.update_layout(height=260 * len(measures) + 80, showlegend=False, hovermode="closest")
    fig.update_yaxes(gridcolor="#e5e5e5", rangemode="tozero")
    return fig


def snapshots(frame: pd.DataFrame, value: str, title: str, y_title: str, events: pd.DataFrame | None = None) -> Chart:
    """Dated cumulative snapshots as points per platform: no line is drawn between reports."""
    dated = frame[frame["as_of"].notna()]
    if dated.empty:
        return _empty(title)
    fig = Chart()
    for platform_id, rows in dated.groupby(dated["platform_id"].fillna("__all__"), sort=False):
        pid = None if platform_id == "__all__" else platform_id
        approx = rows["approx"].astype(bool)
        for is_approx, part in rows.groupby(approx):
            fig.add_scatter(
                x=pd.to_datetime(part["as_of"]),
                y=part[value],
                mode="markers+text",
                name=part["platform"].iloc[0] + (_(" (approximate)") if is_approx else ""),
                legendgroup=str(pid),
                showlegend=True,
                marker={
                    "size": 11,
                    "color": platform_color(pid),
                    "symbol": "circle-open" if is_approx else "circle",
                    "line": {"width": 2, "color": platform_color(pid)},
                },
                text=["≈" if is_approx else "" for _ in range(len(part))],
                textposition="middle right",
                customdata=part[["date_label", "platform"]],
                hovertemplate="%{customdata[1]}, as of %{customdata[0]}: "
                + ("≈" if is_approx else "")
                + "%{y:,}<extra></extra>",
            )
    add_events(
        fig,
        events,
        pd.to_datetime(dated["as_of"]).min() - pd.DateOffset(months=6),
        pd.to_datetime(dated["as_of"]).max(),
    )
    _layout(fig, title, y_title)
    fig.update_layout(hovermode="closest")
    return fig


def category_snapshots(frame: pd.DataFrame, title: str) -> Chart:
    """URLs blocked per shared category, one group of bars per PTA report (dated and undated)."""
    if frame.empty:
        return _empty(title)
    order = list(dict.fromkeys(frame["date_label"] + " · " + frame["scope"].str.replace("_", " ")))
    frame = frame.assign(report=frame["date_label"] + " · " + frame["scope"].str.replace("_", " "))
    summed = frame.groupby(["report", "category"], as_index=False, sort=False).agg(
        urls_blocked=("urls_blocked", "sum"), approx=("approx", "max")
    )
    fig = Chart()
    for i, category in enumerate(sorted(summed["category"].unique())):
        rows = summed[summed["category"] == category]
        fig.add_bar(
            y=rows["report"],
            x=rows["urls_blocked"],
            name=category,
            orientation="h",
            marker_color=SEQUENCE[i % len(SEQUENCE)],
            text=["≈" if a else "" for a in rows["approx"]],
            textposition="outside",
            hovertemplate="%{y}: %{x:,}<extra>" + category + "</extra>",
        )
    _layout(fig, title, "", _("URLs blocked"))
    fig.update_layout(barmode="stack", hovermode="closest", height=120 + 40 * len(order))
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(order)), gridcolor="white")
    fig.update_xaxes(gridcolor="#e5e5e5")
    return fig


def rates_over_time(frame: pd.DataFrame, title: str, events: pd.DataFrame | None = None) -> Chart:
    """Compliance / removal shares per platform and measure; the basis (requests or items) is in the legend."""
    if frame.empty:
        return _empty(title)
    fig = Chart()
    x = _midpoint(frame)
    for (platform_id, measure), rows in frame.groupby(["platform_id", "measure"], sort=False):
        dash = "dot" if (rows["basis"] == "items").all() else "solid"
        # A line joins consecutive half-years only: a gap in the reports stays a gap in the line.
        ends = pd.to_datetime(rows["period_end"])
        gap_after = (ends.shift(-1) - ends).dt.days > 190
        xs, ys, labels = [], [], []
        for x_value, y_value, label, gap in zip(
            x[rows.index], rows["rate_pct"], rows["period"], gap_after, strict=True
        ):
            xs.append(x_value)
            ys.append(y_value)
            labels.append(label)
            if gap:
                xs.append(None)
                ys.append(None)
                labels.append("")
        fig.add_scatter(
            x=xs,
            y=ys,
            mode="lines+markers",
            name=f"{rows['platform'].iloc[0]}: {measure}",
            line={"color": platform_color(platform_id), "dash": dash},
            marker={"size": 8, "color": platform_color(platform_id)},
            text=labels,
            hovertemplate="%{text}: %{y:.1f}%<extra></extra>",
            connectgaps=False,
        )
    add_events(fig, events, pd.to_datetime(frame["period_start"]).min(), pd.to_datetime(frame["period_end"]).max())
    _layout(fig, title, _("per cent"))
    fig.update_yaxes(range=[0, 105])
    fig.update_layout(legend={"orientation": "v", "y": -0.15, "yanchor": "top"}, margin={"b": 10})
    return fig


def reports_by_period(frame: pd.DataFrame, measures: dict[str, str], title: str) -> Chart:
    """Sparse half-yearly company figures: one panel per measure, periods as categories, a bar per platform."""
    present = {c: label for c, label in measures.items() if c in frame and frame[c].notna().any()}
    if frame.empty or not present:
        return _empty(title)
    fig = Chart(rows=len(present), vertical_spacing=0.3 / len(present), subplot_titles=list(present.values()))
    periods = sorted(frame["period"].unique())
    for row, column in enumerate(present, start=1):
        for (platform_id, platform), rows in frame[frame[column].notna()].groupby(
            ["platform_id", "platform"], sort=False
        ):
            summed = rows.groupby("period", as_index=False)[column].sum()
            fig.add_bar(
                x=summed["period"],
                y=summed[column],
                name=platform,
                marker_color=platform_color(platform_id),
                legendgroup=platform,
                showlegend=row == 1,
                row=row,
                hovertemplate="%{x}: %{y:,}<extra>" + platform + "</extra>",
            )
    _layout(fig, title)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=periods)
    fig.update_layout(barmode="group", hovermode="closest", height=230 * len(present) + 120)
    return fig


def ledger(frame: pd.DataFrame, title: str) -> Chart:
    """Per platform: what PTA says it sent and got blocked vs what the platform says it received (log scale)."""
    if frame.empty:
        return _empty(title)
    fig = Chart()
    labels = frame["platform"]
    series = [
        ("urls_processed", _("PTA: URLs sent / processed (cumulative)"), "#555555", ""),
        ("urls_blocked", _("PTA: URLs blocked (cumulative)"), "#111111", ""),
        ("value_summed", _("Platform's own reports, summed over its half-years"), "#E69F00", "/"),
    ]
    for column, name, color, pattern in series:
        fig.add_bar(
            y=labels,
            x=frame[column],
            name=name,
            orientation="h",
            marker_color=color,
            marker_pattern_shape=pattern,
            hovertemplate="%{y}: %{x:,}<extra>" + name + "</extra>",
        )
    _layout(fig, title, "", _("count (log scale)"))
    fig.update_xaxes(type="log", gridcolor="#e5e5e5")
    fig.update_yaxes(autorange="reversed", gridcolor="white")
    fig.update_layout(barmode="group", hovermode="closest", height=160 + 70 * len(frame))
    return fig


def incidents_by_source(frame: pd.DataFrame, measure: str, title: str, events: pd.DataFrame | None = None) -> Chart:
    """One panel per source organisation and definition (never summed): bars of ``measure`` per period."""
    if frame.empty:
        return _empty(title)
    panels = list(dict.fromkeys(zip(frame["source_org"], frame["definition_id"], strict=True)))
    qualifiers = frame[f"{measure}_qualifier"] if f"{measure}_qualifier" in frame else [None] * len(frame)
    frame = frame.assign(  # the figure as the source gave it ("at least 1,066"), for the hover
        **{f"{measure}_as_given": [i18n.qualified(v, q) for v, q in zip(frame[measure], qualifiers, strict=True)]}
    )
    labels = dict(zip(zip(frame["source_org"], frame["definition_id"], strict=True), frame["definition"], strict=True))
    titles = [f"{org}: {labels[(org, d)]}" for org, d in panels]
    fig = Chart(rows=len(panels), shared_xaxes=True, vertical_spacing=0.25 / len(panels), subplot_titles=titles)
    lo, hi = pd.to_datetime(frame["period_start"]).min(), pd.to_datetime(frame["period_end"]).max()
    for i, (org, definition) in enumerate(panels, start=1):
        rows = frame[(frame["source_org"] == org) & (frame["definition_id"] == definition)]
        fig.add_bar(
            x=_midpoint(rows),
            y=rows[measure],
            name=org,
            marker_color=SOURCE_ORG_COLORS.get(org, "#555"),
            width=(pd.to_datetime(rows["period_end"]) - pd.to_datetime(rows["period_start"])).dt.days
            * 86_400_000
            * 0.8,
            customdata=rows[["period", "definition", f"{measure}_as_given"]],
            row=i,
            hovertemplate="%{customdata[0]}: %{customdata[2]}<br>%{customdata[1]}<extra>" + org + "</extra>",
        )
        add_events(fig, events, lo, hi, row=i, labelled=i == 1)
    _layout(fig, title)
    fig.update_layout(height=190 * len(panels) + 140, showlegend=False, hovermode="closest")
    fig.update_yaxes(gridcolor="#e5e5e5", rangemode="tozero")
    return fig


VICTIM_COLUMNS = {
    "killed_security": (N_("Security forces"), "#0072B2"),  # labels translated where drawn
    "killed_civilians": (N_("Civilians"), "#E69F00"),
    "killed_militants": (N_("Militants"), "#555555"),
}


def deaths_by_victim(frame: pd.DataFrame, title: str) -> Chart:
    """Deaths by victim type where the source gives them, one group of bars per source and period."""
    given = frame[frame[list(VICTIM_COLUMNS)].notna().any(axis=1)]
    if given.empty:
        return _empty(title)
    x = given["source_org"] + " (" + given["definition"] + ") " + given["period"]
    fig = Chart()
    for column, (name, color) in VICTIM_COLUMNS.items():
        name = _(name)
        fig.add_bar(
            x=x, y=given[column], name=name, marker_color=color, hovertemplate="%{x}: %{y:,}<extra>" + name + "</extra>"
        )
    fig.add_scatter(
        x=x,
        y=given["killed_total"],
        mode="markers",
        name=_("Total killed (as reported)"),
        marker={"symbol": "line-ew-open", "size": 28, "color": "#000", "line": {"width": 3}},
        hovertemplate="%{x}: %{y:,} in total<extra></extra>",
    )
    _layout(fig, title, _("people killed"))
    fig.update_layout(barmode="stack", hovermode="closest")
    fig.update_xaxes(type="category")
    return fig


BOUNDARIES = "provinces"  # the ``geojson`` of a map trace, replaced by the dataset's polygons when drawn

#: Counts and rates: light for few, dark for many (ColorBrewer Blues, from its second step so that a province with
#: a figure of zero still reads as drawn, not as the blank of a province without one). plotly.js's own "Blues"
#: runs the other way (dark at the low end), so the scale is written out rather than named.
SEQUENTIAL_SCALE = [
    [0.0, "#deebf7"],
    [0.17, "#c6dbef"],
    [0.33, "#9ecae1"],
    [0.5, "#6baed6"],
    [0.67, "#4292c6"],
    [0.83, "#2171b5"],
    [1.0, "#08306b"],
]
#: Only for a measure with a meaningful midpoint (a change, a difference from an average): dark at both ends.
DIVERGING_SCALE = [[0.0, "#b2182b"], [0.25, "#ef8a62"], [0.5, "#f7f7f7"], [0.75, "#67a9cf"], [1.0, "#2166ac"]]


def _colour_range(values: pd.Series, midpoint: float | None) -> dict:
    """zmin/zmax (and zmid) of a map: a sequential scale starts at zero, so the lightest colour means "none or
    few" on every map, not "the smallest province on this one"; a diverging one is centred on its midpoint."""
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    if numbers.empty:
        return {}
    if midpoint is None:
        return {"zmin": min(0.0, float(numbers.min())), "zmax": max(float(numbers.max()), 1e-9)}
    reach = max(abs(float(numbers.max()) - midpoint), abs(float(numbers.min()) - midpoint), 1e-9)
    return {"zmin": midpoint - reach, "zmax": midpoint + reach, "zmid": midpoint}


def province_map(
    frame: pd.DataFrame,
    regions: list[str],
    value: str,
    title: str,
    value_label: str,
    midpoint: float | None = None,
) -> Chart:
    """Choropleth of ``value`` per province on the shipped boundaries; no tiles, no network.

    Darker means more: a sequential scale from zero to the largest value, the colour bar saying so. A diverging
    scale only when the measure has a meaningful ``midpoint`` (counts and rates per million have none).
    The polygons (about 100 KB) are named, not copied, in the spec (``BOUNDARIES``): a map is kept per
    period chosen, and each would otherwise hold its own copy. ``regions`` are the codes of every unit drawn.
    """
    legend = _("darker = more") if midpoint is None else _("darker = further from the middle")
    fig = Chart().add_trace(
        {
            "type": "choroplethmap",
            "geojson": BOUNDARIES,
            "featureidkey": "properties.region_code",
            "locations": frame["region_code"],
            "z": frame[value],
            "colorscale": SEQUENTIAL_SCALE if midpoint is None else DIVERGING_SCALE,
            **_colour_range(frame[value], midpoint),
            "marker": {"line": {"width": 1, "color": "#333"}},
            "colorbar": {"title": {"text": f"{value_label}<br>({legend})"}},
            "customdata": frame[["region", "source_regions"]],
            "hovertemplate": "%{customdata[0]}: %{z:,}<br>" + _("source rows") + ": %{customdata[1]}<extra></extra>",
        }
    )
    fig.add_trace(  # every province outlined, with or without a figure
        {
            "type": "choroplethmap",
            "geojson": BOUNDARIES,
            "featureidkey": "properties.region_code",
            "locations": list(regions),
            "z": [0] * len(regions),
            "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
            "showscale": False,
            "marker": {"line": {"width": 0.6, "color": "#888"}},
            "hoverinfo": "skip",
        }
    )
    fig.update_layout(map={"style": "white-bg", "center": {"lat": 30.0, "lon": 69.5}, "zoom": 4.0}, height=520)
    return _layout(fig, title)


def timeline(
    takedowns: pd.DataFrame,
    incidents: pd.DataFrame,
    title: str,
    events: pd.DataFrame | None = None,
    incidents_title: str | None = None,
) -> Chart:
    """Takedown volumes (top) and incidents (bottom) on one shared time axis, separate scales."""
    fig = Chart(
        rows=2,
        shared_xaxes=True,
        vertical_spacing=0.12,
        subplot_titles=[
            _("Removal requests Google received from Pakistan (per half-year)"),
            incidents_title or _("Militant attacks in Pakistan, per source organisation"),
        ],
    )
    if not takedowns.empty:
        fig.add_bar(
            x=_midpoint(takedowns),
            y=takedowns["requests"],
            name=_("Google: requests from Pakistan"),
            marker_color=platform_color("google"),
            row=1,
            customdata=takedowns[["period"]],
            hovertemplate="%{customdata[0]}: %{y:,}<extra></extra>",
        )
    for org, rows in incidents.groupby("source_org", sort=False):
        fig.add_scatter(
            x=_midpoint(rows),
            y=rows["attacks"],
            name=f"{org}: attacks",
            mode="markers+lines",
            line={"color": SOURCE_ORG_COLORS.get(org, "#555")},
            row=2,
            customdata=rows[["period"]],
            hovertemplate="%{customdata[0]}: %{y:,}<extra>" + org + "</extra>",
        )
    frames = [f for f in (takedowns, incidents) if not f.empty]
    if frames:
        lo = min(pd.to_datetime(f["period_start"]).min() for f in frames)
        hi = max(pd.to_datetime(f["period_end"]).max() for f in frames)
        add_events(fig, events, lo, hi, row=1)
    _layout(fig, title)
    fig.update_layout(height=620, hovermode="closest")
    return fig


def country_comparison(frame: pd.DataFrame, title: str, highlight: str = "PK") -> Chart:
    """Requests per half-year for the chosen countries, the highlighted one drawn strongest."""
    if frame.empty:
        return _empty(title)
    fig = Chart()
    for i, (code, rows) in enumerate(frame.groupby("country_code", sort=False)):
        strong = code == highlight
        fig.add_scatter(
            x=pd.to_datetime(rows["period_end"]),
            y=rows["requests"],
            mode="lines+markers",
            name=rows["country_name"].iloc[0],
            line={"width": 3.5 if strong else 1.8, "color": "#D55E00" if strong else SEQUENCE[(i + 1) % len(SEQUENCE)]},
            customdata=rows[["period", "rank_by_requests", "share_of_world_requests_pct"]],
            hovertemplate="%{customdata[0]}: %{y:,} requests, rank %{customdata[1]}, %{customdata[2]}% of world<extra>"
            + rows["country_name"].iloc[0]
            + "</extra>",
        )
    return _layout(fig, title, _("requests per half-year"))


def monthly_by_platform(
    frame: pd.DataFrame, value: str, title: str, y_title: str, second: str | None = None, second_label: str = ""
) -> Chart:
    """One line per platform over months (withheld months are gaps); an optional second measure dotted."""
    if frame.empty or frame[value].isna().all():
        return _empty(title)
    fig = Chart()
    for (platform_id, platform), rows in frame.groupby(["platform_id", "platform"], sort=False):
        months = pd.to_datetime(rows["month"])
        fig.add_scatter(
            x=months,
            y=rows[value],
            mode="lines+markers",
            name=platform,
            legendgroup=platform,
            line={"color": platform_color(platform_id)},
            marker={"size": 5},
            connectgaps=False,
            hovertemplate="%{x|%b %Y}: %{y:,.1f}<extra>" + platform + "</extra>",
        )
        if second:
            fig.add_scatter(
                x=months,
                y=rows[second],
                mode="lines",
                name=f"{platform} ({second_label})",
                legendgroup=platform,
                line={"color": platform_color(platform_id), "dash": "dot"},
                connectgaps=False,
                hovertemplate="%{x|%b %Y}: %{y:,.1f}<extra>" + platform + " " + second_label + "</extra>",
            )
    return _layout(fig, title, y_title)


STATUS_COLORS = {"actioned": "#009E73", "partial": "#56B4E9", "rejected": "#D55E00", "pending": "#999999"}


def status_over_time(frame: pd.DataFrame, title: str) -> Chart:
    """Requests per month by outcome, stacked (published monthly totals only)."""
    if frame.empty:
        return _empty(title)
    monthly = frame.groupby("month", as_index=False)[list(STATUS_COLORS)].sum(min_count=1)
    fig = Chart()
    for status, color in STATUS_COLORS.items():
        fig.add_bar(
            x=pd.to_datetime(monthly["month"]),
            y=monthly[status],
            name=status,
            marker_color=color,
            hovertemplate="%{x|%b %Y}: %{y:,}<extra>" + status + "</extra>",
        )
    fig.update_layout(barmode="stack")
    return _layout(fig, title, _("requests"))


def breakdown(frame: pd.DataFrame, dimension: str, value: str, title: str) -> Chart:
    """Horizontal bars of ``value`` per ``dimension`` value, stacked by platform."""
    if frame.empty:
        return _empty(title)
    totals = frame.groupby(dimension)[value].sum().sort_values()
    fig = Chart()
    for (platform_id, platform), rows in frame.groupby(["platform_id", "platform"], sort=False):
        summed = rows.groupby(dimension)[value].sum().reindex(totals.index)
        fig.add_bar(
            y=summed.index,
            x=summed.values,
            name=platform,
            orientation="h",
            marker_color=platform_color(platform_id),
            hovertemplate="%{y}: %{x:,}<extra>" + platform + "</extra>",
        )
    _layout(fig, title, "", _("requests in published cells"))
    fig.update_layout(barmode="stack", hovermode="closest", height=140 + 32 * len(totals))
    fig.update_yaxes(gridcolor="white")
    fig.update_xaxes(gridcolor="#e5e5e5")
    return fig


def stacked_monthly(
    frame: pd.DataFrame, by: str, labels: dict, value: str, title: str, y_title: str, colors: dict | None = None
) -> Chart:
    """Monthly bars of ``value`` stacked by ``by`` (one colour per group or province, the same on every chart)."""
    if frame.empty or frame[value].isna().all():
        return _empty(title)
    fig = Chart()
    order = frame.groupby(by)[value].sum().sort_values(ascending=False).index
    for i, key in enumerate(order):
        rows = frame[frame[by] == key]
        name = str(labels.get(key, key))
        fig.add_bar(
            x=pd.to_datetime(rows["month"]),
            y=rows[value],
            name=name,
            marker_color=(colors or {}).get(key, SEQUENCE[i % len(SEQUENCE)]),
            hovertemplate="%{x|%b %Y}: %{y:,}<extra>" + name + "</extra>",
        )
    fig.update_layout(barmode="stack", bargap=0.1)
    return _layout(fig, title, y_title)


def fatalities_by_violence_type(
    frame: pd.DataFrame, labels: dict, title: str, y_title: str, preliminary_label: str
) -> Chart:
    """Monthly deaths stacked by type of violence; preliminary months hatched and shaded, with their label."""
    if frame.empty:
        return _empty(title)
    fig = Chart()
    for i, key in enumerate(labels):
        for preliminary in (False, True):
            rows = frame[(frame["violence_type"] == key) & (frame["preliminary"] == preliminary)]
            if rows.empty:
                continue
            name = str(labels[key]) + (f" ({preliminary_label})" if preliminary else "")
            fig.add_bar(
                x=pd.to_datetime(rows["month"]),
                y=rows["fatalities"],
                name=name,
                legendgroup=key,
                marker_color=SEQUENCE[i % len(SEQUENCE)],
                marker_pattern={"shape": "/" if preliminary else "", "fillmode": "overlay", "solidity": 0.4},
                marker_opacity=0.6 if preliminary else 1.0,
                hovertemplate="%{x|%b %Y}: %{y:,}<extra>" + name + "</extra>",
            )
    preliminary_months = pd.to_datetime(frame.loc[frame["preliminary"], "month"])
    if len(preliminary_months):
        start = (preliminary_months.min() - pd.Timedelta(days=15)).isoformat()
        end = (preliminary_months.max() + pd.Timedelta(days=15)).isoformat()
        fig.update_layout(
            shapes=[
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": "paper",
                    "x0": start,
                    "x1": end,
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": "#f2f2f2",
                    "line": {"width": 0},
                    "layer": "below",
                }
            ]
        )
        fig.add_annotation(
            text=preliminary_label,
            x=start,
            xanchor="left",
            xref="x",
            y=1,
            yanchor="bottom",
            yref="paper",
            showarrow=False,
            font={"size": 12, "color": "#444"},
        )
    fig.update_layout(barmode="stack", bargap=0.1)
    return _layout(fig, title, y_title)


def _empty(title: str) -> Chart:
    # One invisible trace: a figure spec with no trace at all is refused by the chart element.
    fig = Chart().add_scatter(x=[None], y=[None], showlegend=False, hoverinfo="skip")
    fig.add_annotation(
        text=_("No figures for this selection"),
        showarrow=False,
        font={"size": 14, "color": "#555"},
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title)
