"""No request_id and no target of a case log ever leaves the build: not in any table of the published
database, not in any file of the published folder, not on the console, not in an error message.

One command-line build (of the reference tables the logs are mapped through, in a copy of the project, plus two
case logs) aggregates a generated CSV log and a generated Parquet log, each with hand-written rows appended whose identifiers sit where they do not belong (in the
platform, category, requester, timestamp … columns), duplicate ids, and lines the CSV reader cannot split.
Every request_id and every target of both inputs is then searched for, all of them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from etl.caselog_generate import generate
from etl.errors import SourceError
from etl.provenance import rehash
from etl.publish import current_database
from tests.etl.helpers import copy_project

from .helpers import (
    HEADER,
    build,
    csv_text,
    database_text,
    literal_set_regex,
    run_cli,
    start_cli,
    write_text_log,
)

# The CSV log gets more rows than DuckDB's dialect sniffer samples (20,480), so that the unsplittable lines
# appended below are quarantined instead of making the whole file unreadable (see test_bad_rows).
CSV_ROWS, PARQUET_ROWS = 21_000, 20_000
CSV_SEED, PARQUET_SEED = 101, 102

SECRET_IDS = [f"CASE-PK-2024-{n:06d}" for n in range(917, 940)]
SECRET_TARGETS = [
    "@jalal_baloch_official",
    "https://t.me/s/ttp_media_umar",
    "https://www.facebook.com/profile.php?id=100089123456789",
    "@handle_in_requester",
    "Hassan Ali Raza",
    "+92 300 1234567",
    "@too_few_fields_target",
    "@quoted,comma,target",
    "@valid_but_secret",
    "@dup_target_handle",
    "35202-7654321-9",
    "@معروف_اکاؤنٹ",
]


def bad_rows(generated_id: str) -> list[list[str | None]]:
    """Rows (as lists of fields) with identifiers in the wrong places; a few have the wrong field count."""
    ids, t = SECRET_IDS, SECRET_TARGETS
    ok = ["2024-03-01T10:00:00Z", "X", "Anti-state", "none", "PK", "PTA", "account"]
    answered = ["actioned", "2024-03-02T10:00:00Z"]

    def row(request_id, target, **override):
        fields = dict(zip(HEADER, [request_id, *ok, target, *answered], strict=True))
        fields.update(override)
        return [fields[h] for h in HEADER]

    return [
        row(generated_id, t[9]),  # duplicate of a generated request_id
        row(ids[0], t[0], responded_at="2024-02-01T10:00:00Z"),  # answered before it was sent
        row(ids[1], t[1], platform=t[1]),  # the target in the platform column
        row(ids[2], t[3], requester=t[3]),  # the target in the requester column
        row(ids[3], t[2], category=ids[3]),  # the id in the category column
        row(ids[4], t[4], sent_at=ids[4]),  # the id in the timestamp column
        row(ids[5], t[4], origin_country=t[4]),  # a name in the country column
        row(ids[6], t[0], linked_group=t[0]),  # a handle as linked group
        row(ids[7], t[1], status=ids[7]),  # the id as status
        row(ids[8], t[1], target_kind=t[1]),  # a URL as target kind
        row(ids[9], t[10], responded_at=t[10]),  # an ID-card number as timestamp
        row(ids[10], t[11], platform=t[11]),  # a handle in Urdu script as platform
        row(ids[11], t[8]),  # a valid row: counted, its identifiers still never shown
        row(ids[12], t[8]),  # another valid one
        row(ids[11], t[5]),  # duplicate of a hand-written id
        row(None, t[4]),  # no request_id
    ]


def ragged_lines() -> str:
    """Lines the CSV reader cannot split into the header's 11 fields (written by hand, not by csv)."""
    ids, t = SECRET_IDS, SECRET_TARGETS
    return (
        f"{ids[13]},2024-03-01T10:00:00Z,X,Anti-state,none,PK,PTA,account,{t[2]},actioned,2024-03-02T10:00:00Z,{t[5]}\n"
        f"{ids[14]},2024-03-01T10:00:00Z,X,{t[6]}\n"
        f'{ids[15]},2024-03-01T10:00:00Z,Myspace,Anti-state,none,PK,PTA,account,"{t[7]}",actioned,2024-03-02T10:00:00Z\n'
        f"{ids[16]},{t[4]},{t[0]}\n"
    )


