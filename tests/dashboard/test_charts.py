"""The chart builders write plotly's figure spec as plain dicts: every builder's chart must still be a figure
plotly accepts, property by property, subplots must be laid out as plotly's own would be, and what ``Chart``
does not implement is refused rather than written into a spec that fails when drawn."""

from __future__ import annotations

import base64
import inspect
import json
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots
from streamlit.testing.v1 import AppTest

from dashboard import blocks, charts, i18n
from dashboard.charts import Chart, as_figure
from dashboard.colors import GROUP_COLORS

ROOT = Path(__file__).resolve().parents[2]
VIEWS = [  # page, link: every chart builder the pages use, in both languages, with and without data
    ("requests", {}),
    ("requests", {"lang": "ur", "events": "true"}),
    ("requests", {"period": ["2003", "2004"]}),  # a period with no figures: the empty chart
    ("responsiveness", {}),
    ("responsiveness", {"lang": "ur"}),
    ("incidents", {}),
    ("incidents", {"lang": "ur", "per_million": "true"}),
]


@pytest.fixture(autouse=True)
def _dataset(published_dir):
    return published_dir


def drawn_specs(page: str, query: dict) -> list[dict]:
    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)
    for key, value in query.items():
        app.query_params[key] = value
    app.switch_page(f"app_pages/{page}.py")
    app.run()
    assert not app.exception
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


@pytest.fixture(scope="module")
def page_views(published_dir) -> dict[tuple, tuple[list[dict], set[str]]]:
    """Each view's drawn specs and the builders its page called (through ``blocks.cached``, which every chart
    passes through; the page scripts import it afresh on each run), every view drawn once."""
    views = {}
    original = blocks.cached
    with pytest.MonkeyPatch.context() as patch:
        for page, query in VIEWS:
            called: set[str] = set()

            def spy(builder, *args, _called=called, **kwargs):
                _called.add(builder.__name__)
                return original(builder, *args, **kwargs)

            patch.setattr(blocks, "cached", spy)
            views[(page, json.dumps(query))] = (drawn_specs(page, query), called)
    return views


@pytest.mark.parametrize(("page", "query"), VIEWS)
def test_every_drawn_chart_passes_plotlys_own_validation(page, query, page_views):
    specs, builders = page_views[(page, json.dumps(query))]
    assert specs
    assert builders  # the spy saw the page's charts
    for spec in specs:
        validated = go.Figure(spec)  # raises on a misspelt property or a value of the wrong kind
        assert len(validated.data) == len(spec["data"]) >= 1
        assert validated.layout.title.text == spec["layout"]["title"]["text"]


