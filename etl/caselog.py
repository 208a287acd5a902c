"""Case logs: an agency's request log in, identifiers included; anonymised monthly aggregates out.

Everything runs in DuckDB over the file (CSV or Parquet), streaming: one scan types every row and
drops the identifiers (``request_id`` becomes a 64-bit hash used only to find duplicates; ``target`` is
never read); failures are listed by line and rule; valid rows are aggregated per month × platform ×
category × linked group × origin × requester × target kind. Disclosure control then withholds cells
with fewer than ``k`` requests (primary) and, within each month × platform total, one more cell
wherever exactly one would otherwise be withheld (secondary), so no withheld cell can be worked out
from the published totals.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl.contracts import quote
from etl.errors import Failure, SourceError
from etl.paths import CONTRACTS_DIR
from etl.provenance import Provenance

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
SUPPRESSION_RULE = (
    "Cells with fewer than {k} requests are withheld (primary). Further cells, and month-by-platform totals, are "
    "withheld where needed (secondary) so that, from the published cells, totals and the grand total, no withheld "
    "cell can be worked out, nor shown to be under {k}: every set of withheld cells tied by a published total "
    "has at least two members and a margin of at least {k}. Withheld cells and totals show no figure, response "
    "times included, and are all marked 'withheld'."
)
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
    import csv

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


def _prepare_types(con: duckdb.DuckDBPyConnection) -> None:
    """Small ENUM types for every dimension with a known set of values: 1-2 bytes a row instead of a string."""
    import string

    sets = {
        "case_linked_group": INPUT_FIELDS["linked_group"]["constraints"]["enum"],
        "case_target_kind": INPUT_FIELDS["target_kind"]["constraints"]["enum"],
        "case_status": INPUT_FIELDS["status"]["constraints"]["enum"],
        "case_platform": [r[0] for r in con.execute("SELECT platform_id FROM platforms ORDER BY 1").fetchall()],
        "case_category": [r[0] for r in con.execute("SELECT category_id FROM categories ORDER BY 1").fetchall()],
        "case_origin": [a + b for a in string.ascii_uppercase for b in string.ascii_uppercase] + ["unknown"],
    }
    for type_name, values in sets.items():
        listed = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
        con.execute(f"DROP TYPE IF EXISTS {type_name}")
        con.execute(f"CREATE TYPE {type_name} AS ENUM ({listed})")  # values from contracts and reference tables


def _label_maps(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Lower-cased source spellings → ids, from the reference tables already loaded."""
    platforms = con.execute("""
        SELECT DISTINCT lower(alias), platform_id FROM platform_aliases
        UNION SELECT lower(platform_id), platform_id FROM platforms
        UNION SELECT lower(name), platform_id FROM platforms
    """).fetchall()
    categories = con.execute("""
        SELECT DISTINCT lower(source_label), category_id FROM category_map WHERE source_kind = 'case_log'
        UNION SELECT lower(category_id), category_id FROM categories
    """).fetchall()
    platforms, categories = dict(platforms), dict(categories)
    return {
        "platform_labels": list(platforms),
        "platform_ids": list(platforms.values()),
        "category_labels": list(categories),
        "category_ids": list(categories.values()),
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
    _prepare_types(con)
    for table in ("case_typed", "case_failures", "case_aggregates", "reject_errors", "reject_scans"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    now = (now or datetime.now(UTC)).replace(tzinfo=None)
    try:
        con.execute(
            _sql("caselog_stage").replace("FROM case_input", f"FROM {_reader(path)}"),
            {
                "path": str(path),
                "now": now,
                **_label_maps(con),
                **({"columns": csv_columns} if path.suffix.lower() != ".parquet" else {}),
            },
        )
    except duckdb.Error as exc:  # never echo DuckDB's message: it can quote a row
        raise SourceError(f"{path.name}: cannot be read as a case log ({exc.__class__.__name__}).") from None
    rejected = _rejected_lines(con, path)
    con.execute(_sql("caselog_failures"), {"now": now})
    failures = _failures(con, path, rejected)
    con.execute(
        "CREATE TEMP TABLE case_aggregates (is_total BOOLEAN, month DATE, platform_id VARCHAR, "
        "category_id VARCHAR, linked_group VARCHAR, origin_country VARCHAR, requester VARCHAR, "
        "target_kind VARCHAR, requests BIGINT, actioned BIGINT, partial BIGINT, rejected BIGINT, pending BIGINT, "
        "response_hours_p50 DOUBLE, response_hours_p90 DOUBLE, answered_within_24h_pct DOUBLE, "
        "answered_within_72h_pct DOUBLE)"
    )
    for totals in (False, True):
        con.execute(_sql("caselog_cells"), {"totals": totals})
    typed_rows = con.execute("SELECT count(*) FROM case_typed").fetchone()[0]
    rows_read = typed_rows + len(rejected)
    quarantined = len({f.line for f in failures})
    aggregates = con.execute("SELECT * FROM case_aggregates").df()
    totals = aggregates[aggregates.pop("is_total")]
    cells = aggregates[~aggregates.index.isin(totals.index)]
    cells, margins = protect(cells, totals[["month", "platform_id", *COUNT_COLUMNS]], k)
    synthetic = bool(provenance.meta.get("synthetic"))
    _publish(con, cells.drop(columns=["_reason"]), margins, provenance.source_id, synthetic)
    result = CaseLogResult(
        provenance.source_id,
        rows_read,
        rows_read - quarantined,
        failures,
        len(cells),
        int((cells["_reason"] == "primary").sum()),
        int((cells["_reason"] == "secondary").sum()),
    )
    months = cells["month"]
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
            months.min() if len(months) else None,
            months.max() if len(months) else None,
            len(cells),
            result.suppressed_primary,
            result.suppressed_secondary,
        ],
    )
    for table in ("case_typed", "case_failures", "case_aggregates"):
        con.execute(f"DROP TABLE IF EXISTS {table}")  # nothing row-level stays in the database
    return result


