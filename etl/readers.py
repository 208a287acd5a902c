"""Strict CSV reading: every value as text, every row with the line it started on.

The physical line a record starts on is found here and nowhere else (``numbered_records``): the published
sources read through ``read_csv_text``, and the case logs and event exports that DuckDB reads, whose refused
rows are given their line afterwards with ``record_lines``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pandas as pd

from etl.errors import Failure, SourceError

LINE = "_line"  # column carrying the 1-based line number of each record in its file
UNTERMINATED_MESSAGE = "the file ends inside this record, without a line break: it may have been cut short"


@dataclass
class RawTable:
    """A source file read as text: its header, its records and the records it could not split."""

    path: Path
    header: list[str]
    frame: pd.DataFrame
    failures: list[Failure] = field(default_factory=list)
    source_id: str | None = None  # set from the provenance file when the build reads it

    @property
    def rows_read(self) -> int:
        return len(self.frame) + len(self.failures)


def decode(path: Path) -> str:
    """The file's text; UTF-8 (with or without BOM) only, and no NUL bytes."""
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise SourceError(f"{path.name}: the file is UTF-32; save it as UTF-8 (CSV UTF-8 in Excel) and try again.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_like_utf16(data):
        raise SourceError(f"{path.name}: the file is UTF-16; save it as UTF-8 (CSV UTF-8 in Excel) and try again.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"{path.name}: not valid UTF-8 (first bad byte on line {line}). The file may be Latin-1 or "
            f"Windows-1252; save it as UTF-8 (CSV UTF-8 in Excel) and try again."
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise SourceError(f"{path.name}: contains a NUL byte on line {line}; the file is damaged or not a CSV.")
    return text


def _looks_like_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: text where every other byte of the start is NUL."""
    head = data[:4096]
    return len(head) >= 8 and (
        head[1::2].count(0) > 0.4 * len(head[1::2]) or head[0::2].count(0) > 0.4 * len(head[0::2])
    )


def read_csv_text(path: Path) -> RawTable:
    """Read ``path`` strictly: a record with the wrong number of fields is a failure, not a guess."""
    text = decode(path)
    if not text.strip():
        raise SourceError(f"{path.name}: the file is empty.")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise SourceError(f"{path.name}: the header line cannot be read as CSV ({exc}).") from None
    names = [name.strip() for name in header]  # layouts are matched ignoring surrounding spaces
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise SourceError(f"{path.name}: the header repeats column(s) {', '.join(repr(d) for d in duplicated)}.")
    records, lines, failures = [], [], []
    start_of_last = None
    try:
        for start, record in numbered_records(reader):
            start_of_last = start
            if len(record) != len(header):
                found = f"{len(record)} fields where the header has {len(header)}"
                failures.append(Failure(path.name, start, None, "field_count", found))
            else:
                records.append(record)
                lines.append(start)
    except csv.Error as exc:
        raise SourceError(f"{path.name}: line {reader.line_num} cannot be read as CSV ({exc}).") from None
    if records and not text.endswith(("\n", "\r")) and lines[-1] == start_of_last:
        # No line break after the last record: the file may have been cut off in the middle of it, and a
        # number cut short is still a number. Refuse the record rather than load a figure that may be wrong.
        records.pop()
        lines.pop()
        failures.append(Failure(path.name, start_of_last, None, "unterminated_record", UNTERMINATED_MESSAGE))
    frame = pd.DataFrame(records, columns=header, dtype="string")
    frame = frame.replace("", pd.NA)
    frame[LINE] = pd.array(lines, dtype="Int64")
    return RawTable(path=path, header=header, frame=frame, failures=failures)


class LineCountingReader(Protocol):
    """What ``csv.reader`` is: records, and the number of lines read so far."""

    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...


def numbered_records(reader: LineCountingReader) -> Iterator[tuple[int, list[str]]]:
    """The records left in a ``csv.reader``, each with the physical line (1-based) it starts on.

    Blank lines are not records (neither this module nor DuckDB's reader loads them), and a quoted value may
    span lines, so a record starts on the line after the one the previous record ended on.
    """
    for start, record in _raw_records(reader):
        if record and record != [""]:
            yield start, record


def _raw_records(reader: LineCountingReader) -> Iterator[tuple[int, list[str]]]:
    """Every record left in ``reader``, blank lines included (as empty records), with its first line."""
    end = reader.line_num
    for record in reader:
        start, end = end + 1, reader.line_num
        yield start, record


def record_lines(
    path: Path, records: Collection[int], encoding: str = "utf-8-sig", rejected: Collection[int] = ()
) -> dict[int, int]:
    """For records numbered 1, 2 … in the order a CSV reader such as DuckDB's returns them, the physical
    line each starts on (the header is line 1).

    Only records the reader returned are numbered: not blank lines, not records whose number of fields
    differs from the header's, and not the records starting on a line in ``rejected`` (physical lines the
    reader itself refused). Read only as far as the last record asked for; a record the file does not have
    is left out of the answer.
    """
    if not records:
        return {}
    wanted, last, found, number = set(records), max(records), {}, 0
    refused = set(rejected)
    with path.open(encoding=encoding, errors="replace", newline="") as handle:  # lines, not text, matter
        reader = csv.reader(handle)
        fields = len(next(reader, []))
        for start, record in numbered_records(reader):
            if len(record) != fields or start in refused:
                continue
            number += 1
            if number in wanted:
                found[number] = start
            if number >= last:
                break
    return found


def physical_lines(path: Path, counted: Collection[int], encoding: str = "utf-8-sig") -> dict[int, int]:
    """DuckDB's CSV reader names a line it cannot split by counting records, the header and every blank line
    included (header = 1), so each quoted line break before it shifts its number by one. The physical line
    each such number starts on; a number past the file's end is left out of the answer."""
    if not counted:
        return {}
    wanted, last, found = set(counted), max(counted), {}
    with path.open(encoding=encoding, errors="replace", newline="") as handle:  # lines, not text, matter
        for number, (start, _) in enumerate(_raw_records(csv.reader(handle)), start=1):
            if number in wanted:
                found[number] = start
            if number >= last:
                break
    return found
