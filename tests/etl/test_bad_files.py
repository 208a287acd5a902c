"""One fault per test in a copy of data/: rows are quarantined with file/line/column/rule, files are refused."""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
from pathlib import Path

import pytest

from etl.adapters import registry
from etl.build import read_and_validate, run
from etl.errors import SourceError
from etl.provenance import read_provenance, rehash
from etl.readers import LINE

from .helpers import (
    DATA_DIR,
    DETAILED,
    PROJECT_ROOT,
    SUMMARY,
    connect,
    dataset_version,
    drop_column,
    latest_database,
    read_records,
    run_cli,
    set_cell,
    table_counts,
)

CNIC = "35202-7654321-9"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of the shipped data/ tree."""
    dst = tmp_path / "data"
    shutil.copytree(DATA_DIR, dst)
    return dst


def _incidents(data: Path) -> Path:
    return data / "canonical" / "incidents.csv"


def _google(data: Path, name: str) -> Path:
    return data / "sources" / "google" / name


def _pakistan_pta_line() -> int:
    _, records = read_records(DATA_DIR / "sources" / "google" / SUMMARY)
    [line] = [
        ln
        for ln, r in records
        if r["Country/Region"] == "Pakistan"
        and r["Period Ending"] == "2025-06-30"
        and r["Requestor"] == "Information and Communications Authority"
    ]
    return line


def _quarantine(con) -> list[tuple]:
    return con.execute('SELECT source_id, file, line, "column", rule FROM quarantine ORDER BY ALL').fetchall()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _nothing_published(out: Path) -> None:
    assert not (out / "LATEST").exists()
    assert not list(out.glob("dataset-*.duckdb"))


# --- row faults: the row is quarantined, the rest is loaded and published -----------------------------------


def test_bad_date_in_a_canonical_row_is_quarantined(data, tmp_path, published_counts):
    path = _incidents(data)
    old = set_cell(path, 3, "period_end", "2015-02-30")
    rehash(path)
    out = tmp_path / "pub"
    result = run(out, data_dir=data)
    assert result.quarantined == 1
    with connect(latest_database(out)) as con:
        assert _quarantine(con) == [("canonical_incidents", "incidents.csv", 3, "period_end", "type_date")]
        rows = sum(1 for _ in csv.DictReader(path.open(encoding="utf-8", newline="")))
        (in_table,) = con.execute("SELECT count(*) FROM incidents").fetchone()
        assert con.execute(
            "SELECT rows_read, rows_loaded, rows_quarantined, table_rows FROM sources "
            "WHERE source_id = 'canonical_incidents'"
        ).fetchone() == (rows, rows - 1, 1, in_table)
        assert table_counts(con) == {
            **published_counts,
            "incidents": published_counts["incidents"] - 1,
            "quarantine": 1,
        }
        refused_row = con.execute(
            "SELECT count(*) FROM incidents WHERE source_org = ? AND definition_id = ? AND period_start = ? "
            "AND region_label = ?",
            [old["source_org"], old["definition_id"], old["period_start"], old["region_label"]],
        ).fetchone()
        assert refused_row == (0,)


def test_negative_count_in_a_google_row_is_quarantined(data, tmp_path, published_counts):
    line = _pakistan_pta_line()
    path = _google(data, SUMMARY)
    set_cell(path, line, "Number of Requests", "-211")
    rehash(path)
    out = tmp_path / "pub"
    run(out, data_dir=data)
    with connect(latest_database(out)) as con:
        assert _quarantine(con) == [("google_removals_summary", SUMMARY, line, "requests", "minimum")]
        assert con.execute(
            "SELECT rows_read, rows_loaded, rows_quarantined FROM sources WHERE source_id = 'google_removals_summary'"
        ).fetchone() == (3800, 3799, 1)
        pakistan = con.execute(
            "SELECT requester FROM platform_reported_requests WHERE source_id = 'google_removals_summary' "
            "AND country_code = 'PK' AND period_end = DATE '2025-06-30' ORDER BY 1"
        ).fetchall()
        assert ("Information and Communications Authority",) not in pakistan
        assert len(pakistan) == 5  # the other requestors of that half-year are loaded
        counts = table_counts(con)
        assert counts["platform_reported_requests"] == published_counts["platform_reported_requests"] - 1


def test_cnic_in_a_text_field_is_quarantined_and_never_published(data, tmp_path):
    path = _incidents(data)
    set_cell(path, 4, "note", f"figure confirmed by {CNIC}")
    rehash(path)
    out = tmp_path / "pub"
    result = run(out, data_dir=data)
    assert [(f.line, f.column, f.rule) for r in result.results for f in r.failures] == [(4, "note", "pii_cnic")]
    with connect(latest_database(out)) as con:
        assert _quarantine(con) == [("canonical_incidents", "incidents.csv", 4, "note", "pii_cnic")]
        (message,) = con.execute("SELECT message FROM quarantine").fetchone()
        assert "CNIC" in message
        for table in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
            hits = con.execute(
                f'SELECT count(*) FROM "{table[0]}" AS t WHERE CAST(t AS VARCHAR) LIKE ?', [f"%{CNIC}%"]
            ).fetchone()
            assert hits == (0,), table
        version = dataset_version(con)
    exports = out / "releases" / version / "data"
    assert "pii_cnic" in (exports / "quarantine.csv").read_text(encoding="utf-8-sig")  # the export has the row
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 10
    for needle in (CNIC, CNIC.replace("-", "")):
        for p in files:
            assert needle.encode() not in p.read_bytes(), p


# --- file faults: the build refuses with a clear SourceError and publishes nothing -------------------------


def test_missing_column_in_a_google_file_is_refused(data, tmp_path):
    path = _google(data, SUMMARY)
    drop_column(path, "Items Requested To Be Removed")
    rehash(path)
    out = tmp_path / "pub"
    with pytest.raises(SourceError, match="missing required column") as exc:
        run(out, data_dir=data)
    assert SUMMARY in str(exc.value) and "'Items Requested To Be Removed'" in str(exc.value)
    _nothing_published(out)


def test_file_changed_without_rehash_is_refused(data, tmp_path):
    set_cell(_google(data, DETAILED), 2, "Total", "5")
    out = tmp_path / "pub"
    with pytest.raises(SourceError, match="checksum") as exc:
        run(out, data_dir=data)
    assert DETAILED in str(exc.value) and "rehash" in str(exc.value)
    _nothing_published(out)


def _first_non_ascii_line(text: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if not line.isascii())


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_file_in_another_encoding_is_refused(data, tmp_path, encoding):
    path = _google(data, SUMMARY)
    text = path.read_text(encoding="utf-8").replace("\u2019", "'")  # the one character Latin-1 lacks
    path.write_bytes(text.encode(encoding))
    rehash(path)
    out = tmp_path / "pub"
    with pytest.raises(SourceError) as exc:
        run(out, data_dir=data)
    message = str(exc.value)
    assert SUMMARY in message and "UTF-8" in message
    if encoding == "utf-16":
        assert "UTF-16" in message
    else:
        assert "not valid UTF-8" in message and f"line {_first_non_ascii_line(text)}" in message
    _nothing_published(out)


def test_unknown_header_is_refused(data, tmp_path):
    path = _google(data, DETAILED)
    lines = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text("Zeitraum,Land,Code,Produkt,Grund,Anzahl\n" + lines[1], encoding="utf-8")
    rehash(path)
    out = tmp_path / "pub"
    with pytest.raises(SourceError, match="unknown layout") as exc:
        run(out, data_dir=data)
    assert DETAILED in str(exc.value)
    _nothing_published(out)


# --- a refused build leaves the previous publication alone ---------------------------------------------------


def _fault(kind: str, data: Path) -> None:
    if kind == "checksum":
        set_cell(_google(data, DETAILED), 2, "Total", "5")
    elif kind == "missing-column":
        drop_column(_google(data, SUMMARY), "Requestor")
        rehash(_google(data, SUMMARY))
    elif kind == "strict":
        set_cell(_incidents(data), 3, "period_end", "2015-02-30")
        rehash(_incidents(data))


@pytest.mark.parametrize("kind", ["checksum", "missing-column", "strict"])
def test_refused_build_leaves_the_published_dataset_unchanged(data, tmp_path, published, published_counts, kind):
    out = tmp_path / "pub"
    shutil.copytree(published, out)
    pointer = (out / "LATEST").read_text(encoding="utf-8")
    database = latest_database(out)
    before = {p.relative_to(out): _sha(p) for p in out.rglob("*") if p.is_file()}
    with connect(database) as con:
        version = dataset_version(con)
    _fault(kind, data)
    with pytest.raises(SourceError, match="Strict mode" if kind == "strict" else None):
        run(out, data_dir=data, strict=kind == "strict")
    assert (out / "LATEST").read_text(encoding="utf-8") == pointer
    assert {p.relative_to(out): _sha(p) for p in out.rglob("*") if p.is_file()} == before
    with connect(latest_database(out)) as con:
        assert dataset_version(con) == version
        assert table_counts(con) == published_counts


def test_strict_refusal_names_the_file_and_count(data, tmp_path):
    _fault("strict", data)
    with pytest.raises(SourceError) as exc:
        run(tmp_path / "pub", data_dir=data, strict=True)
    assert "incidents.csv: 1" in str(exc.value)
    _nothing_published(tmp_path / "pub")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project (etl/, the dataset/ package it shares with the dashboard, and data/), so the CLI
    reads data from a temporary tree."""
    root = tmp_path / "project"
    for package in ("etl", "dataset"):
        shutil.copytree(PROJECT_ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(DATA_DIR, root / "data")
    return root


def test_cli_strict_build_with_a_quarantined_row_exits_2(project, tmp_path):
    path = project / "data" / "canonical" / "incidents.csv"
    set_cell(path, 3, "period_end", "2015-02-30")
    rehashed = run_cli("rehash", str(path), cwd=project)
    assert rehashed.returncode == 0, rehashed.stderr
    out = tmp_path / "pub"
    proc = run_cli("build", "--strict", "--quiet", "--out", str(out), cwd=project)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    stderr = " ".join(proc.stderr.split())
    assert "Strict mode" in stderr and "incidents.csv: 1" in stderr
    _nothing_published(out)


# --- python -m etl validate PATH ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["data/canonical/incidents.csv", f"data/sources/google/{SUMMARY}"])
def test_cli_validate_good_file_exits_0(path):
    proc = run_cli("validate", path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "refused 0" in " ".join(proc.stdout.split())


def test_cli_validate_bad_row_exits_1_and_shows_where(tmp_path):
    path = tmp_path / "incidents.csv"
    shutil.copy(DATA_DIR / "canonical" / "incidents.csv", path)
    set_cell(path, 3, "period_end", "2015-02-30")
    proc = run_cli("validate", str(path))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "refused 1" in " ".join(proc.stdout.split())
    assert re.search(r"^\W*3\W+period_end\W+type_date\W", proc.stdout, re.MULTILINE), proc.stdout


def test_cli_validate_unreadable_file_exits_2(tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_bytes((DATA_DIR / "canonical" / "incidents.csv").read_text(encoding="utf-8").encode("utf-16"))
    proc = run_cli("validate", str(path))
    assert proc.returncode == 2
    assert "UTF-16" in proc.stderr


# --- bugs ------------------------------------------------------------------------------------------------------


def test_header_without_trailing_space_is_loaded_or_refused_cleanly(data, tmp_path):
    path = _google(data, SUMMARY)
    text = path.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    assert "% Not Enough Information ," in header
    path.write_text(header.replace("% Not Enough Information ,", "% Not Enough Information,") + "\n" + rest, "utf-8")
    rehash(path)
    out = tmp_path / "pub"
    try:
        run(out, data_dir=data)
    except SourceError:
        _nothing_published(out)
        return
    with connect(latest_database(out)) as con:
        assert con.execute(
            "SELECT pct_not_enough_information FROM platform_reported_requests "
            "WHERE source_id = 'google_removals_summary' AND source_line = ?",
            [_pakistan_pta_line()],
        ).fetchone() == (9.0,)


def test_count_too_large_to_store_is_quarantined(data, references):
    """Checked through the file's adapter and contract alone (``read_and_validate``, as ``build`` runs them):
    the row faults above show that a quarantined row reaches the published quarantine table."""
    line = _pakistan_pta_line()
    path = _google(data, SUMMARY)
    set_cell(path, line, "Number of Requests", "99999999999999999999")
    rehash(path)
    result = read_and_validate(path, registry()[read_provenance(path).layout], *references)
    assert [(f.line, f.column) for f in result.failures] == [(line, "requests")]
    assert line not in set(result.frame[LINE].astype(int))
