"""Load test: real Streamlit sessions over the websocket, each running the app script, against a base URL.

A session here is what a browser tab is to the server: it opens the websocket, asks for a page (the server
runs the script and streams the page back), then changes filters (each change is a rerun with new widget
values) until the time is up. Browser-side drawing is not included; "page ready" is the time from asking
for a page or a change to the server's "script finished" message, as a browser would receive it.

``run_load(base_url, sessions, seconds)`` drives one load level and returns its figures; the server can be
anything that speaks Streamlit's protocol at ``base_url`` (``streamlit run`` directly, or behind a proxy).
When the server's process id is known (``serve()`` started it, or ``--server-pid``), its CPU time and
memory are sampled from ``/proc``. ``python -m benchmarks.load --help`` for the command line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from benchmarks.report import percentile, write_section
from benchmarks.server import serve

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["overview", "requests", "responsiveness", "incidents", "data", "about"]


# ---------------------------------------------------------------------------------------------------------
# One session: a browser tab's conversation with the server


class SessionFailure(Exception):
    """The server answered with an error, closed the session, or did not finish the page in time."""


def run_coroutine(coroutine):
    """``asyncio.run``, also from a thread whose event loop is already running (as under Playwright's sync API,
    which the test session keeps open): the coroutine then runs on a fresh loop in a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@dataclass
class Widget:
    """A widget the last page drew that a reader can change (the period slider, a switch)."""

    id: str
    kind: str
    low: float = 0
    high: float = 0


@dataclass
class Page:
    """What the server sent for one script run."""

    seconds: float
    elements: int = 0
    exceptions: list[str] = field(default_factory=list)
    widgets: list[Widget] = field(default_factory=list)


