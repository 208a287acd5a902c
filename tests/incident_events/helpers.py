"""Helpers for the event-data tests: exports in the exact layouts with provenance, builds, published tables."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from etl.build import BuildResult, run
from etl.incident_events_generate import HEADERS, LAYOUT_OF
from etl.provenance import sha256_of
from etl.publish import current_database

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REFERENCE_TABLES = ("regions", "region_aliases", "militant_groups", "group_aliases", "event_type_map")
#: HDX's UCDP GED country file: the GED columns plus iso3, and an HXL hashtag row under the header.
HDX_HEADER = [*HEADERS["ucdp_ged"], "iso3"]

#: Hand-made UCDP GED rows, one case each (the aggregation tests, the HDX release, the fetch from HDX).
UCDP_ROWS = [
    # state-based, one day, best 4 (low 3, high 6), KP
    {
        "id": "1",
        "type_of_violence": "1",
        "side_a": "Government of Pakistan",
        "side_b": "TTP",
        "country": "Pakistan",
        "country_id": "770",
        "adm_1": "Khyber Pakhtunkhwa province",
        "date_prec": "1",
        "date_start": "2023-03-02 00:00:00.000",
        "date_end": "2023-03-02 00:00:00.000",
        "best": "4",
        "low": "3",
        "high": "6",
    },
    # one-sided violence over a few days within March → approximate, attack, Balochistan
    {
        "id": "2",
        "type_of_violence": "3",
        "side_a": "BLA",
        "side_b": "Civilians",
        "country": "Pakistan",
        "adm_1": "Balochistan province",
        "date_prec": "2",
        "date_start": "2023-03-10",
        "date_end": "2023-03-12",
        "best": "2",
        "low": "2",
        "high": "2",
    },
    # a range across months → counted in 2023 with no month
    {
        "id": "3",
        "type_of_violence": "1",
        "side_a": "Government of Pakistan",
        "side_b": "TTP",
        "country": "Pakistan",
        "adm_1": "Federally Administered Tribal Areas",
        "date_prec": "4",
        "date_start": "2023-03-28",
        "date_end": "2023-04-05",
        "best": "7",
        "low": "5",
        "high": "10",
    },
    # low above best: UCDP publishes such rows (about 200 in Pakistan) → kept, counted as published, flagged
    {
        "id": "4",
        "type_of_violence": "1",
        "side_a": "Government of Pakistan",
        "side_b": "TTP",
        "country": "Pakistan",
        "adm_1": "Khyber Pakhtunkhwa province",
        "date_prec": "1",
        "date_start": "2023-03-05",
        "date_end": "2023-03-05",
        "best": "2",
        "low": "3",
        "high": "4",
    },
    # ends before it starts → quarantined
    {
        "id": "5",
        "type_of_violence": "1",
        "side_a": "Government of Pakistan",
        "side_b": "TTP",
        "country": "Pakistan",
        "adm_1": "Khyber Pakhtunkhwa province",
        "date_prec": "1",
        "date_start": "2023-03-05",
        "date_end": "2023-03-01",
        "best": "2",
        "low": "1",
        "high": "4",
    },
    # India → outside
    {
        "id": "6",
        "type_of_violence": "1",
        "side_a": "Government of India",
        "side_b": "X",
        "country": "India",
        "country_id": "750",
        "adm_1": "Punjab state",
        "date_prec": "1",
        "date_start": "2023-03-05",
        "date_end": "2023-03-05",
        "best": "1",
        "low": "1",
        "high": "1",
    },
]


def make_reference_dir(dst: Path) -> Path:
    """A data dir with only the reference tables event exports are mapped through (builds take a second)."""
    (dst / "reference").mkdir(parents=True, exist_ok=True)
    for name in REFERENCE_TABLES:
        for suffix in (".csv", ".csv.provenance.json"):
            shutil.copy(PROJECT_ROOT / "data" / "reference" / f"{name}{suffix}", dst / "reference" / f"{name}{suffix}")
    return dst


def write_export(
    path: Path, dataset: str, rows: Sequence[dict], encoding: str = "utf-8", header: Sequence[str] | None = None
) -> Path:
    """``rows`` (column → text; the rest left blank) under the dataset's exact header, provenance beside it."""
    header = list(header or HEADERS[dataset])
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".parquet":
        pd.DataFrame([{h: r.get(h) for h in header} for r in rows], columns=header, dtype="string").to_parquet(path)
    else:
        with path.open("w", encoding=encoding, newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows([[r.get(h, "") for h in header] for r in rows])
    meta = {
        "source_id": path.stem.replace("-", "_"),
        "file": path.name,
        "layout": LAYOUT_OF[dataset],
        "publisher": "Test",
        "title": f"Hand-made {dataset} export",
        "licence": "test fixture",
        "retrieved": "2026-01-15",
        "measures": "events",
        "synthetic": True,
        "sha256": sha256_of(path),
    }
    if encoding != "utf-8":
        meta["encoding"] = encoding
    path.with_name(path.name + ".provenance.json").write_text(json.dumps(meta), encoding="utf-8")
    return path


def build(out: Path, exports: Sequence[Path], data_dir: Path, strict: bool = False) -> BuildResult:
    return run(out, data_dir=data_dir, event_exports=list(exports), strict=strict)


def table(out: Path, name: str, source_id: str | None = None) -> pd.DataFrame:
    con = duckdb.connect(str(current_database(out)), read_only=True)
    try:
        frame = con.execute(f'SELECT * FROM "{name}"').df()  # noqa: S608 (test table names)
    finally:
        con.close()
    return frame if source_id is None else frame[frame["source_id"] == source_id].reset_index(drop=True)


def hdx_csv(rows: Sequence[dict], hashtag_row: bool = True) -> str:
    """``rows`` as HDX publishes a UCDP GED country file: ``HDX_HEADER`` (iso3 ``PAK`` unless given), and with
    ``hashtag_row`` the HXL tag row under the header."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HDX_HEADER)
    if hashtag_row:
        writer.writerow(
            ["#date+start" if h == "date_start" else ("#country+code" if h == "iso3" else "") for h in HDX_HEADER]
        )
    writer.writerows([[r.get(h, "PAK" if h == "iso3" else "") for h in HDX_HEADER] for r in rows])
    return out.getvalue()


def write_hdx(path: Path, rows: Sequence[dict], hashtag_row: bool) -> Path:
    """``hdx_csv(rows, hashtag_row)`` written to ``path`` (no provenance beside it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(hdx_csv(rows, hashtag_row), encoding="utf-8", newline="")
    return path
