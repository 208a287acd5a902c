"""A source's restated figure replaces the earlier one in the fact table; the earlier one stays published."""

from __future__ import annotations

import duckdb
import pytest

from etl.contracts import load_contract
from etl.restatements import RESTATEMENTS_SQL, figures, set_aside

COLUMNS = (
    "source_id, source_line, source_org, source_org_as_printed, definition_id, definition_as_printed, period_start, "
    "period_end, date_precision, region_label, region_code, attacks, killed_total, killed_militants, "
    "attacks_qualifier, revision, published, citation_url, citation_grade, approx"
)


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute(load_contract("incidents").create_table_sql())
    con.execute(RESTATEMENTS_SQL)
    rows = [
        # PICSS 2025, militant attacks: the year-end press release, then the annual report restating it.
        ("f", 2, "PICSS", "PICSS", "militant_attacks", "militant attacks", "2025-01-01", "2025-12-31", "year",
         "Pakistan", "PK", 1063, 1500, None, None, 1, "2025-12-28", "https://example.org/release", "press", False),
        ("f", 3, "PICSS", "PICSS", "militant_attacks", "militant attacks", "2025-01-01", "2025-12-31", "year",
         "Pakistan", "PK", 1066, None, None, "lower_bound", 2, "2026-01-07", "https://example.org/report", "press",
         True),
        # Another series of the same source and year is left alone.
        ("f", 4, "PICSS", "PICSS", "combat_related", "combat-related", "2025-01-01", "2025-12-31", "year",
         "Pakistan", "PK", None, 3413, 2138, None, 1, "2026-01-07", "https://example.org/report", "press", False),
    ]  # fmt: skip
    con.executemany(f"INSERT INTO incidents ({COLUMNS}) VALUES ({', '.join('?' * 20)})", rows)
    return con


def test_a_restated_figure_is_emptied_in_the_earlier_row_and_the_rest_stays(con):
    removed = set_aside(con, load_contract("incidents"))
    assert removed == {}  # the press release keeps its death toll, which the annual report does not restate
    left = con.execute(
        "SELECT definition_id, revision, attacks, attacks_qualifier, killed_total, approx FROM incidents ORDER BY 1, 2"
    ).fetchall()
    assert left == [
        ("combat_related", 1, None, None, 3413, False),
        ("militant_attacks", 1, None, None, 1500, False),
        ("militant_attacks", 2, 1066, "lower_bound", None, True),
    ]


def test_a_row_whose_every_figure_was_restated_leaves_the_table(con):
    con.execute("UPDATE incidents SET killed_total = 1510 WHERE revision = 2")
    assert set_aside(con, load_contract("incidents")) == {"f": 1}
    assert con.execute("SELECT revision FROM incidents WHERE definition_id = 'militant_attacks'").fetchall() == [(2,)]


def test_every_restated_figure_is_kept_beside_its_replacement(con):
    set_aside(con, load_contract("incidents"))
    restated = con.execute(
        """SELECT "column", value_restated, qualifier_restated, published, citation_url, current_value,
                  current_qualifier, current_published, current_citation_url, source_line, current_source_line
           FROM source_restatements ORDER BY "column" """
    ).fetchall()
    assert [r[0] for r in restated] == ["attacks"], "only what the later document gives is restated"
    [attacks] = restated
    assert attacks[1:3] == (1063, None) and attacks[5:7] == (1066, "lower_bound")
    assert str(attacks[3]) == "2025-12-28" and attacks[4] == "https://example.org/release"
    assert str(attacks[7]) == "2026-01-07" and attacks[8] == "https://example.org/report"
    assert attacks[9:] == (2, 3)


def test_tables_without_revisions_are_untouched():
    contract = load_contract("regulator_reported_actions")
    con = duckdb.connect()
    con.execute(contract.create_table_sql())
    con.execute(RESTATEMENTS_SQL)
    assert set_aside(con, contract) == {}


def test_figures_are_the_numbers_less_line_and_revision():
    assert figures(load_contract("incidents")) == [
        "attacks",
        "killed_total",
        "killed_security",
        "killed_civilians",
        "killed_militants",
        "injured_total",
    ]
