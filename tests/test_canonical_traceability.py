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


def canonical(table: str, source_ids: set[str]) -> list[dict]:
    """Rows of a canonical table that point at one of ``source_ids``."""
    return [r for r in read(DATA / "canonical" / f"{table}.csv") if r["source_id"] in source_ids]


# The first collected files hold one report line per row; the later ones one figure (or report line) per row
# and document, with excerpt, grade and date.
FIRST_PTA = {"pta_url_blocking_by_platform", "pta_url_blocking_by_category"}
FIRST_MILITANCY = {"militancy_annual_PK"}
FIRST_PLATFORMS = {"meta_content_restrictions_PK", "twitter_x_removal_requests_PK", "tiktok_gov_removal_requests_PK"}


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


@pytest.mark.parametrize("row", canonical("regulator_reported_actions", FIRST_PTA), ids=lambda r: r["_line"])
def test_regulator_row_matches_its_collected_row(row):
    source = collected(row["source_id"])[row["source_line"]]
    columns = REGULATOR_BY_PLATFORM if row["source_id"].endswith("platform") else REGULATOR
    for canonical, original in columns.items():
        assert row[canonical] == source[original], canonical
    assert row["date_as_printed"] == source["as_of"]
    assert row["citation_url"] == source["source_url"]
    label = source.get("platform") or source.get("pta_category")
    assert label in (row["platform_label"], row["category_label"])


@pytest.mark.parametrize("row", canonical("incidents", FIRST_MILITANCY), ids=lambda r: r["_line"])
def test_incident_row_matches_its_collected_row(row):
    source = collected(row["source_id"])[row["source_line"]]
    for canonical, original in INCIDENTS.items():
        assert row[canonical] == source[original], canonical
    assert (row["source_org_as_printed"], row["region_label"]) == (source["source_org"], source["geography"])
    assert source["source_url"].startswith(row["citation_url"])


@pytest.mark.parametrize("row", canonical("platform_reported_requests", FIRST_PLATFORMS), ids=lambda r: r["_line"])
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


# --- collected files with one figure per row and document ------------------------------------------------------

MEASURES = ("attacks", "killed_total", "killed_security", "killed_civilians", "killed_militants", "injured_total")
# canonical column → metrics of the collected file that may carry it (PICSS's combat-related series counts incidents)
INCIDENT_METRICS = {m: {m} for m in MEASURES} | {"attacks": {"attacks", "incidents"}}


def period_label(row: dict) -> str:
    """The collected file's period: '2024' for a year, '2023-H1' for a half-year."""
    year = row["period_start"][:4]
    if row["date_precision"] == "year":
        return year
    return f"{year}-H1" if row["period_start"][5:7] == "01" else f"{year}-H2"


def figures_of(path: Path, **match: str) -> list[dict]:
    return [f for f in read(path) if all(f[k] == v for k, v in match.items())]


@pytest.mark.parametrize("row", canonical("incidents", {"militancy_figures_PK"}), ids=lambda r: r["_line"])
def test_incident_figures_are_printed_in_one_document_of_the_same_series(row):
    """Every measure of the row is a figure of the same series, period, region and citation, with its qualifier."""
    figures = figures_of(
        COLLECTED / "militancy_figures_PK.csv",
        series=row["definition_id"],
        period=period_label(row),
        region=row["region_label"],
        citation_url=row["citation_url"],
    )
    lines = []
    for column in MEASURES:
        if not row[column]:
            assert not row[f"{column}_qualifier"], column
            continue
        match = [f for f in figures if f["metric"] in INCIDENT_METRICS[column] and f["value"] == row[column]]
        assert len(match) == 1, f"{column}={row[column]} is not a figure of this series and document"
        kind = match[0]["value_kind"]
        assert row[f"{column}_qualifier"] == ("" if kind == "exact" else kind), column
        assert match[0]["citation_grade"] == row["citation_grade"]
        lines.append(int(match[0]["_line"]))
    assert lines and int(row["source_line"]) == min(lines)
    assert row["approx"] == ("true" if any(row[f"{c}_qualifier"] for c in MEASURES) else "false")


# canonical column → metrics of the collected file (per requester for X's request counts)
PLATFORM_METRICS = {
    "requests": {"All requesters": {"requests_total"}, "Court orders": {"requests_court"}},
    "accounts_specified": {"accounts_specified"},
    "items_actioned_local_law": {"items_restricted_total", "tweets_withheld"},
    "accounts_actioned_local_law": {"accounts_withheld"},
    "accounts_actioned_policy": {"accounts_tos"},
    "complied_pct": {"compliance_rate_fraction"},
}


def platform_metrics(column: str, requester: str) -> set[str]:
    metrics = PLATFORM_METRICS[column]
    if isinstance(metrics, dict):
        return metrics.get(requester, {"requests_other"})
    return metrics


@pytest.mark.parametrize(
    "row", canonical("platform_reported_requests", {"platform_figures_PK"}), ids=lambda r: r["_line"]
)
def test_platform_figures_are_printed_in_one_document_of_the_same_series(row):
    figures = figures_of(
        COLLECTED / "platform_figures_PK.csv",
        series=row["reporter_id"],
        period=period_label(row),
        citation_url=row["citation_url"],
    )
    used = []
    for column in PLATFORM_METRICS:
        if not row[column]:
            continue
        for f in figures:
            if f["metric"] not in platform_metrics(column, row["requester"]):
                continue
            printed = f["value"]
            if f["metric"].startswith("compliance_rate_fraction"):
                printed = str(round(float(printed) * 100))  # the publisher's fraction, shown as a percentage
            if printed == row[column]:
                used.append(f)
                break
        else:
            pytest.fail(f"{column}={row[column]} is not a figure of this series and document")
    assert {f["citation_grade"] for f in used} == {row["citation_grade"]}
    assert int(row["source_line"]) == min(int(f["_line"]) for f in used)
    assert row["approx"] == ("true" if any(f["value_kind"] != "exact" for f in used) else "false")


PTA_COLUMNS = {
    "urls_processed": "urls_processed",
    "urls_blocked": "urls_blocked",
    "urls_still_accessible": "urls_still_accessible",
    "urls_rejected_by_platform": "urls_rejected",
}


@pytest.mark.parametrize("row", canonical("regulator_reported_actions", {"pta_figures"}), ids=lambda r: r["_line"])
def test_regulator_figures_match_their_report_line(row):
    source = collected("pta_figures")[row["source_line"]]
    for canonical_column, original in PTA_COLUMNS.items():
        assert row[canonical_column] == source[original], canonical_column
    assert (row["citation_url"], row["citation_grade"]) == (source["citation_url"], source["citation_grade"])
    assert row["date_as_printed"] == source["as_of_or_period"]
    if source["value_kind"] == "mixed":  # one qualifier per row: the row carries the weaker one, its note says which
        assert row["value_kind"] in ("approx", "lower_bound")
    else:
        assert row["value_kind"] == source["value_kind"]


@pytest.mark.parametrize("name", ["militancy_figures_PK", "platform_figures_PK", "pta_figures"])
def test_collected_rows_carry_an_excerpt_and_a_grade(name):
    for row in read(COLLECTED / f"{name}.csv"):
        assert row["excerpt"].strip() and row["citation_url"].startswith("http"), row["_line"]
        assert row["citation_grade"] in ("publisher", "press", "repost"), row["_line"]
