"""Every page through Streamlit's AppTest on the real published dataset."""

from __future__ import annotations

import base64
import json
import os
import shutil
from pathlib import Path

import numpy
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import blocks
from etl.build import run
from etl.provenance import rehash
from tests.etl.helpers import copy_data

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")
PAGES = {  # page file → chart ids it must show
    "overview": [  # one small chart per headline figure
        "overview-google-requests",
        "overview-pta-blocked",
        "overview-pips-attacks",
        "overview-picss-attacks",
    ],
    "requests": [
        "google-requests-items",
        "google-by-requester",
        "google-by-product",
        "google-by-category",
        "meta-x-tiktok",
        "pta-blocked-by-platform",
        "pta-blocked-by-category",
        "google-country-comparison",
    ],
    "responsiveness": ["compliance-rates", "pta-block-rate", "ledger"],
    "incidents": [  # the shipped UCDP GED data gives the monthly event charts without any user file
        "incidents-national",
        "deaths-by-victim",
        "incidents-map",
        "event-monthly",
        "ucdp-deaths-monthly",
        "event-map",
        "event-vs-annual",
        "takedowns-vs-incidents",
    ],
    "data": [],
    "about": [],
}


@pytest.fixture(autouse=True)
def _dataset(published_dir):
    return published_dir


def open_page(page: str, **query) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        app.query_params[key] = value
    app.switch_page(f"app_pages/{page}.py")
    return app.run()


HEADLINE = "csv-headline"  # the Overview's table of its headline figures, not a chart's


def chart_ids(app: AppTest) -> list[str]:
    """Chart ids in page order, read from each chart block's download button key."""
    return [d.key.removeprefix("csv-") for d in app.get("download_button") if d.key != HEADLINE]


def z_values(app: AppTest, index: int) -> list[float]:
    """The z array of a chart's first trace (plotly ships arrays base64-encoded)."""
    z = figure(app, index)["data"][0]["z"]
    if isinstance(z, dict):
        return numpy.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"]).tolist()
    return list(z)


def figure(app: AppTest, index: int) -> dict:
    return json.loads(app.get("plotly_chart")[index].proto.spec)


@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders_without_exception_with_every_chart_table_and_download(page):
    app = open_page(page)
    assert not app.exception, [e.value for e in app.exception]
    if page == "data":  # the data page offers files, not charts
        assert [d.key for d in app.get("download_button")][:3] == ["release-zip", "table-csv", "table-parquet"]
        return
    assert chart_ids(app) == PAGES[page]
    assert len(app.get("plotly_chart")) == len(PAGES[page])
    for i in range(len(PAGES[page])):  # the default view of the real data leaves no chart empty
        notes = [a.get("text") for a in figure(app, i)["layout"].get("annotations", [])]
        assert "No figures for this selection" not in notes, PAGES[page][i]
    # Each chart's CSV is written when its button is clicked (a real server: tests/browser); here, one
    # button and one table per chart, the button's label the same on every block.
    assert len(app.dataframe) >= len(PAGES[page])
    assert all(d.label == "Download these figures (CSV)" for d in app.get("download_button") if d.key != HEADLINE)


def test_a_selection_without_figures_shows_an_empty_chart_not_an_error():
    app = open_page("requests", period=["2009", "2009"], platforms=["Dailymotion"])
    assert not app.exception
    notes = [
        a.get("text") for i in range(len(PAGES["requests"])) for a in figure(app, i)["layout"].get("annotations", [])
    ]
    assert "No figures for this selection" in notes


def test_every_chart_block_names_its_sources():
    app = open_page("requests")
    captions = " ".join(c.value for c in app.caption)
    assert captions.count("Sources:") == len(PAGES["requests"])
    assert "Google" in captions and "propakistani.pk" in captions


def test_every_chart_has_a_copyable_citation_with_version_and_link():
    app = open_page("incidents")
    citations = [c.value for c in app.code if "dataset version" in c.value]
    assert len(citations) == len(PAGES["incidents"])
    assert [c.rsplit("#", 1)[-1] for c in citations] == PAGES["incidents"]  # each links to its own chart