class StreamlitSession:
    """One websocket session; ``page()`` and ``change()`` each run the app script once on the server."""

    def __init__(self, base_url: str, timeout: float = 60, keep_messages: bool = False) -> None:
        parsed = urlparse(base_url.rstrip("/"))
        self.received: list[bytes] | None = [] if keep_messages else None  # every message, for tests to inspect
        scheme = "wss" if parsed.scheme == "https" else "ws"
        self.http_url = base_url.rstrip("/")
        self.ws_url = f"{scheme}://{parsed.netloc}{parsed.path}/_stcore/stream"
        self.timeout = timeout
        self.pages: dict[str, str] = {}  # url path → page script hash, from the server's navigation message
        self.page_hash = ""
        self.widgets: list[Widget] = []
        self.states: dict[str, object] = {}
        self._ws = None

    async def open(self) -> None:
        import websockets

        await asyncio.to_thread(self._fetch_index)  # what a browser loads before it opens the websocket
        self._ws = await websockets.connect(
            self.ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=self.timeout, ping_interval=None
        )

    def _fetch_index(self) -> None:
        with urllib.request.urlopen(self.http_url + "/", timeout=self.timeout) as response:
            response.read()

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def page(self, path: str, query: str = "") -> Page:
        """Open the page at ``path`` ("" is the default page), as following a link or the sidebar does."""
        self.states = {}
        return await self._rerun(path, query, self.pages.get(path, ""))

    async def change(self, rng: random.Random) -> Page | None:
        """Change one filter of the current page (a new period, or flip a switch); None if it has none."""
        choices = [w for w in self.widgets if w.kind in ("slider", "toggle")]
        if not choices:
            return None
        widget = rng.choice(choices)
        if widget.kind == "slider":
            first = rng.randint(int(widget.low), int(widget.high))
            self.states[widget.id] = ("slider", [float(first), float(rng.randint(first, int(widget.high)))])
        else:
            previous = self.states.get(widget.id, ("toggle", True))[1]
            self.states[widget.id] = ("toggle", not previous)
        return await self._rerun(None, "", self.page_hash)

    async def _rerun(self, path: str | None, query: str, page_hash: str) -> Page:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.page_script_hash = page_hash
        if path is not None:
            message.rerun_script.page_name = path
        for widget_id, (kind, value) in self.states.items():
            state = message.rerun_script.widget_states.widgets.add()
            state.id = widget_id
            if kind == "slider":
                state.double_array_value.data.extend(value)
            else:
                state.bool_value = value
        started = time.perf_counter()
        await self._ws.send(message.SerializeToString())
        page = Page(seconds=0.0)
        widgets: list[Widget] = []
        try:
            async with asyncio.timeout(self.timeout):
                while True:
                    status = self._read(await self._ws.recv(), page, widgets)
                    if status is not None:
                        break
        except TimeoutError:
            raise SessionFailure(f"no answer within {self.timeout:.0f} s") from None
        except Exception as exc:  # the websocket closed: the server dropped the session
            if isinstance(exc, SessionFailure):
                raise
            raise SessionFailure(f"connection lost: {exc.__class__.__name__}") from None
        page.seconds = time.perf_counter() - started
        if status != "FINISHED_SUCCESSFULLY":
            raise SessionFailure(f"script finished with {status}")
        if page.exceptions:
            raise SessionFailure(f"the page showed an error: {page.exceptions[0][:200]}")
        self.widgets = widgets
        return page

    def _read(self, data: bytes, page: Page, widgets: list[Widget]) -> str | None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if self.received is not None:
            self.received.append(data)
        message = ForwardMsg()
        message.ParseFromString(data)
        kind = message.WhichOneof("type")
        if kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in message.navigation.app_pages}
            self.page_hash = message.navigation.page_script_hash
        elif kind == "page_not_found":
            page.exceptions.append("page not found")
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            page.elements += 1
            which = element.WhichOneof("type")
            if which == "exception":
                page.exceptions.append(f"{element.exception.type}: {element.exception.message}")
            elif which == "slider" and len(element.slider.default) == 2 and not element.slider.options:
                # a numeric range (the period); a select_slider (options) takes its choices as text, not numbers
                widgets.append(Widget(element.slider.id, "slider", element.slider.min, element.slider.max))
            elif which == "checkbox" and element.checkbox.type == 1:  # a switch (st.toggle)
                widgets.append(Widget(element.checkbox.id, "toggle"))
        elif kind == "script_finished":
            name = message.DESCRIPTOR.fields_by_name["script_finished"].enum_type.values_by_number
            status = name[message.script_finished].name
            return None if status == "FINISHED_EARLY_FOR_RERUN" else status
        return None


# ---------------------------------------------------------------------------------------------------------
# Many sessions, and the server process watched from /proc


@dataclass
class SessionRecord:
    """What one simulated reader did: each action's kind, page and page-ready time, and the first failure."""

    actions: list[tuple[str, str, float]] = field(default_factory=list)
    failure: str | None = None


async def _reader(
    base_url: str, deadline: float, rng: random.Random, think: tuple[float, float], timeout: float
) -> SessionRecord:
    """A reader: opens the site, then until the deadline visits pages and changes their filters, pausing to read."""
    record = SessionRecord()
    session = StreamlitSession(base_url, timeout)
    try:
        await session.open()
        path = rng.choice(PAGES)
        shown = await session.page("" if path == "overview" else path)
        record.actions.append(("open", path, shown.seconds))
        while time.monotonic() < deadline:
            await asyncio.sleep(rng.uniform(*think))
            if time.monotonic() >= deadline:
                break
            changed = await session.change(rng) if rng.random() < 0.6 else None
            if changed is not None:
                record.actions.append(("filter", path, changed.seconds))
            else:
                path = rng.choice(PAGES)
                shown = await session.page("" if path == "overview" else path)
                record.actions.append(("page", path, shown.seconds))
    except SessionFailure as exc:
        record.failure = str(exc)
    except OSError as exc:
        record.failure = f"could not connect: {exc}"
    finally:
        with contextlib.suppress(Exception):
            await session.close()
    return record


