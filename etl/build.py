"""Build: read every source through its adapter, validate, load one DuckDB file, export, publish.

``run()`` reads as the pipeline: discover sources (checksums checked) → read and validate each
(reference tables first, so facts can be mapped and key-checked against them) → load into a new
database file → export per-table CSVs → publish by atomic swap.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl import ETL_VERSION, coverage, incident_events, restatements
from etl.adapters import Layout, Refs, recognise, registry
from etl.adapters.curated import REFERENCE_TABLES
from etl.caselog import DEFAULT_K
from etl.contracts import Contract, all_contracts, load_contract, quote, validate
from etl.errors import Failure, SourceError
from etl.inputs import KINDS, Given
from etl.paths import DATA_DIR
from etl.provenance import Provenance, discover
from etl.publish import current_database, publish, remove_stale_staging, staging_path
from etl.readers import LINE, RawTable, read_csv_text
from etl.recognise import provenance_or_draft
from etl.release import export_release

#: Loaded first, in this order: later tables map labels and check keys against earlier ones.
REFERENCE_ORDER = (*REFERENCE_TABLES, "region_boundaries")
SYSTEM_TABLES_SQL = """
CREATE TABLE sources (
  source_id VARCHAR PRIMARY KEY, file VARCHAR, layout VARCHAR, loaded_into VARCHAR, publisher VARCHAR,
  title VARCHAR, url VARCHAR, licence VARCHAR, retrieved VARCHAR, published VARCHAR, measures VARCHAR,
  derived_from VARCHAR, sha256 VARCHAR, rows_read BIGINT, rows_loaded BIGINT, rows_quarantined BIGINT,
  table_rows BIGINT, cite_as VARCHAR, publisher_ur VARCHAR, title_ur VARCHAR, last_checked VARCHAR,
  last_changed VARCHAR
);
CREATE TABLE quarantine (
  source_id VARCHAR, file VARCHAR, line BIGINT, "column" VARCHAR, rule VARCHAR, message VARCHAR
);
CREATE TABLE release_changes (
  table_name VARCHAR, previous_version VARCHAR, rows_before BIGINT, rows_after BIGINT,
  rows_added BIGINT, rows_removed BIGINT, rows_revised BIGINT
);
CREATE TABLE release_revisions (
  table_name VARCHAR, previous_version VARCHAR, row_key VARCHAR, "column" VARCHAR, value_before VARCHAR,
  value_after VARCHAR
);
CREATE TABLE build_info (
  dataset_version VARCHAR, built_at TIMESTAMP, etl_version VARCHAR, tables VARCHAR, strict BOOLEAN
);
"""


@dataclass
class SourceResult:
    """What happened to one source file: the summary line and the quarantine rows."""

    provenance: Provenance
    layout: Layout | None
    frame: pd.DataFrame | None = None
    failures: list[Failure] = field(default_factory=list)
    rows_read: int | None = None
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def rows_quarantined(self) -> int | None:
        if self.rows_read is None:
            return None
        return len({f.line for f in self.failures})

    @property
    def rows_loaded(self) -> int | None:
        quarantined = self.rows_quarantined
        return None if self.rows_read is None or quarantined is None else self.rows_read - quarantined


@dataclass
class BuildResult:
    dataset_version: str
    database: Path
    results: list[SourceResult]
    stage_seconds: dict[str, float]
    case_logs: list = field(default_factory=list)  # caselog.CaseLogResult per case log aggregated
    event_exports: list = field(default_factory=list)  # incident_events.EventsResult per event file (shipped first)
    superseded: list = field(default_factory=list)  # shipped event files a user's export of the same dataset replaced
    drafted: list = field(default_factory=list)  # provenance drafted for files given without one

    @property
    def quarantined(self) -> int:
        return (
            sum(r.rows_quarantined or 0 for r in self.results)
            + sum(c.rows_quarantined for c in self.case_logs)
            + sum(e.rows_quarantined for e in self.event_exports)
        )


def run(
    out_dir: Path,
    strict: bool = False,
    data_dir: Path = DATA_DIR,
    on_stage: Callable[[str, str], None] = lambda stage, detail: None,
    case_logs: Sequence[Path] = (),
    k: int = DEFAULT_K,
    event_exports: Sequence[Path] = (),
    on_draft: Callable[[Provenance], None] = lambda provenance: None,
) -> BuildResult:
    """Build and publish the dataset from ``data_dir`` (and any case logs or event exports) into ``out_dir``.

    A case log or event export given without a provenance file gets one drafted from its recognised layout,
    written beside it and passed to ``on_draft``; under ``strict`` it is refused instead.
    Raises SourceError when a file cannot be read or, under ``strict``, when any row was quarantined.
    """
    timer = _StageTimer()
    drafted: list[Provenance] = []

    def provenance_of(path: Path, kind: str) -> Provenance:
        provenance, is_draft = provenance_or_draft(Path(path), kind, strict)
        if is_draft:
            drafted.append(provenance)
            on_draft(provenance)
        return provenance

    with timer("read"):
        on_stage("read", "checking provenance and checksums")
        sources = _ordered(discover(data_dir))
        case_sources = [provenance_of(p, "case_log") for p in case_logs]
        event_sources = [provenance_of(p, "events") for p in event_exports]
        shipped_events, superseded = _shipped_event_files(sources, event_sources)
        sources = [p for p in sources if p not in shipped_events]  # superseded ones stay, for provenance only
    given = [
        *(Given(KINDS["case_log"], p) for p in case_sources),
        *(Given(KINDS["events"], p, shipped=True) for p in shipped_events),
        *(Given(KINDS["events"], p) for p in event_sources),
    ]
    refs, references = Refs(), dict[tuple, set]()
    results = []
    for provenance in sources:
        layout = registry().get(provenance.layout)
        result = SourceResult(provenance, layout)
        results.append(result)
        if layout is None:
            continue  # kept for provenance only (collected or context material)
        on_stage("read", provenance.path.name)
        with timer("read"):
            raw = _read(provenance.path, layout)
            raw.source_id = provenance.source_id
        with timer("validate"):
            _validate_into(result, raw, layout, refs, references)
        if layout.table in REFERENCE_ORDER:
            _remember(layout.table, result.frame, refs, references)
    if strict and any(r.failures for r in results):
        raise SourceError(_strict_message(results))
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(out_dir)  # what builds killed earlier left behind
    building = staging_path(out_dir)
    try:
        with timer("load"):
            on_stage("load", building.name)
            outcomes: list = []
            version = _load(
                building,
                results,
                strict,
                previous=current_database(out_dir),
                given=given,
                options={"k": k},
                outcomes=outcomes,
                on_stage=on_stage,
            )
            case_results = [o for g, o in zip(given, outcomes, strict=True) if g.kind.name == "case_log"]
            event_results = [o for g, o in zip(given, outcomes, strict=True) if g.kind.name == "events"]
        with timer("export"):
            on_stage("export", "open-data release: CSV, Parquet, datapackage.json, checksums, zip")
            export_release(building, out_dir)
        with timer("publish"):
            database = publish(building, out_dir, version)
    finally:
        building.unlink(missing_ok=True)
        building.with_name(building.name + ".wal").unlink(missing_ok=True)
    return BuildResult(version, database, results, timer.seconds, case_results, event_results, superseded, drafted)


def _shipped_event_files(sources: list[Provenance], user_exports: list[Provenance]):
    """Event files shipped in data/ (loaded like an export, but real and redistributable), and those replaced.

    A user's own export of the same dataset replaces the shipped file (a global GED release holds the same
    Pakistan events and more): loading both would count the same events twice.
    """
    event_files = [p for p in sources if p.layout in incident_events.BY_LAYOUT]
    given = {p.layout for p in user_exports}
    superseded = [p for p in event_files if p.layout in given]
    return [p for p in event_files if p not in superseded], superseded


def _ordered(sources: list[Provenance]) -> list[Provenance]:
    """Reference tables first (in dependency order), then everything else in path order."""
    tables = {name: layout.table for name, layout in registry().items()}

    def key(p: Provenance):
        table = tables.get(p.layout)
        return (REFERENCE_ORDER.index(table) if table in REFERENCE_ORDER else len(REFERENCE_ORDER), str(p.path))

    return sorted(sources, key=key)


def _read(path: Path, layout: Layout) -> RawTable:
    if layout.reader is not None:
        return layout.reader(path)
    raw = read_csv_text(path)
    found, version = recognise(raw.header, path.name)
    if found.name != layout.name:
        raise SourceError(
            f"{path.name}: its provenance says layout {layout.name}, but its header is the {found.name} layout."
        )
    # Headers are matched ignoring surrounding spaces; give the adapter the layout's exact names, whichever
    # release of the layout the file is (an earlier release's spellings renamed, its missing columns empty).
    exact = {h.strip(): h for h in found.header}
    renamed = {old.strip(): new for old, new in version.renamed.items()} if version else {}
    raw.frame.columns = [exact.get(renamed.get(str(c).strip(), str(c).strip()), c) for c in raw.frame.columns]
    for name in found.header:
        if name not in raw.frame.columns:
            raw.frame[name] = pd.Series(pd.NA, index=raw.frame.index, dtype="string")
    for column, form in version.dates.items() if version else ():
        # this release's dates to ISO; one that does not parse stays as written, for the contract to refuse
        parsed = pd.to_datetime(raw.frame[column], format=form, errors="coerce").dt.strftime("%Y-%m-%d")
        raw.frame[column] = parsed.astype("string").fillna(raw.frame[column])
    return raw


def read_and_validate(path: Path, layout: Layout, refs: Refs, references: dict) -> SourceResult:
    """One file through its adapter and contract (used by ``build`` and by ``validate``)."""
    from etl.provenance import Provenance as _P

    result = SourceResult(_P(path, {"source_id": path.stem, "layout": layout.name}), layout)
    _validate_into(result, _read(path, layout), layout, refs, references)
    return result


def _validate_into(result: SourceResult, raw: RawTable, layout: Layout, refs: Refs, references: dict) -> None:
    contract = load_contract(layout.table)
    frame, adapter_failures = layout.transform(raw, refs)
    frame = conform(frame, contract)
    checked = validate(frame, contract, raw.path.name, references)
    failures = [*raw.failures, *adapter_failures, *checked.failures]
    rejected = {f.line for f in failures}
    produced = set(frame[LINE].dropna().astype(int))
    failures += [
        Failure(raw.path.name, int(line), None, "no_figure", "the row carries no figure to load")
        for line in raw.frame[LINE]
        if int(line) not in produced and int(line) not in rejected
    ]
    rejected = {f.line for f in failures}
    result.frame = checked.frame[~checked.frame[LINE].isin(rejected)].reset_index(drop=True)
    result.failures = sorted(failures, key=lambda f: (f.line or 0, f.column or "", f.rule))
    result.rows_read = raw.rows_read


def conform(frame: pd.DataFrame, contract: Contract) -> pd.DataFrame:
    """Exactly the contract's columns (missing ones empty), all as text, plus the line column."""
    out = frame.reindex(columns=[*contract.field_names, LINE])
    for name in contract.field_names:
        out[name] = out[name].astype("string")
    return out


