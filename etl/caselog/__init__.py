"""Case logs: an agency's request log in, identifiers included; anonymised monthly aggregates out.

Everything runs in DuckDB over the file (CSV or Parquet), streaming: one scan types every row and drops the
identifiers (``request_id`` becomes a 64-bit hash used only to find duplicates; ``target`` is never read),
and feeds, side by side, the aggregation of the valid rows per month × platform × category × linked group ×
origin × requester × target kind, the month × platform totals, and the count of invalid rows and of distinct
request ids. Only a file with refused rows is read a second time, into a table, to list each failure by line
and rule (and, when a request id repeats, to aggregate again without the later copies). Disclosure control
then withholds cells with fewer than ``k`` requests (primary) and, within each month × platform total, one
more cell wherever exactly one would otherwise be withheld (secondary), so no withheld cell can be worked out
from the published totals.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from dataset.tables import SUPPRESSION_RULE
from etl.contracts import quote
from etl.errors import Failure, SourceError
from etl.paths import CONTRACTS_DIR
from etl.provenance import Provenance
from etl.readers import physical_lines, record_lines
from etl.references import checking_database

DEFAULT_K = 5
CASE_LOG_MEMORY = "1200MB"
SQL_DIR = Path(__file__).parent / "sql"
INPUT_CONTRACT = json.loads((CONTRACTS_DIR / "inputs" / "case_log.json").read_text(encoding="utf-8"))
INPUT_FIELDS = {f["name"]: f for f in INPUT_CONTRACT["schema"]["fields"]}
READ_COLUMNS = [name for name in INPUT_FIELDS if name != "target"]  # the target is never read
REQUIRED_COLUMNS = [n for n, f in INPUT_FIELDS.items() if f.get("constraints", {}).get("required")]
RULE_TEXT = {r["name"]: r["description"] for r in INPUT_CONTRACT["rules"]} | {
    "required": "a value is required",
    "type_datetime": "is not a date and time (ISO 8601)",
    "enum": "not one of the allowed values",
    "pattern": "does not have the required form",
}
COUNT_COLUMNS = [
    "requests",
    "actioned",
    "partial",
    "rejected",
    "pending",
    "response_hours_p50",
    "response_hours_p90",
    "answered_within_24h_pct",
    "answered_within_72h_pct",
]
CELL_KEY = ["month", "platform_id", "category_id", "linked_group", "origin_country", "requester", "target_kind"]


@dataclass
class CaseLogResult:
    """What one case log contributed, for the sources table, the quarantine and case_log_info."""

    source_id: str
    rows_read: int
    rows_aggregated: int
    failures: list[Failure]
    cells: int
    suppressed_primary: int
    suppressed_secondary: int

    @property
    def rows_quarantined(self) -> int:
        return len({f.line for f in self.failures})


def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _csv_header(path: Path) -> list[str]:
    """The header line, read by Python's csv module: the dialect is fixed (RFC 4180), never sniffed."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except (UnicodeDecodeError, csv.Error):
        raise SourceError(
            f"{path.name}: cannot be read as a case log: the header is not UTF-8 CSV (save as CSV UTF-8)."
        ) from None
    if len(set(header)) != len(header):
        raise SourceError(f"{path.name}: cannot be read as a case log: the header repeats a column name.")
    return header


def _reader(path: Path) -> str:
    """The relation that reads the file: every needed column as text (fixed code, values bound as parameters)."""
    columns = ", ".join(f"CAST({quote(c)} AS VARCHAR) AS {quote(c)}" for c in READ_COLUMNS)
    if path.suffix.lower() == ".parquet":
        return f"(SELECT {columns} FROM read_parquet($path))"  # noqa: S608 (contract columns)
    options = (
        "auto_detect = false, header = true, delim = ',', quote = '\"', escape = '\"', columns = $columns, "
        "store_rejects = true, rejects_limit = 0"
    )
    return f"(SELECT {columns} FROM read_csv($path, {options}))"  # noqa: S608 (contract columns)


