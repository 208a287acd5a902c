"""The chart builders write plotly's figure spec as plain dicts: every chart the pages draw must still be a
figure plotly accepts, property by property, and subplots must be laid out as plotly's own would be."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots
from streamlit.testing.v1 import AppTest

from dashboard.charts import Chart, as_figure

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


@pytest.mark.parametrize(("page", "query"), VIEWS)
def test_every_drawn_chart_passes_plotlys_own_validation(page, query):
    specs = drawn_specs(page, query)
    assert specs
    for spec in specs:
        validated = go.Figure(spec)  # raises on a misspelt property or a value of the wrong kind
        assert len(validated.data) == len(spec["data"]) >= 1
        assert validated.layout.title.text == spec["layout"]["title"]["text"]


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
        ours.add_bar(x=[1, 2], y=[row, row], row=row, col=1)
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
