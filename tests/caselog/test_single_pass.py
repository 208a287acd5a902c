"""One streaming pass for a clean log, a second look only for refused rows: both give the same tables.

A clean log is typed, checked and aggregated in one scan that never stores a row; the same scan counts the
invalid rows and compares the number of distinct request-id hashes with the number of ids. Only when one
of them says something is wrong is the file read into a table, to find each refused row by line (and, for a
repeated id, to aggregate again without the later copies). Disclosure control runs on three numbers per
cell and writes the published tables in SQL; ``protect`` (pandas) takes the same decisions.
"""

from __future__ import annotations

import random

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from etl.caselog import protect
from etl.caselog_generate import generate
from etl.provenance import rehash

from .helpers import (
    CELL_KEY,
    FIGURES,
    GROUP_KEY,
    HEADER,
    answered_after,
    build,
    check,
    csv_text,
    table,
    write_csv_log,
    write_parquet_log,
)
from .test_disclosure import random_log

ROWS = 21_000  # over DuckDB's CSV sample, like the other generated logs of these tests
CASE_TABLES = ("case_requests_monthly", "case_requests_monthly_platform", "case_log_info")


def published(out, source_id: str) -> dict[str, pd.DataFrame]:
    return {name: table(out, name, source_id).drop(columns="source_id") for name in CASE_TABLES}


def assert_same_tables(left: dict, right: dict) -> None:
    for name in CASE_TABLES:
        pd.testing.assert_frame_equal(left[name], right[name], check_exact=True, obj=name)


@pytest.fixture(scope="module")
def clean_and_repeated(tmp_path_factory, reference_dir):
    """A generated log, and the same log with a copy of an early request id appended (a valid row on
    another platform), as CSV and as Parquet; all four built with k = 5."""
    folder = tmp_path_factory.mktemp("single-pass")
    logs = {}
    for suffix in ("csv", "parquet"):
        clean = generate(ROWS, 31, folder / f"clean.{suffix}")
        repeated = generate(ROWS, 31, folder / f"repeated.{suffix}")
        copy = ["REQ-31-000000003", "2024-06-03T10:00:00Z", "Facebook", "Anti-state", "none", "PK", "PTA"]
        copy += ["account", "@copy", "actioned", "2024-06-04T10:00:00Z"]
        if suffix == "csv":
            with repeated.open("a", encoding="utf-8", newline="") as handle:
                handle.write(csv_text([copy]).split("\n", 1)[1])
        else:
            schema = pa.schema([(name, pa.string()) for name in HEADER])
            rows = pq.read_table(repeated).select(HEADER).cast(schema)
            extra = pa.table(
                {name: pa.array([value], type=pa.string()) for name, value in zip(HEADER, copy, strict=True)}
            )
            pq.write_table(pa.concat_tables([rows, extra]), repeated)
        rehash(repeated)
        logs[suffix] = (clean, repeated)
    built = {}
    for suffix, (clean, repeated) in logs.items():
        for kind, log in (("clean", clean), ("repeated", repeated)):
            out = folder / f"out-{kind}-{suffix}"
            built[kind, suffix] = (out, build(out, [log], reference_dir).case_logs[0])
    return built


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_a_repeated_request_id_in_an_otherwise_clean_log_is_refused(clean_and_repeated, suffix):
    _, case = clean_and_repeated["repeated", suffix]
    assert [(f.line, f.column, f.rule) for f in case.failures] == [(ROWS + 2, "request_id", "duplicate_request_id")]
    assert (case.rows_read, case.rows_aggregated, case.rows_quarantined) == (ROWS + 1, ROWS, 1)


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_aggregating_again_without_the_copy_gives_the_tables_of_the_clean_log(clean_and_repeated, suffix):
    """The clean log is aggregated in the one streaming pass; the log with the copy is aggregated again from
    the stored rows without the refused line. The published tables are the same, figure for figure."""
    clean_out, clean = clean_and_repeated["clean", suffix]
    repeated_out, repeated = clean_and_repeated["repeated", suffix]
    assert clean.failures == []
    left, right = published(clean_out, clean.source_id), published(repeated_out, repeated.source_id)
    left["case_log_info"] = left["case_log_info"].drop(columns=["rows_read", "rows_quarantined"])
    right["case_log_info"] = right["case_log_info"].drop(columns=["rows_read", "rows_quarantined"])
    assert_same_tables(left, right)