def _check_columns(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, str]:
    """Refuse a file without the contract's required columns; return the CSV column types to read with."""
    if path.suffix.lower() == ".parquet":
        try:
            names = [
                r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet($path)", {"path": str(path)}).fetchall()
            ]
        except duckdb.Error as exc:  # the message may quote file content: not echoed
            raise SourceError(
                f"{path.name}: cannot be read as a case log (Parquet: {exc.__class__.__name__})."
            ) from None
    else:
        names = _csv_header(path)
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise SourceError(
            f"{path.name}: missing required case-log column(s) {', '.join(missing)}; see the case-log contract in the README."
        )
    return {name: "VARCHAR" for name in names}


def _prepare_types(con: duckdb.DuckDBPyConnection, maps: dict[str, list[str]]) -> None:
    """Small ENUM types for every dimension with a known set of values: 1-2 bytes a row instead of a string.

    Also one ENUM per mapped column of the spellings the reference tables themselves use ('Facebook',
    'Terrorism / militancy' …): a value spelled exactly so is mapped by one lookup; any other spelling goes
    through the case-insensitive map, to the same id (``maps`` from ``_label_maps``)."""
    import string

    sets = {
        "case_linked_group": INPUT_FIELDS["linked_group"]["constraints"]["enum"],
        "case_target_kind": INPUT_FIELDS["target_kind"]["constraints"]["enum"],
        "case_status": INPUT_FIELDS["status"]["constraints"]["enum"],
        "case_platform": [r[0] for r in con.execute("SELECT platform_id FROM platforms ORDER BY 1").fetchall()],
        "case_category": [r[0] for r in con.execute("SELECT category_id FROM categories ORDER BY 1").fetchall()],
        "case_origin": [a + b for a in string.ascii_uppercase for b in string.ascii_uppercase] + ["unknown"],
        "case_platform_spelling": maps["platform_spellings"],
        "case_category_spelling": maps["category_spellings"],
    }
    for type_name, values in sets.items():
        listed = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
        con.execute(f"DROP TYPE IF EXISTS {type_name}")
        con.execute(f"CREATE TYPE {type_name} AS ENUM ({listed})")  # values from contracts and reference tables