@pytest.fixture(scope="module")
def logs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("identifiers")
    csv_log = generate(CSV_ROWS, CSV_SEED, folder / "agency_log.csv")
    extra = csv_text(bad_rows(f"REQ-{CSV_SEED}-000000005")).split("\n", 1)[1]
    with csv_log.open("a", encoding="utf-8", newline="") as handle:
        handle.write(extra + ragged_lines())
    rehash(csv_log)

    parquet_log = generate(PARQUET_ROWS, PARQUET_SEED, folder / "agency_log.parquet")
    schema = pa.schema([(name, pa.string()) for name in HEADER])
    generated = pq.read_table(parquet_log).select(HEADER).cast(schema)
    rows = bad_rows(f"REQ-{PARQUET_SEED}-000000005")
    appended = pa.table({name: pa.array([r[i] for r in rows], type=pa.string()) for i, name in enumerate(HEADER)})
    pq.write_table(pa.concat_tables([generated, appended]), parquet_log)
    rehash(parquet_log)
    return {"csv": csv_log, "parquet": parquet_log}


@pytest.fixture(scope="module")
def secrets(logs) -> list[str]:
    """Every request_id and every target of both inputs (and every hand-written identifier)."""
    values = set(SECRET_IDS) | set(SECRET_TARGETS)
    with logs["csv"].open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            values.update(v for v in (record["request_id"], record["target"]) if v)
    parquet = pq.read_table(logs["parquet"], columns=["request_id", "target"]).to_pydict()
    values.update(v for v in parquet["request_id"] + parquet["target"] if v)
    assert len(values) > 2 * (CSV_ROWS + PARQUET_ROWS) * 0.99
    return sorted(values)


@pytest.fixture(scope="module")
def secret_pattern(secrets):
    return literal_set_regex(secrets)


@pytest.fixture(scope="module")
def cli_build(tmp_path_factory, logs):
    """``python -m etl build`` of both logs, run in a copy of the project whose data/ holds only the reference tables
    (the shipped sources hold no case-log value, and reading them is not what is tested); its output captured."""
    project = copy_project(tmp_path_factory.mktemp("identifiers-project"), files=())
    out = tmp_path_factory.mktemp("identifiers-published")
    proc = start_cli(
        "build", "--out", str(out), "--case-log", str(logs["csv"]), "--case-log", str(logs["parquet"]), cwd=project
    )
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, (stdout + stderr).decode(errors="replace")[-3000:]
    return out, stdout, stderr


def found(pattern, blob: bytes) -> list[str]:
    return sorted({m.group().decode("utf-8", errors="replace") for m in pattern.finditer(blob)})[:10]


def test_the_search_finds_identifiers_where_they_are(logs, secret_pattern):
    """The search itself works: every input file holds identifiers, every hand-written one is matched."""
    for path in logs.values():
        assert secret_pattern.search(path.read_bytes())
    for value in SECRET_IDS + SECRET_TARGETS + [f"REQ-{CSV_SEED}-000020999"]:
        assert secret_pattern.search(f"…{value}…".encode()), value


def test_the_build_counted_and_quarantined_the_hand_written_rows(cli_build):
    out, _, _ = cli_build
    con = duckdb.connect(str(current_database(out)), read_only=True)
    try:
        info = dict(con.execute("SELECT source_id, rows_quarantined FROM case_log_info ORDER BY source_id").fetchall())
        aggregated = dict(con.execute("SELECT source_id, rows_aggregated FROM case_log_info").fetchall())
    finally:
        con.close()
    csv_id, parquet_id = (
        f"synthetic_case_log_{CSV_SEED}_{CSV_ROWS}",
        f"synthetic_case_log_{PARQUET_SEED}_{PARQUET_ROWS}",
    )
    # 16 hand-written rows, 2 of them valid, 1 refused for a missing id; plus 4 unsplittable CSV lines
    assert info == {csv_id: 14 + 4, parquet_id: 14}
    assert aggregated == {csv_id: CSV_ROWS + 2, parquet_id: PARQUET_ROWS + 2}


