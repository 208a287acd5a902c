"""One definition per chart (dashboard/registry.py): every chart a page draws is a registry chart, each renders
without Streamlit for a release's default view, and an embedded chart is its page's chart, figure and table alike."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts, embed, queries, registry

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture(autouse=True)
def _dataset(published_dir):
    return published_dir


def by_key(elements, prefix: str) -> dict[str, object]:
    """Elements keyed by the chart id in their widget key (``chart-<id>``), in page order."""
    found = {}
    for element in elements:
        marker = f"-{prefix}-"
        element_id = element.proto.id
        if marker in element_id:
            found[element_id.split(marker, 1)[1]] = element
    return found


@pytest.fixture(scope="module")
def embeds() -> dict[str, AppTest]:
    drawn = {}
    for chart_id in embed.CHARTS:
        app = AppTest.from_file(APP, default_timeout=90)
        app.query_params[embed.CHART_PARAM] = chart_id
        drawn[chart_id] = app.run()
        assert not drawn[chart_id].exception
    return drawn


@pytest.mark.parametrize("page", sorted({c.page for c in registry.CHARTS.values() if c.embeddable}))
def test_each_embed_draws_the_same_figure_and_table_as_its_page(page, embeds):
    first, last = queries.year_bounds()
    app = AppTest.from_file(APP, default_timeout=90)
    app.query_params["period"] = [str(first), str(last)]  # the embed's view: the whole period, no events
    app.query_params["events"] = "false"
    app.switch_page(f"app_pages/{page}.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    page_charts = by_key(app.get("plotly_chart"), "chart")
    page_tables = [d.value for d in app.dataframe]  # the page's tables carry no key: found by content below
    expected = [c.id for c in registry.CHARTS.values() if c.embeddable and c.page == page]
    assert expected
    for chart_id in expected:
        embedded = embeds[chart_id]
        [chart] = embedded.get("plotly_chart")
        [table] = embedded.dataframe
        assert json.loads(chart.proto.spec) == json.loads(page_charts[chart_id].proto.spec), chart_id
        assert any(table.value.equals(shown) for shown in page_tables), chart_id
        assert embedded.subheader[0].value in [s.value for s in app.subheader]


def test_the_embeds_list_is_the_registrys_embeddable_charts():
    assert list(embed.CHARTS) == [c.id for c in registry.CHARTS.values() if c.embeddable]
    for chart_id, chart in embed.CHARTS.items():
        assert (chart.title, chart.page) == (registry.CHARTS[chart_id].title, registry.CHARTS[chart_id].page)


def test_the_proxy_lets_other_sites_frame_exactly_the_registrys_embeddable_charts():
    from deploy.render import embeddable_chart_ids

    assert embeddable_chart_ids() == [c.id for c in registry.CHARTS.values() if c.embeddable]


CHART_PAGES = ["overview", "requests", "responsiveness", "incidents"]


@pytest.fixture(scope="module")
def release_years(published_dir) -> tuple[int, int]:
    return queries.year_bounds()


@pytest.mark.parametrize("chart_id", list(registry.CHARTS))
def test_every_chart_renders_for_its_default_view_and_passes_plotly_validation(chart_id, release_years):
    chart = registry.CHARTS[chart_id]
    choice = chart.default_choice(*release_years)
    built, table = registry.render(chart, choice)
    spec = charts.validated(built.spec())  # plotly's full check: raises on a property plotly does not know
    figure = charts.as_figure(spec, queries.province_geojson)  # a map gets its polygons from the plain query
    assert isinstance(table, pd.DataFrame)
    assert chart.heading(choice, table).strip()
    if chart.id.startswith("case-") and queries.case_info().empty:
        assert table.empty  # the shipped release carries no agency's case log: the chart says so, empty
        return
    assert not table.empty, "the shipped release has figures for every other chart's default view"
    assert spec["data"], "a chart with figures draws them"
    if any(t.get("geojson") == charts.BOUNDARIES for t in spec["data"]):
        assert figure.data[0].geojson["features"], "the map is drawn on the shipped polygons"


def test_rendering_needs_no_streamlit(published_dir):
    """The static site and the briefing draw every chart from the registry in a process without Streamlit."""
    script = (
        "import sys\n"
        "from dashboard import charts, queries, registry\n"
        "first, last = queries.year_bounds()\n"
        "for chart in registry.CHARTS.values():\n"
        "    spec, table = registry.render(chart, chart.default_choice(first, last))\n"
        "    charts.validated(spec.spec())\n"
        "assert 'streamlit' not in sys.modules, 'streamlit was imported'\n"
        "print(len(registry.CHARTS))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DASHBOARD_DATA_DIR": str(published_dir)},
    )
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.split()[-1]) == len(registry.CHARTS)


@pytest.mark.parametrize("page", CHART_PAGES)
def test_every_chart_on_a_page_is_a_registry_chart_of_that_page(page):
    app = AppTest.from_file(APP, default_timeout=90)
    app.switch_page(f"app_pages/{page}.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    anchors = [s.proto.anchor for s in app.subheader]
    defined = [c.id for c in registry.CHARTS.values() if c.page == page]
    assert anchors, "the page draws its charts"
    assert set(anchors) <= set(defined), set(anchors) - set(defined)
    assert len(app.get("plotly_chart")) == len(anchors), "every chart drawn sits under a registry chart's heading"
    not_drawn = set(defined) - set(anchors)
    if queries.case_info().empty:  # the case-log section is drawn only when the release carries a case log
        not_drawn -= {i for i in defined if i.startswith("case-")}
    assert not not_drawn, f"defined for {page} but not drawn there: {sorted(not_drawn)}"


def _calls(path: Path) -> set[str]:
    """Names a page calls: ``chart_block(...)``, ``cached(...)``, ``charts.xxx(...)`` as ``charts.xxx``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                found.add(func.id)
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                found.add(f"{func.value.id}.{func.attr}")
    return found


@pytest.mark.parametrize("path", sorted((ROOT / "dashboard" / "app_pages").glob("*.py")), ids=lambda p: p.stem)
def test_no_page_builds_a_chart_itself(path):
    calls = _calls(path)
    assert not calls & {"chart_block", "cached", "blocks.chart_block", "blocks.cached", "figure_of"}, calls
    assert not {c for c in calls if c.startswith("charts.")}, "a page draws charts through blocks.draw only"


def test_the_figure_rendered_without_streamlit_is_the_one_the_app_draws(embeds, release_years):
    """``registry.render`` (the static site's call) gives the embed's figure and table, the embed being its page's."""
    for chart_id, embedded in embeds.items():
        chart = registry.CHARTS[chart_id]
        built, table = registry.render(chart, chart.default_choice(*release_years))
        drawn = json.loads(embedded.get("plotly_chart")[0].proto.spec)
        assert json.loads(charts.as_figure(built.spec(), queries.province_geojson).to_json()) == drawn, chart_id
        assert embedded.dataframe[0].value.equals(table), chart_id
