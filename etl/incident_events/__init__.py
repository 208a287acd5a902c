"""Event-level incident data: the shipped UCDP GED file, or a user's own ACLED, UCDP GED or GTD export, in;
monthly aggregates out.

The export is recognised by its header (never its file name), read in DuckDB straight from the file
(CSV or Parquet), and only the columns needed are taken: dates, country, province, actor names, event
type and counts. Event ids, notes, places and coordinates are never read, so nothing of the raw rows can
reach the published release. Each row goes to exactly one place: outside Pakistan (skipped), quarantined
(line, column, rule), out of scope (demonstrations, strategic developments) or aggregated per month ×
province × canonical group × event type. Names the mapping tables do not know are counted and listed in
``incident_events_unmapped``, never dropped.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl.contracts import quote
from etl.errors import Failure, SourceError
from etl.pii import identifier_rule
from etl.provenance import Provenance
from etl.readers import physical_lines, record_lines
from etl.references import checking_database

SQL_DIR = Path(__file__).parent / "sql"
EVENTS_MEMORY = "1200MB"


@dataclass(frozen=True)
class EventLayout:
    """One dataset's export layout: the columns that identify it and the ones the ETL reads."""

    dataset: str
    layout: str  # the provenance file's "layout"
    title: str
    signature: tuple[str, ...]  # all present → this dataset
    columns: tuple[str, ...]  # read (as text); everything else in the file is never read
    count_columns: dict[str, str | None]  # fatalities / low / high / wounded → source column, for failures


