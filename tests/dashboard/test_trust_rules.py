"""The pages keep the trust rules a reader relies on: one series per figure, no arithmetic or comparison with a
rounded or lower-bound figure, the share each platform reports labelled by what it counts, gaps said where drawn."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.dashboard.test_pages import open_page

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _dataset(published_dir):
    return published_dir


def test_a_lower_bound_total_is_shown_as_such_with_no_difference_computed():
    app = open_page("overview")
    pta = next(m for m in app.metric if m.label.startswith("URLs blocked by PTA"))
    assert pta.value.startswith("at least "), pta.value  # "more than 1.4 million" in the Lahore High Court report
    assert pta.proto.delta == "", "no '+96,422': a lower bound never enters a subtraction"
    assert any("No change is computed" in c.value for c in app.caption)


def test_each_incident_card_is_one_series_named_by_its_definition():
    app = open_page("overview")
    labels = [m.label for m in app.metric]
    assert any(label.startswith("PIPS: terrorist attacks, ") for label in labels)
    assert any(label.startswith("PICSS: militant attacks, ") for label in labels)
    assert not any("combat" in label for label in labels)


def test_each_overview_chart_is_one_series_of_its_last_ten_years():
    """One chart per headline figure: one source, one definition, one scope; nothing summed across sources."""
    import json

    from dashboard import queries

    app = open_page("overview")
    last = queries.year_bounds()[1]
    tables = [t.value for t in app.dataframe]
    assert len(app.get("plotly_chart")) == 4
    for chart in app.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        drawn = [t for t in spec["data"] if t.get("legendgroup") != "events"]
        names = {t.get("name") for t in drawn if t.get("type") == "bar"} | {
            t.get("legendgroup") for t in drawn if t.get("type") == "scatter"
        }
        assert len(names - {None}) <= 1, names  # one series per chart (a rounded figure drawn apart, same series)
    pips = next(t for t in tables if "definition_id" in t and set(t["source_org"]) == {"PIPS"})
    assert set(pips["definition_id"]) == {"terrorist_attacks"}
    assert pips["period_end"].astype(str).str[:4].astype(int).between(last - 9, last).all()
    picss = next(t for t in tables if "definition_id" in t and set(t["source_org"]) == {"PICSS"})
    assert set(picss["definition_id"]) == {"militant_attacks"}  # not the combat-related series beside it
    pta = next(t for t in tables if "urls_blocked" in t)
    assert pta["platform_id"].isna().all() and set(pta["scope"]) == {"cumulative_snapshot"}


def test_shares_are_labelled_by_what_they_count():
    app = open_page("responsiveness", period=["2012", "2025"])
    rates = app.dataframe[0].value
    tiktok, x = rates[rates["platform_id"] == "tiktok"], rates[rates["platform_id"] == "x"]
    assert not tiktok.empty and (tiktok["basis"] == "items").all()
    assert tiktok["measure"].str.startswith("share of the content named in requests").all()
    assert not x.empty and x["measure"].str.startswith("share of requests").all()


def test_a_ledger_total_names_the_half_years_it_leaves_out():
    app = open_page("responsiveness", period=["2012", "2025"])
    lines = [m.value for m in app.markdown if "half-yearly report(s)" in m.value]
    facebook = next(line for line in lines if line.startswith("- **Facebook**"))
    assert "The total leaves out" in facebook and "2014 H2" in facebook


def test_a_chart_with_gaps_says_which_periods_it_does_not_draw():
    app = open_page("requests", period=["2013", "2025"])
    notes = [c.value for c in app.caption if "no figure for, so they are not drawn" in c.value]
    meta = next(n for n in notes if "Meta: content restricted under local law, Pakistan:" in n)
    assert "2014 H2" in meta.split("Meta: content restricted under local law, Pakistan:")[1]


def test_coverage_and_restatements_are_published_on_about_the_data():
    app = open_page("about")
    with (ROOT / "data" / "reference" / "series.csv").open(encoding="utf-8") as handle:
        series = {row["series_id"] for row in csv.DictReader(handle)}
    tables = [d.value for d in app.dataframe]
    coverage = next(t for t in tables if "missing_periods" in t.columns)
    assert set(coverage["series_id"]) == series
    assert {"rows_cited_publisher", "rows_cited_press", "rows_cited_repost", "next_report_due"} <= set(coverage)
    restated = next(t for t in tables if "value_restated" in t.columns)
    assert not restated.empty and (restated["current_revision"] > restated["revision"]).all()
    dated = restated.dropna(subset=["published", "current_published"])
    assert (dated["current_published"] >= dated["published"]).all()


def test_a_partial_restatement_replaces_only_the_figure_it_restates():
    """PICSS's 2025 release restated 2024's militant attacks (905 → 908) and nothing else: the chart shows 908
    attacks and still the 1,177 deaths of the January 2025 report, each from its own document."""
    app = open_page("incidents", period=["2024", "2024"], sources=["PICSS"])
    table = app.dataframe[0].value
    rows = table[(table["definition_id"] == "militant_attacks") & (table["period"] == "2024")]
    assert rows["attacks"].dropna().astype(int).tolist() == [908]
    assert rows["killed_total"].dropna().astype(int).tolist() == [1177]
    assert (
        rows.loc[rows["attacks"].notna(), "citation_url"].iloc[0]
        != rows.loc[rows["killed_total"].notna(), "citation_url"].iloc[0]
    )
