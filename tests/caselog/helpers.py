"""Helpers for the case-log tests: writing logs with provenance, building, reading what was published."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from etl import caselog
from etl.build import BuildResult, run
from etl.caselog import CaseLogResult
from etl.provenance import rehash
from etl.publish import current_database

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
REFERENCE_TABLES = ("platforms", "platform_aliases", "categories", "category_map")

HEADER = [
    "request_id",
    "sent_at",
    "platform",
    "category",
    "linked_group",
    "origin_country",
    "requester",
    "target_kind",
    "target",
    "status",
    "responded_at",
]
COUNTS = ["requests", "actioned", "partial", "rejected", "pending"]
FIGURES = [
    *COUNTS,
    "response_hours_p50",
    "response_hours_p90",
    "answered_within_24h_pct",
    "answered_within_72h_pct",
]
CELL_KEY = ["month", "platform_id", "category_id", "linked_group", "origin_country", "requester", "target_kind"]
GROUP_KEY = ["month", "platform_id"]


def make_reference_dir(dst: Path) -> Path:
    """A data dir holding only the reference tables the case log is mapped through (a fast build)."""
    (dst / "reference").mkdir(parents=True, exist_ok=True)
    for name in REFERENCE_TABLES:
        for suffix in (".csv", ".csv.provenance.json"):
            shutil.copy(DATA_DIR / "reference" / f"{name}{suffix}", dst / "reference" / f"{name}{suffix}")
    return dst


def write_provenance(path: Path, source_id: str, synthetic: bool | None = None) -> Path:
    meta = {
        "source_id": source_id,
        "file": path.name,
        "layout": "case_log",
        "publisher": "Test agency (hand-written case log)",
        "title": f"Hand-written case log {source_id}",
        "url": "",
        "licence": "CC0 1.0 (test data)",
        "retrieved": "2025-01-01",
        "published": "",
        "measures": "Removal requests written by hand for tests.",
        "sha256": "to be recorded",
    }
    if synthetic is not None:
        meta["synthetic"] = synthetic
    path.with_name(path.name + ".provenance.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    rehash(path)
    return path


def csv_text(rows: Iterable[Sequence], header: Sequence[str] = HEADER) -> str:
    """RFC 4180 CSV text (\\n line ends); None becomes an empty field."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def write_csv_log(path: Path, rows: Iterable[Sequence], source_id: str | None = None, header=HEADER) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(rows, header), encoding="utf-8")
    return write_provenance(path, source_id or path.stem)


