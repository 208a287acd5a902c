"""A case log given without a provenance file: one is drafted (marked assumed), the same figures are published;
``--strict`` still refuses it; ``validate`` checks a log without writing anything."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from etl.errors import SourceError
from etl.provenance import provenance_path

from .helpers import FIGURES, build, table, write_csv_log

ROWS = [
    (
        f"R{i}",
        f"2025-03-{1 + i % 20:02d}T09:00:00Z",
        "X",
        "Terrorism / militancy",
        "TTP",
        "AF",
        "PTA",
        "account",
        "",
        "actioned",
        f"2025-03-{2 + i % 20:02d}T09:00:00Z",
    )
    for i in range(12)
] + [
    (f"F{i}", "2025-03-05T09:00:00Z", "Facebook", "Other", "none", "PK", "PTA", "post", "", "pending", "")
    for i in range(6)
]


def test_a_log_without_provenance_gets_a_draft_and_the_same_figures(tmp_path, reference_dir):
    hand = write_csv_log(tmp_path / "hand" / "log.csv", ROWS)
    bare = write_csv_log(tmp_path / "bare" / "log.csv", ROWS)
    provenance_path(bare).unlink()
    build(tmp_path / "out-hand", [hand], reference_dir)
    result = build(tmp_path / "out-bare", [bare], reference_dir)
    assert len(result.drafted) == 1
    meta = json.loads(provenance_path(bare).read_text(encoding="utf-8"))
    assert meta["layout"] == "case_log" and meta["retrieved_assumed"] is True
    assert "not stated" in meta["publisher"] and "not stated" in meta["licence"]  # nothing is invented
    columns = ["month", "platform_id", "category_id", "suppressed", *FIGURES]
    hand_cells = table(tmp_path / "out-hand", "case_requests_monthly")[columns]
    bare_cells = table(tmp_path / "out-bare", "case_requests_monthly")[columns]
    pd.testing.assert_frame_equal(hand_cells, bare_cells)
    assert hand_cells["requests"].notna().any()


def test_strict_refuses_a_log_without_provenance(tmp_path, reference_dir):
    bare = write_csv_log(tmp_path / "log.csv", ROWS)
    provenance_path(bare).unlink()
    with pytest.raises(SourceError, match="no provenance file"):
        build(tmp_path / "out", [bare], reference_dir, strict=True)
    assert not provenance_path(bare).exists()


def test_validate_checks_a_log_and_writes_nothing(tmp_path, capsys):
    from etl.__main__ import main

    bare = write_csv_log(
        tmp_path / "log.csv",
        [*ROWS, ("R98", "not a date", "X", "Other", "none", "PK", "PTA", "post", "", "pending", "")],
    )
    provenance_path(bare).unlink()
    assert main(["validate", str(bare)]) == 1
    printed = " ".join(capsys.readouterr().out.split())
    assert "recognised as case log layout case_log" in printed
    assert "rows read 19: aggregated 18, refused 1" in printed and "sent_at" in printed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.csv"]