def _remember(table: str, frame: pd.DataFrame, refs: Refs, references: dict) -> None:
    """Keep what later sources are mapped and key-checked against."""
    contract = load_contract(table)
    for fieldname in contract.field_names:
        references[(table, fieldname)] = set(frame[fieldname].dropna())
    for other in all_contracts():  # composite foreign keys into this table: its rows' tuples of those fields
        for fk in other.foreign_keys:
            targets = tuple(fk["reference"]["fields"])
            if fk["reference"]["resource"] == table and len(targets) > 1:
                rows = frame[list(targets)].dropna()
                references[(table, targets)] = set(rows.itertuples(index=False, name=None))
    if table == "category_map":
        refs.category_map = {
            (k, "" if pd.isna(lbl) else lbl): c
            for k, lbl, c in frame[["source_kind", "source_label", "category_id"]].itertuples(index=False)
        }
    elif table == "platform_aliases":
        refs.platform_aliases = dict(frame[["alias", "platform_id"]].itertuples(index=False))
    elif table == "region_aliases":
        refs.region_aliases = {
            a: (c, None if pd.isna(s) else s)
            for a, c, s in frame[["alias", "region_code", "subregion"]].itertuples(index=False)
        }
    elif table == "categories":
        references[("categories", "category_id")] = set(frame["category_id"])


