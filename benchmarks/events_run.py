"""One timed event-export run in its own process: ``python -m benchmarks.events_run MODE FILE``.

Modes: ``etl`` (the project's reading, checks, mapping and monthly aggregation, ``etl/incident_events/``)
and ``scan`` (DuckDB's bare scan of the same file: every column read, no checks, the floor for any tool
that reads the whole file). Prints one JSON line: seconds for the work itself and peak resident memory.
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

REFERENCE_TABLES = ("regions", "region_aliases", "militant_groups", "group_aliases", "event_type_map")
OUTPUT_TABLES = ("incident_events_monthly", "incident_events_info", "incident_events_unmapped")


def run_etl(path: Path) -> float:
    from etl import incident_events
    from etl.contracts import load_contract
    from etl.paths import DATA_DIR
    from etl.provenance import read_provenance
    from etl.readers import read_csv_text

    with tempfile.TemporaryDirectory() as scratch:
        con = duckdb.connect(str(Path(scratch) / "bench.duckdb"))
        for name in REFERENCE_TABLES:
            con.execute(load_contract(name).create_table_sql())
            frame = read_csv_text(DATA_DIR / "reference" / f"{name}.csv").frame.drop(columns=["_line"])
            con.register("ref", frame)
            con.execute(f'INSERT INTO "{name}" SELECT * FROM ref')  # noqa: S608 (fixed names)
            con.unregister("ref")
        for name in OUTPUT_TABLES:
            con.execute(load_contract(name).create_table_sql())
        start = time.perf_counter()
        incident_events.aggregate(con, read_provenance(path))
        elapsed = time.perf_counter() - start
        con.close()
    return elapsed


def run_scan(path: Path) -> float:
    con = duckdb.connect()
    reader = (
        "read_parquet($path)" if path.suffix == ".parquet" else "read_csv($path, header = true, all_varchar = true)"
    )
    start = time.perf_counter()
    con.execute(f"CREATE TEMP TABLE scanned AS SELECT * FROM {reader}", {"path": str(path)})  # noqa: S608
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


if __name__ == "__main__":
    mode, file = sys.argv[1], Path(sys.argv[2])
    seconds = {"etl": run_etl, "scan": run_scan}[mode](file)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"mode": mode, "seconds": seconds, "peak_mib": peak_mib}))
