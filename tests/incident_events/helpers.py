"""Helpers for the event-data tests: exports in the exact layouts with provenance, builds, published tables."""

from __future__ import annotations

import csv
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
