"""Shared helpers for the ETL tests: paths, running the CLI, editing copied source files."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
GOOGLE_DIR = DATA_DIR / "sources" / "google"
SUMMARY = "google-government-removal-requests.csv"
SUMMARY_HISTORICAL = "google-government-removal-requests-historical.csv"
DETAILED = "google-government-detailed-removal-requests.csv"
DETAILED_HISTORICAL = "google-government-detailed-removal-requests-historical.csv"

#: Tables the build writes besides the contract tables.
SYSTEM_TABLES = ("sources", "quarantine", "build_info")


def run_cli(*args: str, cwd: Path = PROJECT_ROOT, timeout: float = 180) -> subprocess.CompletedProcess:
    """``python -m etl ARGS`` in ``cwd`` with the test interpreter (the project's virtualenv)."""
    env = {**os.environ, "COLUMNS": "200"}  # wide enough that rich does not wrap table cells
    env.pop("DASHBOARD_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "etl", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def copy_data(dst: Path, *files: str) -> Path:
    """A data folder at ``dst`` with the contracts, every reference table (``data/reference/``,
    ``data/sources/reference/``) and the named files of data/ (paths relative to it), each with its provenance:
    a build of it reads only these, so a fault in one file is checked without reading, loading and exporting all
    the others."""
    for folder in ("contracts", "reference", "sources/reference"):
        shutil.copytree(DATA_DIR / folder, dst / folder)
    for name in files:
        source = DATA_DIR / name
        (dst / name).parent.mkdir(parents=True, exist_ok=True)
        for path in (source, source.with_name(source.name + ".provenance.json")):
            shutil.copy(path, dst / name if path == source else (dst / name).with_name(path.name))
    return dst


def copy_project(root: Path, files: Sequence[str] | None = None) -> Path:
    """A copy of the project's code (``etl/`` and the ``dataset/`` package it shares with the dashboard) at
    ``root``, with a data folder: all of data/, or with ``files`` only those and the reference tables
    (``copy_data``; none: the reference tables alone). ``python -m etl`` run in ``root`` reads its data there."""
    for package in ("etl", "dataset"):
        shutil.copytree(PROJECT_ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    if files is None:
        shutil.copytree(DATA_DIR, root / "data")
    else:
        copy_data(root / "data", *files)
    return root


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "etl", *args]


def latest_database(out_dir: Path) -> Path:
    """The file ``out_dir/LATEST`` names (asserting that it exists)."""
    name = (out_dir / "LATEST").read_text(encoding="utf-8").strip()
    path = out_dir / name
    assert name.startswith("dataset-") and path.is_file(), f"LATEST names {name!r}, which is not a dataset file"
    return path


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in table_names(con)}


def dataset_version(con: duckdb.DuckDBPyConnection) -> str:
    (version,) = con.execute("SELECT dataset_version FROM build_info").fetchone()
    return version


def read_records(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The CSV's header and its records as (line the record starts on, {column: text})."""
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    records, start = [], reader.line_num + 1
    for record in reader:
        if record:
            records.append((start, dict(zip(header, record, strict=True))))
        start = reader.line_num + 1
    return header, records


def write_records(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def set_cell(path: Path, line: int, column: str, value: str) -> dict[str, str]:
    """Rewrite the CSV with ``column`` of the record on ``line`` set to ``value``; return the old record."""
    header, records = read_records(path)
    assert column in header, column
    lines = [ln for ln, _ in records]
    assert line in lines, f"no record starts on line {line} of {path.name}"
    assert lines == list(range(2, len(records) + 2)), "helper needs one record per line"
    old = dict(records[lines.index(line)][1])
    rows = [[(value if (ln == line and name == column) else rec[name]) for name in header] for ln, rec in records]
    write_records(path, header, rows)
    return old


def drop_column(path: Path, column: str) -> None:
    header, records = read_records(path)
    kept = [name for name in header if name != column]
    assert len(kept) == len(header) - 1, column
    write_records(path, kept, [[rec[name] for name in kept] for _, rec in records])
