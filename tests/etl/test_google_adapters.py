"""The four Google Transparency Report layouts, read from the shipped files and queried in the built dataset."""

from __future__ import annotations

from datetime import date

import pytest

from .helpers import DETAILED, DETAILED_HISTORICAL, GOOGLE_DIR, SUMMARY, SUMMARY_HISTORICAL, read_records

HISTORICAL_REQUESTERS = {
    "All Requests": "All requesters",
    "Court Orders": "Court orders",
    "Other Requests (Executive, Police, etc.)": "Other (executive, police, etc.)",
}
SOURCE_IDS = {
    SUMMARY: "google_removals_summary",
    SUMMARY_HISTORICAL: "google_removals_summary_historical",
    DETAILED: "google_removals_detailed",
    DETAILED_HISTORICAL: "google_removals_detailed_historical",
}


def _pakistan(file_name: str) -> list[tuple[int, dict[str, str]]]:
    _, records = read_records(GOOGLE_DIR / file_name)
    rows = [(line, rec) for line, rec in records if rec["Country/Region"] == "Pakistan"]
    assert rows, f"no Pakistan rows in {file_name}"
    return rows


def _rows_from_line(db, source_id: str, line: int, columns: str) -> list[tuple]:
    return db.execute(
        f"SELECT {columns} FROM platform_reported_requests WHERE source_id = ? AND source_line = ? ORDER BY requester",
        [source_id, line],
    ).fetchall()


# --- current summary (2019 onward) -----------------------------------------------------------------


def test_summary_pakistan_pta_requests_2025h1(db):
    rows = db.execute(
        """SELECT requests, items_requested, period_start, date_precision, platform_id, product, reason,
                  pct_removed_legal, pct_not_enough_information
           FROM platform_reported_requests
           WHERE source_id = 'google_removals_summary' AND country_code = 'PK' AND period_end = DATE '2025-06-30'
             AND requester = 'Information and Communications Authority'"""
    ).fetchall()
    assert rows == [(211, 4553, date(2025, 1, 1), "half_year", "google", "All products", "All reasons", 82.0, 9.0)]


def test_summary_every_pakistan_row_matches_the_csv(db):
    for line, rec in _pakistan(SUMMARY):
        got = _rows_from_line(db, "google_removals_summary", line, "period_end, requester, requests, items_requested")
        assert got == [
            (
                date.fromisoformat(rec["Period Ending"]),
                rec["Requestor"],
                int(rec["Number of Requests"]),
                int(rec["Items Requested To Be Removed"]),
            )
        ], f"line {line}"


# --- historical summary (court orders / other requests) ------------------------------------------


def test_historical_summary_low_count_is_kept_as_qualifier(db):
    rows = db.execute(
        """SELECT requests, requests_qualifier, items_requested, items_requested_qualifier
           FROM platform_reported_requests
           WHERE source_id = 'google_removals_summary_historical' AND country_code = 'PK'
             AND period_end = DATE '2009-12-31' AND requester = 'All requesters'"""
    ).fetchall()
    assert rows == [(None, "<10", None, None)]


def test_historical_summary_every_suppressed_value_becomes_a_qualifier(db):
    """Every '<10' and '?' cell in the file is a qualifier in the dataset, with no number beside it."""
    _, records = read_records(GOOGLE_DIR / SUMMARY_HISTORICAL)
    seen = {"<10": 0, "?": 0}
    for line, rec in records:
        for group, requester in HISTORICAL_REQUESTERS.items():
            for measure, number_col, qualifier_col in (
                ("Number of Requests", "requests", "requests_qualifier"),
                ("Items Requested To Be Removed", "items_requested", "items_requested_qualifier"),
            ):
                value = rec[f"{group}: {measure}"]
                if value not in seen:
                    continue
                seen[value] += 1
                got = db.execute(
                    f"""SELECT {number_col}, {qualifier_col} FROM platform_reported_requests
                        WHERE source_id = 'google_removals_summary_historical' AND source_line = ? AND requester = ?""",
                    [line, requester],
                ).fetchall()
                assert got == [(None, value)], f"line {line}, {group}: {measure}"
    assert seen["?"] >= 1 and seen["<10"] >= 1, seen


def test_historical_summary_question_mark_row(db):
    """China, 2010-06-30: both requests and items are '?' in the file."""
    _, records = read_records(GOOGLE_DIR / SUMMARY_HISTORICAL)
    [(line, rec)] = [
        (ln, r) for ln, r in records if r["Country/Region"] == "China" and r["Period Ending"] == "2010-06-30"
    ]
    assert rec["All Requests: Number of Requests"] == "?" and rec["All Requests: Items Requested To Be Removed"] == "?"
    got = _rows_from_line(
        db,
        "google_removals_summary_historical",
        line,
        "requester, country_code, requests, requests_qualifier, items_requested, items_requested_qualifier",
    )
    assert ("All requesters", "CN", None, "?", None, "?") in got


def test_historical_summary_pakistan_groups_match_the_csv(db):
    for line, rec in _pakistan(SUMMARY_HISTORICAL):
        got = dict(
            (requester, (requests, items))
            for requester, requests, items in _rows_from_line(
                db, "google_removals_summary_historical", line, "requester, requests, items_requested"
            )
        )
        for group, requester in HISTORICAL_REQUESTERS.items():
            requests = rec[f"{group}: Number of Requests"]
            if requests.isdigit():
                assert got[requester][0] == int(requests), f"line {line} {group}"


# --- detailed (product x reason) ------------------------------------------------------------------