async def _readers(base_url: str, sessions: int, seconds: float, seed: int, think, timeout, ramp: float):
    deadline = time.monotonic() + seconds
    rngs = [random.Random(seed * 1000 + i) for i in range(sessions)]

    async def staggered(i: int) -> SessionRecord:
        await asyncio.sleep(ramp * i / max(sessions, 1))  # readers arrive over the ramp, not all in one instant
        return await _reader(base_url, deadline, rngs[i], think, timeout)

    return await asyncio.gather(*(staggered(i) for i in range(sessions)))


class ProcessWatch(threading.Thread):
    """Samples a process's CPU time and resident memory from /proc while a load level runs."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.rss_samples: list[float] = []
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.rss_samples.append(rss_mib(self.pid))
            self._done.wait(self.interval)

    def stop(self) -> None:
        self._done.set()
        self.join()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def rss_mib(pid: int, field_name: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_load(
    base_url: str,
    sessions: int,
    seconds: float,
    *,
    server_pid: int | None = None,
    think: tuple[float, float] = (2.0, 6.0),
    seed: int = 1,
    timeout: float = 60.0,
    ramp: float | None = None,
) -> dict:
    """Drive ``sessions`` concurrent readers against ``base_url`` for ``seconds``; return the figures.

    Each reader opens a page, then alternates reading pauses (``think`` seconds, uniform) with a filter
    change or a move to another page. A reader fails at its first error, dropped connection or page not
    ready within ``timeout``. With ``server_pid``, the server's CPU (cores used on average) and peak
    resident memory during the level are included.
    """
    ramp = min(seconds / 4, sessions * 0.1) if ramp is None else ramp
    watch, cpu_before = None, None
    if server_pid is not None:
        with contextlib.suppress(OSError):
            Path(f"/proc/{server_pid}/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current size
        watch = ProcessWatch(server_pid)
        watch.start()
        cpu_before = cpu_seconds(server_pid)
    started, own_cpu = time.monotonic(), time.process_time()
    records = run_coroutine(_readers(base_url, sessions, seconds, seed, think, timeout, ramp))
    wall = time.monotonic() - started
    times = [s for r in records for _, _, s in r.actions]
    by_kind = {k: [s for r in records for kind, _, s in r.actions if kind == k] for k in ("open", "page", "filter")}
    result = {
        "base_url": base_url,
        "sessions": sessions,
        "seconds": seconds,
        "think_seconds": list(think),
        "actions": len(times),
        "failed_sessions": sum(r.failure is not None for r in records),
        "failures": sorted({r.failure for r in records if r.failure})[:10],
        "page_ready_p50": percentile(times, 0.5),
        "page_ready_p95": percentile(times, 0.95),
        "page_ready_max": max(times, default=float("nan")),
        "by_kind": {
            k: {"n": len(v), "p50": percentile(v, 0.5), "p95": percentile(v, 0.95)} for k, v in by_kind.items()
        },
        "wall_seconds": wall,
        "load_generator_cpu_cores": (time.process_time() - own_cpu) / wall if wall else 0.0,
        "machine_load_1min": os.getloadavg()[0],  # other work on the machine competes with the server
    }
    if server_pid is not None and watch is not None:
        watch.stop()
        result["server_cpu_cores"] = (cpu_seconds(server_pid) - cpu_before) / wall
        result["server_rss_peak_mib"] = max(rss_mib(server_pid, "VmHWM"), *watch.rss_samples)
        result["server_rss_end_mib"] = rss_mib(server_pid)
    return result


# ---------------------------------------------------------------------------------------------------------
# A whole benchmark: load levels, memory after sessions close, and a soak of repeated open/close


def warm_up(base_url: str) -> None:
    """Open every page once, as the first readers after a restart would (caches filled, modules imported)."""
    run_load(base_url, sessions=len(PAGES), seconds=0, think=(0, 0), ramp=0)


def settle(server_pid: int, seconds: float) -> float:
    """Wait for closed sessions to be let go (``server.disconnectedSessionTTL``); the RSS afterwards."""
    time.sleep(seconds)
    return rss_mib(server_pid)


def benchmark(
    base_url: str,
    server_pid: int | None,
    levels: list[int],
    seconds: float,
    *,
    settle_seconds: float,
    soak_rounds: int,
    soak_sessions: int,
    soak_seconds: float,
    think: tuple[float, float],
) -> dict:
    """Every load level, then the soak; memory is read after each level's sessions have closed."""
    warm_up(base_url)
    report: dict = {"base_url": base_url, "levels": [], "soak": [], "think_seconds": list(think)}
    if server_pid is not None:
        report["idle_rss_mib"] = settle(server_pid, settle_seconds)
    for sessions in levels:
        result = run_load(base_url, sessions, seconds, server_pid=server_pid, think=think)
        if server_pid is not None:
            result["rss_after_close_mib"] = settle(server_pid, settle_seconds)
        report["levels"].append(result)
        print(_level_line(result), flush=True)
    for round_number in range(soak_rounds):
        result = run_load(
            base_url, soak_sessions, soak_seconds, server_pid=server_pid, think=think, seed=100 + round_number
        )
        entry = {"round": round_number + 1, "failed_sessions": result["failed_sessions"], "actions": result["actions"]}
        if server_pid is not None:
            entry["rss_after_close_mib"] = settle(server_pid, settle_seconds)
        report["soak"].append(entry)
        print(f"soak round {round_number + 1}: {entry}", flush=True)
    report["finished_at"] = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    return report