def _load(
    path: Path,
    results: list[SourceResult],
    strict: bool,
    previous: Path | None = None,
    given: Sequence[Given] = (),
    options: dict | None = None,
    outcomes: list | None = None,
    on_stage: Callable[[str, str], None] = lambda stage, detail: None,
) -> str:
    """Create every table, insert the valid rows, aggregate each given case log or event file through its kind
    (``etl/inputs.py``), write sources/quarantine/build_info; return the version. ``outcomes`` receives each
    given file's result, in order."""
    con = duckdb.connect(str(path))
    try:
        contracts = all_contracts()
        for contract in contracts:
            con.execute(contract.create_table_sql())
        con.execute(SYSTEM_TABLES_SQL)
        for result in results:
            if result.frame is not None and len(result.frame):
                assert result.layout is not None  # a file with rows was read with a layout
                contract = load_contract(result.layout.table)
                con.register("staged_text", result.frame)
                columns = ", ".join(quote(n) for n in contract.field_names)
                casts = contract.cast_select_sql("staged_text").replace(f", {quote(LINE)} FROM", " FROM")
                con.execute(f"INSERT INTO {quote(contract.name)} ({columns}) {casts}")
                con.unregister("staged_text")
            _record_source(con, result)
        con.execute(restatements.RESTATEMENTS_SQL)
        for contract in contracts:
            _set_aside_restated(con, contract, results)
        coverage.record(con)
        for item in given:
            on_stage("load", f"aggregating {item.kind.noun} {item.provenance.path.name}")
            outcome = item.kind.aggregate(con, item.provenance, options or {})
            if hasattr(outcome, "shipped"):
                outcome.shipped = item.shipped
            if strict and outcome.failures:
                raise SourceError(
                    f"Strict mode: {outcome.rows_quarantined} rows of {item.provenance.path.name} were "
                    "quarantined, so nothing was published."
                )
            _insert_source(
                con, item.provenance.meta, item.kind.loaded_into, item.kind.report(outcome), outcome.failures
            )
            if outcomes is not None:
                outcomes.append(outcome)
        version = _content_version(con, [c.name for c in contracts] + ["sources", "quarantine"])
        # a correction keeps the release that first carried it; one not yet released is first carried by this
        # release (set after the version is computed: no circle)
        if previous is not None:
            _carry_correction_releases(con, previous)
        con.execute("UPDATE corrections SET release_version = ? WHERE release_version IS NULL", [version])
        table_counts = {
            c.name: con.execute(f"SELECT count(*) FROM {quote(c.name)}").fetchone()[0]  # noqa: S608 (contract name)
            for c in contracts
        }
        if previous is not None:
            _record_changes(con, previous, [c for c in contracts if c.name in FACT_TABLES], version)
        con.execute(
            "INSERT INTO build_info VALUES (?, ?, ?, ?, ?)",
            [version, datetime.now(UTC).replace(tzinfo=None), ETL_VERSION, json.dumps(table_counts), strict],
        )
        con.execute("CHECKPOINT")
        return version
    finally:
        con.close()


