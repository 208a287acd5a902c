"""A small hand-made case log, built with k = 1: every published figure equals the hand computation.

The log has 26 requests in three months on X and Facebook, written with the platform and category labels an
agency might use (aliases, any case, stray spaces, a category id). Response hours are chosen so that medians,
90th percentiles (DuckDB quantile_cont: linear interpolation between the two nearest ranks) and the shares
answered within 24 and 72 hours can be worked out on paper; the expected figures below were.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from .helpers import CELL_KEY, FIGURES, answered_after, build, table, write_csv_log, write_parquet_log

# (cell, request_id, sent_at, platform label, category label, status, hours to answer or None when pending)
# Cells (all but month/platform/category fixed per cell):
CELL_DIMENSIONS = {
    "A": ("none", "PK", "PTA", "account"),
    "B": ("TTP", "AF", "FIA-CCW", "post"),
    "C": ("none", "PK", "PTA", "account"),
    "D": ("none", "PK", "MoI", "channel"),
    "E": ("none", "PK", "PTA", "account"),
    "F": ("BLA", "unknown", "PTA", "mirror"),
    "G": ("none", "PK", "PTA", "account"),
    "H": ("none", "PK", "PTA", "account"),
}
REQUESTS = [
    # January 2024, X, national security: hours 2, 10, 30, 50, 100
    ("A", "IB-2024-0001", "2024-01-03T09:00:00Z", "X", "Anti-state", "actioned", 2),
    ("A", "IB-2024-0002", "2024-01-04T09:00:00Z", "Twitter", "anti-state", "actioned", 10),
    ("A", "IB-2024-0003", "2024-01-10T12:00:00Z", "twitter", "ANTI-STATE", "partial", 30),
    ("A", "IB-2024-0004", "2024-01-15T00:00:00Z", " X (Twitter) ", "national_security", "rejected", 50),
    ("A", "IB-2024-0005", "2024-01-31T20:00:00Z", "TWITTER/X", "Anti-State", "rejected", 100),
    # January 2024, X, terrorism: one pending, answers after exactly 24 and 72 hours (both "within")
    ("B", "IB-2024-0006", "2024-01-05T08:00:00Z", "x", "Terrorism / militancy", "pending", None),
    ("B", "IB-2024-0007", "2024-01-06T08:00:00Z", "X", "terrorism / MILITANCY", "actioned", 24),
    ("B", "IB-2024-0008", "2024-01-07T08:00:00Z", "Twitter", "Terrorism / militancy", "actioned", 72),
    # January 2024, Facebook, national security: hours 1, 3, 5, 7
    ("C", "IB-2024-0009", "2024-01-08T10:00:00Z", "Facebook", "Anti-state", "actioned", 1),
    ("C", "IB-2024-0010", "2024-01-09T10:00:00Z", "facebook", "Anti-state", "actioned", 3),
    ("C", "IB-2024-0011", "2024-01-10T10:00:00Z", "FB", "Anti-state", "actioned", 5),
    ("C", "IB-2024-0012", "2024-01-11T10:00:00Z", "fb", "Anti-state", "actioned", 7),
    # January 2024, Facebook, religious: both pending, so no response-time figures at all
    ("D", "IB-2024-0013", "2024-01-12T10:00:00Z", "Facebook", "Blasphemy", "pending", None),
    ("D", "IB-2024-0014", "2024-01-13T10:00:00Z", "FACEBOOK", " blasphemy ", "pending", None),
    # February 2024, X: the first was sent on 31 January at 22:00 in UTC-5, i.e. 1 February 03:00 UTC;
    # the second has no offset (taken as UTC). Hours 12, 12, 36, 36, 80, 200
    ("E", "IB-2024-0015", "2024-01-31T22:00:00-05:00", "X", "Anti-state", "actioned", 12),
    ("E", "IB-2024-0016", "2024-02-10 10:00:00", "Twitter", "Anti-state", "actioned", 12),
    ("E", "IB-2024-0017", "2024-02-11T10:00:00Z", "X", "Anti-state", "rejected", 36),
    ("E", "IB-2024-0018", "2024-02-12T10:00:00Z", "X", "Anti-state", "rejected", 36),
    ("E", "IB-2024-0019", "2024-02-13T10:00:00Z", "X", "Anti-state", "rejected", 80),
    ("E", "IB-2024-0020", "2024-02-29T10:00:00Z", "X", "Anti-state", "partial", 200),
    # February 2024, Facebook, terrorism: hours 6, 20, 48
    ("F", "IB-2024-0021", "2024-02-02T10:00:00Z", "Facebook", "Terrorism / militancy", "actioned", 6),
    ("F", "IB-2024-0022", "2024-02-03T10:00:00Z", "Facebook", "Terrorism / militancy", "actioned", 20),
    ("F", "IB-2024-0023", "2024-02-04T10:00:00Z", "Facebook", "Terrorism / militancy", "actioned", 48),
    # March 2024: a single X request, and two Facebook ones (10 and 90 hours)
    ("G", "IB-2024-0024", "2024-03-05T10:00:00Z", "X", "Blasphemy", "rejected", 5),
    ("H", "IB-2024-0025", "2024-03-06T10:00:00Z", "Facebook", "Anti-state", "partial", 10),
    ("H", "IB-2024-0026", "2024-03-07T10:00:00Z", "Facebook", "Anti-state", "actioned", 90),
]

# Hand computation. Columns: requests, actioned, partial, rejected, pending, p50, p90, ≤24h %, ≤72h %.
EXPECTED_CELLS = {
    # A: sorted 2,10,30,50,100 → p50 30; p90 rank 0.9·4 = 3.6 → 50 + 0.6·50 = 80; ≤24h 2/5; ≤72h 4/5
    ("2024-01-01", "x", "national_security", "none", "PK", "PTA", "account"): (5, 2, 1, 2, 0, 30, 80, 40, 80),
    # B: answered 24, 72 → p50 48; p90 24 + 0.9·48 = 67.2; ≤24h 1/2; ≤72h 2/2 (pending not counted)
    ("2024-01-01", "x", "terrorism_extremism", "TTP", "AF", "FIA-CCW", "post"): (3, 2, 0, 0, 1, 48, 67.2, 50, 100),
    # C: 1,3,5,7 → p50 4; p90 rank 2.7 → 5 + 0.7·2 = 6.4
    ("2024-01-01", "facebook", "national_security", "none", "PK", "PTA", "account"): (4, 4, 0, 0, 0, 4, 6.4, 100, 100),
    # D: nothing answered → no response-time figures
    ("2024-01-01", "facebook", "religious", "none", "PK", "MoI", "channel"): (2, 0, 0, 0, 2, None, None, None, None),
    # E: 12,12,36,36,80,200 → p50 36; p90 rank 4.5 → 80 + 0.5·120 = 140; ≤24h 2/6; ≤72h 4/6
    ("2024-02-01", "x", "national_security", "none", "PK", "PTA", "account"): (
        6,
        2,
        1,
        3,
        0,
        36,
        140,
        100 / 3,
        200 / 3,
    ),
    # F: 6,20,48 → p50 20; p90 rank 1.8 → 20 + 0.8·28 = 42.4; ≤24h 2/3
    ("2024-02-01", "facebook", "terrorism_extremism", "BLA", "unknown", "PTA", "mirror"): (
        3,
        3,
        0,
        0,
        0,
        20,
        42.4,
        200 / 3,
        100,
    ),
    ("2024-03-01", "x", "religious", "none", "PK", "PTA", "account"): (1, 0, 0, 1, 0, 5, 5, 100, 100),
    # H: 10, 90 → p50 50; p90 10 + 0.9·80 = 82; ≤24h 1/2; ≤72h 1/2
    ("2024-03-01", "facebook", "national_security", "none", "PK", "PTA", "account"): (2, 1, 1, 0, 0, 50, 82, 50, 50),
}
EXPECTED_MARGINS = {
    # X January = A + B: answered 2,10,24,30,50,72,100 → p50 30; p90 rank 5.4 → 72 + 0.4·28 = 83.2;
    # ≤24h 3/7; ≤72h 6/7
    ("2024-01-01", "x"): (8, 4, 1, 2, 1, 30, 83.2, 300 / 7, 600 / 7),
    # Facebook January = C + D: the pending requests add to the counts, not to the response times
    ("2024-01-01", "facebook"): (6, 4, 0, 0, 2, 4, 6.4, 100, 100),
    ("2024-02-01", "x"): (6, 2, 1, 3, 0, 36, 140, 100 / 3, 200 / 3),
    ("2024-02-01", "facebook"): (3, 3, 0, 0, 0, 20, 42.4, 200 / 3, 100),
    ("2024-03-01", "x"): (1, 0, 0, 1, 0, 5, 5, 100, 100),
    ("2024-03-01", "facebook"): (2, 1, 1, 0, 0, 50, 82, 50, 50),
}


def log_rows() -> list[tuple]:
    rows = []
    for cell, request_id, sent, platform, category, status, hours in REQUESTS:
        group, origin, requester, kind = CELL_DIMENSIONS[cell]
        target = f"@target_of_{request_id.lower()}"
        rows.append(
            (
                request_id,
                sent,
                platform,
                category,
                group,
                origin,
                requester,
                kind,
                target,
                status,
                answered_after(sent, hours),
            )
        )
    return rows


@pytest.fixture(scope="module")
def built(tmp_path_factory, reference_dir) -> Path:
    """The same log as CSV and as Parquet, both aggregated in one build with k = 1."""
    folder = tmp_path_factory.mktemp("aggregation")
    csv_log = write_csv_log(folder / "hand_log.csv", log_rows(), "hand_log_csv")
    parquet_log = write_parquet_log(folder / "hand_log.parquet", log_rows(), "hand_log_parquet")
    out = folder / "published"
    result = build(out, [csv_log, parquet_log], reference_dir, k=1)
    assert [c.rows_quarantined for c in result.case_logs] == [0, 0]
    return out


def as_expected(frame: pd.DataFrame, key: list[str]) -> dict:
    out = {}
    for row in frame.itertuples(index=False):
        values = row._asdict()
        k = tuple(values[c].strftime("%Y-%m-%d") if c == "month" else values[c] for c in key)
        out[k] = tuple(None if pd.isna(values[f]) else values[f] for f in FIGURES)
    return out


def assert_figures(actual: dict, expected: dict) -> None:
    assert set(actual) == set(expected)
    for key, figures in expected.items():
        for name, want, got in zip(FIGURES, figures, actual[key], strict=True):
            if want is None:
                assert got is None, f"{key} {name}: expected empty, published {got}"
            else:
                assert got == pytest.approx(want, rel=1e-9, abs=1e-9), f"{key} {name}: expected {want}, got {got}"


def test_every_cell_figure_matches_the_hand_computation(built):
    cells = table(built, "case_requests_monthly", "hand_log_csv")
    assert cells["suppressed"].isna().all(), "with k = 1 nothing is withheld"
    assert_figures(as_expected(cells, CELL_KEY), EXPECTED_CELLS)


def test_every_monthly_platform_total_matches_the_hand_computation(built):
    margins = table(built, "case_requests_monthly_platform", "hand_log_csv")
    assert margins["suppressed"].isna().all()
    assert_figures(as_expected(margins, ["month", "platform_id"]), EXPECTED_MARGINS)


def test_case_log_info_counts_the_hand_made_log(built):
    info = table(built, "case_log_info", "hand_log_csv").iloc[0]
    assert info["disclosure_threshold_k"] == 1
    assert (info["rows_read"], info["rows_aggregated"], info["rows_quarantined"]) == (26, 26, 0)
    assert (info["first_month"], info["last_month"]) == (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-01"))
    assert (info["cells"], info["cells_suppressed_primary"], info["cells_suppressed_secondary"]) == (8, 0, 0)
    assert not info["synthetic"]


def test_parquet_input_gives_the_same_tables_as_csv(built):
    for name in ("case_requests_monthly", "case_requests_monthly_platform", "case_log_info"):
        from_csv = table(built, name, "hand_log_csv").drop(columns="source_id")
        from_parquet = table(built, name, "hand_log_parquet").drop(columns="source_id")
        assert len(from_csv) > 0
        pd.testing.assert_frame_equal(from_csv, from_parquet, check_exact=False, rtol=1e-12)


def test_aliases_and_labels_in_any_case_map_to_the_shared_ids(built):
    """'Twitter', ' X (Twitter) ', 'TWITTER/X', 'FB', 'fb' … all land on x and facebook; 'ANTI-STATE',
    ' blasphemy ' and the category id itself on the shared categories; nothing is refused."""
    cells = table(built, "case_requests_monthly", "hand_log_csv")
    assert set(cells["platform_id"]) == {"x", "facebook"}
    assert set(cells["category_id"]) == {"national_security", "terrorism_extremism", "religious"}
    quarantine = table(built, "quarantine", "hand_log_csv")
    assert quarantine.empty
    sources = table(built, "sources", "hand_log_csv").iloc[0]
    assert (sources["rows_read"], sources["rows_loaded"], sources["rows_quarantined"]) == (26, 26, 0)


def test_month_is_the_utc_month_the_request_was_sent(built):
    """Sent 31 January 22:00 at UTC-5 is 1 February in UTC: it is counted in February (6 X requests),
    while a request answered in February but sent on 31 January 20:00 UTC stays in January."""
    margins = table(built, "case_requests_monthly_platform", "hand_log_csv").set_index(["month", "platform_id"])
    assert margins.loc[(pd.Timestamp("2024-02-01"), "x"), "requests"] == 6
    assert margins.loc[(pd.Timestamp("2024-01-01"), "x"), "requests"] == 8