def _level_line(r: dict) -> str:
    line = (
        f"{r['sessions']:>3} sessions: {r['actions']} page runs, {r['failed_sessions']} failed sessions, "
        f"page ready p50 {r['page_ready_p50']:.2f} s, p95 {r['page_ready_p95']:.2f} s"
    )
    if "server_cpu_cores" in r:
        line += f", server CPU {100 * r['server_cpu_cores']:.0f} %, peak RSS {r['server_rss_peak_mib']:.0f} MiB"
    return line


# ---------------------------------------------------------------------------------------------------------
# The report section in docs/BENCHMARKS.md


def _verdicts(report: dict) -> list[str]:
    """Each target, met or not, from the figures of this run."""
    by_sessions = {r["sessions"]: r for r in report["levels"]}
    out = []
    if 50 in by_sessions:
        failed = by_sessions[50]["failed_sessions"]
        out.append(f"- No failed session at 50: **{'met' if failed == 0 else f'not met ({failed} failed)'}**.")
    if 25 in by_sessions:
        p95 = by_sessions[25]["page_ready_p95"]
        out.append(f"- p95 page ready under 3 s at 25: **{'met' if p95 < 3 else f'not met ({p95:.1f} s)'}**.")
    idle, levels = report.get("idle_rss_mib"), [r for r in report["levels"] if "rss_after_close_mib" in r]
    if idle and levels:
        worst = max(r["rss_after_close_mib"] for r in levels) / idle - 1
        out.append(
            f"- Memory after close within 20 % of idle: **{'met' if worst <= 0.2 else 'not met'}** "
            f"(at most {100 * worst:+.1f} %)."
        )
    measured = [r for r in report["levels"] if "server_cpu_cores" in r and r.get("actions")]
    if measured:
        per_run = max(r["server_cpu_cores"] * r["wall_seconds"] / r["actions"] for r in measured)
        pause = sum(report["think_seconds"]) / 2
        out += [
            "",
            f"Reading: one Streamlit process runs page scripts under one interpreter lock, so it uses about one "
            f"core however many the machine has (at most {100 * max(r['server_cpu_cores'] for r in measured):.0f} % "
            f"here). At {per_run:.2f} s of CPU per page run it serves about {1 / per_run:.1f} page runs a second; "
            f"readers who click every {pause:g} s on average ask for one per {pause:g} s each, so beyond about "
            f"{pause / per_run:.0f} such readers page runs queue and page-ready time grows with the queue, without "
            "errors. Page runs take turns, two at a time (`dashboard/turns.py`): the queue is served in order "
            "instead of every waiting run sharing the core and all finishing late. More page runs at once need "
            "more processes: `make serve-prod` runs replicas behind nginx (docs/DEPLOY.md), and this harness "
            "measures it with `--base-url`. Memory above idle after the sessions close is, in order of size: "
            "memory Python and the C allocator freed but keep for reuse (Python's 1 MiB arenas are given back only "
            "when wholly empty); the result caches (bounded per process: 1,024 query results, 512 chart specs kept "
            "pickled, 1,024 chart notes, about 10 MiB when full; CSVs are written only when a download is clicked); "
            "and closed sessions Streamlit keeps for a reconnect: its store drops expired ones only when it next "
            "stores one. The soak shows none of it grows from round to round.",
        ]
        busiest = max(r.get("machine_load_1min", 0) for r in measured)
        out[-1] += f" Machine load is the whole machine's (at most {busiest:.1f} here): " + (
            f"other work competed for the {os.cpu_count()} cores during these runs."
            if busiest > (os.cpu_count() or 1)
            else "the server and the load generator had the machine to themselves."
        )
    return out