FACT_TABLES = ("platform_reported_requests", "regulator_reported_actions", "incidents")


def _carry_correction_releases(con: duckdb.DuckDBPyConnection, previous: Path) -> None:
    """Each correction the previous release already published keeps that release's version as its first."""
    try:
        con.execute("ATTACH ? AS previous (READ_ONLY)", [str(previous)])
        con.execute(
            """UPDATE corrections AS c SET release_version = p.release_version
               FROM previous.corrections AS p
               WHERE c.release_version IS NULL AND p.correction_id = c.correction_id AND p.release_version IS NOT NULL"""
        )
    except duckdb.Error:  # the previous file predates the corrections log, or is damaged: nothing to carry
        pass
    finally:
        con.execute("DETACH DATABASE IF EXISTS previous")


def _record_changes(con: duckdb.DuckDBPyConnection, previous: Path, contracts: list[Contract], version: str) -> None:
    """Compare each fact table with the dataset published before this build: rows added, removed, revised.

    A revised row keeps its key (the contract's primary key) but carries different values: an official
    figure that changed between releases. Rebuilding the same content keeps the comparison it had.
    """
    try:
        con.execute("ATTACH ? AS previous (READ_ONLY)", [str(previous)])
        old_version = con.execute("SELECT dataset_version FROM previous.build_info").fetchone()[0]
        if old_version == version:
            con.execute("INSERT INTO release_changes SELECT * FROM previous.release_changes")
            con.execute("INSERT INTO release_revisions SELECT * FROM previous.release_revisions")
            return
        for contract in contracts:
            table = quote(contract.name)
            key = ", ".join(quote(k) for k in contract.primary_key)
            columns = ", ".join(quote(n) for n in contract.field_names)
            # identifiers below come from the contracts, never from input
            counts = con.execute(f"""
                WITH now AS (SELECT {columns} FROM {table}), before AS (SELECT {columns} FROM previous.{table}),
                     added AS (SELECT * FROM now EXCEPT SELECT * FROM before),
                     removed AS (SELECT * FROM before EXCEPT SELECT * FROM now),
                     revised AS (SELECT {key} FROM added INTERSECT SELECT {key} FROM removed)
                SELECT (SELECT count(*) FROM before), (SELECT count(*) FROM now),
                       (SELECT count(*) FROM added) - (SELECT count(*) FROM revised),
                       (SELECT count(*) FROM removed) - (SELECT count(*) FROM revised),
                       (SELECT count(*) FROM revised)
            """).fetchone()  # noqa: S608
            con.execute(
                "INSERT INTO release_changes VALUES (?, ?, ?, ?, ?, ?, ?)", [contract.name, old_version, *counts]
            )
            _record_revisions(con, contract, old_version)
    except duckdb.Error:
        # The previous file predates a table or column, or is damaged: publish without a comparison
        # (the overview then says there is no earlier release to compare with) rather than not at all.
        con.execute("DELETE FROM release_changes")
        con.execute("DELETE FROM release_revisions")
    finally:
        con.execute("DETACH DATABASE IF EXISTS previous")


