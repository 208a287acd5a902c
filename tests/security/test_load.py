"""The load harness's short form: a few real websocket sessions against a real server, none may fail.

The full form (10, 25 and 50 sessions, a soak) runs in ``make bench``; see docs/BENCHMARKS.md.
"""

from __future__ import annotations

import random

import pytest

import benchmarks.report
from benchmarks.load import PAGES, StreamlitSession, report_markdown, run_coroutine, run_load, serve
from tests.browser.conftest import OUTPUT

SESSIONS, THINK, ACTIONS = 5, (0.2, 0.8), 10


@pytest.fixture(scope="module")
def server(published_dir):
    """One server for this module's sessions (each test opens its own sessions on it)."""
    with serve(published_dir, log=OUTPUT / "streamlit-load.log") as (url, process):
        yield url, process


def test_five_sessions_for_five_seconds_do_not_fail(server):
    """Readers who click every 0.2–0.8 s for 5 s: at least as many page runs as the benchmark's pace (2–6 s)
    gives in 20 s, in a quarter of the time. On a machine so busy that a page takes seconds, the readers read
    for longer (up to 30 s), so that the same number of page runs is asked of them whatever else is running."""
    url, process = server
    # The warm-up (every page opened at once, as the first readers after a restart) also times a page run now.
    warm = run_load(url, sessions=len(PAGES), seconds=0, think=(0, 0), ramp=0)
    assert warm["failed_sessions"] == 0, warm["failures"]
    pace = warm["page_ready_p50"] + sum(THINK) / 2  # seconds per action of one reader, on this machine now
    seconds = min(30.0, max(5.0, 2 * ACTIONS * pace / SESSIONS))  # time for twice the bar at that pace
    result = run_load(url, sessions=SESSIONS, seconds=seconds, think=THINK, server_pid=process.pid)
    assert result["failed_sessions"] == 0, result["failures"]
    assert result["actions"] >= ACTIONS, f"the sessions did too little to mean anything in {seconds:.0f} s"
    assert result["by_kind"]["filter"]["n"] >= 1 and result["by_kind"]["page"]["n"] >= 1
    assert result["server_cpu_cores"] > 0 and result["server_rss_peak_mib"] > 50


def test_a_session_really_runs_the_script_and_a_filter_change_reruns_it(server):
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

    first, changed = run_coroutine(visit(server[0]))
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
