"""Hostile files through every ETL adapter: property-based (hypothesis) and a few hand-picked extremes.

Each example is a source file made from real records of a shipped file, with cells and the file itself
damaged the way volunteers' files are: thousands separators, Urdu, Arabic-Indic and full-width digits,
formula strings, Urdu and mixed scripts, quoted newlines, BOMs, UTF-16 and Latin-1, NUL bytes, duplicated
headers, truncation at any byte. Whatever happens, it is one of two things:

- a ``SourceError`` naming the file (the build stops with a clear message), or
- every record is counted (rows read = records in the file = loaded + quarantined, no line in both), and
  every number that was loaded is exactly the plain ASCII number written in its cell: never a separator
  dropped, a foreign digit read, a cut-off number, or a figure from another cell.

``make test`` runs a bounded number of examples; ``pytest tests/security/test_etl_fuzz.py
--hypothesis-profile=fuzz`` runs thousands (see docs/SECURITY.md).
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from etl.adapters import Refs, registry
from etl.build import REFERENCE_ORDER as BUILD_REFERENCE_ORDER
from etl.build import _load, _ordered, _remember, read_and_validate
from etl.contracts import load_contract
from etl.errors import SourceError
from etl.paths import DATA_DIR
from etl.pii import IDENTIFIER_PATTERNS
from etl.provenance import discover
from etl.readers import LINE

#: Bounded in ``make test``; ``--hypothesis-profile=fuzz`` (tests/security/conftest.py) runs the long form.
FUZZING = settings.get_current_profile_name() != "default"
EXAMPLES = settings.default.max_examples if FUZZING else 10
BOUNDED = dict(
    deadline=None,  # a busy 2-core machine: the bound is the number of examples, not each one's time
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,  # nothing written into the working tree; a failure prints its reproduction blob
    print_blob=True,
)

CANONICAL_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
SUPPRESSED = ("<10", "?")
SAMPLE = 300  # real records kept per layout to build examples from


# ---------------------------------------------------------------------------------------------------------
# The shipped sources, their layouts, and where each loaded number comes from


@dataclass
class Source:
    layout: str
    path: Path
    header: list[str]
    records: list[list[str]]
    provenance: object = None


def _read_records(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    return rows[0], [r for r in rows[1:] if r and r != [""]][:SAMPLE]


def _sources() -> dict[str, Source]:
    found: dict[str, Source] = {}
    for provenance in discover(DATA_DIR):
        layout = registry().get(provenance.layout)
        if layout is None or layout.reader is not None or layout.name in found:
            continue
        header, records = _read_records(provenance.path)
        found[layout.name] = Source(layout.name, provenance.path, header, records, provenance)
    return found


SOURCES = _sources()
CSV_LAYOUTS = sorted(SOURCES)

GOOGLE_SUMMARY_NUMBERS = {
    "requests": "Number of Requests",
    "items_requested": "Items Requested To Be Removed",
    "pct_removed_legal": "% Removed-Legal",
    "pct_removed_policy": "% Removed-Policy",
    "pct_content_not_found": "% Content Not Found",
    "pct_not_enough_information": "% Not Enough Information ",
    "pct_no_action_taken": "% No Action Taken",
    "pct_content_already_removed": "% Content Already Removed",
}
HISTORICAL_GROUPS = {
    "All requesters": "All Requests",
    "Court orders": "Court Orders",
    "Other (executive, police, etc.)": "Other Requests (Executive, Police, etc.)",
}


def number_cells(layout: str, loaded: pd.Series) -> dict[str, str]:
    """For one loaded row: contract column → the source column its number was read from."""
    if layout == "google_summary":
        return GOOGLE_SUMMARY_NUMBERS
    if layout == "google_detailed":
        return {"requests": "Total"}
    if layout == "google_summary_historical":
        group = HISTORICAL_GROUPS[loaded["requester"]]
        return {
            "requests": f"{group}: Number of Requests",
            "items_requested": f"{group}: Items Requested To Be Removed",
            "complied_pct": f"{group}: % Fully Or Partially Complied With",
        }
    if layout == "google_detailed_historical":
        return {
            "Court orders": {"requests": "Court Orders"},
            "Other (executive, police, etc.)": {"requests": "Executive, Police, etc."},
            "All requesters": {"items_requested": "Items Requested To Be Removed"},
        }[loaded["requester"]]
    contract = load_contract(registry()[layout].table)
    return {f["name"]: f["name"] for f in contract.fields if f["type"] in ("integer", "number")}


@pytest.fixture(scope="module")
def refs():
    """The reference tables, read and remembered as the build does before any fact table."""
    refs, references = Refs(), {}
    for provenance in _ordered(discover(DATA_DIR)):
        layout = registry().get(provenance.layout)
        if layout is not None and layout.table in BUILD_REFERENCE_ORDER:
            result = read_and_validate(provenance.path, layout, refs, references)
            _remember(layout.table, result.frame, refs, references)
    return refs, references


# ---------------------------------------------------------------------------------------------------------
# Damage: to cells and to the file

URDU_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_INDIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def _number_variants(value: str) -> list[str]:
    """Ways the same figure arrives in hand-made files; none of them is a plain ASCII number."""
    digits = value if value.isascii() and value.isdigit() else "1234"
    grouped = f"{int(digits):,}" if int(digits) >= 1000 else digits + ",000"
    return [
        grouped,
        grouped.replace(",", "\u00a0"),
        grouped.replace(",", "."),
        digits.translate(URDU_DIGITS),
        digits.translate(ARABIC_INDIC_DIGITS),
        digits.translate(FULL_WIDTH_DIGITS),
        f" {digits}",
        f"{digits} ",
        f"+{digits}",
        f"\u2212{digits}",
        f"{digits}%",
        f"{digits}e3",
        f"={digits}",
        f"={digits}+1",
        "9" * 25,
        "²",
        "NaN",
        "inf",
    ]


TEXT_VARIANTS = [
    "پاکستان",
    "Pakistan پاکستان ۲۰۲۵",
    "\u200fخیبر پختونخوا\u200f",
    "zero\u200bwidth",
    '=HYPERLINK("https://example.org","x")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "+1-2",
    "-2+3",
    "\tTab",
    "line one\nline two",
    'quote " inside',
    "comma, inside",
    "<img src=x onerror=alert(1)>",
    "$x^2$",
    "a" * 5000,
]


@dataclass
class Example:
    """A generated source file and what was done to it."""

    source: Source
    header: list[str]
    rows: list[list[str]]
    damaged_numbers: set[tuple[int, str]] = field(default_factory=set)  # (row, column) given a variant
    file_damage: str = "none"
    cut_at: float = 1.0


FILE_DAMAGE = [
    "none",
    "none",
    "none",
    "bom",
    "double_bom",
    "utf16",
    "utf16_no_bom",
    "latin1",
    "crlf",
    "no_final_newline",
    "blank_lines",
    "nul",
    "truncate",
    "truncate",
    "duplicate_header",
    "spaced_header",
]
MUST_REFUSE = {"double_bom", "utf16", "utf16_no_bom", "nul", "duplicate_header"}


@st.composite
def examples(draw, layout: str) -> Example:
    source = SOURCES[layout]
    count = min(len(source.records), draw(st.integers(1, 8)))
    picked = draw(st.lists(st.integers(0, len(source.records) - 1), min_size=count, max_size=count, unique=True))
    rows = [list(source.records[i]) for i in picked]
    example = Example(source, list(source.header), rows)
    for _ in range(draw(st.integers(0, 4))):
        row, column = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, len(example.header) - 1))
        value = rows[row][column]
        if value.isascii() and value.isdigit() and draw(st.booleans()):
            variant = draw(st.sampled_from(_number_variants(value)))
            rows[row][column] = variant
            if not CANONICAL_NUMBER.fullmatch(variant):  # "100.000" is a plain decimal: loading it is right
                example.damaged_numbers.add((row, example.header[column]))
        elif draw(st.booleans()):
            rows[row][column] = draw(st.sampled_from(TEXT_VARIANTS))
        else:
            rows[row][column] = draw(st.text(max_size=40))
    example.file_damage = draw(st.sampled_from(FILE_DAMAGE))
    example.cut_at = draw(st.floats(0.0, 1.0))
    return example


def _record_bytes(cells: list[str], ending: str) -> str:
    quoted = ['"' + c.replace('"', '""') + '"' if re.search(r'[",\r\n]', c) or c != c.strip() else c for c in cells]
    return ",".join(quoted) + ending


def write(example: Example, path: Path) -> list[tuple[int, int]]:
    """Write the example; return (first line, byte offset) of each record as written (before truncation)."""
    header = list(example.header)
    rows = [list(r) for r in example.rows]
    damage = example.file_damage
    if damage == "duplicate_header":
        header.append(header[0])
        rows = [r + [r[0]] for r in rows]
    if damage == "spaced_header":
        header = [f" {h} " for h in header]
    ending = "\r\n" if damage == "crlf" else "\n"
    text, starts, line = _record_bytes(header, ending), [], 2
    for row in rows:
        starts.append((line, len(text.encode("utf-8"))))
        record = _record_bytes(row, ending)
        text += record
        line += sum(len(LINE_BREAK.findall(c)) for c in row) + 1  # as the reader counts lines: CR, LF or CRLF
    if damage == "no_final_newline":
        text = text.removesuffix(ending)
    if damage == "blank_lines":
        text += "\n\n\n"
    data = text.encode("utf-8")
    if damage == "bom":
        data = b"\xef\xbb\xbf" + data
    elif damage == "double_bom":
        data = b"\xef\xbb\xbf\xef\xbb\xbf" + data
    elif damage == "utf16":
        data = text.encode("utf-16")
    elif damage == "utf16_no_bom":
        data = text.encode("utf-16-le")
    elif damage == "latin1":
        data = text.encode("latin-1", errors="replace")
    elif damage == "nul":
        position = int(example.cut_at * (len(data) - 1))
        data = data[:position] + b"\x00" + data[position:]
    elif damage == "truncate":
        data = data[: int(example.cut_at * len(data))]
    path.write_bytes(data)
    return starts if damage not in ("truncate",) else [(ln, at) for ln, at in starts if at < len(data)]


# ---------------------------------------------------------------------------------------------------------
# The property


def check(example: Example, tmp_path: Path, refs) -> None:
    path = tmp_path / example.source.path.name
    records = write(example, path)
    layout = registry()[example.source.layout]
    try:
        result = read_and_validate(path, layout, *refs)
    except SourceError as error:
        assert str(error).startswith(path.name), f"the message does not name the file: {error}"
        return
    assert example.file_damage not in MUST_REFUSE, f"{example.file_damage} was read as if nothing were wrong"

    # Every record counted once: read = records in the file = loaded + quarantined.
    if example.file_damage == "truncate":
        assert result.rows_read in (len(records), len(records) - 1) or not records
    else:
        assert result.rows_read == len(records)
    loaded_lines = set(result.frame[LINE].dropna().astype(int))
    quarantined_lines = {f.line for f in result.failures}
    assert not loaded_lines & quarantined_lines, "a line both loaded and quarantined"
    assert len(loaded_lines) + len(quarantined_lines) == result.rows_read
    assert result.rows_loaded == len(loaded_lines)

    # Every loaded number is the plain ASCII number written in its own cell.
    written = {
        line: dict(zip(example.header, row, strict=True)) for (line, _), row in zip(records, example.rows, strict=False)
    }
    by_line = {line: i for i, (line, _) in enumerate(records)}
    for _, loaded in result.frame.iterrows():
        line = int(loaded[LINE])
        assert line in written, f"line {line} was loaded but no record starts there"
        for column, cell in number_cells(example.source.layout, loaded).items():
            value, raw = loaded[column], written[line][cell]
            if pd.isna(value):
                assert raw in ("", *SUPPRESSED), f"{cell}={raw!r} on line {line} was dropped, not quarantined"
                continue
            assert CANONICAL_NUMBER.fullmatch(value), f"{value!r} loaded into {column}"
            assert value == raw, f"{column}: loaded {value!r}, the cell says {raw!r}"
            assert (by_line[line], cell) not in example.damaged_numbers, f"{raw!r} loaded as a number"


@pytest.mark.parametrize("layout", CSV_LAYOUTS)
def test_hostile_files_are_refused_or_accounted_for(layout, refs, tmp_path_factory):
    @settings(max_examples=EXAMPLES, **BOUNDED)
    @given(examples(layout))
    def run(example):
        check(example, tmp_path_factory.mktemp("fuzz"), refs)

    run()


# ---------------------------------------------------------------------------------------------------------
# Through the loader: what passed validation casts into the database unchanged


@settings(max_examples=max(6, EXAMPLES // 4), **BOUNDED)
@given(st.sampled_from(CSV_LAYOUTS).flatmap(examples))
def test_what_passes_validation_loads_into_duckdb_with_the_same_numbers(refs, tmp_path_factory, example):
    folder = tmp_path_factory.mktemp("load")
    path = folder / example.source.path.name
    write(example, path)
    layout = registry()[example.source.layout]
    try:
        result = read_and_validate(path, layout, *refs)
    except SourceError:
        return
    result.provenance = example.source.provenance  # the real provenance: the sources table needs its fields
    assume(len(result.frame) > 0)
    database = folder / "built.duckdb"
    _load(database, [result], False)
    contract = load_contract(layout.table)
    numbers = [f["name"] for f in contract.fields if f["type"] in ("integer", "number")]
    with duckdb.connect(str(database), read_only=True) as con:
        loaded = con.execute(f'SELECT count(*) FROM "{layout.table}"').fetchone()[0]
        assert loaded == len(result.frame)
        if numbers:
            columns = ", ".join(f'"{n}"' for n in numbers)
            stored = con.execute(f'SELECT {columns} FROM "{layout.table}"').fetchall()
            expected = [
                tuple(None if pd.isna(v) else float(v) for v in row)
                for row in result.frame[numbers].itertuples(index=False)
            ]
            as_float = [tuple(None if v is None else float(v) for v in row) for row in stored]
            assert sorted(as_float, key=repr) == sorted(expected, key=repr)


# ---------------------------------------------------------------------------------------------------------
# The GeoJSON reader


GEOJSON = next(p.path for p in discover(DATA_DIR) if registry().get(p.layout) and registry()[p.layout].reader)


@st.composite
def geojson_files(draw) -> bytes:
    doc = json.loads(GEOJSON.read_text(encoding="utf-8"))
    damage = draw(
        st.sampled_from(["none", "nan", "deep", "features_dict", "properties_null", "no_geometry", "truncate", "bom"])
    )
    if damage == "features_dict":
        doc["features"] = {"a": 1}
    elif damage == "properties_null":
        doc["features"][0]["properties"] = None
    elif damage == "no_geometry":
        del doc["features"][0]["geometry"]
    text = json.dumps(doc)
    if damage == "nan":
        text = text.replace("[", "[NaN, ", 1)
    elif damage == "deep":
        text = '{"type": "FeatureCollection", "features": ' + "[" * 100_000 + "]" * 100_000 + "}"
    data = text.encode("utf-8")
    if damage == "truncate":
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif damage == "bom":
        data = b"\xef\xbb\xbf" + data
    return data


@settings(max_examples=max(12, EXAMPLES // 4), **BOUNDED)
@given(geojson_files())
def test_hostile_geojson_is_refused_with_a_message_or_read(refs, tmp_path_factory, data):
    path = tmp_path_factory.mktemp("geo") / GEOJSON.name
    path.write_bytes(data)
    layout = registry()["geojson_boundaries"]
    try:
        result = read_and_validate(path, layout, *refs)
    except SourceError as error:
        assert str(error).startswith(path.name)
        return
    for geometry in result.frame["geometry_geojson"].dropna():
        json.loads(geometry, parse_constant=lambda name: pytest.fail(f"{name} in a stored geometry"))


# ---------------------------------------------------------------------------------------------------------
# Extremes that hypothesis would rarely reach


def _google_detailed(rows: list[list[str]]) -> str:
    header = SOURCES["google_detailed"].header
    return "".join(_record_bytes(r, "\n") for r in [header, *rows])


def test_a_ten_megabyte_field_is_refused_quickly(refs, tmp_path):
    row = list(SOURCES["google_detailed"].records[0])
    row[4] = "x" * 10_000_000
    path = tmp_path / "google-government-detailed-removal-requests.csv"
    path.write_text(_google_detailed([row]), encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(SourceError, match="field larger than field limit"):
        read_and_validate(path, registry()["google_detailed"], *refs)
    assert time.monotonic() - started < 10


def test_long_values_are_checked_for_identifiers_in_linear_time(refs, tmp_path):
    """The largest field the reader accepts, many times over: identifier patterns must not backtrack."""
    rows = []
    for i, unit in enumerate(["a", "1", "1.", "a-", "+1 ", "a@", "www."]):
        row = list(SOURCES["google_detailed"].records[i])
        row[4] = (unit * (130_000 // len(unit)))[:130_000]
        rows.append(row)
    path = tmp_path / "google-government-detailed-removal-requests.csv"
    path.write_text(_google_detailed(rows), encoding="utf-8")
    started = time.monotonic()
    result = read_and_validate(path, registry()["google_detailed"], *refs)
    assert time.monotonic() - started < 20
    assert result.rows_read == len(rows)


LEGACY_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")  # the pattern before it was made linear


@settings(max_examples=max(300, EXAMPLES), **BOUNDED)
@given(st.text(alphabet=st.sampled_from("ab1.+-@_ xپ۲"), max_size=30))
def test_the_linear_email_pattern_finds_exactly_what_the_old_one_found(text):
    assert bool(IDENTIFIER_PATTERNS["pii_email"].search(text)) == bool(LEGACY_EMAIL.search(text))