def test_overview_shows_latest_figures_with_period_and_source():
    app = open_page("overview")
    labels = [m.label for m in app.metric]
    values = [m.value for m in app.metric]
    assert "Removal requests to Google, 2025 H1" in labels
    assert "232" in values and "699" in values
    assert any(v.startswith("at least") for v in values), "PTA's lower-bound total ('more than 1.4 million') says so"
    assert any("Google Transparency Report" in c.value for c in app.caption)


def test_changing_the_period_changes_figure_table_and_csv():
    narrow = open_page("requests", period=["2024", "2025"])
    wide = open_page("requests", period=["2015", "2025"])
    assert narrow.slider[0].value == (2024, 2025)
    first_table_narrow, first_table_wide = narrow.dataframe[0].value, wide.dataframe[0].value
    assert list(first_table_narrow["period"]) == ["2024 H1", "2024 H2", "2025 H1"]
    assert first_table_wide["period"].iloc[0].startswith("2015") and len(first_table_wide) > 15
    assert figure(narrow, 0) != figure(wide, 0)
    info = blocks.dataset()
    csv = [
        blocks.csv_download("c", "t", table, info, [], [], False)[1]()
        for table in (first_table_narrow, first_table_wide)
    ]
    assert csv[0] != csv[1] and csv[0].count(b"\r\n") < csv[1].count(b"\r\n")


def test_changing_platforms_changes_the_pta_chart():
    facebook = open_page("requests", platforms=["Facebook"])
    tiktok = open_page("requests", platforms=["TikTok"])
    names = lambda app: {trace.get("name") for trace in figure(app, 5)["data"]}  # noqa: E731
    assert "Facebook" in names(facebook) and "TikTok" not in names(facebook)
    assert "TikTok" in names(tiktok) and "Facebook" not in names(tiktok)
    assert facebook.multiselect[0].value == ["facebook"]


def test_incident_map_per_million_option_changes_the_values():
    counts = open_page("incidents", map_source="PIPS", map_year="2025")
    per_million = open_page("incidents", map_source="PIPS", map_year="2025", per_million="true")
    z_counts, z_rates = z_values(counts, 2), z_values(per_million, 2)
    assert z_counts != z_rates
    assert max(z_counts) == 413  # PIPS 2025 attacks in Khyber Pakhtunkhwa


@pytest.mark.parametrize(
    "query",
    [
        {"period": ["1900", "2025"]},
        {"platforms": ["facebook'; DROP TABLE incidents; --"]},
        {"categories": ["<img src=x onerror=alert(1)>"]},
        {"events": "maybe"},
        {"compare": ["Z" * 5000]},
    ],
)
def test_hostile_or_stale_link_values_fall_back_to_defaults_with_a_notice(query):
    app = open_page("requests", **query)
    assert not app.exception
    assert any("not recognised" in info.value for info in app.info)
    assert len(app.get("plotly_chart")) == len(PAGES["requests"])


def test_app_reads_a_newly_published_dataset_without_restart(published_dir, tmp_path):
    before = open_page("about")
    version_before = before.markdown[0].value
    # a small dataset of other content (the reference tables alone, one event fewer): which dataset is published
    # is what the page must follow, not what is in it
    data = copy_data(tmp_path / "data")
    events = data / "reference" / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    events.write_text("".join(lines[:-1]), encoding="utf-8")  # one event fewer: different content
    rehash(events)
    out = tmp_path / "published"
    shutil.copytree(published_dir, out)
    try:
        os.environ["DASHBOARD_DATA_DIR"] = str(out)
        run(out, data_dir=data)
        after = open_page("about")
        assert after.markdown[0].value != version_before
    finally:
        os.environ["DASHBOARD_DATA_DIR"] = str(published_dir)


def test_data_page_table_choice_changes_the_files_and_dictionary():
    incidents = open_page("data", table="incidents")
    events = open_page("data", table="events")
    assert incidents.selectbox[0].value == "incidents"
    columns = lambda app: set(app.dataframe[0].value["column"])  # noqa: E731
    assert "killed_total" in columns(incidents) and "event_date" in columns(events)
    labels = lambda app: [d.proto.label for d in app.get("download_button")][1:3]  # noqa: E731
    assert labels(incidents) == ["incidents.csv", "incidents.parquet"]