def write_text_log(path: Path, text: str | bytes, source_id: str | None = None) -> Path:
    """A log written byte for byte (for files a CSV writer would never produce)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return write_provenance(path, source_id or path.stem)


def write_parquet_log(path: Path, rows: Iterable[Sequence], source_id: str | None = None) -> Path:
    rows = list(rows)
    columns = {name: [None if r[i] in (None, "") else str(r[i]) for r in rows] for i, name in enumerate(HEADER)}
    pq.write_table(pa.table({n: pa.array(v, type=pa.string()) for n, v in columns.items()}), path)
    return write_provenance(path, source_id or path.stem)


def iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


def answered_after(sent: str, hours: float | None) -> str | None:
    """responded_at, ``hours`` after ``sent`` (ISO text; no offset means UTC), written in UTC with Z."""
    if hours is None:
        return None
    start = datetime.fromisoformat(sent)
    start = start.replace(tzinfo=UTC) if start.tzinfo is None else start.astimezone(UTC)
    return iso(start + timedelta(hours=hours))


def build(out: Path, logs: Sequence[Path], data_dir: Path, k: int = 5, strict: bool = False) -> BuildResult:
    return run(out, case_logs=list(logs), k=k, strict=strict, data_dir=data_dir)


def check(log: Path, k: int = 5) -> CaseLogResult:
    """The log through the build's own reading, checks and aggregation (``etl.caselog.aggregate``, run by
    ``etl.caselog.check`` as ``python -m etl validate`` runs it: in memory, mapped through the shipped reference
    tables), nothing published: for a test of which rows are refused and how many are counted, where the
    published tables are not what is tested."""
    return caselog.check(log, k)


def connect(out: Path) -> duckdb.DuckDBPyConnection:
    database = current_database(out)
    assert database is not None, f"nothing was published in {out}"
    return duckdb.connect(str(database), read_only=True)


def table(out: Path, name: str, source_id: str | None = None) -> pd.DataFrame:
    """A published table as a DataFrame (months as ``datetime64``), optionally one source only."""
    con = connect(out)
    try:
        frame = con.execute(f'SELECT * FROM "{name}"').df()
    finally:
        con.close()
    if source_id is not None:
        frame = frame[frame["source_id"] == source_id].reset_index(drop=True)
    for column in ("month", "first_month", "last_month"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column])
    return frame


def run_cli(*args: str, timeout: float = 300, cwd: Path = PROJECT_ROOT) -> subprocess.CompletedProcess:
    """``python -m etl ARGS`` in ``cwd`` (a copy of the project reads its own data/: ``copy_project``)."""
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("DASHBOARD_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=timeout,
    )


def start_cli(*args: str, cwd: Path = PROJECT_ROOT) -> subprocess.Popen:
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("DASHBOARD_DATA_DIR", None)
    return subprocess.Popen(
        [sys.executable, "-m", "etl", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


# --- reference mapping (for recomputing figures from an input log with pandas) ----------------------


def label_maps() -> tuple[dict[str, str], dict[str, str]]:
    """Case-insensitive platform and category labels → ids, read from the shipped reference CSVs."""
    platforms = pd.read_csv(DATA_DIR / "reference" / "platforms.csv", dtype=str)
    aliases = pd.read_csv(DATA_DIR / "reference" / "platform_aliases.csv", dtype=str)
    categories = pd.read_csv(DATA_DIR / "reference" / "categories.csv", dtype=str)
    category_map = pd.read_csv(DATA_DIR / "reference" / "category_map.csv", dtype=str, keep_default_na=False)
    platform_map = {a.lower(): p for a, p in zip(aliases["alias"], aliases["platform_id"], strict=True)}
    platform_map |= {p.lower(): p for p in platforms["platform_id"]}
    platform_map |= {n.lower(): p for n, p in zip(platforms["name"], platforms["platform_id"], strict=True)}
    case_rows = category_map[category_map["source_kind"] == "case_log"]
    cat_map = {lbl.lower(): c for lbl, c in zip(case_rows["source_label"], case_rows["category_id"], strict=True)}
    cat_map |= {c.lower(): c for c in categories["category_id"]}
    return platform_map, cat_map


def recompute_cells(log: pd.DataFrame) -> pd.DataFrame:
    """True request counts per cell from a clean input log (every row valid), with pandas."""
    platform_map, cat_map = label_maps()
    sent = pd.to_datetime(log["sent_at"], utc=True, format="ISO8601")
    frame = pd.DataFrame(
        {
            "month": sent.dt.tz_localize(None).dt.to_period("M").dt.to_timestamp(),
            "platform_id": log["platform"].str.strip().str.lower().map(platform_map),
            "category_id": log["category"].str.strip().str.lower().map(cat_map),
            "linked_group": log["linked_group"],
            "origin_country": log["origin_country"],
            "requester": log["requester"],
            "target_kind": log["target_kind"],
            "status": log["status"],
        }
    )
    assert frame.notna().all().all(), "the recomputation could not map every row"
    counts = pd.crosstab(
        [frame[c] for c in CELL_KEY], frame["status"], rownames=CELL_KEY, colnames=["status"]
    ).reset_index()
    for status in ("actioned", "partial", "rejected", "pending"):
        if status not in counts:
            counts[status] = 0
    counts["requests"] = counts[["actioned", "partial", "rejected", "pending"]].sum(axis=1)
    counts.columns.name = None
    return counts[[*CELL_KEY, *COUNTS]]


# --- disclosure checks ------------------------------------------------------------------------------


def equations(cells: pd.DataFrame, margins: pd.DataFrame, grand_total: int | None = None):
    """What an attacker knows: withheld cells' requests are unknowns; every published total minus the
    published cells under it is one linear equation. Returns (A, b, withheld cells)."""
    withheld = cells[cells["suppressed"].notna()].reset_index(drop=True)
    published = cells[cells["suppressed"].isna()]
    rows, rhs = [], []
    for margin in margins[margins["suppressed"].isna()].itertuples(index=False):
        in_group = (withheld["month"] == margin.month) & (withheld["platform_id"] == margin.platform_id)
        shown = published[(published["month"] == margin.month) & (published["platform_id"] == margin.platform_id)]
        if in_group.any():
            rows.append(in_group.to_numpy(dtype=float))
            rhs.append(float(margin.requests) - float(shown["requests"].sum()))
    if grand_total is not None and len(withheld):
        rows.append(np.ones(len(withheld)))
        rhs.append(float(grand_total) - float(published["requests"].sum()))
    a = np.array(rows, dtype=float).reshape(len(rows), len(withheld))
    return a, np.array(rhs), withheld


def determined_by_rank(a: np.ndarray) -> np.ndarray:
    """e_i is in the row space of A exactly when adding it as a row does not raise the rank."""
    n = a.shape[1]
    if a.shape[0] == 0:
        return np.zeros(n, dtype=bool)
    base = np.linalg.matrix_rank(a)
    return np.array([np.linalg.matrix_rank(np.vstack([a, np.eye(n)[i]])) == base for i in range(n)])


def determined_by_projection(a: np.ndarray) -> np.ndarray:
    """The same test for large systems: e_i is in the row space iff the orthogonal projector onto the
    row space keeps it whole (P_ii = 1). An orthonormal basis of the row space comes from the
    eigenvectors of the small Gram matrix A·Aᵀ (one equation per published total)."""
    n = a.shape[1]
    if a.shape[0] == 0 or n == 0:
        return np.zeros(n, dtype=bool)
    eigenvalues, vectors = np.linalg.eigh(a @ a.T)
    keep = eigenvalues > eigenvalues.max() * max(a.shape) * np.finfo(float).eps * 10
    basis = (vectors[:, keep].T @ a) / np.sqrt(eigenvalues[keep])[:, None]
    return (basis**2).sum(axis=0) > 1 - 1e-9


# --- searching outputs for identifiers --------------------------------------------------------------


def literal_set_regex(values: Iterable[str]) -> re.Pattern[bytes]:
    """One regex matching any of ``values`` (UTF-8 bytes), built as a trie so 40,000 literals stay fast."""
    trie: dict = {}
    for value in values:
        node = trie
        for byte in value.encode("utf-8"):
            node = node.setdefault(byte, {})
        node[None] = True

    def pattern(node: dict) -> bytes:
        ends = None in node
        branches = [
            re.escape(bytes([b])) + pattern(child) for b, child in sorted(node.items(), key=_key) if b is not None
        ]
        if not branches:
            return b""
        body = branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"
        return b"(?:" + body + b")?" if ends else body

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20000))
    try:
        return re.compile(pattern(trie))
    finally:
        sys.setrecursionlimit(limit)


def _key(item):
    return -1 if item[0] is None else item[0]


def database_text(path: Path) -> bytes:
    """Every value of every table of a DuckDB file, cast to text, as one UTF-8 blob."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        parts = []
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        for name in tables:
            columns = [r[0] for r in con.execute(f'DESCRIBE "{name}"').fetchall()]
            select = ", ".join(f'CAST("{c}" AS VARCHAR)' for c in columns)
            for row in con.execute(f'SELECT {select} FROM "{name}"').fetchall():
                parts.append("\x1f".join("" if v is None else v for v in row))
        return "\n".join(parts).encode("utf-8")
    finally:
        con.close()
