"""The briefing pack's fixtures: the key figures read straight from the published database, independently of the
dashboard's queries, and briefs built from the session's dataset."""

from __future__ import annotations

import os

import duckdb
import pytest

from dashboard import briefing, i18n
from dataset.location import DATA_DIR_ENV

PERIOD = (2021, 2025)
# The configuration the dashboard opens the file with: DuckDB refuses a second connection to the same file with
# another one, and the dashboard's connection may already be open in this process.
DB_CONFIG = {"enable_external_access": False, "threads": 2, "memory_limit": "1GB"}


def read_key_figures(database, year_from: int, year_to: int) -> dict[str, int]:
    """Google's latest half-year, PTA's latest dated total and PIPS's latest year, straight from the tables."""
    con = duckdb.connect(str(database), read_only=True, config=DB_CONFIG)
    try:
        google = con.execute(
            """SELECT sum(requests) FROM platform_reported_requests
               WHERE source_id = 'google_removals_summary' AND country_code = 'PK'
                 AND year(period_end) BETWEEN ? AND ?
               GROUP BY period_end ORDER BY period_end DESC LIMIT 1""",
            [year_from, year_to],
        ).fetchone()[0]
        pta = con.execute(
            """SELECT urls_blocked FROM regulator_reported_actions
               WHERE platform_id IS NULL AND breakdown = 'total' AND scope = 'cumulative_snapshot'
                 AND as_of IS NOT NULL AND year(as_of) BETWEEN ? AND ?
               ORDER BY as_of DESC LIMIT 1""",
            [year_from, year_to],
        ).fetchone()[0]
        pips = con.execute(
            """SELECT attacks FROM incidents
               WHERE region_code = 'PK' AND source_org = 'PIPS' AND year(period_end) BETWEEN ? AND ?
               ORDER BY period_end DESC LIMIT 1""",
            [year_from, year_to],
        ).fetchone()[0]
    finally:
        con.close()
    return {"google_latest_requests": int(google), "pta_latest_blocked": int(pta), "pips_latest_attacks": int(pips)}


@pytest.fixture(scope="session")
def key_figures(published_db) -> dict[str, int]:
    return read_key_figures(published_db, *PERIOD)


@pytest.fixture(scope="session")
def briefs(published_dir) -> dict[str, str]:
    """The brief for 2021–2025 in English and in Urdu, all platforms and provinces, of the session's dataset
    (pointed at explicitly: a module may have pointed the dashboard at another dataset when this is first asked)."""
    previous = os.environ.get(DATA_DIR_ENV)
    os.environ[DATA_DIR_ENV] = str(published_dir)
    try:
        return {lang: briefing.build_html(*PERIOD, lang) for lang in i18n.LANGUAGES}
    finally:
        if previous is None:
            os.environ.pop(DATA_DIR_ENV, None)
        else:
            os.environ[DATA_DIR_ENV] = previous
