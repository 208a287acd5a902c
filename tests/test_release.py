"""The open-data release: a valid data package, CSV and Parquet that agree, and the same bytes for the same input."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from frictionless import validate

from dataset.safe_csv import FORMULA_PREFIXES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def release(published_dir, published_db) -> Path:
    """The release the session's build wrote (the file name carries the version)."""
    version = published_db.stem.removeprefix("dataset-")
    folder = published_dir / "releases" / version
    assert folder.is_dir() and (published_dir / "releases" / f"dataset-{version}.zip").is_file()
    return folder


def test_the_package_passes_frictionless_validation(release):
    report = validate(str(release / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]
    assert len(report.tasks) >= 15


def test_every_column_of_every_table_is_described(release):
    import json

    package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        assert resource["description"]
        for field in resource["schema"]["fields"]:
            assert field.get("description"), f"{resource['name']}.{field['name']} has no description"


def csv_rows(path: Path) -> pd.DataFrame:
    text = path.read_bytes().decode("utf-8-sig")
    lines = text.split("\r\n")
    body = "\r\n".join(line for line in lines if not line.startswith("# "))
    rows = list(csv.reader(io.StringIO(body, newline="")))
    frame = pd.DataFrame(rows[1:], columns=rows[0]).replace("", None)
    undo = lambda v: v[1:] if isinstance(v, str) and v.startswith("'") and v[1:].startswith(FORMULA_PREFIXES) else v  # noqa: E731
    return frame.map(undo)


@pytest.mark.parametrize(
    "table",
    ["platform_reported_requests", "regulator_reported_actions", "incidents", "events", "sources", "region_boundaries"],
)
def test_csv_round_trips_to_the_parquet_values(release, table):
    from_csv = csv_rows(release / "data" / f"{table}.csv")
    from_parquet = pd.read_parquet(release / "data" / f"{table}.parquet")
    assert list(from_csv.columns) == list(from_parquet.columns)
    assert len(from_csv) == len(from_parquet)
    for column in from_parquet.columns:
        expected = from_parquet[column]
        got = from_csv[column]
        if pd.api.types.is_bool_dtype(expected):
            assert got.map({"true": True, "false": False}).tolist() == expected.tolist(), column
        elif pd.api.types.is_numeric_dtype(expected):
            assert pd.to_numeric(got).fillna(-1).tolist() == pytest.approx(
                expected.astype(float).fillna(-1).tolist()
            ), column
        elif (
            pd.api.types.is_datetime64_any_dtype(expected)
            or str(expected.dtype).startswith("date")
            or (len(expected.dropna()) and hasattr(expected.dropna().iloc[0], "isoformat"))
        ):
            assert _blank(got).tolist() == [v.isoformat()[:10] if v is not None and v == v else "" for v in expected], (
                column
            )
        else:
            assert _blank(got).tolist() == _blank(expected).astype(str).tolist(), column


def _blank(values: pd.Series) -> pd.Series:
    """Missing values as empty text, whatever the column's type (a float column cannot hold "")."""
    return values.astype(object).where(values.notna(), "")


def test_same_input_gives_byte_identical_data_files_and_checksums(second_build, release):
    """The session's second build of the same data (by the command line, data/ at another path: tests/conftest.py)."""
    out, _ = second_build
    second = out / "releases" / release.name
    assert (out / "LATEST").read_text(encoding="utf-8").strip() == f"dataset-{release.name}.duckdb"
    assert (second / "SHA256SUMS").read_bytes() == (release / "SHA256SUMS").read_bytes()
    for path in (release / "data").iterdir():
        assert (second / "data" / path.name).read_bytes() == path.read_bytes(), path.name
    first_zip = release.parent / f"dataset-{release.name}.zip"
    with zipfile.ZipFile(first_zip) as bundle:
        names = bundle.namelist()
    assert f"{release.name}/datapackage.json" in names and f"{release.name}/SHA256SUMS" in names


def test_the_zip_holds_files_that_match_their_checksums(release):
    import hashlib

    with zipfile.ZipFile(release.parent / f"dataset-{release.name}.zip") as bundle:
        sums = bundle.read(f"{release.name}/SHA256SUMS").decode().splitlines()
        assert len(sums) >= 30
        for line in sums:
            digest, name = line.split("  ", 1)
            assert hashlib.sha256(bundle.read(f"{release.name}/{name}")).hexdigest() == digest, name