def _rejected_lines(con: duckdb.DuckDBPyConnection, path: Path) -> dict[int, str]:
    """Lines the CSV reader could not split (wrong number of fields …): line → rule."""
    if path.suffix.lower() == ".parquet":
        return {}
    try:
        rows = con.execute("SELECT line, error_type FROM reject_errors ORDER BY line").fetchall()
    except duckdb.CatalogException:
        return {}
    return {int(line): "csv_" + str(kind).lower().replace(" ", "_") for line, kind in rows}


def _failures(con: duckdb.DuckDBPyConnection, path: Path, rejected: dict[int, str]) -> list[Failure]:
    """Failures with the file's own line numbers (rows the reader skipped shift the count)."""
    skipped = sorted(rejected)
    failures = [
        Failure(path.name, line, None, rule, "the line cannot be split into the header's fields")
        for line, rule in rejected.items()
    ]
    for line, column, rule in con.execute('SELECT line, "column", rule FROM case_failures ORDER BY line').fetchall():
        for skipped_line in skipped:
            if skipped_line <= line:
                line += 1
        failures.append(Failure(path.name, int(line), column, rule, RULE_TEXT.get(rule, rule)))
    return failures


def protect(cells: pd.DataFrame, margins: pd.DataFrame, k: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Disclosure control; withheld figures become empty and are marked "withheld" (never why).

    What an attacker has: every published cell, every published month × platform total, the log's grand
    total (rows aggregated is published for the accounting), and the knowledge that a listed cell holds at
    least one request. Withheld cells under one published equation can each be anywhere in
    [1, slack + 1], where slack = (equation's total − published parts) − (withheld cells in it); the rules
    below keep every equation at two or more withheld cells and slack + 1 ≥ k, so no withheld cell is pinned
    down, or even shown to be under k:

    1. primary: a cell with fewer than k requests is withheld;
    2. secondary, per month × platform total: never exactly one withheld cell under it;
    3. a total is withheld when it is under k or its withheld cells' slack would be too small;
    4. against the grand total: the withheld cells under withheld totals form one more equation; cells
       (then totals) are withheld until it holds two or more of them with enough slack.
    """
    cells = cells.sort_values(CELL_KEY).reset_index(drop=True)
    margins = margins.sort_values(["month", "platform_id"]).reset_index(drop=True)
    # one integer per month × platform, shared by cells and totals (vectorised: a log has ~10^6 cells)
    group_index = pd.MultiIndex.from_frame(margins[["month", "platform_id"]])
    group = pd.Series(
        group_index.get_indexer(pd.MultiIndex.from_frame(cells[["month", "platform_id"]])), index=cells.index
    )
    reason = pd.Series(None, index=cells.index, dtype="object")
    reason[cells["requests"] < k] = "primary"
    # 2. never exactly one withheld cell under a total: withhold the smallest other one
    per_group = reason.notna().groupby(group).agg(["sum", "size"])
    lonely = per_group.index[(per_group["sum"] == 1) & (per_group["size"] > 1)]
    eligible = group.isin(lonely) & reason.isna()
    candidates = cells[eligible].assign(_group=group[eligible])
    picked = candidates.sort_values(["_group", "requests", *CELL_KEY]).groupby("_group").head(1).index
    reason.loc[picked] = "secondary"
    # 3. a total is withheld when under k, or when the slack of its withheld cells would be under k
    hidden = reason.notna()
    hidden_count = hidden.groupby(group).sum().reindex(margins.index, fill_value=0)
    shown_sum = cells["requests"].where(~hidden, 0).groupby(group).sum().reindex(margins.index, fill_value=0)
    slack = margins["requests"] - shown_sum - hidden_count
    margin_withheld = (margins["requests"] < k) | ((hidden_count > 0) & (slack + 1 < k))
    # 4. against the grand total, the withheld cells under withheld totals form one more equation
    grand_total = margins["requests"].sum()
    while margin_withheld.any():
        under = group.isin(margins.index[margin_withheld])
        hidden = under & reason.notna()
        shown_under = under & reason.isna()
        rest = grand_total - margins.loc[~margin_withheld, "requests"].sum() - cells.loc[shown_under, "requests"].sum()
        if hidden.sum() >= 2 and rest - hidden.sum() + 1 >= k:
            break
        if shown_under.any():
            reason.loc[cells[shown_under].sort_values(["requests", *CELL_KEY]).index[0]] = "secondary"
        elif (~margin_withheld).any():
            margin_withheld.loc[margins[~margin_withheld].sort_values("requests").index[0]] = True
        else:
            break  # everything is withheld already
    cells["suppressed"] = reason.where(reason.isna(), "withheld")
    cells["_reason"] = reason
    margins["suppressed"] = pd.Series(None, index=margins.index, dtype="object").where(~margin_withheld, "withheld")
    for frame in (cells, margins):
        frame[COUNT_COLUMNS] = frame[COUNT_COLUMNS].astype("Float64")
        frame.loc[frame["suppressed"].notna(), COUNT_COLUMNS] = pd.NA
    return cells, margins


def _publish(
    con: duckdb.DuckDBPyConnection, cells: pd.DataFrame, margins: pd.DataFrame, source_id: str, synthetic: bool
) -> None:
    for table, frame in (("case_requests_monthly", cells), ("case_requests_monthly_platform", margins)):
        frame = frame.assign(source_id=source_id, synthetic=synthetic)
        columns = [r[0] for r in con.execute(f"DESCRIBE {quote(table)}").fetchall()]
        con.register("case_out", frame[columns])
        con.execute(f"INSERT INTO {quote(table)} SELECT * FROM case_out")  # noqa: S608 (fixed table names)
        con.unregister("case_out")
