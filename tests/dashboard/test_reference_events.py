"""Dated events in the reader's language: the reference table holds an Urdu title and description per row,
and the Urdu pages show those (on the charts' event markers and in the list of events under a chart)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import i18n, queries
from dashboard.blocks import md_escape

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _dataset(published_dir):
    return published_dir


def reference_rows() -> list[dict]:
    with (ROOT / "data" / "reference" / "events.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _letters(text: str) -> tuple[int, int]:
    return sum(1 for c in text if "\u0600" <= c <= "\u06ff"), sum(1 for c in text if c.isascii() and c.isalpha())


def test_every_event_has_an_urdu_title_and_description():
    """Titles may be mostly a proper name (a platform, a film); the sentences are Urdu first."""
    for row in reference_rows():
        assert _letters(row["title_ur"])[0] >= 3 and row["title_ur"] != row["title"], row["event_id"]
        urdu, latin = _letters(row["description_ur"])
        assert urdu > latin, row["event_id"]


@pytest.mark.parametrize(("lang", "column"), [("en", "title"), ("ur", "title_ur")])
def test_events_come_titled_in_the_readers_language(lang, column):
    expected = {r["event_id"]: r[column] for r in reference_rows()}
    i18n.set_language(lang)
    try:
        events = queries.events(list(queries.TAKEDOWN_EVENT_KINDS))
    finally:
        i18n.set_language("en")
    assert not events.empty
    assert dict(zip(events["event_id"], events["title"], strict=True)) == {k: expected[k] for k in events["event_id"]}
    assert "title_ur" not in events


def test_the_urdu_page_shows_the_urdu_event_titles():
    rows = {r["title"]: r["title_ur"] for r in reference_rows()}
    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)
    app.query_params["lang"] = "ur"
    app.query_params["events"] = "true"
    app.query_params["period"] = ["2009", "2025"]
    app.switch_page("app_pages/requests.py")
    app.run()
    assert not app.exception
    on_markers = {
        row[0]
        for chart in app.get("plotly_chart")
        for trace in json.loads(chart.proto.spec)["data"]
        if trace.get("legendgroup") == "events" and trace.get("customdata")
        for row in trace["customdata"]
    }
    listed = "\n".join(m.value for m in app.markdown)
    assert on_markers and on_markers <= set(rows.values()), on_markers - set(rows.values())
    assert not on_markers & set(rows)  # no English title left on a marker
    assert "YouTube blocked over" not in listed
    assert md_escape(rows["YouTube blocked over 'Innocence of Muslims'"]) in listed  # the list under a chart
