"""The incident page with event-level aggregates: monthly trends, map and side-by-side panels, labelled."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from etl.build import run
from etl.incident_events_generate import generate
from etl.paths import DATA_DIR_ENV
from etl.publish import current_database

ROOT = Path(__file__).resolve().parents[2]
EVENT_CHARTS = ["event-monthly", "event-map", "event-vs-annual"]


@pytest.fixture(scope="module")
def with_events(tmp_path_factory, published_dir):
    folder = tmp_path_factory.mktemp("events")
    exports = [generate(d, 3_000, 3, folder / f"{d}.csv") for d in ("acled", "ucdp_ged", "gtd")]
    out = folder / "published"
    run(out, event_exports=exports)
    # read before the app opens the file: DuckDB refuses a second connection with another configuration
    con = duckdb.connect(str(current_database(out)), read_only=True)
    expected = {
        dataset: dict(
            con.execute(
                "SELECT group_id, sum(events) FROM incident_events_monthly "
                "WHERE dataset = ? AND month IS NOT NULL AND year BETWEEN 2018 AND 2025 GROUP BY 1",
                [dataset],
            ).fetchall()
        )
        for dataset in ("acled", "ucdp_ged", "gtd")
    }
    expected["map_gtd_2020"] = dict(
        con.execute(
            "SELECT region_code, sum(events) FROM incident_events_monthly WHERE dataset = 'gtd' "
            "AND month BETWEEN DATE '2020-01-01' AND DATE '2020-12-01' AND region_code IS NOT NULL GROUP BY 1"
        ).fetchall()
    )
    con.close()
    os.environ[DATA_DIR_ENV] = str(out)
    yield expected
    os.environ[DATA_DIR_ENV] = str(published_dir)


def open_incidents(**params) -> AppTest:
    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)
    app.switch_page("app_pages/incidents.py")
    for key, value in params.items():
        app.query_params[key] = value
    return app.run()


def _table(app: AppTest, *columns: str):
    """The first chart table on the page with these columns (tables carry no key in the test tree)."""
    return next(d.value for d in app.dataframe if set(columns) <= set(d.value.columns))


def test_event_views_appear_with_an_unmistakable_synthetic_label(with_events):
    app = open_incidents()
    assert not app.exception
    keys = [d.key.removeprefix("csv-") for d in app.get("download_button")]
    assert all(chart in keys for chart in EVENT_CHARTS)
    assert any("ILLUSTRATIVE (SYNTHETIC)" in e.value for e in app.error), "banner on the page"
    assert any("generated event files" in e.value for e in app.sidebar.error), "banner in the frame"


@pytest.mark.parametrize("dataset", ["acled", "ucdp_ged", "gtd"])
def test_monthly_table_matches_the_published_aggregates(with_events, dataset):
    labels = {"acled": "ACLED", "ucdp_ged": "UCDP GED", "gtd": "GTD"}
    app = open_incidents(event_set=labels[dataset], event_by="Militant group", period=["2018", "2025"])
    assert not app.exception
    shown = _table(app, "month", "group_id", "events")
    assert shown.groupby("group_id")["events"].sum().to_dict() == with_events[dataset]


def test_breakdowns_and_measures_switch_without_error(with_events):
    app = open_incidents()
    for key, value in (("event_by", "region_code"), ("event_by", "event_type"), ("event_measure", "fatalities")):
        app.selectbox(key=key).set_value(value).run()
        assert not app.exception, (key, value)
    assert not _table(app, "month", "event_type", "fatalities").empty


def test_timeline_overlays_takedowns_with_the_monthly_series(with_events):
    app = open_incidents(event_set="GTD")
    series = set(_table(app, "series", "value")["series"])
    assert "GTD events (monthly): attacks" in series
    assert "Google: requests from Pakistan" in series


def test_without_event_data_the_section_is_absent(published_dir, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(published_dir))
    app = open_incidents()
    assert not app.exception
    assert "Monthly trends from event data" not in [h.value for h in app.header]


def test_map_adds_up_the_chosen_months(with_events):
    app = open_incidents(event_set="GTD", event_months=["2020-01", "2020-12"])
    assert not app.exception
    shown = _table(app, "region_code", "events", "events_per_million")
    assert dict(zip(shown["region_code"], shown["events"], strict=True)) == with_events["map_gtd_2020"]
