"""Every curated figure can be traced to the collected row it was cleaned from, and says the same thing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
COLLECTED = DATA / "sources" / "curated"


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = []
        for row in reader:
            row["_line"] = str(reader.line_num)
            rows.append(row)
        return rows


def collected(source_id: str) -> dict[str, dict]:
    return {row["_line"]: row for row in read(COLLECTED / f"{source_id}.csv")}


# canonical column → column of the collected file that must carry the same number
REGULATOR = {"urls_processed": "urls_processed", "urls_blocked": "urls_blocked"}
REGULATOR_BY_PLATFORM = {
    **REGULATOR,
    "urls_still_accessible": "urls_still_accessible",
    "urls_rejected_by_platform": "urls_rejected_by_platform",
}
INCIDENTS = {
    c: c
    for c in ("attacks", "killed_total", "killed_security", "killed_civilians", "killed_militants", "injured_total")
}


@pytest.mark.parametrize("row", read(DATA / "canonical" / "regulator_reported_actions.csv"), ids=lambda r: r["_line"])
def test_regulator_row_matches_its_collected_row(row):
    source = collected(row["source_id"])[row["source_line"]]
    columns = REGULATOR_BY_PLATFORM if row["source_id"].endswith("platform") else REGULATOR
    for canonical, original in columns.items():
        assert row[canonical] == source[original], canonical
    assert row["date_as_printed"] == source["as_of"]
    assert row["citation_url"] == source["source_url"]
    label = source.get("platform") or source.get("pta_category")
    assert label in (row["platform_label"], row["category_label"])


@pytest.mark.parametrize("row", read(DATA / "canonical" / "incidents.csv"), ids=lambda r: r["_line"])
def test_incident_row_matches_its_collected_row(row):
    source = collected(row["source_id"])[row["source_line"]]
    for canonical, original in INCIDENTS.items():
        assert row[canonical] == source[original], canonical
    assert (row["source_org_as_printed"], row["region_label"]) == (source["source_org"], source["geography"])
    assert source["source_url"].startswith(row["citation_url"])


@pytest.mark.parametrize("row", read(DATA / "canonical" / "platform_reported_requests.csv"), ids=lambda r: r["_line"])
def test_platform_row_numbers_appear_in_its_collected_row(row):
    source = collected(row["source_id"])[row["source_line"]]
    printed = " ".join(source.values()).replace(",", "")
    for column in (
        "requests",
        "accounts_specified",
        "complied_pct",
        "items_actioned_local_law",
        "items_actioned_policy",
        "accounts_actioned_local_law",
        "accounts_actioned_policy",
    ):
        if row[column]:
            assert row[column] in printed, f"{column}={row[column]} not in the collected row"


def test_undated_reports_are_kept_as_undated_not_guessed():
    rows = read(DATA / "canonical" / "regulator_reported_actions.csv")
    undated = [
        r for r in rows if "year not in excerpt" in r["date_as_printed"] or r["date_as_printed"].startswith("undated")
    ]
    assert undated and all(r["date_precision"] == "unknown" and not r["as_of"] and not r["period_end"] for r in undated)
