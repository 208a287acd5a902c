"""A refused row is reported on the physical line it starts on, whatever comes before it: a blank line, a
value with a quoted line break, a line the reader rejects. One routine (``etl.readers``) finds that line for
every input kind: published sources, case logs and event exports."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from etl import incident_events
from etl.adapters import Refs, registry
from etl.build import REFERENCE_ORDER, _ordered, _remember, read_and_validate
from etl.errors import SourceError
from etl.incident_events_generate import HEADERS
from etl.paths import DATA_DIR
from etl.provenance import discover
from etl.readers import read_csv_text, record_lines
from tests.caselog.helpers import HEADER as CASE_LOG_HEADER
from tests.caselog.helpers import build as build_case_log
from tests.caselog.helpers import make_reference_dir, write_text_log
from tests.incident_events.helpers import write_export

DISTURBANCES = ["blank line", "quoted line break", "rejected line"]


def csv_line(values: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(values)
    return out.getvalue()


def disturbed(header: list[str], good: list[list[str]], bad: list[str], kind: str, multiline_column: str) -> str:
    """Header, a good record, the disturbance (with a second good record), the bad record, a third good one."""
    with_break = list(good[1])
    with_break[header.index(multiline_column)] = "first line\nsecond line"
    before = {
        "blank line": [csv_line(good[1]), "\n"],
        "quoted line break": [csv_line(with_break)],
        "rejected line": [csv_line(good[1]), csv_line(good[1])[:-1] + ",one field too many\n"],
    }[kind]
    return "".join([csv_line(header), csv_line(good[0]), *before, csv_line(bad), csv_line(good[2])])


def physical_line(text: str, marker: str) -> int:
    """The 1-based line of ``text`` that holds ``marker`` (counted by hand, not by a CSV reader)."""
    [line] = [number for number, content in enumerate(text.split("\n"), start=1) if marker in content]
    return line


# --- the routine itself --------------------------------------------------------------------------------------


def test_record_lines_skips_blank_lines_ragged_records_and_rejected_lines(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text('a,b\n1,2\n\n"3\nx",4\n5\n6,7\n8,9\n10,11\n', encoding="utf-8")
    # records as a reader returns them: 1,2 (line 2); "3\nx",4 (lines 4-5); 6,7 (7); 8,9 (8); 10,11 (9)
    assert record_lines(path, {1, 2, 3, 4, 5}) == {1: 2, 2: 4, 3: 7, 4: 8, 5: 9}
    # a reader that rejected line 8 returns 10,11 as its fourth record
    assert record_lines(path, {4}, rejected={8}) == {4: 9}
    assert record_lines(path, {9}) == {}  # the file has no ninth record


def test_read_csv_text_and_record_lines_agree(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text('a,b\n\n1,2\r\n"x\r\ny",3\n\n\n4,5\n', encoding="utf-8", newline="")
    lines = read_csv_text(path).frame["_line"].tolist()
    assert lines == [3, 4, 8]
    assert record_lines(path, {1, 2, 3}) == dict(enumerate(lines, start=1))


# --- published sources (adapters and contracts) ----------------------------------------------------------------


@pytest.fixture(scope="module")
def refs():
    refs, references = Refs(), {}
    for provenance in _ordered(discover(DATA_DIR)):
        layout = registry().get(provenance.layout)
        if layout is not None and layout.table in REFERENCE_ORDER:
            _remember(
                layout.table, read_and_validate(provenance.path, layout, refs, references).frame, refs, references
            )
    return refs, references


@pytest.mark.parametrize("kind", DISTURBANCES)
def test_published_source_reports_the_physical_line(tmp_path, refs, kind):
    source = read_csv_text(DATA_DIR / "canonical" / "incidents.csv")
    header = source.header
    good = [["" if pd.isna(v) else str(v) for v in source.frame.iloc[i][header]] for i in range(3)]
    bad = list(good[0])
    bad[header.index("period_end")] = "2014-02-30"
    bad[header.index("source_line")] = "999"
    text = disturbed(header, good, bad, kind, "note")
    path = tmp_path / "incidents.csv"
    path.write_text(text, encoding="utf-8")
    result = read_and_validate(path, registry()["canonical_incidents"], *refs)
    expected = [(physical_line(text, ",999,"), "period_end", "type_date")]
    if kind == "rejected line":
        expected.insert(0, (physical_line(text, "one field too many"), None, "field_count"))
    assert [(f.line, f.column, f.rule) for f in result.failures] == expected
    assert result.rows_read == 4 + (kind == "rejected line")


# --- case logs (read by DuckDB) ----------------------------------------------------------------------------------


CASE_LOG_ROW = {
    "sent_at": "2024-03-01T10:00:00Z",
    "platform": "X",
    "category": "Anti-state",
    "linked_group": "none",
    "origin_country": "PK",
    "requester": "PTA",
    "target_kind": "account",
    "target": "@someone",
    "status": "actioned",
    "responded_at": "2024-03-02T10:00:00Z",
}


def case_log_row(request_id: str, **override: str) -> list[str]:
    return [{**CASE_LOG_ROW, "request_id": request_id, **override}[h] for h in CASE_LOG_HEADER]


@pytest.fixture(scope="module")
def case_log_reference_dir(tmp_path_factory) -> Path:
    return make_reference_dir(tmp_path_factory.mktemp("case-log-reference"))


@pytest.mark.parametrize("kind", DISTURBANCES)
def test_case_log_reports_the_physical_line(tmp_path, case_log_reference_dir, kind):
    good = [case_log_row(f"R-{n}") for n in (1, 2, 3)]
    text = disturbed(CASE_LOG_HEADER, good, case_log_row("R-BAD", platform="Myspace"), kind, "target")
    log = write_text_log(tmp_path / "log.csv", text)
    case = build_case_log(tmp_path / "out", [log], case_log_reference_dir, k=1).case_logs[0]
    expected = [(physical_line(text, "R-BAD"), "platform", "unknown_platform")]
    if kind == "rejected line":
        expected.insert(0, (physical_line(text, "one field too many"), None, "csv_too_many_columns"))
    assert [(f.line, f.column, f.rule) for f in case.failures] == expected


def test_case_log_rejected_line_after_a_quoted_line_break_is_reported_on_its_own_line(tmp_path, case_log_reference_dir):
    """DuckDB numbers the lines it rejects by counting records, so its number is one short after each quoted
    line break; the quarantine gives the line in the file."""
    rows = [case_log_row("R-1", target="@a\nb\nc"), case_log_row("R-2")]
    text = csv_line(CASE_LOG_HEADER) + "".join(csv_line(r) for r in rows)
    text += csv_line(case_log_row("R-3"))[:-1] + ",surplus\n" + csv_line(case_log_row("R-BAD", platform="Myspace"))
    log = write_text_log(tmp_path / "log.csv", text)
    case = build_case_log(tmp_path / "out", [log], case_log_reference_dir, k=1).case_logs[0]
    assert [(f.line, f.rule) for f in case.failures] == [(6, "csv_too_many_columns"), (7, "unknown_platform")]
    assert (physical_line(text, "surplus"), physical_line(text, "R-BAD")) == (6, 7)


# --- event exports (read by DuckDB) ---------------------------------------------------------------------------


ACLED_ROW = {
    "event_date": "2024-01-05",
    "time_precision": "1",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "actor1": "Military Forces of Pakistan (2024-)",
    "actor2": "TTP: Tehreek-i-Taliban Pakistan",
    "country": "Pakistan",
    "admin1": "Khyber Pakhtunkhwa",
    "fatalities": "3",
    "notes": "a note",
}


def acled_row(event_id: str, **override: str) -> list[str]:
    return [{**ACLED_ROW, "event_id_cnty": event_id, **override}.get(h, "") for h in HEADERS["acled"]]


def write_acled(tmp_path: Path, text: str) -> Path:
    path = write_export(tmp_path / "acled.csv", "acled", [])  # the provenance file; no build checks its sha256
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["blank line", "quoted line break"])
def test_event_export_reports_the_physical_line(tmp_path, kind):
    good = [acled_row(f"PAK{n}") for n in (1, 2, 3)]
    text = disturbed(list(HEADERS["acled"]), good, acled_row("PAK-BAD", event_date="2024-02-30"), kind, "notes")
    result = incident_events.check(write_acled(tmp_path, text))
    assert [(f.line, f.column, f.rule) for f in result.failures] == [
        (physical_line(text, "PAK-BAD"), "event_date", "type_date")
    ]


def test_event_export_with_a_rejected_line_is_refused_naming_its_physical_line(tmp_path):
    """DuckDB reads event exports strictly: a line that does not split refuses the whole file, and the
    refusal names the line (never its text), counted after a blank line and a quoted line break."""
    good = [acled_row(f"PAK{n}") for n in (1, 2, 3)]
    text = disturbed(list(HEADERS["acled"]), good, acled_row("PAK-BAD"), "rejected line", "notes")
    text = text.replace(csv_line(good[0]), csv_line(good[0]) + "\n" + csv_line(acled_row("PAK0", notes="a\nb")))
    assert physical_line(text, "one field too many") == 7  # DuckDB counts 6: one record spans two lines
    with pytest.raises(SourceError, match="at line 7 "):
        incident_events.check(write_acled(tmp_path, text))