def test_detailed_pakistan_rows_match_the_csv(db):
    rows = _pakistan(DETAILED)
    for line, rec in (rows[0], rows[len(rows) // 2], rows[-1]):
        got = _rows_from_line(
            db, "google_removals_detailed", line, "country_code, period_end, product, reason, requester, requests"
        )
        assert got == [
            (
                "PK",
                date.fromisoformat(rec["Period Ending"]),
                rec["Product"],
                rec["Reason"],
                "All requesters",
                int(rec["Total"]),
            )
        ], f"line {line}"


def test_detailed_pakistan_total_matches_the_csv(db):
    expected = sum(int(rec["Total"]) for _, rec in _pakistan(DETAILED))
    (got,) = db.execute(
        "SELECT sum(requests) FROM platform_reported_requests "
        "WHERE source_id = 'google_removals_detailed' AND country_code = 'PK'"
    ).fetchone()
    assert got == expected


def test_detailed_youtube_rows_are_platform_youtube(db):
    line, rec = next((ln, r) for ln, r in _pakistan(DETAILED) if r["Product"] == "YouTube")
    assert _rows_from_line(db, "google_removals_detailed", line, "platform_id") == [("youtube",)]
    line, rec = next((ln, r) for ln, r in _pakistan(DETAILED) if r["Product"] == "Web Search")
    assert _rows_from_line(db, "google_removals_detailed", line, "platform_id") == [("google_other",)]


# --- detailed historical (court orders / executive, police) ---------------------------------------


def test_detailed_historical_row_splits_by_requester(db):
    """One CSV line → a 'Court orders' row, an 'Other (...)' row and the items on an 'All requesters' row."""
    line, rec = next(
        (ln, r)
        for ln, r in _pakistan(DETAILED_HISTORICAL)
        if r["Period Ending"] == "2018-06-30" and r["Product"] == "YouTube" and r["Reason"] == "Defamation"
    )
    court, other, items = (
        int(rec["Court Orders"]),
        int(rec["Executive, Police, etc."]),
        int(rec["Items Requested To Be Removed"]),
    )
    assert (court, other, items) == (1, 26, 109)  # the shipped file, as read by the csv module
    got = _rows_from_line(
        db,
        "google_removals_detailed_historical",
        line,
        "requester, requests, items_requested, product, reason, period_end, country_code",
    )
    common = ("YouTube", "Defamation", date(2018, 6, 30), "PK")
    assert got == [
        ("All requesters", None, items, *common),
        ("Court orders", court, None, *common),
        ("Other (executive, police, etc.)", other, None, *common),
    ]


def test_detailed_historical_pakistan_totals_match_the_csv(db):
    rows = _pakistan(DETAILED_HISTORICAL)

    def total(column: str) -> int:
        return sum(int(rec[column]) for _, rec in rows if rec[column])

    got = dict(
        db.execute(
            """SELECT requester, coalesce(sum(requests), 0) + coalesce(sum(items_requested), 0)
               FROM platform_reported_requests
               WHERE source_id = 'google_removals_detailed_historical' AND country_code = 'PK' GROUP BY requester"""
        ).fetchall()
    )
    assert got == {
        "Court orders": total("Court Orders"),
        "Other (executive, police, etc.)": total("Executive, Police, etc."),
        "All requesters": total("Items Requested To Be Removed"),
    }


# --- international bodies and row accounting -------------------------------------------------------


@pytest.mark.parametrize("body, code", [("Europol", "EUROPOL"), ("Interpol", "INTERPOL")])
def test_international_bodies_get_their_own_code(db, body, code):
    for file_name, source_id in SOURCE_IDS.items():
        _, records = read_records(GOOGLE_DIR / file_name)
        lines = {ln for ln, rec in records if rec["Country/Region"] == body}
        codes = db.execute(
            "SELECT DISTINCT source_line, country_code FROM platform_reported_requests "
            "WHERE source_id = ? AND country_name = ?",
            [source_id, body],
        ).fetchall()
        assert {ln for ln, _ in codes} == lines, file_name
        assert {c for _, c in codes} <= {code}, file_name
    (n,) = db.execute("SELECT count(*) FROM platform_reported_requests WHERE country_code = ?", [code]).fetchone()
    assert n > 0


def test_every_loaded_source_accounts_for_its_rows(db):
    sources = db.execute(
        "SELECT source_id, rows_read, rows_loaded, rows_quarantined FROM sources WHERE loaded_into IS NOT NULL"
    ).fetchall()
    assert len(sources) >= 11
    for source_id, read, loaded, quarantined in sources:
        assert read == loaded + quarantined, source_id
        assert quarantined == 0, source_id
    assert db.execute("SELECT count(*) FROM quarantine").fetchone() == (0,)


@pytest.mark.parametrize("file_name", list(SOURCE_IDS))
def test_google_source_reads_every_record_of_its_file(db, file_name):
    _, records = read_records(GOOGLE_DIR / file_name)
    got = db.execute(
        "SELECT layout, loaded_into, rows_read, rows_loaded FROM sources WHERE source_id = ?", [SOURCE_IDS[file_name]]
    ).fetchall()
    layout = {
        SUMMARY: "google_summary",
        SUMMARY_HISTORICAL: "google_summary_historical",
        DETAILED: "google_detailed",
        DETAILED_HISTORICAL: "google_detailed_historical",
    }[file_name]
    assert got == [(layout, "platform_reported_requests", len(records), len(records))]


def test_table_rows_add_up_to_each_table(db):
    """The per-source table_rows in `sources` add up to what each table holds."""
    per_table = db.execute(
        "SELECT loaded_into, sum(table_rows) FROM sources WHERE loaded_into IS NOT NULL GROUP BY 1"
    ).fetchall()
    assert per_table
    for table, rows in per_table:
        (count,) = db.execute(f'SELECT count(*) FROM "{table}"').fetchone()
        assert count == rows, table