# The builders the shipped dataset's pages never draw (they need a case log or event exports), each fed a small
# frame of the shape its caller passes (responsiveness.py: case_platform_months, case_breakdown, case_mirrors;
# incidents.py: queries.event_series), with their trace names as the page would show them.
MONTHS = pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"])
CASE_MONTHS = pd.DataFrame(
    {
        "month": list(MONTHS) * 2,
        "platform_id": ["x"] * 3 + ["tiktok"] * 3,
        "platform": ["X"] * 3 + ["TikTok"] * 3,
        "requests": [40.0, np.nan, 25.0, 12.0, 30.0, 18.0],  # a withheld month: a gap
        "actioned": [20.0, np.nan, 10.0, 6.0, 15.0, 9.0],
        "partial": [5.0, np.nan, 5.0, 2.0, 5.0, 3.0],
        "rejected": [10.0, np.nan, 5.0, 2.0, 5.0, 3.0],
        "pending": [5.0, np.nan, 5.0, 2.0, 5.0, 3.0],
        "response_hours_p50": [30.5, np.nan, 22.0, 48.0, 40.0, 36.5],
        "response_hours_p90": [90.0, np.nan, 70.0, 140.0, 120.0, 100.0],
        "answered_within_24h_pct": [40.0, np.nan, 55.0, 20.0, 25.0, 30.0],
        "answered_within_72h_pct": [80.0, np.nan, 85.0, 60.0, 70.0, 75.0],
        "suppressed": [None, "<10", None, None, None, None],
        "synthetic": [True] * 6,
        "source_id": ["caselog"] * 6,
    }
)
CASE_BREAKDOWN = pd.DataFrame(
    {
        "platform_id": ["x", "x", "tiktok"],
        "platform": ["X", "X", "TikTok"],
        "linked_group": ["TTP", "BLA", "TTP"],
        "origin_country": ["AF", "PK", "unknown"],
        "target_kind": ["account", "mirror", "account"],
        "category_id": ["terrorism"] * 3,
        "requests_in_published_cells": [120, 45, 30],
        "mirror_requests": [np.nan, 45.0, np.nan],
        "withheld_cells": [0, 1, 2],
        "synthetic": [True] * 3,
        "source_id": ["caselog"] * 3,
    }
)
CASE_MIRRORS = pd.DataFrame(
    {
        "month": list(MONTHS[:2]) + [MONTHS[0]],
        "platform_id": ["x", "x", "tiktok"],
        "platform": ["X", "X", "TikTok"],
        "mirror_requests": [14, 11, 12],
        "withheld_cells": [0, 1, 0],
        "synthetic": [True] * 3,
        "source_id": ["caselog"] * 3,
    }
)
EVENT_SERIES = pd.DataFrame(
    {
        "month": [MONTHS[0], MONTHS[0], MONTHS[1], MONTHS[1]],
        "group_id": ["TTP", "BLA", "TTP", "unknown"],
        "source_id": ["acled"] * 4,
        "synthetic": [True] * 4,
        "citation_url": ["https://example.org/acled"] * 4,
        "events": [12, 4, 9, 3],
    }
)
PROVINCE_SERIES = EVENT_SERIES.rename(columns={"group_id": "region_code"}).assign(
    region_code=["PK-KP", "PK-BA", "PK-KP", None]
)
X, TIKTOK = "X", "TikTok"
UNDRAWN = {  # id: (builder, arguments, keyword arguments, the trace names drawn)
    "response-times": (
        charts.monthly_by_platform,
        (CASE_MONTHS, "response_hours_p50", "Median hours", "hours"),
        {"second": "response_hours_p90", "second_label": "90th percentile"},
        [X, "X (90th percentile)", TIKTOK, "TikTok (90th percentile)"],
    ),
    "mirrors": (charts.monthly_by_platform, (CASE_MIRRORS, "mirror_requests", "Mirrors", "requests"), {}, [X, TIKTOK]),
    "outcomes": (charts.status_over_time, (CASE_MONTHS, "Outcomes"), {}, list(charts.STATUS_COLORS)),
    "by-group": (
        charts.breakdown,
        (CASE_BREAKDOWN, "linked_group", "requests_in_published_cells", "Linked group"),
        {},
        [X, TIKTOK],
    ),
    "by-origin": (
        charts.breakdown,
        (CASE_BREAKDOWN, "origin_country", "requests_in_published_cells", "Origin"),
        {},
        [X, TIKTOK],
    ),
    "events-by-group": (
        charts.stacked_monthly,
        (EVENT_SERIES, "group_id", {"TTP": "Tehreek-e-Taliban Pakistan"}, "events", "Events", "events", GROUP_COLORS),
        {},
        ["Tehreek-e-Taliban Pakistan", "BLA", "unknown"],
    ),
    "events-by-province": (
        charts.stacked_monthly,
        (PROVINCE_SERIES, "region_code", {"PK-KP": "Khyber Pakhtunkhwa", None: "Province not given"}, "events"),
        {"title": "Events", "y_title": "events"},
        ["Khyber Pakhtunkhwa", "PK-BA"],  # a row with no province is not a group of its own
    ),
}


@pytest.mark.parametrize("case", UNDRAWN)
def test_builders_the_shipped_data_does_not_draw_pass_plotlys_own_validation(case):
    builder, args, kwargs, names = UNDRAWN[case]
    spec = builder(*args, **kwargs).spec()
    assert charts.validated(spec) is spec
    figure = go.Figure(spec)
    assert [t.name for t in figure.data] == names
    assert figure.layout.title.text in [a for a in (*args, kwargs.get("title")) if isinstance(a, str)]
    assert all(len(t.x) for t in figure.data)


@pytest.mark.parametrize("case", UNDRAWN)
def test_builders_the_shipped_data_does_not_draw_draw_an_empty_selection(case):
    builder, args, kwargs, _names = UNDRAWN[case]
    i18n.set_language("en")
    spec = builder(args[0].iloc[0:0], *args[1:], **kwargs).spec()
    figure = go.Figure(charts.validated(spec))
    assert [t.showlegend for t in figure.data] == [False]  # the invisible trace of an empty chart
    assert figure.layout.annotations[0].text == "No figures for this selection"


def test_every_builder_in_charts_is_drawn_and_validated(page_views):
    """Every function of charts.py that makes a chart from a frame is drawn by a page view above or fed a frame
    here: a new builder that neither covers fails this test."""
    builders = {
        name
        for name, f in inspect.getmembers(charts, inspect.isfunction)
        if f.__module__ == charts.__name__
        and not name.startswith("_")
        and inspect.signature(f).return_annotation == "Chart"
        and next(iter(inspect.signature(f).parameters)) != "fig"  # add_events draws onto a chart
    }
    drawn = set().union(*(called for _specs, called in page_views.values()))
    fed = {builder.__name__ for builder, *_rest in UNDRAWN.values()}
    assert len(builders) >= 17
    assert builders - drawn - fed == set()
    assert {"monthly_by_platform", "status_over_time", "breakdown", "stacked_monthly"} <= fed


