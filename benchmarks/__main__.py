"""Run every benchmark and rewrite docs/BENCHMARKS.md.

Timings on shared machines are noisy, so each figure is a median (or p50/p95) over repeated runs, and each
is given next to a baseline measured in the same run (an empty Streamlit page, a ``SELECT 1``), so the ratio
means something from one machine to the next.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from benchmarks.report import percentile  # noqa: E402
from etl.build import run as build  # noqa: E402
from etl.paths import DATA_DIR_ENV  # noqa: E402
from etl.publish import current_database  # noqa: E402

BUILD_RUNS, PAGE_RUNS, QUERY_RUNS = 5, 10, 50
PAGES = ["overview", "requests", "responsiveness", "incidents", "data", "about"]
# Each query with the parameters the pages use by default.
QUERIES = {
    "google_totals": {"countries": ["PK"], "year_from": 2009, "year_to": 2025},
    "google_by_requester": {"country": "PK", "year_from": 2021, "year_to": 2025},
    "google_by_product": {"country": "PK", "year_from": 2021, "year_to": 2025},
    "google_by_category": {
        "country": "PK",
        "categories": ["national_security", "religious", "other"],
        "year_from": 2021,
        "year_to": 2025,
    },
    "google_country_ranking": {"year_from": 2021, "year_to": 2025},
    "platform_reports": {
        "platforms": ["x", "tiktok", "meta", "facebook", "instagram"],
        "year_from": 2009,
        "year_to": 2026,
    },
    "pta_by_platform": {
        "platforms": ["facebook", "x", "youtube", "tiktok", "instagram"],
        "year_from": 2009,
        "year_to": 2026,
    },
    "pta_by_category": {
        "categories": ["national_security", "religious", "decency"],
        "year_from": 2009,
        "year_to": 2026,
    },
    "compliance_rates": {"platforms": ["google", "x", "tiktok"], "year_from": 2009, "year_to": 2026},
    "ledger_regulator": {"platforms": ["facebook", "x", "youtube", "tiktok"], "as_of_limit": "2026-12-31"},
    "ledger_platform": {"platforms": ["facebook", "x", "youtube", "tiktok"], "as_of_limit": "2026-12-31"},
    "incidents_national": {"source_orgs": ["PIPS", "PICSS", "SATP"], "year_from": 2009, "year_to": 2026},
    "incidents_by_province": {"source_org": "PIPS", "year": 2025, "provinces": []},
    "events": {"kinds": ["law", "platform_ban", "platform_restored"]},
}


def bench_build(out: Path) -> dict[str, float]:
    stages: dict[str, list[float]] = {}
    totals = []
    for run_number in range(BUILD_RUNS):
        target = (
            out / f"run-{run_number}"
        )  # a fresh folder: an existing release is not rewritten, so would cost nothing
        start = time.perf_counter()
        result = build(target)
        totals.append(time.perf_counter() - start)
        for stage, seconds in result.stage_seconds.items():
            stages.setdefault(stage, []).append(seconds)
    return {"total": statistics.median(totals), **{k: statistics.median(v) for k, v in stages.items()}}


def bench_build_process(out: Path) -> dict[str, float]:
    """``python -m etl build`` as a whole process (start-up included) against importing the code only."""
    import resource
    import subprocess

    def timed(command: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start

    def build_cmd(i: int) -> list[str]:  # a fresh folder each time, so the release is really written
        return [sys.executable, "-m", "etl", "build", "--quiet", "--out", str(out / f"p{i}")]

    import_cmd = [sys.executable, "-c", "import etl.build, dashboard.charts"]
    timed(build_cmd(-1))  # warm-up
    pairs = [(timed(build_cmd(i)), timed(import_cmd)) for i in range(BUILD_RUNS)]
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "build": statistics.median(a for a, _ in pairs),
        "import": statistics.median(b for _, b in pairs),
        "ratio": statistics.median(a / b for a, b in pairs),
        "peak_mib": peak_mib,
    }


def bench_queries(database: Path) -> dict[str, tuple[float, float]]:
    from dashboard.db import sql_text

    con = duckdb.connect(str(database), read_only=True, config={"enable_external_access": False, "threads": 2})
    results = {}
    for name, params in {"baseline: SELECT 1": None, **QUERIES}.items():
        times = []
        for _ in range(QUERY_RUNS):
            cursor = con.cursor()
            start = time.perf_counter()
            if params is None:
                cursor.execute("SELECT 1").fetchall()
            else:
                cursor.execute(sql_text(name), params).df()
            times.append(time.perf_counter() - start)
            cursor.close()
        results[name] = (percentile(times, 0.5), percentile(times, 0.95))
    con.close()
    return results


def bench_pages() -> dict[str, float]:
    from streamlit.testing.v1 import AppTest

    results = {}
    baseline = [AppTest.from_string("import streamlit as st\nst.write('baseline')") for _ in range(PAGE_RUNS + 1)]
    times = []
    for app in baseline:
        start = time.perf_counter()
        app.run()
        times.append(time.perf_counter() - start)
    results["baseline: one-line page"] = statistics.median(times[1:])
    for page in PAGES:
        app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
        app.switch_page(f"app_pages/{page}.py")
        app.run()  # warm: caches filled, modules imported
        times = []
        for _ in range(PAGE_RUNS):
            start = time.perf_counter()
            app.run()
            times.append(time.perf_counter() - start)
        results[page] = statistics.median(times)
    return results


# The case-log benchmark (etl vs bare DuckDB vs pandas) is benchmarks/caselog.py: its own section of the report,
# and `python -m benchmarks.caselog` runs it alone. Its generated logs are reused for the release export below.
from benchmarks.caselog import SIZES as CASE_LOG_SIZES  # noqa: E402


def bench_release_with_case_log() -> dict | None:
    """Export stage (the open-data release) of a build that includes the 10M-row case log's aggregates."""
    path = ROOT / "bench-output" / f"caselog-{max(CASE_LOG_SIZES)}.parquet" if CASE_LOG_SIZES else None
    if path is None or not path.exists():
        return None
    exports, cells = [], 0
    for _ in range(3):
        with tempfile.TemporaryDirectory() as tmp:
            result = build(Path(tmp), case_logs=[path])
            exports.append(result.stage_seconds["export"])
            cells = result.case_logs[0].cells
    return {"rows": max(CASE_LOG_SIZES), "cells": cells, "export": statistics.median(exports)}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        build_times = bench_build(out)
        process = bench_build_process(out / "process")
        database = current_database(out / "run-0")
        out = out / "run-0"
        os.environ[DATA_DIR_ENV] = str(out)
        query_times = bench_queries(database)
        page_times = bench_pages()
    from benchmarks import caselog

    caselog.main()
    release = bench_release_with_case_log()
    write_report(build_times, process, query_times, page_times, release)
    if os.environ.get("BENCH_EVENTS_ROWS", "1000000") != "0":
        from benchmarks import events

        events.main()
    if os.environ.get("BENCH_PROXY", "1") != "0":  # BENCH_PROXY=0 skips the deployment's load test (minutes)
        from benchmarks import proxy
        from deploy.render import find_nginx

        if find_nginx():
            proxy.main([])
        else:
            print("nginx is not installed: the proxy benchmark is skipped (sudo apt-get install nginx)")
    print((ROOT / "docs" / "BENCHMARKS.md").read_text(encoding="utf-8"))


