"""Faults in a copy of data/: rows are quarantined with file/line/column/rule, files are refused.

The row faults sit in different rows of one copy of all of data/, built once for the module: each test checks
its own row, and one test checks that the three are the whole quarantine and everything else is published. A
file fault stops the build at the file, so it is checked in a copy holding only that file and the reference
tables (``copy_data``): the build refuses it the same way, without reading every other source first."""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from etl.adapters import registry
from etl.build import BuildResult, read_and_validate, run
from etl.errors import SourceError
from etl.provenance import read_provenance, rehash
from etl.readers import LINE

from .helpers import (
    DATA_DIR,
    DETAILED,
    SUMMARY,
    connect,
    copy_data,
    copy_project,
    dataset_version,
    drop_column,
    latest_database,
    read_records,
    run_cli,
    set_cell,
    table_counts,
)

CNIC = "35202-7654321-9"


INCIDENTS = "canonical/incidents.csv"


def _incidents(data: Path) -> Path:
    return data / INCIDENTS


def _google(data: Path, name: str) -> Path:
    return data / "sources" / "google" / name


GOOGLE_SUMMARY, GOOGLE_DETAILED = f"sources/google/{SUMMARY}", f"sources/google/{DETAILED}"


def _data(tmp_path: Path, name: str) -> Path:
    """A private data folder: the reference tables and the one file of data/ a fault is planted in."""
    return copy_data(tmp_path / "data", name)


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


@dataclass
class Faulty:
    out: Path  # where the copy of data/ with the three row faults was published
    result: BuildResult
    incidents_rows: int  # records in the faulty incidents.csv
    dated_row: dict[str, str]  # the incidents record whose period_end was made impossible, as it was
    google_line: int  # the Google summary line given a negative count


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Faulty:
    """All of data/, copied, with three row faults in three rows: an impossible date (incidents.csv line 3), an
    ID-card number in a note (incidents.csv line 4) and a negative count (the Google summary's Pakistan PTA row
    of 2025 H1); built and published once."""
    data = tmp_path_factory.mktemp("faulty") / "data"
    shutil.copytree(DATA_DIR, data)
    incidents = _incidents(data)
    dated_row = set_cell(incidents, 3, "period_end", "2015-02-30")
    set_cell(incidents, 4, "note", f"figure confirmed by {CNIC}")
    rehash(incidents)
    google_line = _pakistan_pta_line()
    set_cell(_google(data, SUMMARY), google_line, "Number of Requests", "-211")
    rehash(_google(data, SUMMARY))
    rows = sum(1 for _ in csv.DictReader(incidents.open(encoding="utf-8", newline="")))
    out = data.parent / "pub"
    return Faulty(out, run(out, data_dir=data), rows, dated_row, google_line)


def test_the_three_faulty_rows_are_the_whole_quarantine_and_the_rest_is_published(faulty, published_counts):
    assert faulty.result.quarantined == 3
    with connect(latest_database(faulty.out)) as con:
        assert _quarantine(con) == [
            ("canonical_incidents", "incidents.csv", 3, "period_end", "type_date"),
            ("canonical_incidents", "incidents.csv", 4, "note", "pii_cnic"),
            ("google_removals_summary", SUMMARY, faulty.google_line, "requests", "minimum"),
        ]
        assert table_counts(con) == {
            **published_counts,
            "incidents": published_counts["incidents"] - 2,
            "platform_reported_requests": published_counts["platform_reported_requests"] - 1,
            "quarantine": 3,
        }


def test_bad_date_in_a_canonical_row_is_quarantined(faulty):
    failures = [(f.line, f.column, f.rule) for r in faulty.result.results for f in r.failures]
    assert (3, "period_end", "type_date") in failures
    with connect(latest_database(faulty.out)) as con:
        assert [q for q in _quarantine(con) if q[:3] == ("canonical_incidents", "incidents.csv", 3)] == [
            ("canonical_incidents", "incidents.csv", 3, "period_end", "type_date")
        ]
        rows = faulty.incidents_rows
        (in_table,) = con.execute("SELECT count(*) FROM incidents").fetchone()
        assert con.execute(  # this row and the one with an ID-card number (line 4) are refused, the rest loaded
            "SELECT rows_read, rows_loaded, rows_quarantined, table_rows FROM sources "
            "WHERE source_id = 'canonical_incidents'"
        ).fetchone() == (rows, rows - 2, 2, in_table)
        old = faulty.dated_row
        refused_row = con.execute(
            "SELECT count(*) FROM incidents WHERE source_org = ? AND definition_id = ? AND period_start = ? "
            "AND region_label = ?",
            [old["source_org"], old["definition_id"], old["period_start"], old["region_label"]],
        ).fetchone()
        assert refused_row == (0,)