LAYOUTS = (
    EventLayout(
        "acled",
        "acled_export",
        "ACLED",
        ("event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "admin1"),
        (
            "event_date",
            "time_precision",
            "event_type",
            "sub_event_type",
            "actor1",
            "assoc_actor_1",
            "actor2",
            "assoc_actor_2",
            "country",
            "admin1",
            "fatalities",
        ),
        {"fatalities": "fatalities", "low": None, "high": None, "wounded": None},
    ),
    EventLayout(
        "ucdp_ged",
        "ucdp_ged",
        "UCDP GED",
        ("id", "type_of_violence", "side_a", "side_b", "adm_1", "date_start", "date_end", "best", "low", "high"),
        (
            "type_of_violence",
            "side_a",
            "side_b",
            "adm_1",
            "country",
            "country_id",
            "date_prec",
            "date_start",
            "date_end",
            "best",
            "low",
            "high",
        ),
        {"fatalities": "best", "low": "low", "high": "high", "wounded": None},
    ),
    EventLayout(
        "gtd",
        "gtd",
        "GTD",
        ("eventid", "iyear", "imonth", "iday", "country_txt", "provstate", "attacktype1_txt", "gname", "nkill"),
        (
            "iyear",
            "imonth",
            "iday",
            "approxdate",
            "country",
            "country_txt",
            "provstate",
            "attacktype1_txt",
            "suicide",
            "gname",
            "gname2",
            "gname3",
            "nkill",
            "nwound",
        ),
        {"fatalities": "nkill", "low": None, "high": None, "wounded": "nwound"},
    ),
)
BY_LAYOUT = {layout.layout: layout for layout in LAYOUTS}
RULE_TEXT = {
    "required": "a value is required",
    "type_date": "is not a date the dataset's codebook allows",
    "future_date": "is after the build date",
    "end_before_start": "date_end is before date_start",
    "enum": "not one of the codebook's values",
    "range": "outside the codebook's range",
    "invalid_date": "no such day in that month",
    "type_integer": "is not a whole number of people",
    "minimum": "is negative",
}
#: What each dataset's terms allow this project to publish: printed by the build when it publishes aggregates
#: of a user's export (the dashboard states the same per dataset on the Incident trends page).
TERMS = {
    "ucdp_ged": (
        "UCDP GED is published under CC BY 4.0: events and aggregates may be republished, with attribution to "
        "UCDP and its citations."
    ),
    "acled": (
        "ACLED's Terms of Use limit the use of its data in products that compete with ACLED and require "
        "detailed attribution: this project publishes only monthly aggregates of your export, never its rows, "
        "with ACLED named as the source. Check that your account's terms allow publishing them."
    ),
    "gtd": (
        "The GTD user agreement restricts public redistribution and display of the data: this project "
        "publishes only monthly aggregates of your export, never its rows, with START named as the source. "
        "Publish them only if your agreement with START allows it."
    ),
}


@dataclass
class EventsResult:
    """What one export contributed (rows read = aggregated + outside Pakistan + out of scope + quarantined)."""

    source_id: str
    dataset: str
    rows_read: int
    rows_aggregated: int
    rows_outside_pakistan: int
    rows_out_of_scope: int
    failures: list[Failure]
    cells: int
    unmapped: list[tuple[str, str, int]]  # (field, name, events)
    rows_estimates_out_of_order: int = 0  # aggregated rows whose best estimate is outside its low-high range
    shipped: bool = False  # a file shipped in the project's data/, not a user's export

    @property
    def terms(self) -> str:
        return TERMS[self.dataset]

    @property
    def rows_quarantined(self) -> int:
        return len({f.line for f in self.failures})


def detect(header: list[str], file_name: str) -> EventLayout:
    """The dataset whose identifying columns the header has; a clear error naming what is missing."""
    names = {h.strip() for h in header}
    if ACLED_BEFORE_2019 <= names:
        raise SourceError(
            f"{file_name}: an ACLED export from before ACLED's 2019 typology (version 7 or earlier: upper-case column "
            "names, ALLY_ACTOR_1 …). Its event types are not the ones this project maps (event_type_map): export "
            "the same period again from ACLED's current data (the Data Export Tool or the API), which recodes it."
        )
    for layout in LAYOUTS:
        if set(layout.signature) <= names:
            missing = [c for c in layout.columns if c not in names]
            optional = {"assoc_actor_1", "assoc_actor_2", "actor2", "country_id", "date_prec", "approxdate"}
            optional |= {"suicide", "gname2", "gname3", "nwound", "country", "low", "high"}
            required_missing = [c for c in missing if c not in optional]
            if required_missing:
                raise SourceError(
                    f"{file_name}: has the {layout.title} export's identifying columns but lacks column(s) "
                    f"{', '.join(required_missing)}; export it with all columns."
                )
            return layout
    closest = max(LAYOUTS, key=lambda lay: len(set(lay.signature) & names))
    missing = [c for c in closest.signature if c not in names]
    raise SourceError(
        f"{file_name}: not an ACLED, UCDP GED or GTD export: its header lacks the columns that identify "
        f"them (closest: {closest.title}, missing {', '.join(missing)}). See the README on event data."
    )


#: The releases of each export layout this module reads, recognised by the columns that tell them apart
#: (first match wins), each with where that layout is documented.
RELEASES: dict[str, tuple[tuple[str, frozenset[str], str], ...]] = {
    "acled": (
        (
            "export since 2022 (disorder_type, civilian_targeting, tags)",
            frozenset({"disorder_type"}),
            "ACLED Codebook 2023 (acleddata.com/knowledge-base/codebook/)",
        ),
        (
            "export 2019-2021 (data_id, event_id_no_cnty, iso3; no disorder_type)",
            frozenset({"data_id"}),
            "ACLED Codebook 2019 (its list of columns; ACLED, 2019)",
        ),
        ("API or Data Export Tool selection of columns", frozenset(), "ACLED API User Guide"),
    ),
    "ucdp_ged": (
        (
            "HDX country file (GED columns + iso3)",
            frozenset({"iso3"}),
            "data.humdata.org/dataset/ucdp-data-for-pakistan (UCDP GED via HDX)",
        ),
        (
            "GED or Candidate events CSV (GEDEvent_vYY_1, GEDEvent_vYY_0_X)",
            frozenset({"relid", "code_status"}),
            "UCDP GED Codebook version 22.1 / 24.1 (ucdp.uu.se/downloads/)",
        ),
        ("a selection of GED columns", frozenset(), "UCDP GED Codebook (ucdp.uu.se/downloads/)"),
    ),
    "gtd": (
        (
            "GTD CSV or workbook saved as CSV (codebook 2012 onward, 135 columns)",
            frozenset({"INT_ANY", "related"}),
            "GTD Codebook, START, University of Maryland (start.umd.edu/gtd/downloads/Codebook.pdf)",
        ),
        ("a selection of GTD columns", frozenset(), "GTD Codebook (start.umd.edu/gtd/)"),
    ),
}
#: ACLED's exports before its 2019 typology (version 7 and earlier, upper-case names, ALLY_ACTOR_1 …): recognised
#: and refused, because their event types are not the ones event_type_map maps.
ACLED_BEFORE_2019 = frozenset({"EVENT_ID_CNTY", "EVENT_DATE", "EVENT_TYPE", "ALLY_ACTOR_1", "ACTOR1"})


def release_of(
    layout: EventLayout, header: list[str], path: Path | None = None, encoding: str = "utf-8"
) -> tuple[str, str]:
    """Which release of the dataset's export the header is, and where that layout is documented."""
    names = {h.strip() for h in header}
    release, documented = next(
        ((name, where) for name, needs, where in RELEASES[layout.dataset] if needs <= names),
        (layout.title, ""),
    )
    if path is not None and has_hashtag_row(path, encoding):
        release += ", with HDX's HXL hashtag row under the header (skipped)"
    return release, documented


def has_hashtag_row(path: Path, encoding: str = "utf-8") -> bool:
    """True when the record under the header is an HXL hashtag row (HDX's copies: ``#date+start`` …)."""
    if path.suffix.lower() == ".parquet":
        return False
    try:
        with path.open(encoding=_python_encoding(encoding), newline="") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            second = next(reader, [])
    except (UnicodeDecodeError, csv.Error):
        return False
    cells = [c.strip() for c in second if c.strip()]
    return bool(cells) and all(c.startswith("#") for c in cells)


def file_header(path: Path, encoding: str = "utf-8") -> list[str]:
    """The column names, read without trusting the file (Parquet schema, or the CSV's first record)."""
    if path.suffix.lower() == ".parquet":
        try:
            return [r[0] for r in duckdb.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()]
        except duckdb.Error as exc:
            raise SourceError(f"{path.name}: cannot be read as Parquet ({exc.__class__.__name__}).") from None
    try:
        with path.open(encoding=_python_encoding(encoding), newline="") as handle:
            header = next(csv.reader(handle), [])
    except (UnicodeDecodeError, csv.Error):
        raise SourceError(
            f"{path.name}: the header is not {encoding} CSV. If the export is in another encoding (GTD's CSV is "
            'often Latin-1), say so in its provenance file: "encoding": "latin-1".'
        ) from None
    header = [h.lstrip("\ufeff") for h in header]
    if len(set(header)) != len(header):
        raise SourceError(f"{path.name}: the header repeats a column name.")
    return header


def aggregate(con: duckdb.DuckDBPyConnection, provenance: Provenance, now: datetime | None = None) -> EventsResult:
    """Read, check, map and aggregate one export into the incident_events_* tables (reference tables loaded)."""
    path = provenance.path
    encoding = str(provenance.meta.get("encoding") or "utf-8").lower()
    if encoding not in ("utf-8", "latin-1", "utf-16"):
        raise SourceError(f"{path.name}: encoding {encoding!r} is not supported (utf-8, latin-1, utf-16).")
    header = file_header(path, encoding)
    layout = detect(header, path.name)
    if provenance.layout != layout.layout:
        raise SourceError(
            f"{path.name}: its provenance says layout {provenance.layout}, but its header is the {layout.title} "
            f"export layout ({layout.layout})."
        )
    now = (now or datetime.now(UTC)).replace(tzinfo=None)
    con.execute(f"SET memory_limit = '{EVENTS_MEMORY}'")
    for table in ("ev_rows", "ev_resolved", "ev_actor_groups", "ev_types", "ev_regions", "ev_aliases"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    _mapping_tables(con, layout.dataset)
    counts = {f"{k}_column": v or k for k, v in layout.count_columns.items()}
    reader = _reader(path, header, layout, encoding, has_hashtag_row(path, encoding))
    try:
        con.execute(
            _sql("events_rows")
            .replace("FROM event_norm", f"FROM ({_sql('events_' + layout.dataset)}) AS n")
            .replace("FROM event_input", f"FROM {reader}"),
            {"path": str(path), "now": now, **counts, **_reader_params(path, header, encoding)},
        )
    except duckdb.Error as exc:  # the message can quote a line of the file: only its number is kept
        line = re.search(r"[Ll]ine:? (\d+)", str(exc))
        where = f" at line {_reader_line(path, encoding, int(line.group(1)))}" if line else ""
        raise SourceError(
            f"{path.name}: cannot be read as the {layout.title} export{where} "
            f"({exc.__class__.__name__}: a line that does not split into the header's columns, or a broken file). "
            "Nothing was published from it; export it again."
        ) from None
    con.execute(_sql("events_resolve"))
    con.execute(_sql("events_groups"))
    cells = con.execute(_sql("events_aggregate")).df()
    status = dict(con.execute("SELECT status, count(*) FROM ev_resolved GROUP BY status").fetchall())
    out_of_order = con.execute(
        "SELECT count(*) FROM ev_resolved WHERE status = 'aggregated' AND estimates_out_of_order"
    ).fetchone()[0]
    failures = _failures(con, path, encoding)
    unmapped = _unmapped(con)
    synthetic = bool(provenance.meta.get("synthetic"))
    _publish(con, cells, unmapped, provenance, layout, synthetic, status, out_of_order)
    for table in ("ev_rows", "ev_resolved", "ev_actor_groups"):
        con.execute(f"DROP TABLE {table}")  # nothing row-level stays in the database
    return EventsResult(
        provenance.source_id,
        layout.dataset,
        sum(status.values()),
        status.get("aggregated", 0),
        status.get("outside", 0),
        status.get("out_of_scope", 0),
        failures,
        len(cells),
        unmapped,
        out_of_order,
    )


def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _python_encoding(encoding: str) -> str:
    return "utf-8-sig" if encoding == "utf-8" else encoding


def _reader(path: Path, header: list[str], layout: EventLayout, encoding: str, hashtag_row: bool = False) -> str:
    """The relation reading only the layout's columns, as text; a column the export lacks is NULL. ``record``
    numbers the rows 1, 2 … in the order the reader returns them (``_record_lines`` finds their lines); an HXL
    hashtag row under the header keeps its number 1 and is left out, so every later row keeps its line."""
    present = set(header)
    columns = ", ".join(
        f"CAST({quote(c)} AS VARCHAR) AS {quote(c)}" if c in present else f"NULL::VARCHAR AS {quote(c)}"
        for c in layout.columns
    )
    if path.suffix.lower() == ".parquet":
        return f"(SELECT {columns}, ordinality AS record FROM read_parquet($path) WITH ORDINALITY)"  # noqa: S608
    options = (
        "header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', columns = $columns, "
        "encoding = $encoding, parallel = false"
    )
    skip = " WHERE ordinality > 1" if hashtag_row else ""
    return f"(SELECT {columns}, ordinality AS record FROM read_csv($path, {options}) WITH ORDINALITY{skip})"  # noqa: S608


def _reader_params(path: Path, header: list[str], encoding: str) -> dict:
    if path.suffix.lower() == ".parquet":
        return {}
    return {"columns": {name: "VARCHAR" for name in header}, "encoding": encoding}


def _mapping_tables(con: duckdb.DuckDBPyConnection, dataset: str) -> None:
    """Lookups keyed by lower-cased names, from the reference tables already loaded (values bound)."""
    con.execute(
        """CREATE TEMP TABLE ev_types AS
           SELECT lower(trim(source_type)) AS type_key, lower(trim(coalesce(source_subtype, ''))) AS subtype_key,
                  event_type, in_scope
           FROM event_type_map WHERE dataset = ?""",
        [dataset],
    )
    con.execute("""
        CREATE TEMP TABLE ev_regions AS
        SELECT DISTINCT lower(trim(alias)) AS name_key, region_code FROM region_aliases
        UNION SELECT lower(trim(name)), region_code FROM regions WHERE kind <> 'country'
    """)
    con.execute(
        r"""CREATE TEMP TABLE ev_aliases AS
            SELECT alias_key, arg_min(group_id, dataset = 'any') AS group_id
            FROM (SELECT regexp_replace(regexp_replace(lower(trim(alias)), '\s+', ' ', 'g'),
                                        ' ?\([0-9]{4}-([0-9]{4})?\)$', '') AS alias_key, group_id, dataset
                  FROM group_aliases WHERE dataset IN (?, 'any'))
            GROUP BY alias_key""",
        [dataset],
    )


def _failures(con: duckdb.DuckDBPyConnection, path: Path, encoding: str) -> list[Failure]:
    """One failure per problem of each quarantined row, with the row's first line in the file."""
    rows = con.execute("""
        SELECT r.record, p.column, p.rule
        FROM (SELECT record, unnest(problems) AS p FROM ev_rows WHERE len(problems) > 0) AS r (record, p)
        JOIN ev_resolved USING (record)
        WHERE ev_resolved.status = 'quarantined'
        ORDER BY r.record
    """).fetchall()
    if not rows:
        return []
    lines = _record_lines(path, encoding, {record for record, _, _ in rows})
    return [Failure(path.name, lines[record], column, rule, RULE_TEXT.get(rule, rule)) for record, column, rule in rows]


def _record_lines(path: Path, encoding: str, records: set[int]) -> dict[int, int]:
    """The line each data record starts on (blank lines, and quoted line breaks in notes, make lines and
    records differ: ``readers.record_lines``). Parquet has no lines: the record number (1 = first row) is
    given instead, as the README says."""
    if path.suffix.lower() == ".parquet":
        return {record: record for record in records}
    return record_lines(path, records, _python_encoding(encoding))


def _reader_line(path: Path, encoding: str, counted: int) -> int:
    """The file line DuckDB's reader means by line ``counted`` (it counts records: ``readers.physical_lines``)."""
    if path.suffix.lower() == ".parquet":
        return counted
    return physical_lines(path, {counted}, _python_encoding(encoding)).get(counted, counted)


def _unmapped(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """Names no mapping table knows, with the number of aggregated events carrying each."""
    return con.execute("""
        SELECT 'actor' AS field, actor AS name, count(DISTINCT record) AS events
        FROM ev_actor_groups WHERE group_id IS NULL GROUP BY actor
        UNION ALL
        SELECT 'province', unmapped_region, count(*) FROM ev_resolved
        WHERE status = 'aggregated' AND unmapped_region IS NOT NULL GROUP BY unmapped_region
        UNION ALL
        SELECT 'event_type', unmapped_type, count(*) FROM ev_resolved
        WHERE status = 'aggregated' AND unmapped_type IS NOT NULL GROUP BY unmapped_type
        ORDER BY field, events DESC, name
    """).fetchall()


def _publish(
    con, cells, unmapped, provenance: Provenance, layout: EventLayout, synthetic: bool, status, out_of_order: int
) -> None:
    cells = cells.assign(source_id=provenance.source_id, synthetic=synthetic, dataset=layout.dataset)
    columns = [r[0] for r in con.execute("DESCRIBE incident_events_monthly").fetchall()]
    con.register("ev_out", cells[columns])
    con.execute("INSERT INTO incident_events_monthly SELECT * FROM ev_out")
    con.unregister("ev_out")
    if unmapped:
        names = pd.Series([name for _, name, _ in unmapped], dtype="string")
        # a name that looks like a personal identifier (handle, e-mail, phone …) is listed without its text
        looks_personal = identifier_rule(names, "label").fillna("").astype(bool) if len(names) else []
        rows = [
            (provenance.source_id, field, "(withheld: looks like a personal identifier)" if hide else name, events)
            for (field, name, events), hide in zip(unmapped, looks_personal, strict=True)
        ]
        con.executemany("INSERT INTO incident_events_unmapped VALUES (?, ?, ?, ?)", rows)
    months = cells["month"].dropna()
    info = {
        "source_id": provenance.source_id,
        "dataset": layout.dataset,
        "synthetic": synthetic,
        "licence": provenance.meta["licence"],
        "exported": provenance.meta["retrieved"],
        "rows_read": sum(status.values()),
        "rows_aggregated": status.get("aggregated", 0),
        "rows_outside_pakistan": status.get("outside", 0),
        "rows_out_of_scope": status.get("out_of_scope", 0),
        "rows_quarantined": status.get("quarantined", 0),
        "rows_estimates_out_of_order": out_of_order,
        "events_year_only": int(cells.loc[cells["month"].isna(), "events"].sum()),
        "first_month": months.min() if len(months) else None,
        "last_month": months.max() if len(months) else None,
    }
    names = ", ".join(quote(name) for name in info)  # names fixed above, values bound
    marks = ", ".join("?" for _ in info)
    con.execute(f"INSERT INTO incident_events_info ({names}) VALUES ({marks})", list(info.values()))  # noqa: S608


def check(path: Path, encoding: str = "utf-8") -> EventsResult:
    """Run an export through every check and the aggregation without publishing (``python -m etl validate``)."""
    layout = detect(file_header(path, encoding), path.name)
    meta = {"source_id": path.stem, "layout": layout.layout, "licence": "", "retrieved": "", "encoding": encoding}
    con = checking_database(
        ("regions", "region_aliases", "militant_groups", "group_aliases", "event_type_map"),
        ("incident_events_monthly", "incident_events_info", "incident_events_unmapped"),
    )
    try:
        return aggregate(con, Provenance(path, meta))
    finally:
        con.close()
