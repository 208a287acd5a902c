"""Series coverage names every period a publisher reported that the dataset lacks, and counts citation grades."""

from __future__ import annotations

import duckdb
import pytest

from etl import coverage
from etl.build import SYSTEM_TABLES_SQL
from etl.contracts import load_contract


@pytest.fixture
def con():
    con = duckdb.connect()
    for table in ("series", "platform_reported_requests", "regulator_reported_actions", "incidents"):
        con.execute(load_contract(table).create_table_sql())
    con.execute(SYSTEM_TABLES_SQL)
    con.executemany(  # the TikTok file was fetched twice from its publisher, the PTA file never
        "INSERT INTO sources (source_id, last_checked, last_changed) VALUES (?, ?, ?)",
        [("tiktok_file", "2026-02-01T02:30:00+00:00", "2026-01-01T02:30:00+00:00"), ("pta_file", None, None)],
    )
    con.executemany(
        "INSERT INTO series (series_id, name, publisher, table_name, org, definition_id, cadence, expected_from, "
        "expected_to, next_report_due, cadence_note, cadence_citation_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                "tiktok",
                "TikTok",
                "TikTok",
                "platform_reported_requests",
                "tiktok",
                None,
                "half_year",
                "2019-01-01",
                "2020-12-31",
                "soon",
                "half-yearly",
                "https://example.org/t",
            ),
            (
                "picss_ma",
                "PICSS militant attacks",
                "PICSS",
                "incidents",
                "PICSS",
                "militant_attacks",
                "year",
                "2022-01-01",
                "2024-12-31",
                "January",
                "yearly",
                "https://example.org/p",
            ),
            (
                "pta",
                "PTA",
                "PTA",
                "regulator_reported_actions",
                "PTA",
                None,
                "irregular",
                None,
                None,
                "no schedule",
                "irregular",
                "https://example.org/pta",
            ),
        ],  # fmt: skip
    )
    con.executemany(
        "INSERT INTO platform_reported_requests (reporter_id, country_code, period_start, period_end, date_precision, "
        "citation_grade, source_id) VALUES ('tiktok', ?, ?, ?, 'half_year', ?, 'tiktok_file')",
        [
            ("PK", "2019-07-01", "2019-12-31", "publisher"),
            ("PK", "2020-07-01", "2020-12-31", "press"),
            ("IN", "2019-01-01", "2019-06-30", "publisher"),
        ],  # fmt: skip  (India's row is not Pakistan's series)
    )
    con.executemany(
        "INSERT INTO incidents (source_org, definition_id, region_code, period_start, period_end, date_precision, "
        "citation_grade) VALUES ('PICSS', ?, ?, ?, ?, ?, ?)",
        [
            ("militant_attacks", "PK", "2022-01-01", "2022-06-30", "half_year", "press"),  # a half is not the year
            ("militant_attacks", "PK", "2023-01-01", "2023-12-31", "year", "repost"),
            ("combat_related", "PK", "2024-01-01", "2024-12-31", "year", "press"),  # another series
            ("militant_attacks", "PK-KP", "2024-01-01", "2024-12-31", "year", "press"),  # a province, not national
        ],
    )
    con.executemany(
        "INSERT INTO regulator_reported_actions (regulator, as_of, date_precision, citation_grade, source_id) "
        "VALUES (?, ?, ?, ?, 'pta_file')",
        [
            ("PTA", "2022-09-22", "day", "press"),
            ("PTA", "2022-09-22", "day", "press"),
            ("PTA", "2024-07-19", "day", "repost"),
            ("PTA", None, "unknown", "press"),
        ],  # fmt: skip
    )
    coverage.record(con)
    return con


def test_missing_periods_are_named_in_order(con):
    missing = con.execute(
        "SELECT series_id, period_label FROM series_missing_periods ORDER BY series_id, period_start"
    ).fetchall()
    assert missing == [("picss_ma", "2022"), ("picss_ma", "2024"), ("tiktok", "2019 H1"), ("tiktok", "2020 H1")]


def test_coverage_row_per_series(con):
    rows = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT series_id, first_period, last_period, periods_with_figures, periods_published, periods_missing, "
            "missing_periods, rows, rows_cited_publisher, rows_cited_press, rows_cited_repost FROM series_coverage"
        ).fetchall()
    }
    assert rows["tiktok"] == ("2019 H2", "2020 H2", 2, 4, 2, "2019 H1, 2020 H1", 2, 1, 1, 0)
    assert rows["picss_ma"] == ("2023", "2023", 1, 3, 2, "2022, 2024", 2, 0, 1, 1)
    # Irregular: dated reports are counted, no period is expected or missing; the undated report is a row.
    assert rows["pta"] == (None, None, 2, 0, 0, None, 4, 0, 3, 1)


def test_coverage_says_when_each_series_files_were_last_checked_and_changed_at_the_publisher(con):
    rows = dict(
        (r[0], r[1:])
        for r in con.execute(
            "SELECT series_id, source_last_checked, source_last_changed FROM series_coverage"
        ).fetchall()
    )
    assert rows["tiktok"] == ("2026-02-01T02:30:00+00:00", "2026-01-01T02:30:00+00:00")
    assert rows["pta"] == (None, None)  # never fetched: no date is made up