def _record_revisions(con: duckdb.DuckDBPyConnection, contract: Contract, old_version: str) -> None:
    """Each figure that changed under the same key: the value before and after, side by side."""
    table, key_names = quote(contract.name), contract.primary_key
    join = " AND ".join(f"n.{quote(k)} IS NOT DISTINCT FROM b.{quote(k)}" for k in key_names)
    key_text = " || ' | ' || ".join(f"coalesce(CAST(n.{quote(k)} AS VARCHAR), '')" for k in key_names)
    for column in (c for c in contract.field_names if c not in key_names):
        con.execute(  # identifiers from the contract; values bound
            f"""INSERT INTO release_revisions
                SELECT ?, ?, {key_text}, ?, CAST(b.{quote(column)} AS VARCHAR), CAST(n.{quote(column)} AS VARCHAR)
                FROM {table} AS n JOIN previous.{table} AS b ON {join}
                WHERE n.{quote(column)} IS DISTINCT FROM b.{quote(column)}""",  # noqa: S608
            [contract.name, old_version, column],
        )


def _set_aside_restated(con: duckdb.DuckDBPyConnection, contract: Contract, results: list[SourceResult]) -> None:
    """Earlier revisions out of the fact table (etl/restatements.py); each loading file's table_rows follows."""
    moved = restatements.set_aside(con, contract)  # rows per source_id value of the rows (the collected file)
    for result in results:
        if not moved or result.layout is None or result.layout.table != contract.name or result.frame is None:
            continue
        left_out = sum(moved.get(source_id, 0) for source_id in set(result.frame["source_id"].dropna()))
        if left_out:
            con.execute(
                "UPDATE sources SET table_rows = table_rows - ? WHERE source_id = ?",
                [left_out, result.provenance.source_id],
            )