def test_a_spec_built_into_the_chart_cache_is_validated_there():
    """A misspelt property fails where the spec is built into the cache, not later in the browser."""

    def misspelt(title: str) -> Chart:
        return Chart().add_bar(x=[1], y=[2], colour="red").update_layout(title={"text": title})

    def fine(title: str) -> Chart:
        return Chart().add_bar(x=[1], y=[2], marker_color="red").update_layout(title={"text": title})

    with pytest.raises(ValueError, match="colour"):
        blocks.cached(misspelt, "a title")
    assert blocks.cached(fine, "a title").data[0].marker.color == "red"


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: Chart(2, 2), ValueError, "cols=2"),
        (lambda: Chart(2).add_bar(x=[1], y=[1], row=1, col=2), TypeError, "add_bar does not implement col"),
        (lambda: Chart(2).add_bar(x=[1], y=[1], row=1, col=1), TypeError, "add_bar does not implement col"),
        (lambda: Chart().add_scatter(x=[1], y=[1], col=1), TypeError, "add_scatter does not implement col"),
        (lambda: Chart().add_bar(x=[1], selector={"type": "bar"}), TypeError, "does not implement selector"),
        (lambda: Chart().add_trace({"type": "bar"}, 1, col=1), TypeError, "add_trace does not implement col"),
        (lambda: Chart(2).add_bar(x=[1], y=[1], row=3), ValueError, "row=3 is outside"),
        (lambda: Chart(2).update_xaxes(row=2, type="log"), TypeError, "update_xaxes does not implement row"),
        (lambda: Chart(2).update_yaxes(col=1, title=None), TypeError, "update_yaxes does not implement col"),
        (lambda: Chart().update_yaxes(selector={"anchor": "x"}), TypeError, "update_yaxes does not implement selector"),
    ],
)
def test_what_chart_does_not_implement_is_refused(call, error, words):
    with pytest.raises(error, match=words):
        call()


@pytest.mark.parametrize(
    ("rows", "shared", "spacing", "titles"),
    [
        (1, False, 0.2, ["one"]),
        (2, True, 0.12, ["top", "bottom"]),
        (3, True, 0.1, ["a", "b", "c"]),
        (4, False, 0.075, []),
    ],
)
def test_rows_of_subplots_are_laid_out_as_plotly_lays_them_out(rows, shared, spacing, titles):
    ours = Chart(rows, 1, shared_xaxes=shared, vertical_spacing=spacing, subplot_titles=titles)
    for row in range(1, rows + 1):
        ours.add_bar(x=[1, 2], y=[row, row], row=row)
    theirs = make_subplots(rows=rows, cols=1, shared_xaxes=shared, vertical_spacing=spacing, subplot_titles=titles)
    for row in range(1, rows + 1):
        theirs.add_bar(x=[1, 2], y=[row, row], row=row, col=1)
    expected = theirs.to_plotly_json()
    actual = go.Figure(ours.spec()).to_plotly_json()
    assert [(t["xaxis"], t["yaxis"]) for t in actual["data"]] == [(t["xaxis"], t["yaxis"]) for t in expected["data"]]
    layout, plotly_layout = actual["layout"], expected["layout"]
    axes = sorted(k for k in plotly_layout if k[1:5] == "axis")
    assert sorted(k for k in layout if k[1:5] == "axis") == axes
    for key in axes:
        for prop in ("anchor", "matches", "showticklabels"):
            assert layout[key].get(prop) == plotly_layout[key].get(prop), (key, prop)
        assert layout[key]["domain"] == pytest.approx(plotly_layout[key]["domain"]), key
    notes, their_notes = layout.get("annotations", []), plotly_layout.get("annotations", [])
    assert [(a["text"], a["yanchor"], a["xanchor"]) for a in notes] == [
        (a["text"], a["yanchor"], a["xanchor"]) for a in their_notes
    ]
    assert [v for a in notes for v in (a["x"], a["y"])] == pytest.approx(
        [v for a in their_notes for v in (a["x"], a["y"])]
    )


def test_updates_merge_as_plotlys_do_and_none_removes():
    chart = Chart().update_layout(legend={"orientation": "h", "y": -0.1, "title": "x"}, hovermode="x unified")
    chart.update_layout(legend={"orientation": "v", "title": None}, hovermode="closest")
    chart.add_bar(x=[1], y=[2], marker_color="#000", marker_pattern_shape="/").update_xaxes(type="log", title=None)
    assert chart.layout == {"legend": {"orientation": "v", "y": -0.1}, "hovermode": "closest", "xaxis": {"type": "log"}}
    assert chart.data[0]["marker"] == {"color": "#000", "pattern": {"shape": "/"}}
    go.Figure(chart.spec())