OK = ["2024-03-01T10:00:00Z", "X", "Anti-state", "none", "PK", "PTA", "account"]


def row(request_id, sent_at="2024-03-01T10:00:00Z", platform="X", status="actioned", responded="2024-03-02T10:00:00Z"):
    return [request_id, sent_at, platform, *OK[2:], f"@t_{request_id}", status, responded]


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_repeated_ids_are_found_among_invalid_rows_too_and_missing_ids_are_not_repeats(tmp_path, suffix):
    rows = [
        row("R-1", platform="Myspace"),  # invalid: its id still counts as seen
        row("R-1"),  # valid, but a later copy of R-1
        row(None),  # no id: refused as such, not as a repeat of the next one
        row(None),
        row("R-2"),
        row("R-3"),
    ]
    write = write_csv_log if suffix == "csv" else write_parquet_log
    log = write(tmp_path / f"repeats.{suffix}", rows)
    case = check(log, k=1)
    assert sorted((f.line, f.column, f.rule) for f in case.failures) == [
        (2, "platform", "unknown_platform"),
        (3, "request_id", "duplicate_request_id"),
        (4, "request_id", "required"),
        (5, "request_id", "required"),
    ]
    assert (case.rows_read, case.rows_aggregated) == (6, 2)


@pytest.mark.parametrize(
    "sent_at",
    [" 2024-03-01T10:00:00Z", "2024-3-01T10:00:00Z", "2024-03-1T10:00:00Z", "+2024-03-01T10:00:00Z"],
)
def test_a_timestamp_that_does_not_start_with_a_full_date_is_refused(tmp_path, sent_at):
    """The fast parser alone would take a leading space or a one-digit month; ISO 8601 does not."""
    log = write_csv_log(tmp_path / "dates.csv", [row("D-1"), row("D-2", sent_at=sent_at)])
    case = check(log, k=1)
    assert [(f.line, f.column, f.rule) for f in case.failures] == [(3, "sent_at", "type_datetime")]


# --- the build's disclosure control (SQL) and protect() (pandas) take the same decisions ---------------


def log_rows(frame: pd.DataFrame, seed: int) -> list[list]:
    rng = random.Random(seed)
    rows = []
    for n, r in enumerate(frame.itertuples(index=False)):
        sent = f"{r.month:%Y-%m}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z"
        responded = answered_after(sent, None if pd.isna(r.hours) else r.hours)
        fields = [f"P-{seed}-{n:06d}", sent, r.platform_id, r.category_id, r.linked_group, r.origin_country]
        rows.append([*fields, r.requester, r.target_kind, f"@p_{n}", r.status, responded])
    return rows


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_the_published_tables_are_what_protect_makes_of_the_true_figures(tmp_path, reference_dir, seed):
    k = 3 if seed % 2 else 5
    log = write_csv_log(tmp_path / "log.csv", log_rows(random_log(seed), seed), "protect_log")
    build(tmp_path / "true", [log], reference_dir, k=1)
    build(tmp_path / "protected", [log], reference_dir, k=k)
    cells = table(tmp_path / "true", "case_requests_monthly").drop(columns=["source_id", "synthetic", "suppressed"])
    margins = table(tmp_path / "true", "case_requests_monthly_platform")
    margins = margins.drop(columns=["source_id", "synthetic", "suppressed"])
    expected_cells, expected_margins = protect(cells, margins, k)
    assert expected_cells["suppressed"].notna().sum() > expected_cells["_reason"].eq("primary").sum() >= 1
    got_cells = table(tmp_path / "protected", "case_requests_monthly").sort_values(CELL_KEY).reset_index(drop=True)
    got_margins = table(tmp_path / "protected", "case_requests_monthly_platform")
    got_margins = got_margins.sort_values(GROUP_KEY).reset_index(drop=True)
    for got, expected, key in ((got_cells, expected_cells, CELL_KEY), (got_margins, expected_margins, GROUP_KEY)):
        assert got[key].equals(expected[key])
        assert got["suppressed"].fillna("-").tolist() == expected["suppressed"].fillna("-").tolist()
        for column in FIGURES:
            pd.testing.assert_series_equal(
                got[column].astype("Float64"), expected[column].astype("Float64"), check_names=False, obj=column
            )