def write_report(build_times, process, query_times, page_times, release=None) -> None:
    base_q = query_times["baseline: SELECT 1"][0]
    base_p = page_times["baseline: one-line page"]
    lines = [
        "# Benchmarks",
        "",
        f"Produced by `make bench` (`python -m benchmarks`) on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, DuckDB {duckdb.__version__}. "
        "Medians and percentiles over repeated runs; ratios are against a baseline measured in the same run.",
        "",
        f"## ETL: full build of the shipped data (median of {BUILD_RUNS})",
        "",
        "| stage | seconds | share of total |",
        "|---|---:|---:|",
    ]
    total = build_times["total"]
    for stage in ("read", "validate", "load", "export", "publish"):
        if stage in build_times:
            lines.append(f"| {stage} | {build_times[stage]:.3f} | {100 * build_times[stage] / total:.0f} % |")
    lines += [
        f"| **total** | **{total:.3f}** | 100 % |",
        "",
        f"As a whole process (`python -m etl build --quiet`, median of {BUILD_RUNS}, start-up included): "
        f"**{process['build']:.2f} s**, {process['ratio']:.1f} × the time to start Python and import the code "
        f"({process['import']:.2f} s) in the same run; peak memory {process['peak_mib']:.0f} MiB.",
        "",
        f"## Pages: server-side render, warm (AppTest, median of {PAGE_RUNS})",
        "",
        "Target: every page under 0.5 s.",
        "",
        "| page | seconds | × baseline | under 0.5 s |",
        "|---|---:|---:|:---:|",
    ]
    for page, seconds in page_times.items():
        ok = "" if page.startswith("baseline") else ("yes" if seconds < 0.5 else "**no**")
        lines.append(f"| {page} | {seconds:.3f} | {seconds / base_p:.1f} | {ok} |")
    lines += [
        "",
        f"## Queries on the published file (p50 / p95 over {QUERY_RUNS} runs, uncached)",
        "",
        "Target: every query p95 under 50 ms.",
        "",
        "| query | p50 ms | p95 ms | p50 × baseline | p95 under 50 ms |",
        "|---|---:|---:|---:|:---:|",
    ]
    for name, (p50, p95) in query_times.items():
        ok = "" if name.startswith("baseline") else ("yes" if p95 < 0.05 else "**no**")
        lines.append(f"| {name} | {1000 * p50:.2f} | {1000 * p95:.2f} | {p50 / base_q:.1f} | {ok} |")
    if release:
        lines += [
            "",
            "## Open-data release export (median of 3)",
            "",
            f"The export stage writes every table as CSV and Parquet, datapackage.json, README, checksums and "
            f"the zip. Shipped data alone: {build_times['export']:.2f} s (table above). With the aggregates of "
            f"a {release['rows']:,}-row case log ({release['cells']:,} monthly cells): **{release['export']:.2f} s**.",
        ]
    (ROOT / "docs").mkdir(exist_ok=True)
    from benchmarks.report import keep_sections

    # sections written by the other benchmarks (events, load …) are kept as they are
    (ROOT / "docs" / "BENCHMARKS.md").write_text(keep_sections("\n".join(lines) + "\n"), encoding="utf-8")


if __name__ == "__main__":
    main()
