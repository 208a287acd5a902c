"""Series coverage: for each series the dashboard draws, the periods it has and the periods it lacks, by name.

The publisher's cadence and the periods it has reported come from the ``series`` reference table; the build
compares them with the loaded figures and publishes the result (``series_coverage``, one row per series,
and ``series_missing_periods``, one row per period the publisher reported that the dataset lacks).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

SQL = (Path(__file__).parent / "sql" / "series_coverage.sql").read_text(encoding="utf-8")
TABLES_SQL = """
CREATE TABLE series_coverage (
  series_id VARCHAR PRIMARY KEY, name VARCHAR, publisher VARCHAR, cadence VARCHAR,
  first_period VARCHAR, last_period VARCHAR, first_date DATE, last_date DATE,
  periods_with_figures BIGINT, periods_published BIGINT, periods_missing BIGINT, missing_periods VARCHAR,
  next_report_due VARCHAR, rows BIGINT, rows_cited_publisher BIGINT, rows_cited_press BIGINT,
  rows_cited_repost BIGINT, cadence_note VARCHAR, cadence_citation_url VARCHAR,
  source_last_checked VARCHAR, source_last_changed VARCHAR
);
CREATE TABLE series_missing_periods (
  series_id VARCHAR, period_label VARCHAR, period_start DATE, period_end DATE
);
"""


def record(con: duckdb.DuckDBPyConnection) -> None:
    """Fill series_coverage and series_missing_periods from the series table and the loaded facts."""
    con.execute(TABLES_SQL)
    con.execute(SQL)
    for view in ("series_expected_status", "series_expected", "series_rows"):
        con.execute(f"DROP VIEW {view}")  # noqa: S608 (fixed names)
