"""The incident page with event-level aggregates: monthly trends, map and side-by-side panels, labelled."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from etl.build import run
from etl.incident_events_generate import generate
from etl.paths import DATA_DIR_ENV
from etl.publish import current_database
from tests.etl.helpers import copy_data

ROOT = Path(__file__).resolve().parents[2]
CANONICAL = [f"canonical/{t}.csv" for t in ("incidents", "platform_reported_requests", "regulator_reported_actions")]
EVENT_CHARTS = ["event-monthly", "event-map", "event-vs-annual"]


@pytest.fixture(scope="module")
def with_events(tmp_path_factory, published_dir):
    """Generated ACLED, UCDP GED and GTD exports, built with the reference tables, the canonical tables (the annual
    figures the monthly ones are set beside) and Google's summary (the takedowns on the timeline); Google's detailed
    files and the shipped UCDP GED events, which a user's UCDP GED export replaces, are left out."""
    folder = tmp_path_factory.mktemp("events")
    exports = [generate(d, 3_000, 3, folder / f"{d}.csv") for d in ("acled", "ucdp_ged", "gtd")]
    data = copy_data(folder / "data", *CANONICAL, "sources/google/google-government-removal-requests.csv")
    out = folder / "published"
    run(out, data_dir=data, event_exports=exports)
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


def test_without_a_user_file_the_shipped_ucdp_data_shows_real_cited_and_preliminary(published_dir, monkeypatch):
    # The project ships UCDP GED for Pakistan (CC BY 4.0): with no export of the user's own, the section shows
    # it, labelled real with UCDP's citation, and UCDP's monthly deaths with 2022 onward marked preliminary.
    monkeypatch.setenv(DATA_DIR_ENV, str(published_dir))
    app = open_incidents(period=["1989", "2025"])
    assert not app.exception
    assert "Monthly trends from event data" in [h.value for h in app.header]
    keys = [d.key.removeprefix("csv-") for d in app.get("download_button")]
    assert [k for k in keys if k.startswith(("event-", "ucdp-"))] == [
        *EVENT_CHARTS[:1],
        "ucdp-deaths-monthly",
        *EVENT_CHARTS[1:],
    ]
    assert not app.error and not app.sidebar.error  # nothing synthetic
    real = " ".join(i.value for i in app.info)
    assert "Real data: UCDP Georeferenced Event Dataset" in real and "CC BY 4" in real
    assert "Sundberg" in real and "Davies" in real
    definition = " ".join(m.value for m in app.markdown)
    assert "threshold of 25 deaths" in definition and "never added to them" in definition
    assert "ACLED" in definition and "GTD user agreement" in definition  # each dataset's terms
    monthly = _table(app, "month", "group_id", "events")
    # every event the file dates within one month is drawn (the others are counted in their year, no month)
    with (ROOT / "data" / "sources" / "events" / "ucdp_ged_pakistan_1989-2021.csv").open(encoding="utf-8") as handle:
        in_one_month = sum(r["date_start"][:7] == r["date_end"][:7] for r in csv.DictReader(handle))
    assert int(monthly["events"].sum()) == in_one_month == 6416 - 39
    assert monthly["synthetic"].eq(False).all()
    deaths = _table(app, "month", "violence_type", "preliminary")
    assert deaths["preliminary"].to_dict() == (deaths["month"] >= pd.Timestamp("2022-01-01")).to_dict()
    assert deaths["preliminary"].any() and not deaths["preliminary"].all()
    title = next(h.value for h in app.subheader if h.value.startswith("UCDP deaths per month"))
    assert "preliminary from 2022-01" in title
    captions = " ".join(c.value for c in app.caption)
    assert "preliminary" in captions and "Hegre" in captions and "never added to them" in captions
    unmapped = _table(app, "field", "name", "events")
    assert 0 < len(unmapped) <= 25 and unmapped["events"].max() < 10  # the short list, on the page


def test_map_adds_up_the_chosen_months(with_events):
    app = open_incidents(event_set="GTD", event_months=["2020-01", "2020-12"])
    assert not app.exception
    shown = _table(app, "region_code", "events", "events_per_million")
    assert dict(zip(shown["region_code"], shown["events"], strict=True)) == with_events["map_gtd_2020"]
