"""The embed view (dashboard/embed.py) through AppTest: one chart, its table, CSV and sources, no page frame."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import embed, i18n, queries, registry

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture(autouse=True)
def _dataset(published_dir):
    return published_dir


def open_embed(chart: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    app.query_params[embed.CHART_PARAM] = chart
    return app.run()


@pytest.mark.parametrize("chart_id", list(embed.CHARTS))
def test_each_embeddable_chart_draws_alone_with_table_csv_and_source(chart_id):
    app = open_embed(chart_id)
    assert not app.exception, [e.value for e in app.exception]
    assert len(app.get("plotly_chart")) == 1
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    notes = [a.get("text") for a in spec["layout"].get("annotations", [])]
    assert "No figures for this selection" not in notes  # the whole period of the real data has figures
    assert spec["data"], chart_id
    assert [d.key for d in app.get("download_button")] == [f"csv-{chart_id}"]
    assert len(app.dataframe) == 1 and len(app.dataframe[0].value) > 0
    captions = " ".join(c.value for c in app.caption)
    assert "Source" in captions
    assert "dataset version" in captions and f"#{chart_id}" in captions  # where it comes from, and a way back
    chart = registry.CHARTS[chart_id]
    first, last = queries.year_bounds()
    assert app.subheader[0].value == chart.heading(chart.default_choice(first, last))  # its page's heading


def test_embed_has_no_sidebar_and_no_other_page_content():
    app = open_embed("google-requests-items")
    assert not app.sidebar.children or all(not c for c in app.sidebar.children.values())
    assert not app.title  # the page frame (page titles, filters) is not drawn
    assert not app.slider and not app.multiselect


def test_an_unknown_chart_says_so_and_lists_the_embeddable_ones():
    app = open_embed("no-such-chart<script>")
    assert not app.exception
    assert not app.get("plotly_chart")
    assert "No chart by that name" in app.error[0].value
    listed = app.markdown[0].value
    assert all(f"`{chart_id}`" in listed for chart_id in embed.CHARTS)
    assert "<script>" not in listed


def test_the_full_dashboard_is_unchanged_without_the_chart_parameter():
    app = AppTest.from_file(APP, default_timeout=90).run()
    assert not app.exception
    assert app.title[0].value == "Takedowns and militant violence in Pakistan"
    assert any("Dataset version" in c.value for c in app.sidebar.caption)


def test_embed_url_uses_the_chart_parameter_and_streamlits_embed_mode():
    assert embed.embed_url("ledger", "https://dashboard.example/") == (
        "https://dashboard.example/embed?chart=ledger&embed=true"
    )


@pytest.mark.parametrize("chart_id", list(embed.CHARTS))
def test_an_embed_in_urdu_uses_the_pages_own_translated_strings(chart_id):
    i18n.missing.clear()
    app = AppTest.from_file(APP, default_timeout=90)
    app.query_params[embed.CHART_PARAM] = chart_id
    app.query_params["lang"] = "ur"
    app.run()
    assert not app.exception
    assert {m for lang, m in i18n.missing if lang == "ur"} == set()  # no string of its own to translate
    assert not app.sidebar.children  # no language selector in an article