def test_a_chart_with_no_trace_is_drawn_with_an_empty_one_plotly_accepts():
    """A period where no source has a figure: the axes and the note still draw, with nothing plotted."""
    chart = Chart()
    chart.update_layout(title={"text": "Nothing in this period"})
    chart.add_annotation(text="No figures for this period", showarrow=False)
    figure = as_figure(chart.spec())
    assert [(t.type, list(t.x), list(t.y), t.showlegend) for t in figure.data] == [("scatter", [], [], False)]
    go.Figure(figure.to_dict())  # the full validation accepts it
    assert figure.layout.annotations[0].text == "No figures for this period"


def _colour_at(colorscale: list, zmin: float, zmax: float, value: float) -> tuple[float, float, float]:
    """The colour plotly.js gives ``value``: the scale's stops interpolated linearly in RGB between zmin and zmax."""
    position = min(max((value - zmin) / (zmax - zmin), 0.0), 1.0)
    stops = [(float(at), tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))) for at, colour in colorscale]
    for (lo, low), (hi, high) in zip(stops, stops[1:], strict=False):
        if lo <= position <= hi:
            share = (position - lo) / (hi - lo) if hi > lo else 0.0
            return tuple(a + (b - a) * share for a, b in zip(low, high, strict=True))
    return stops[-1][1]


def _luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG relative luminance: 0 is black, 1 is white."""
    linear = [(c / 255) / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _values(array) -> list[float]:
    """A spec's data array as numbers: plotly's base64 form (as the page sends it) decoded."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return [float(v) for v in array]


def _map_luminances(trace: dict) -> dict[str, float]:
    z = _values(trace["z"])
    assert isinstance(trace["colorscale"], list), "a named scale is read by plotly.js in its own direction"
    return {
        code: _luminance(_colour_at(trace["colorscale"], trace["zmin"], trace["zmax"], float(v)))
        for code, v in zip(trace["locations"], z, strict=True)
    }


def test_a_province_map_draws_the_largest_value_darkest_and_says_so():
    from dashboard.charts import province_map

    frame = pd.DataFrame(
        {
            "region_code": ["PK-KP", "PK-BA", "PK-PB", "PK-SD"],
            "region": ["KP", "Balochistan", "Punjab", "Sindh"],
            "source_regions": ["", "", "", ""],
            "attacks": [0, 40, 171, 12],
        }
    )
    spec = province_map(frame, list(frame["region_code"]), "attacks", "Attacks", "Attacks").spec()
    trace = spec["data"][0]
    shade = _map_luminances(trace)
    by_value = sorted(zip(frame["attacks"], frame["region_code"], strict=True))
    assert [shade[code] for _value, code in by_value] == sorted(shade.values(), reverse=True)  # more → darker
    assert min(shade, key=shade.get) == "PK-PB"
    assert shade["PK-KP"] < 0.95, "a zero is drawn, not left as the blank of a province without a figure"
    assert "darker = more" in trace["colorbar"]["title"]["text"]
    assert "zmid" not in trace


def test_a_diverging_map_is_centred_on_its_midpoint():
    from dashboard.charts import province_map

    frame = pd.DataFrame(
        {"region_code": ["A", "B", "C"], "region": ["a", "b", "c"], "source_regions": [""] * 3, "change": [-5, 0, 20]}
    )
    trace = province_map(frame, ["A", "B", "C"], "change", "Change", "Change", midpoint=0).spec()["data"][0]
    assert trace["zmid"] == 0 and trace["zmin"] == -trace["zmax"]
    shade = _map_luminances(trace)
    assert shade["B"] == max(shade.values()), "the midpoint is the lightest"


@pytest.mark.parametrize("query", [{}, {"per_million": "true", "lang": "ur"}])
def test_the_pages_maps_run_darker_for_more(query):
    maps = [
        t
        for spec in drawn_specs("incidents", query)
        for t in spec["data"]
        if t["type"] == "choroplethmap" and t.get("showscale") is not False
    ]
    assert maps
    for trace in maps:
        values = dict(zip(trace["locations"], _values(trace["z"]), strict=True))
        shade = _map_luminances(trace)
        drawn = {code: v for code, v in values.items() if v == v}  # NaN: no figure, left blank
        largest = max(drawn, key=drawn.get)
        assert shade[largest] == min(shade[c] for c in drawn), (largest, drawn)