def _label_maps(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Lower-cased source spellings → ids, from the reference tables already loaded; and the spellings as the
    tables write them, each with the id its lower-cased, trimmed form maps to (DuckDB's lower and trim)."""
    platforms = con.execute("""
        SELECT DISTINCT lower(alias), platform_id FROM platform_aliases
        UNION SELECT lower(platform_id), platform_id FROM platforms
        UNION SELECT lower(name), platform_id FROM platforms
    """).fetchall()
    categories = con.execute("""
        SELECT DISTINCT lower(source_label), category_id FROM category_map WHERE source_kind = 'case_log'
        UNION SELECT lower(category_id), category_id FROM categories
    """).fetchall()
    platform_ids, category_ids = dict(platforms), dict(categories)
    platform_spellings = con.execute("""
        SELECT DISTINCT label, lower(trim(label)) FROM (
            SELECT alias AS label FROM platform_aliases UNION SELECT platform_id FROM platforms
            UNION SELECT name FROM platforms) WHERE label <> '' ORDER BY 1
    """).fetchall()
    category_spellings = con.execute("""
        SELECT DISTINCT label, lower(trim(label)) FROM (
            SELECT source_label AS label FROM category_map WHERE source_kind = 'case_log'
            UNION SELECT category_id FROM categories) WHERE label <> '' ORDER BY 1
    """).fetchall()
    platform_spellings = [(s, platform_ids[key]) for s, key in platform_spellings if key in platform_ids]
    category_spellings = [(s, category_ids[key]) for s, key in category_spellings if key in category_ids]
    return {
        "platform_labels": list(platform_ids),
        "platform_ids": list(platform_ids.values()),
        "category_labels": list(category_ids),
        "category_ids": list(category_ids.values()),
        "platform_spellings": [s for s, _ in platform_spellings],
        "platform_spelling_ids": [i for _, i in platform_spellings],
        "category_spellings": [s for s, _ in category_spellings],
        "category_spelling_ids": [i for _, i in category_spellings],
    }


def aggregate(
    con: duckdb.DuckDBPyConnection, provenance: Provenance, k: int = DEFAULT_K, now: datetime | None = None
) -> CaseLogResult:
    """Validate and aggregate one case log into the case_* tables of ``con`` (reference tables loaded)."""
    path = provenance.path
    con.execute("SET TimeZone = 'UTC'")
    # Bounded memory: beyond this DuckDB spills to disk instead of growing (10M rows fit in 1.5 GiB RSS).
    con.execute(f"SET memory_limit = '{CASE_LOG_MEMORY}'")
    csv_columns = _check_columns(con, path)
    maps = _label_maps(con)
    _prepare_types(con, maps)
    for table in ("case_typed", "case_failures", "case_aggregates", "case_sorted", "reject_errors", "reject_scans"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    now = (now or datetime.now(UTC)).replace(tzinfo=None)
    typed = _sql("caselog_typed").replace("FROM case_input", f"FROM {_reader(path)}")
    params = {
        "path": str(path),
        "now": now,
        **{name: values for name, values in maps.items() if not name.endswith("_spellings")},
        **({"columns": csv_columns} if path.suffix.lower() != ".parquet" else {}),
    }
    try:  # one streaming pass: aggregates of the valid rows, and the checks on every row
        con.execute(_aggregate_sql(typed), params)
    except duckdb.Error as exc:  # never echo DuckDB's message: it can quote a row
        raise SourceError(f"{path.name}: cannot be read as a case log ({exc.__class__.__name__}).") from None
    rejected = _rejected_lines(con, path)
    typed_rows, invalid, request_ids, distinct_ids = con.execute(
        "SELECT requests, rows_invalid, request_ids, distinct_request_ids FROM case_aggregates WHERE kind = 'rows'"
    ).fetchone()
    failures = _failures(con, path, rejected)
    if invalid or distinct_ids < request_ids:
        # Refused rows: read the file again into a table whose rowid gives each row its line, and list every
        # broken rule by line. Clean files (the usual case) never get here.
        for table in ("reject_errors", "reject_scans"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
        try:
            con.execute(f"CREATE TEMP TABLE case_typed AS {typed}", params)
        except duckdb.Error as exc:
            raise SourceError(f"{path.name}: cannot be read as a case log ({exc.__class__.__name__}).") from None
        con.execute(_sql("caselog_failures"), {"now": now})
        failures = _failures(con, path, rejected, listed=True)
        if distinct_ids < request_ids:  # later copies of a request id are refused: aggregate without them
            con.execute("DROP TABLE case_aggregates")
            kept = "SELECT * FROM case_typed WHERE rowid + 2 NOT IN (SELECT line FROM case_failures)"
            con.execute(_aggregate_sql(kept))
    rows_read = typed_rows + len(rejected)
    quarantined = len({f.line for f in failures})
    synthetic = bool(provenance.meta.get("synthetic"))
    primary, secondary = _publish(con, k, provenance.source_id, synthetic)
    cells, first_month, last_month = con.execute(
        "SELECT count(*), min(month), max(month) FROM case_sorted WHERE kind = 'cell'"
    ).fetchone()
    result = CaseLogResult(
        provenance.source_id, rows_read, rows_read - quarantined, failures, cells, primary, secondary
    )
    con.execute(
        "INSERT INTO case_log_info VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            provenance.source_id,
            synthetic,
            k,
            SUPPRESSION_RULE.format(k=k),
            rows_read,
            result.rows_aggregated,
            quarantined,
            first_month,
            last_month,
            cells,
            primary,
            secondary,
        ],
    )
    for table in ("case_typed", "case_failures", "case_aggregates", "case_sorted"):
        con.execute(f"DROP TABLE IF EXISTS {table}")  # nothing row-level stays in the database
    return result


def _aggregate_sql(rows: str) -> str:
    """caselog_aggregate.sql over ``rows``: a relation with caselog_typed.sql's columns (fixed code, no input)."""
    return _sql("caselog_aggregate").replace("case_rows AS (SELECT * FROM case_typed)", f"case_rows AS ({rows})")


def _rejected_lines(con: duckdb.DuckDBPyConnection, path: Path) -> dict[int, str]:
    """Lines the CSV reader could not split (wrong number of fields …): the file line each starts on → rule.
    DuckDB counts records, not lines (``readers.physical_lines``), so its numbers are turned into lines."""
    if path.suffix.lower() == ".parquet":
        return {}
    try:
        rows = con.execute("SELECT line, error_type FROM reject_errors ORDER BY line").fetchall()
    except duckdb.CatalogException:
        return {}
    starts = physical_lines(path, {int(line) for line, _ in rows})
    return {starts.get(int(line), int(line)): "csv_" + str(kind).lower().replace(" ", "_") for line, kind in rows}


def _failures(
    con: duckdb.DuckDBPyConnection, path: Path, rejected: dict[int, str], listed: bool = False
) -> list[Failure]:
    """Lines the reader could not split and, when ``listed``, the rows in case_failures, with the file's own
    line numbers (rows the reader skipped shift the count)."""
    skipped = sorted(rejected)
    failures = [
        Failure(path.name, line, None, rule, "the line cannot be split into the header's fields")
        for line, rule in rejected.items()
    ]
    rows = con.execute('SELECT line, "column", rule FROM case_failures ORDER BY line').fetchall() if listed else []
    starts = _row_lines(path, {line - 1 for line, _, _ in rows}, rejected) if rows else None
    for line, column, rule in rows:
        if starts is not None:  # the line the row starts on, read from the file itself
            line = starts[line - 1]
        else:  # Parquet (a row number), or a file the count below cannot follow
            for skipped_line in skipped:
                if skipped_line <= line:
                    line += 1
        failures.append(Failure(path.name, int(line), column, rule, RULE_TEXT.get(rule, rule)))
    return failures


def _row_lines(path: Path, rows: set[int], rejected: dict[int, str]) -> dict[int, int] | None:
    """The file line each of ``rows`` starts on, for rows numbered 1, 2 … in reading order (DuckDB's rowid
    + 1; see ``readers.record_lines``). Runs only when rows were refused. None for Parquet, or when the file
    has fewer rows than asked (then the caller's arithmetic stands)."""
    if path.suffix.lower() == ".parquet" or not rows:
        return None
    found = record_lines(path, rows, rejected=rejected)
    return found if len(found) == len(rows) else None


def protect(cells: pd.DataFrame, margins: pd.DataFrame, k: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Disclosure control; withheld figures become empty and are marked "withheld" (never why).

    What an attacker has: every published cell, every published month × platform total, the log's grand
    total (rows aggregated is published for the accounting), and the knowledge that a listed cell holds at
    least one request. Withheld cells under one published equation can each be anywhere in
    [1, slack + 1], where slack = (equation's total − published parts) − (withheld cells in it); the rules
    (see ``_withhold``) keep every equation at two or more withheld cells and slack + 1 ≥ k, so no withheld
    cell is pinned down, or even shown to be under k.

    ``cells`` and ``margins`` are shaped like the case_aggregates rows; the build itself calls ``_withhold``
    on the same figures, sorted by DuckDB, and writes the tables in SQL.
    """
    cells = cells.sort_values(CELL_KEY).reset_index(drop=True)
    margins = margins.sort_values(["month", "platform_id"]).reset_index(drop=True)
    # one integer per month × platform, shared by cells and totals (vectorised: a log has ~10^6 cells)
    group_index = pd.MultiIndex.from_frame(margins[["month", "platform_id"]])
    group = group_index.get_indexer(pd.MultiIndex.from_frame(cells[["month", "platform_id"]]))
    reason, margin_withheld = _withhold(
        group, cells["requests"].to_numpy(dtype="int64"), margins["requests"].to_numpy(dtype="int64"), k
    )
    codes, reason = reason, pd.Series(None, index=cells.index, dtype="object")
    reason[codes == PRIMARY] = "primary"
    reason[codes == SECONDARY] = "secondary"
    cells["suppressed"] = reason.where(reason.isna(), "withheld")
    cells["_reason"] = reason
    margins["suppressed"] = pd.Series(None, index=margins.index, dtype="object").where(~margin_withheld, "withheld")
    for frame in (cells, margins):
        frame[COUNT_COLUMNS] = frame[COUNT_COLUMNS].astype("Float64")
        frame.loc[frame["suppressed"].notna(), COUNT_COLUMNS] = pd.NA
    return cells, margins


SHOWN, PRIMARY, SECONDARY = 0, 1, 2


def _withhold(group: np.ndarray, requests: np.ndarray, totals: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Which cells and which month × platform totals to withhold.

    ``requests``: each cell's requests, cells in the order of their key (month, platform, category, linked
    group, origin, requester, target kind), so that position breaks ties; ``group``: each cell's position
    in ``totals``, the totals' requests in (month, platform) order. Returns each cell's reason (SHOWN,
    PRIMARY, SECONDARY) and a withheld flag per total:

    1. primary: a cell with fewer than k requests is withheld;
    2. secondary, per month × platform total: never exactly one withheld cell under it;
    3. a total is withheld when it is under k or its withheld cells' slack would be too small;
    4. against the grand total: the withheld cells under withheld totals form one more equation; cells
       (then totals) are withheld until it holds two or more of them with enough slack.
    """
    groups = len(totals)
    slot = np.where(group < 0, groups, group)  # a cell without a total (never in a build) gets a slot of its own
    reason = np.where(requests < k, PRIMARY, SHOWN).astype("int8")
    # 2. never exactly one withheld cell under a total: withhold the smallest other one (first by key on ties)
    withheld_in = np.bincount(slot, weights=reason > 0, minlength=groups + 1)
    size = np.bincount(slot, minlength=groups + 1)
    lonely = (withheld_in == 1) & (size > 1)
    candidates = np.flatnonzero(lonely[slot] & (reason == SHOWN))
    if len(candidates):
        order = candidates[np.lexsort((candidates, requests[candidates], slot[candidates]))]
        first = np.ones(len(order), dtype=bool)
        first[1:] = slot[order][1:] != slot[order][:-1]
        reason[order[first]] = SECONDARY
    # 3. a total is withheld when under k, or when the slack of its withheld cells would be under k
    hidden = reason > 0
    hidden_count = np.bincount(slot, weights=hidden, minlength=groups + 1)[:groups]
    shown_sum = np.bincount(slot, weights=np.where(hidden, 0, requests), minlength=groups + 1)[:groups]
    slack = totals - shown_sum - hidden_count
    margin_withheld = (totals < k) | ((hidden_count > 0) & (slack + 1 < k))
    # 4. against the grand total, the withheld cells under withheld totals form one more equation
    grand_total = totals.sum()
    while margin_withheld.any():
        under = np.append(margin_withheld, False)[slot]
        hidden = under & (reason > 0)
        shown_under = under & (reason == SHOWN)
        rest = grand_total - totals[~margin_withheld].sum() - requests[shown_under].sum()
        if hidden.sum() >= 2 and rest - hidden.sum() + 1 >= k:
            break
        if shown_under.any():
            positions = np.flatnonzero(shown_under)
            reason[positions[np.argmin(requests[positions])]] = SECONDARY  # smallest, first by key on ties
        elif (~margin_withheld).any():
            open_totals = pd.Series(totals).loc[~margin_withheld]
            margin_withheld[open_totals.sort_values().index[0]] = True
        else:
            break  # everything is withheld already
    return reason, margin_withheld


def _publish(con: duckdb.DuckDBPyConnection, k: int, source_id: str, synthetic: bool) -> tuple[int, int]:
    """Disclosure control over case_aggregates, then the two published tables written in SQL.

    The cells and totals are first stored in key order (case_sorted: cells by their key, then totals by
    month and platform; sorted here, not in the big query, where the sort would compete for memory with
    the aggregation). Only two numbers per cell leave DuckDB (its requests, and which total it belongs
    to); the decisions come back as one flag per row, joined by position. Returns the cells withheld as
    primary and as secondary."""
    key = ", ".join(CELL_KEY)
    con.execute(  # fixed column names
        f"CREATE TEMP TABLE case_sorted AS SELECT * FROM case_aggregates WHERE kind <> 'rows' ORDER BY kind, {key}"  # noqa: S608
    )
    con.execute("DROP TABLE case_aggregates")
    rows = con.execute(
        "SELECT a.kind = 'cell' AS is_cell, a.requests, coalesce(t.position, -1) AS total FROM case_sorted AS a "
        "LEFT JOIN (SELECT month, platform_id, row_number() OVER (ORDER BY rowid) - 1 AS position "
        "FROM case_sorted WHERE kind = 'total') AS t "
        "ON a.kind = 'cell' AND a.month = t.month AND a.platform_id = t.platform_id ORDER BY a.rowid"
    ).fetchnumpy()
    is_cell, requests = np.asarray(rows["is_cell"], dtype=bool), np.asarray(rows["requests"], dtype="int64")
    is_total = ~is_cell
    reason, margin_withheld = _withhold(
        np.asarray(rows["total"], dtype="int64")[is_cell], requests[is_cell], requests[is_total], k
    )
    withheld = np.zeros(len(is_cell), dtype=bool)
    withheld[is_cell], withheld[is_total] = reason > 0, margin_withheld
    con.register("case_withheld", pd.DataFrame({"withheld": withheld}))
    for table, kind_name in (("case_requests_monthly", "cell"), ("case_requests_monthly_platform", "total")):
        select = []
        for column in (r[0] for r in con.execute(f"DESCRIBE {quote(table)}").fetchall()):
            if column in ("source_id", "synthetic"):
                select.append(f"${column}")
            elif column == "suppressed":
                select.append("CASE WHEN d.withheld THEN 'withheld' END")
            elif column in COUNT_COLUMNS:
                select.append(f"CASE WHEN d.withheld THEN NULL ELSE a.{quote(column)} END")
            else:
                select.append(f"a.{quote(column)}")
        con.execute(  # fixed table and column names (contracts); values bound
            f"INSERT INTO {quote(table)} SELECT {', '.join(select)} "  # noqa: S608
            "FROM case_sorted AS a POSITIONAL JOIN case_withheld AS d WHERE a.kind = $kind",
            {"source_id": source_id, "synthetic": synthetic, "kind": kind_name},
        )
    con.unregister("case_withheld")
    return int((reason == PRIMARY).sum()), int((reason == SECONDARY).sum())


def check(path: Path, k: int = DEFAULT_K) -> CaseLogResult:
    """Run a case log through every check, the aggregation and disclosure control without publishing
    (``python -m etl validate``): an in-memory database with the reference tables it is mapped through."""
    con = checking_database(
        ("platforms", "platform_aliases", "categories", "category_map"),
        ("case_requests_monthly", "case_requests_monthly_platform", "case_log_info"),
    )
    try:
        return aggregate(con, Provenance(path, {"source_id": path.stem, "layout": "case_log"}), k)
    finally:
        con.close()