def _record_source(con: duckdb.DuckDBPyConnection, result: SourceResult) -> None:
    table_rows = None if result.frame is None else len(result.frame)
    _insert_source(
        con,
        result.provenance.meta,
        result.layout.table if result.layout else None,
        (result.rows_read, result.rows_loaded, result.rows_quarantined, table_rows),
        result.failures,
    )


def _insert_source(
    con: duckdb.DuckDBPyConnection, meta: dict, loaded_into: str | None, counts: tuple, failures: list[Failure]
) -> None:
    """One row of the sources table (provenance and row counts) and the file's quarantined rows."""
    con.execute(
        "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            meta["source_id"],
            meta["file"],
            meta["layout"],
            loaded_into,
            meta["publisher"],
            meta["title"],
            meta.get("url") or None,
            meta["licence"],
            meta["retrieved"],
            meta.get("published") or None,
            meta["measures"],
            ",".join(meta.get("derived_from", [])) or None,
            meta["sha256"],
            *counts,
            meta.get("cite_as") or None,
            meta.get("publisher_ur") or None,
            meta.get("title_ur") or None,
            (meta.get("fetch") or {}).get("checked"),  # python -m etl fetch: when last asked, and last changed
            (meta.get("fetch") or {}).get("changed"),
        ],
    )
    if failures:
        rows = [(meta["source_id"], f.file, f.line, f.column, f.rule, f.message) for f in failures]
        con.executemany("INSERT INTO quarantine VALUES (?, ?, ?, ?, ?, ?)", rows)


def _content_version(con: duckdb.DuckDBPyConnection, tables: list[str]) -> str:
    """A version derived from the published content only: same rows in → same version out."""
    parts = []
    for table in tables:
        digest = con.execute(
            f"SELECT coalesce(sha256(string_agg(CAST(t AS VARCHAR), chr(10) ORDER BY CAST(t AS VARCHAR))), '') "  # noqa: S608 (table from contracts)
            f"FROM {quote(table)} AS t"
        ).fetchone()[0]
        parts.append(f"{table}:{digest}")
    import hashlib

    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def _strict_message(results: list[SourceResult]) -> str:
    counted = [f"{r.provenance.path.name}: {r.rows_quarantined}" for r in results if r.failures]
    return "Strict mode: rows were quarantined, so nothing was published (" + "; ".join(counted) + ")."


class _StageTimer:
    """Adds up wall time per stage name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def __call__(self, stage: str):
        timer = self

        class _Block:
            def __enter__(self):
                self.start = time.perf_counter()

            def __exit__(self, *exc):
                timer.seconds[stage] = timer.seconds.get(stage, 0.0) + time.perf_counter() - self.start

        return _Block()