def report_markdown(report: dict, command: str) -> str:
    """The load section of docs/BENCHMARKS.md: targets, one row per level, memory and the soak."""
    think = report["think_seconds"]
    lines = [
        "## Load: concurrent sessions over the websocket (`benchmarks/load.py`)",
        "",
        f"Produced by `{command}` on {report.get('finished_at') or time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, "
        f"{os.cpu_count()} cores, "
        "one `streamlit run` process with the replicas' settings (`.streamlit/config.toml`, "
        "`MALLOC_ARENA_MAX=2`). Each session is a websocket client that runs the app script as a "
        "browser tab does: it opens a random page, then, after a pause of "
        f"{think[0]:g}–{think[1]:g} s (uniform), changes a filter on it (a new period or a switch, 60 %) or "
        "opens another page, until the time is up; sessions start spread over the first seconds. "
        "**Page ready**: from the request to the server's *script finished* message, with every chart, table "
        "and download in it (drawing in the browser not included). A session **fails** at its first error "
        "element, dropped connection or page not ready within 60 s. CPU: the server's CPU time ÷ wall time "
        "(100 % = one core). Memory: the server's resident set; *after close* is read once the closed "
        "sessions have been let go (`server.disconnectedSessionTTL`).",
        "",
        "Targets: no failed session at 50; p95 page ready under 3 s at 25; memory after close within 20 % "
        "of idle (idle = after one visit of every page, caches warm).",
        "",
        "| sessions | seconds | page runs | failed sessions | p50 s | p95 s | max s | server CPU | CPU s per page run "
        "| peak RSS MiB | RSS after close MiB | machine load (1 min) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["levels"]:
        cpu = f"{100 * r['server_cpu_cores']:.0f} %" if "server_cpu_cores" in r else "n/a"
        per_run = (
            f"{r['server_cpu_cores'] * r['wall_seconds'] / r['actions']:.2f}"
            if "server_cpu_cores" in r and r.get("actions") and r.get("wall_seconds")
            else "n/a"
        )
        peak = f"{r['server_rss_peak_mib']:.0f}" if "server_rss_peak_mib" in r else "n/a"
        after = f"{r['rss_after_close_mib']:.0f}" if "rss_after_close_mib" in r else "n/a"
        lines.append(
            f"| {r['sessions']} | {r['seconds']:.0f} | {r['actions']} | {r['failed_sessions']} | "
            f"{r['page_ready_p50']:.2f} | {r['page_ready_p95']:.2f} | {r['page_ready_max']:.2f} | {cpu} | {per_run} "
            f"| {peak} | {after} "
            f"| {r.get('machine_load_1min', float('nan')):.1f} |"
        )
    if "idle_rss_mib" in report:
        idle = report["idle_rss_mib"]
        last = report["levels"][-1].get("rss_after_close_mib") if report["levels"] else None
        lines += ["", f"Idle RSS {idle:.0f} MiB."]
        if last:
            lines[-1] += f" After the last level closed: {last:.0f} MiB ({100 * (last / idle - 1):+.0f} % of idle)."
    lines += ["", *_verdicts(report)]
    failures = sorted({f for r in report["levels"] for f in r["failures"]})
    if failures:
        lines += ["", "Failures: " + "; ".join(failures[:5])]
    if report["soak"]:
        rss = [s.get("rss_after_close_mib") for s in report["soak"]]
        lines += [
            "",
            f"Soak: {len(report['soak'])} rounds of {report.get('soak_sessions', '?')} sessions opened, used and "
            "closed; RSS after each round closed (MiB): " + ", ".join(f"{v:.0f}" for v in rss if v is not None) + ".",
        ]
        if rss and rss[0] and rss[-1]:
            lines[-1] += (
                f" Last round vs first: {100 * (rss[-1] / rss[0] - 1):+.0f} %; failed sessions in all rounds: "
                f"{sum(s['failed_sessions'] for s in report['soak'])}."
            )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------------------
# Command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.load",
        description="Concurrent Streamlit sessions over the websocket against a dashboard; figures per load level.",
    )
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--base-url", help="a running dashboard (e.g. behind a proxy): http(s)://host[:port][/path]")
    target.add_argument(
        "--data-dir", type=Path, help="start `streamlit run` on this published folder (default: $DASHBOARD_DATA_DIR)"
    )
    parser.add_argument("--server-pid", type=int, help="with --base-url: the server process to watch (CPU, memory)")
    parser.add_argument("--sessions", default="10,25,50", help="comma-separated load levels (default 10,25,50)")
    parser.add_argument("--seconds", type=float, default=60, help="seconds per level (default 60)")
    parser.add_argument("--think", default="2,6", help="pause between a session's actions, min,max seconds")
    parser.add_argument("--soak-rounds", type=int, default=6, help="rounds of open/use/close (default 6)")
    parser.add_argument("--soak-sessions", type=int, default=25)
    parser.add_argument("--soak-seconds", type=float, default=15)
    parser.add_argument(
        "--session-ttl", type=float, default=10, help="for a server started here: seconds a closed session is kept"
    )
    parser.add_argument("--report", action="store_true", help="write the figures into docs/BENCHMARKS.md")
    parser.add_argument("--json", type=Path, help="also write every figure as JSON to this file")
    args = parser.parse_args(argv)
    levels = [int(n) for n in args.sessions.split(",") if n]
    think = tuple(float(x) for x in args.think.split(","))
    options = dict(
        levels=levels,
        seconds=args.seconds,
        soak_rounds=args.soak_rounds,
        soak_sessions=args.soak_sessions,
        soak_seconds=args.soak_seconds,
        think=think,
    )
    if args.base_url:
        report = benchmark(args.base_url, args.server_pid, settle_seconds=args.session_ttl + 10, **options)
    else:
        data_dir = args.data_dir or Path(os.environ.get("DASHBOARD_DATA_DIR", ROOT / "published"))
        ttl = {"server.disconnectedSessionTTL": int(args.session_ttl)}
        with serve(data_dir, log=ROOT / "bench-output" / "load-server.log", options=ttl) as (url, server):
            report = benchmark(url, server.pid, settle_seconds=args.session_ttl + 10, **options)
    report["soak_sessions"] = args.soak_sessions
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    if args.report:
        shown = ["python -m benchmarks.load", *(argv if argv is not None else sys.argv[1:])]
        write_section("load", report_markdown(report, " ".join(a for a in shown if a != "--report")))
    failed = sum(r["failed_sessions"] for r in report["levels"]) + sum(s["failed_sessions"] for s in report["soak"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
