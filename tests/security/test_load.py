"""The load harness's short form: a few real websocket sessions against a real server, none may fail.

The full form (10, 25 and 50 sessions, a soak) runs in ``make bench``; see docs/BENCHMARKS.md.
"""

from __future__ import annotations

import random

import benchmarks.report
from benchmarks.load import StreamlitSession, report_markdown, run_coroutine, run_load, serve, warm_up
from tests.browser.conftest import OUTPUT


def test_five_sessions_for_five_seconds_do_not_fail(published_dir):
    """Readers who click every 0.2–0.8 s for 5 s: at least as many page runs as the benchmark's pace (2–6 s)
    gives in 20 s, in a quarter of the time."""
    with serve(published_dir, log=OUTPUT / "streamlit-load.log") as (url, server):
        warm_up(url)
        result = run_load(url, sessions=5, seconds=5, think=(0.2, 0.8), server_pid=server.pid)
    assert result["failed_sessions"] == 0, result["failures"]
    assert result["actions"] >= 10, "the sessions did too little to mean anything"
    assert result["by_kind"]["filter"]["n"] >= 1 and result["by_kind"]["page"]["n"] >= 1
    assert result["server_cpu_cores"] > 0 and result["server_rss_peak_mib"] > 50


def test_a_session_really_runs_the_script_and_a_filter_change_reruns_it(published_dir):
    """The harness is only worth its figures if its sessions draw the real page and change it."""

    async def visit(url):
        session = StreamlitSession(url)
        await session.open()
        try:
            first = await session.page("requests")
            changed = await session.change(random.Random(3))
        finally:
            await session.close()
        return first, changed

    with serve(published_dir) as (url, _):
        first, changed = run_coroutine(visit(url))
    assert first.elements > 50 and not first.exceptions
    assert changed is not None and changed.elements > 50


def test_the_report_section_replaces_only_itself(tmp_path, monkeypatch):
    path = tmp_path / "BENCHMARKS.md"
    monkeypatch.setattr(benchmarks.report, "REPORT", path)
    path.write_text("# Benchmarks\n\n## ETL\n\nfigures\n", encoding="utf-8")
    level = {
        "sessions": 5,
        "seconds": 20,
        "actions": 30,
        "failed_sessions": 0,
        "failures": [],
        "page_ready_p50": 0.5,
        "page_ready_p95": 1.0,
        "page_ready_max": 1.2,
    }
    report = {"levels": [level], "soak": [], "think_seconds": [2, 6]}
    benchmarks.report.write_section("load", report_markdown(report, "python -m benchmarks.load"))
    benchmarks.report.write_section("load", report_markdown({**report, "levels": [{**level, "actions": 31}]}, "x"))
    text = path.read_text(encoding="utf-8")
    assert text.count("## Load:") == 1 and "| 31 |" in text and "| 30 |" not in text
    assert text.startswith("# Benchmarks\n\n## ETL\n\nfigures\n")
