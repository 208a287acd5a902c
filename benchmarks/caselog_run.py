"""One timed case-log run in its own process: ``python -m benchmarks.caselog_run MODE FILE``.

Modes: ``etl`` (the project's validation + aggregation + disclosure control, into a database file as the
build writes it), ``duckdb`` (a bare GROUP BY of the same dimensions and figures, no validation) and
``pandas`` (pyarrow CSV reader + groupby). Prints one JSON line: seconds for the work itself (from the
file to the result; for etl the checksum check, the aggregation and the published tables), and the
process's peak resident memory. ``benchmarks/caselog.py`` also times each process as a whole.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

DIMENSIONS = ["platform", "category", "linked_group", "origin_country", "requester", "target_kind"]


def run_etl(path: Path) -> float:
    from etl import caselog
    from etl.contracts import load_contract
    from etl.paths import DATA_DIR
    from etl.provenance import read_provenance
    from etl.readers import read_csv_text

    with tempfile.TemporaryDirectory() as scratch:
        con = duckdb.connect(str(Path(scratch) / "bench.duckdb"))
        for name in ("platforms", "platform_aliases", "categories", "category_map"):
            contract = load_contract(name)
            con.execute(contract.create_table_sql())
            frame = read_csv_text(DATA_DIR / "reference" / f"{name}.csv").frame.drop(columns=["_line"])
            con.register("ref", frame)
            con.execute(f'INSERT INTO "{name}" SELECT * FROM ref')  # noqa: S608 (fixed names)
            con.unregister("ref")
        for name in ("case_requests_monthly", "case_requests_monthly_platform", "case_log_info"):
            con.execute(load_contract(name).create_table_sql())
        start = time.perf_counter()
        caselog.aggregate(con, read_provenance(path))
        elapsed = time.perf_counter() - start
        con.close()
    return elapsed


def run_duckdb(path: Path) -> float:
    """The bare query: the same file, dimensions and figures, no validation, no mapping, DuckDB's own CSV
    type detection. Written as fast as the ETL asks it (both quantiles from one ``quantile_cont`` over a
    list, each expression once), so the ratio measures the ETL's own work, not a slower way of asking."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    reader = "read_parquet($path)" if path.suffix == ".parquet" else "read_csv($path, header = true)"
    start = time.perf_counter()
    con.execute(
        f"""
        CREATE TEMP TABLE result AS
        SELECT month, {", ".join(DIMENSIONS)},
               count(*), count_if(status = 'actioned'), count_if(status = 'partial'), count_if(status = 'rejected'),
               count_if(status = 'pending'), quantile_cont(hours, [0.5, 0.9]),
               100.0 * count_if(hours <= 24) / nullif(count(hours), 0),
               100.0 * count_if(hours <= 72) / nullif(count(hours), 0)
        FROM (
            SELECT date_trunc('month', CAST(sent_at AS TIMESTAMPTZ)) AS month, {", ".join(DIMENSIONS)}, status,
                   epoch(CAST(responded_at AS TIMESTAMPTZ) - CAST(sent_at AS TIMESTAMPTZ)) / 3600 AS hours
            FROM {reader}
        )
        GROUP BY ALL
    """,  # noqa: S608 (fixed text)
        {"path": str(path)},
    )
    return time.perf_counter() - start


def run_pandas(path: Path) -> float:
    import pandas as pd

    start = time.perf_counter()
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
    else:
        frame = pd.read_csv(path, engine="pyarrow")
    sent = pd.to_datetime(frame["sent_at"], utc=True)
    frame["month"] = sent.dt.strftime("%Y-%m")
    frame["hours"] = (pd.to_datetime(frame["responded_at"], utc=True) - sent).dt.total_seconds() / 3600
    for status in ("actioned", "partial", "rejected", "pending"):
        frame[status] = frame["status"] == status
    grouped = frame.groupby(["month", *DIMENSIONS], observed=True)
    grouped.agg(
        requests=("status", "size"),
        actioned=("actioned", "sum"),
        partial=("partial", "sum"),
        rejected=("rejected", "sum"),
        pending=("pending", "sum"),
    )
    grouped["hours"].quantile([0.5, 0.9])
    return time.perf_counter() - start


def main() -> None:
    mode, path = sys.argv[1], Path(sys.argv[2])
    seconds = {"etl": run_etl, "duckdb": run_duckdb, "pandas": run_pandas}[mode](path)
    # VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork + exec on Linux.
    status = Path("/proc/self/status").read_text().splitlines()
    hwm = [line for line in status if line.startswith("VmHWM:")]
    peak_mib = int(hwm[0].split()[1]) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"mode": mode, "seconds": seconds, "peak_mib": peak_mib}))


if __name__ == "__main__":
    main()
