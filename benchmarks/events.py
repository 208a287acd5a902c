"""Event exports through the ETL: a 1M-row file in each layout, median of 5, against DuckDB's bare scan.

``python -m benchmarks.events`` (also run by ``make bench``); sizes and runs from BENCH_EVENTS_ROWS and
BENCH_EVENTS_RUNS. Writes its own section of docs/BENCHMARKS.md.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.report import run_in_fresh_process, write_section  # noqa: E402

ROWS = int(os.environ.get("BENCH_EVENTS_ROWS", "1000000"))
RUNS = int(os.environ.get("BENCH_EVENTS_RUNS", "5"))
DATASETS = ("acled", "ucdp_ged", "gtd")


def measure(path: Path, mode: str) -> dict:
    """One run in a fresh process (cold imports, no cache shared with other runs)."""
    return run_in_fresh_process("benchmarks.events_run", mode, str(path))


def bench() -> list[dict]:
    folder = ROOT / "bench-output"
    results = []
    for dataset in DATASETS:
        path = folder / f"events-{dataset}-{ROWS}.csv"
        if not path.exists():  # in its own process: a child would inherit this one's peak memory otherwise
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "etl",
                    "generate-events",
                    "--dataset",
                    dataset,
                    "--rows",
                    str(ROWS),
                    "--seed",
                    "1",
                    "--out",
                    str(path),
                ],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
        runs = {"etl": [], "scan": []}
        for _ in range(RUNS):  # alternated, so drift in the machine's speed hits both alike
            for mode in runs:
                runs[mode].append(measure(path, mode))
        seconds = {m: statistics.median(r["seconds"] for r in rs) for m, rs in runs.items()}
        ratios = statistics.median(e["seconds"] / s["seconds"] for e, s in zip(runs["etl"], runs["scan"], strict=True))
        results.append(
            {
                "dataset": dataset,
                "rows": ROWS,
                "mib": path.stat().st_size / 2**20,
                "seconds": seconds,
                "ratio": ratios,
                "peak": {m: max(r["peak_mib"] for r in rs) for m, rs in runs.items()},
            }
        )
    return results


def report(results: list[dict]) -> str:
    lines = [
        f"## Event exports: {ROWS:,} rows per layout through the ETL (median of {RUNS})",
        "",
        "Command: `make bench` (or `python -m benchmarks.events`; `BENCH_EVENTS_ROWS`, `BENCH_EVENTS_RUNS`). "
        "Illustrative files with each dataset's exact header (`python -m etl generate-events --rows N --seed 1`), "
        "CSV. **etl**: reading the needed columns, the checks, group / province / type mapping and the monthly "
        "aggregation (`etl/incident_events/`); **scan**: DuckDB reading every column of the same file into a "
        "table, no checks. Each run in its own process, the two alternated; the ratio is the median of the "
        "pairwise ratios.",
        "",
        "| layout | file MiB | etl s | scan s | etl ÷ scan | etl peak MiB | scan peak MiB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['dataset']} | {r['mib']:.0f} | {r['seconds']['etl']:.2f} | {r['seconds']['scan']:.2f} | "
            f"{r['ratio']:.2f} | {r['peak']['etl']:.0f} | {r['peak']['scan']:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    write_section("events", report(bench()))


if __name__ == "__main__":
    main()
