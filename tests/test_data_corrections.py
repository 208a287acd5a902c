"""The corrections of the December 2026 data audit, each pinned by a test that fails on the data before it.

Canonical rows are read from the CSV files; what the dashboard shows (the latest revision of each figure, and the
earlier ones set aside as restatements) is read from a database built from the real data directory.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

DATA = Path(__file__).resolve().parent.parent / "data"


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def canonical(table: str) -> list[dict]:
    return read(DATA / "canonical" / f"{table}.csv")


def picss(definition_id: str, year: str, region: str = "Pakistan") -> list[dict]:
    """PICSS rows of one definition for a calendar year, earliest revision first."""
    rows = [
        r
        for r in canonical("incidents")
        if r["source_org"] == "PICSS"
        and r["definition_id"] == definition_id
        and r["period_start"] == f"{year}-01-01"
        and r["period_end"] == f"{year}-12-31"
        and r["region_label"] == region
    ]
    return sorted(rows, key=lambda r: int(r["revision"]))


@pytest.fixture(scope="module")
def built(tmp_path_factory, published_db) -> duckdb.DuckDBPyConnection:
    """The session's build of the real data directory (``published_db``, tests/conftest.py), opened from a copy:
    the dashboard's tests may hold the published file open in this process with another configuration, and DuckDB
    refuses a second connection to one file with other settings."""
    copy = tmp_path_factory.mktemp("corrections") / published_db.name
    shutil.copyfile(published_db, copy)
    con = duckdb.connect(str(copy), read_only=True)
    yield con
    con.close()


def test_picss_2024_militant_attacks_count_deaths_in_attacks_only():
    """Audit error 1: 951 (mostly militants killed in security-force operations) stood in the militant-attack row."""
    first = picss("militant_attacks", "2024")[0]
    assert (first["attacks"], first["killed_total"], first["killed_militants"]) == ("905", "1177", "225")
    assert (first["killed_security"], first["killed_civilians"], first["injured_total"]) == ("461", "488", "1292")
    assert not [
        r
        for r in canonical("incidents")
        if r["definition_id"] == "militant_attacks" and r["killed_militants"] in ("950", "951")
    ]
    combined = picss("combat_related", "2024")
    assert [r["killed_total"] for r in combined] == ["1969", "1950"]


def test_picss_2025_latest_figures_are_the_annual_report(built):
    """Audit error 2: the 28 Dec 2025 release was revised by the annual report of January 2026."""
    attacks = built.execute(
        """SELECT attacks, attacks_qualifier FROM incidents
           WHERE source_org = 'PICSS' AND definition_id = 'militant_attacks' AND region_code = 'PK'
             AND period_start = DATE '2025-01-01' AND period_end = DATE '2025-12-31'"""
    ).fetchall()
    assert attacks == [(1066, "lower_bound")]
    killed = built.execute(
        """SELECT killed_total, killed_security, killed_militants FROM incidents
           WHERE source_org = 'PICSS' AND definition_id = 'combat_related' AND region_code = 'PK'
             AND period_start = DATE '2025-01-01' AND period_end = DATE '2025-12-31'"""
    ).fetchall()
    assert killed == [(3413, 667, 2138)]
    restated = built.execute(
        """SELECT "column", value_restated, current_value FROM source_restatements
           WHERE table_name = 'incidents' AND row_key LIKE 'PICSS | % | 2025-01-01 | 2025-12-31 | Pakistan'"""
    ).fetchall()
    assert ("attacks", 1063.0, 1066.0) in restated
    assert ("killed_total", 3387.0, 3413.0) in restated


def test_no_picss_combat_related_row_counts_the_1063_militant_attacks():
    """Audit error 2: 1,063 is PICSS's count of militant attacks, never of combat-related incidents."""
    rows = [r for r in canonical("incidents") if r["source_org"] == "PICSS" and r["attacks"] == "1063"]
    assert rows and {r["definition_id"] for r in rows} == {"militant_attacks"}


def test_tiktok_removal_rate_is_a_share_of_content_not_of_requests():
    """Audit error 3: TikTok's 93.5 % is the share of reported content removed."""
    rows = [r for r in canonical("platform_reported_requests") if r["reporter_id"] == "tiktok" and r["complied_pct"]]
    assert [(r["complied_pct"], r["compliance_basis"]) for r in rows] == [("93.5", "items")]


def test_pta_2024_25_flow_is_not_stored_as_two_calendar_years():
    """Audit error 5: '2024–25' is not 1 Jan 2024 – 31 Dec 2025; store what the source says."""
    printed = {"35000", "25482", "2103", "38214", "31313", "7608"}  # TikTok, Facebook, X; three categories
    rows = [r for r in canonical("regulator_reported_actions") if r["scope"] == "flow" and r["urls_blocked"] in printed]
    assert len(rows) == len(printed)
    for r in rows:
        assert (r["period_start"], r["period_end"]) != ("2024-01-01", "2025-12-31")
        if r["date_precision"] == "fiscal_year":
            assert (r["period_start"], r["period_end"]) == ("2024-07-01", "2025-06-30")
        else:
            assert r["date_precision"] == "unknown" and not (r["period_start"] or r["period_end"] or r["as_of"])


def test_pta_totals_printed_as_more_than_are_lower_bounds():
    """Audit error 4: 'more than 1.4 million' and 'more than 88,000' are bounds, never exact figures."""
    totals = {
        r["urls_blocked"]: r["value_kind"]
        for r in canonical("regulator_reported_actions")
        if r["breakdown"] == "total" and r["urls_blocked"] in ("1400000", "88000")
    }
    assert totals == {"1400000": "lower_bound", "88000": "lower_bound"}


def test_wikipedia_restored_when_access_returned():
    """Audit item 6: the block was lifted on the Prime Minister's order of 6 Feb; access returned on 7 Feb 2023."""
    events = {r["event_id"]: r for r in read(DATA / "reference" / "events.csv")}
    assert events["wikipedia-2023-restored"]["event_date"] == "2023-02-07"
    assert events["tiktok-2021-july-blocked"]["event_date"] == "2021-07-20"


def half_years(reporter_id: str) -> set[str]:
    return {r["period_start"] for r in canonical("platform_reported_requests") if r["reporter_id"] == reporter_id}


def test_every_series_has_more_periods_than_before():
    """The issue's table: Meta 4 half-years, TikTok 1, X 13, PIPS 4 years, PICSS 7 periods, PTA 5 dated reports."""
    assert len(half_years("meta")) > 4
    assert len(half_years("tiktok")) > 1
    assert len(half_years("x")) > 13
    incidents = [r for r in canonical("incidents") if r["region_label"] == "Pakistan"]
    assert len({r["period_start"] for r in incidents if r["source_org"] == "PIPS"}) > 4
    picss_periods = {
        (r["definition_id"], r["period_start"], r["period_end"]) for r in incidents if r["source_org"] == "PICSS"
    }
    assert len(picss_periods) > 7
    snapshots = {r["as_of"] for r in canonical("regulator_reported_actions") if r["scope"] == "cumulative_snapshot"}
    assert len(snapshots - {""}) > 6  # before: 6 dated snapshots (5 of them by platform)
