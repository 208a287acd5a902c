"""One definition per chart (dashboard/registry.py): an embedded chart is its page's chart, figure and table alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import embed, queries, registry

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