def test_no_identifier_in_any_table_of_the_published_database(cli_build, secret_pattern):
    out, _, _ = cli_build
    blob = database_text(current_database(out))
    assert b"case_requests_monthly" in blob or len(blob) > 100_000
    assert not found(secret_pattern, blob)


def test_no_identifier_in_any_file_of_the_published_folder(cli_build, secret_pattern):
    out, _, _ = cli_build
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.suffix == ".duckdb" for p in files)
    assert any(p.name == "case_requests_monthly.csv" for p in files)
    assert any(p.name == "quarantine.csv" for p in files)
    leaks = {str(p.relative_to(out)): found(secret_pattern, p.read_bytes()) for p in files}
    assert not {name: hits for name, hits in leaks.items() if hits}


def test_no_identifier_on_the_console(cli_build, secret_pattern):
    _, stdout, stderr = cli_build
    assert b"synthetic_case_log" in stdout  # the summary names the sources
    assert not found(secret_pattern, stdout)
    assert not found(secret_pattern, stderr)


# --- files that cannot be read at all: the refusal names the file, never a value from it --------------

MISSING_STATUS = csv_text(
    [
        [
            SECRET_IDS[20],
            "2024-03-01T10:00:00Z",
            "X",
            "Anti-state",
            "none",
            "PK",
            "PTA",
            "account",
            SECRET_TARGETS[0],
            "2024-03-02T10:00:00Z",
        ]
    ],
    header=[h for h in HEADER if h != "status"],
)
LATIN1 = (
    ",".join(HEADER) + "\n" + f"{SECRET_IDS[21]},2024-03-01T10:00:00Z,X,Anti-state,none,PK,PTA,account,"
    "@caf\xe9_owner_handle,actioned,2024-03-02T10:00:00Z\n"
).encode("latin-1")
NOT_PARQUET = b"PAR1" + f"{SECRET_IDS[22]} {SECRET_TARGETS[1]} {SECRET_TARGETS[4]}".encode() + b"\x00" * 64 + b"PAR1"
BINARY = (
    b"\x89\x00\xff\xfe" + "\x00".join([SECRET_IDS[5], SECRET_TARGETS[6], SECRET_TARGETS[2]]).encode() + b"\x00\xff" * 40
)
BAD_FILES = {
    "missing_column.csv": (MISSING_STATUS, "missing required case-log column(s) status"),
    "latin1.csv": (LATIN1, "cannot be read as a case log"),
    "broken.parquet": (NOT_PARQUET, "cannot be read as a case log"),
    "binary.csv": (BINARY, None),
}
BAD_FILE_PATTERN = literal_set_regex(
    [*SECRET_IDS, *SECRET_TARGETS, "@caf\xe9_owner_handle", "caf\xe9_owner", "owner_handle"]
)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_refused_file_is_named_but_none_of_its_values_are(tmp_path, reference_dir, name):
    content, expected = BAD_FILES[name]
    path = write_text_log(tmp_path / name, content, source_id=Path(name).stem)
    out = tmp_path / "published"
    with pytest.raises(SourceError) as refused:
        build(out, [path], reference_dir)
    message = str(refused.value)
    assert message.startswith(name)
    if expected:
        assert expected in message
    assert not found(BAD_FILE_PATTERN, message.encode())
    assert current_database(out) is None, "nothing may be published"


def test_the_command_line_refusal_shows_no_value_either(tmp_path):
    path = write_text_log(tmp_path / "latin1.csv", LATIN1)
    out = tmp_path / "published"
    project = copy_project(tmp_path / "project", files=())  # the reference tables only, as for cli_build
    proc = run_cli("build", "--quiet", "--out", str(out), "--case-log", str(path), cwd=project)
    console = proc.stdout + proc.stderr
    assert proc.returncode == 2, console.decode(errors="replace")[-2000:]
    assert b"Refused" in console and b"latin1.csv" in console
    assert not found(BAD_FILE_PATTERN, console)
    assert current_database(out) is None
