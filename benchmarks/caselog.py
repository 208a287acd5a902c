"""Case-log ETL against DuckDB's bare GROUP BY and pandas: generated logs, CSV and Parquet, median of 5.

``python -m benchmarks.caselog`` (also run by ``make bench``); sizes and runs from BENCH_CASELOG_SIZES
(default ``1000000,10000000``) and BENCH_CASELOG_RUNS (default 5). Each run is its own process
(``benchmarks/caselog_run.py``), the three modes in turn, so every round pairs runs made under the same load.
Two figures per run: the work itself (timed inside the process, from the file to the published tables) and
the whole process (timed from outside: start-up, imports and set-up included). Writes its own section of
docs/BENCHMARKS.md.
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.report import run_in_fresh_process, write_section  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_CASELOG_SIZES", "1000000,10000000").split(",") if n]
RUNS = int(os.environ.get("BENCH_CASELOG_RUNS", "5"))
MODES = ("etl", "duckdb", "pandas")
FOLDER = ROOT / "bench-output"


def log_path(rows: int, suffix: str) -> Path:
    """The generated log (seed 1) of ``rows`` rows, written once and kept in bench-output/."""
    from etl.caselog_generate import generate

    path = FOLDER / f"caselog-{rows}.{suffix}"
    if not path.exists():
        generate(rows, 1, path)
    return path


def measure(mode: str, path: Path) -> dict:
    """One run in a fresh process: the work as timed inside it, the whole process as timed from here."""
    return run_in_fresh_process("benchmarks.caselog_run", mode, str(path))


def paired(runs: dict[str, list[dict]], a: str, b: str, figure: str) -> float:
    return statistics.median(x[figure] / y[figure] for x, y in zip(runs[a], runs[b], strict=True))


def bench() -> list[dict]:
    results = []
    for rows in SIZES:
        for suffix in ("csv", "parquet"):
            path = log_path(rows, suffix)
            for mode in MODES:
                measure(mode, path)  # warm-up: the file in the page cache, the code compiled
            runs: dict[str, list[dict]] = {mode: [] for mode in MODES}
            for _ in range(RUNS):
                for mode in MODES:
                    runs[mode].append(measure(mode, path))
            results.append(
                {
                    "rows": rows,
                    "format": suffix,
                    "work": {m: statistics.median(r["seconds"] for r in v) for m, v in runs.items()},
                    "whole": {m: statistics.median(r["whole"] for r in v) for m, v in runs.items()},
                    "peak": {m: max(r["peak_mib"] for r in v) for m, v in runs.items()},
                    "etl_over_duckdb": paired(runs, "etl", "duckdb", "seconds"),
                    "etl_over_duckdb_whole": paired(runs, "etl", "duckdb", "whole"),
                    "etl_over_pandas": paired(runs, "etl", "pandas", "seconds"),
                    "etl_over_pandas_whole": paired(runs, "etl", "pandas", "whole"),
                }
            )
    return results


def report(results: list[dict]) -> str:
    sizes = ",".join(str(n) for n in SIZES)
    lines = [
        f"## Case-log ETL (median of {RUNS}, each run its own process, modes in turn)",
        "",
        f"Command: `BENCH_CASELOG_SIZES={sizes} BENCH_CASELOG_RUNS={RUNS} python -m benchmarks.caselog` "
        "(also part of `make bench`). Generated logs (`python -m etl generate-caselog --rows N --seed 1`), "
        "each mode run once unmeasured first. **etl**: the project's validation, identifier removal, "
        "aggregation, disclosure control and the writing of the published tables (`etl/caselog/`); "
        "**duckdb**: a bare `GROUP BY` of the same file, dimensions and figures (request counts by status, "
        "both quantiles from one `quantile_cont` over `[0.5, 0.9]`, the shares answered within 24 h and "
        "72 h), no validation, DuckDB's own CSV type detection; **pandas**: "
        '`read_csv(engine="pyarrow")` (or `read_parquet`) + `groupby`.',
        "",
        "**work** is timed inside each process, from the file to the result; **whole** is the whole process "
        "timed from outside, start-up, imports and set-up included (for etl: Python, pandas and the project's "
        "modules, the reference tables, the output database). Ratios are medians of the ratios of runs made "
        "in the same round. Targets: etl within 1.5 × duckdb, faster than pandas, peak memory under 1.5 GiB "
        "at 10M rows, linear growth.",
        "",
        "| rows | format | etl work s | duckdb work s | pandas work s | etl ÷ duckdb, work | etl whole s "
        "| duckdb whole s | etl ÷ duckdb, whole | etl ÷ pandas, work | etl peak MiB | duckdb peak MiB "
        "| pandas peak MiB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        w, t, p = r["work"], r["whole"], r["peak"]
        lines.append(
            f"| {r['rows']:,} | {r['format']} | {w['etl']:.2f} | {w['duckdb']:.2f} | {w['pandas']:.2f} | "
            f"**{r['etl_over_duckdb']:.2f}** | {t['etl']:.2f} | {t['duckdb']:.2f} | "
            f"**{r['etl_over_duckdb_whole']:.2f}** | {r['etl_over_pandas']:.2f} | {p['etl']:.0f} | "
            f"{p['duckdb']:.0f} | {p['pandas']:.0f} |"
        )
    by = {(r["rows"], r["format"]): r["work"]["etl"] for r in results}
    if len(SIZES) >= 2:
        small, large = min(SIZES), max(SIZES)
        for fmt in ("csv", "parquet"):
            if (small, fmt) in by and (large, fmt) in by:
                lines.append(
                    f"\nGrowth ({fmt}): {large // small}× the rows took {by[large, fmt] / by[small, fmt]:.1f}× the time."
                )
    return "\n".join(lines)


def main() -> None:
    if SIZES:
        write_section("caselog", report(bench()))


if __name__ == "__main__":
    main()