def test_negative_count_in_a_google_row_is_quarantined(faulty, published_counts):
    line = faulty.google_line
    with connect(latest_database(faulty.out)) as con:
        assert [q for q in _quarantine(con) if q[0] == "google_removals_summary"] == [
            ("google_removals_summary", SUMMARY, line, "requests", "minimum")
        ]
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


def test_cnic_in_a_text_field_is_quarantined_and_never_published(faulty):
    out = faulty.out
    incidents = next(r for r in faulty.result.results if r.provenance.source_id == "canonical_incidents")
    assert [(f.line, f.column, f.rule) for f in incidents.failures if f.line == 4] == [(4, "note", "pii_cnic")]
    with connect(latest_database(out)) as con:
        assert [q for q in _quarantine(con) if q[:3] == ("canonical_incidents", "incidents.csv", 4)] == [
            ("canonical_incidents", "incidents.csv", 4, "note", "pii_cnic")
        ]
        (message,) = con.execute("SELECT message FROM quarantine WHERE rule = 'pii_cnic'").fetchone()
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


def test_missing_column_in_a_google_file_is_refused(tmp_path):
    data = _data(tmp_path, GOOGLE_SUMMARY)
    path = _google(data, SUMMARY)
    drop_column(path, "Items Requested To Be Removed")
    rehash(path)
    out = tmp_path / "pub"
    with pytest.raises(SourceError, match="missing required column") as exc:
        run(out, data_dir=data)
    assert SUMMARY in str(exc.value) and "'Items Requested To Be Removed'" in str(exc.value)
    _nothing_published(out)


def test_file_changed_without_rehash_is_refused(tmp_path):
    data = _data(tmp_path, GOOGLE_DETAILED)
    set_cell(_google(data, DETAILED), 2, "Total", "5")
    out = tmp_path / "pub"
    with pytest.raises(SourceError, match="checksum") as exc:
        run(out, data_dir=data)
    assert DETAILED in str(exc.value) and "rehash" in str(exc.value)
    _nothing_published(out)


def _first_non_ascii_line(text: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if not line.isascii())


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_file_in_another_encoding_is_refused(tmp_path, encoding):
    data = _data(tmp_path, GOOGLE_SUMMARY)
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


def test_unknown_header_is_refused(tmp_path):
    data = _data(tmp_path, GOOGLE_DETAILED)
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


#: The file each kind of refusal is planted in.
FAULT_FILES = {"checksum": GOOGLE_DETAILED, "missing-column": GOOGLE_SUMMARY, "strict": INCIDENTS}


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
def test_refused_build_leaves_the_published_dataset_unchanged(tmp_path, published, published_counts, kind):
    data = _data(tmp_path, FAULT_FILES[kind])
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


def test_strict_refusal_names_the_file_and_count(tmp_path):
    data = _data(tmp_path, INCIDENTS)
    _fault("strict", data)
    with pytest.raises(SourceError) as exc:
        run(tmp_path / "pub", data_dir=data, strict=True)
    assert "incidents.csv: 1" in str(exc.value)
    _nothing_published(tmp_path / "pub")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project (etl/, the dataset/ package it shares with the dashboard, and the reference tables and
    canonical incidents of data/), so the CLI reads data from a temporary tree."""
    return copy_project(tmp_path / "project", [INCIDENTS])


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


def test_header_without_trailing_space_is_loaded_or_refused_cleanly(tmp_path):
    data = _data(tmp_path, GOOGLE_SUMMARY)
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


def test_count_too_large_to_store_is_quarantined(tmp_path, references):
    """Checked through the file's adapter and contract alone (``read_and_validate``, as ``build`` runs them):
    the row faults above show that a quarantined row reaches the published quarantine table."""
    data = _data(tmp_path, GOOGLE_SUMMARY)
    line = _pakistan_pta_line()
    path = _google(data, SUMMARY)
    set_cell(path, line, "Number of Requests", "99999999999999999999")
    rehash(path)
    result = read_and_validate(path, registry()[read_provenance(path).layout], *references)
    assert [(f.line, f.column) for f in result.failures] == [(line, "requests")]
    assert line not in set(result.frame[LINE].astype(int))
