"""The static site: what it costs to build, and what a reader costs the server compared with a Streamlit embed.

1. **Build**: ``dashboard.site.build`` on a copy of the published folder (every registered chart, both languages):
   wall time, files, bytes.
2. **Server CPU per view, same run**: the deployment of ``make serve-prod`` (nginx + 1 replica) serves both. A
   Streamlit embed view is one websocket session running ``/embed?chart=<id>`` (the replica's CPU counted);
   a static view is the chart page with its stylesheet, script and plotly.js (nginx's CPU counted, master and
   workers, gzip on), i.e. a reader with an empty cache. Each side's CPU is read from /proc before and after.
3. **1,000 concurrent readers** through nginx, measured by ``wrk`` (Debian's package; ``make bench-deps``), a
   load generator written in C: 1,000 kept-alive connections fetching chart pages of both languages, one after
   the other, for ten seconds; failures and the latency percentiles of every request. The same readers are also
   played by this module's own Python readers (each opens a connection at the same moment and fetches 5 pages),
   whose latency is mostly their own: on two shared cores the Python load generator uses more CPU than nginx.

``python -m benchmarks.site [--embed-views 40] [--static-views 2000] [--readers 1000] [--build-runs 3] [--report]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import StreamlitSession, cpu_seconds, run_coroutine  # noqa: E402
from benchmarks.proxy import _pid, deployment  # noqa: E402
from benchmarks.report import write_section  # noqa: E402
from dashboard import registry  # noqa: E402
from dashboard.site.build import build  # noqa: E402
from dataset.location import published_dir  # noqa: E402

EMBED_CHART = "ledger"


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return found


def nginx_cpu(master: int) -> float:
    return sum(cpu_seconds(p) for p in [master, *children(master)])


async def _static_views(url: str, paths: list[str], views: int, concurrency: int = 20) -> int:
    """``views`` readers, ``concurrency`` at a time, each on one new kept-alive connection (as a browser opening
    the page) fetching ``paths`` in turn."""
    host, port = urlsplit(url).hostname, urlsplit(url).port
    queue = asyncio.Queue()
    for _ in range(views):
        queue.put_nowait(None)
    failures = 0

    async def worker() -> None:
        nonlocal failures
        while not queue.empty():
            queue.get_nowait()
            stream, writer = await asyncio.open_connection(host, port)
            try:
                for path in paths:
                    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: gzip\r\n\r\n"
                    writer.write(request.encode())
                    try:
                        failures += await _response(stream) != 200
                    except (OSError, asyncio.IncompleteReadError, ValueError):
                        failures += 1
            finally:
                writer.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return failures


async def _embed_views(url: str, views: int) -> int:
    failures = 0
    for _ in range(views):
        session = StreamlitSession(url, timeout=120)
        try:
            await session.open()
            await session.page("embed", f"chart={EMBED_CHART}&embed=true")
        except Exception:  # noqa: BLE001 (a failed view is counted, not fatal)
            failures += 1
        finally:
            await session.close()
    return failures


async def _response(reader: asyncio.StreamReader) -> int:
    """One HTTP/1.1 response read off a kept-alive connection (its headers, then Content-Length bytes)."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = next(
        (int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), 0
    )
    await reader.readexactly(length)
    return status


async def _readers(
    url: str, readers: int, pages: list[str], start_at: float, offset: int, spread: float = 0.0, total: int = 1
) -> tuple[list[float], int]:
    """``readers`` readers arriving at ``start_at`` (wall clock), each on one kept-alive connection (as a browser
    does) fetching the pages one after the other; every request timed from sending it to its last byte (the
    first includes opening the connection). Returns the latencies and the number of failed requests."""
    host, port = urlsplit(url).hostname, urlsplit(url).port
    latencies: list[float] = []
    failures = 0
    start = asyncio.Event()

    async def reader(index: int) -> None:
        nonlocal failures
        await start.wait()
        if spread:  # arrivals spread evenly over ``spread`` seconds, in reader order across the processes
            await asyncio.sleep(spread * index / total)
        began = time.perf_counter()
        try:
            stream, writer = await asyncio.open_connection(host, port)
        except OSError:
            failures += len(pages)
            return
        try:
            for step in range(len(pages)):
                path = pages[(index + step) % len(pages)]
                writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: gzip\r\n\r\n".encode())
                try:
                    status = await asyncio.wait_for(_response(stream), 30)
                except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError):
                    status = 0
                latencies.append(time.perf_counter() - began)
                failures += status != 200
                began = time.perf_counter()
        finally:
            writer.close()

    tasks = [asyncio.create_task(reader(offset + i)) for i in range(readers)]
    await asyncio.sleep(max(0.0, start_at - time.time()))
    start.set()
    await asyncio.gather(*tasks)
    return latencies, failures


def _reader_process(url, readers, pages, start_at, offset, spread, total):
    return run_coroutine(_readers(url, readers, pages, start_at, offset, spread, total))


def crowd(url: str, readers: int, pages: list[str], processes: int = 2, spread: float = 0.0) -> dict:
    """The readers split over ``processes`` load-generating processes (one per core), all starting together, or
    arriving evenly over ``spread`` seconds."""
    start_at = time.time() + 2.0
    share = [readers // processes + (1 if i < readers % processes else 0) for i in range(processes)]
    offsets = [sum(share[:i]) for i in range(processes)]
    with ProcessPoolExecutor(processes) as pool:
        results = list(
            pool.map(
                _reader_process,
                [url] * processes,
                share,
                [pages] * processes,
                [start_at] * processes,
                offsets,
                [spread] * processes,
                [readers] * processes,
            )
        )
    wall = time.time() - start_at  # from the readers' common start to the last answer
    latencies = sorted(x for found, _failures in results for x in found)
    return {
        "readers": readers,
        "processes": processes,
        "requests": len(latencies),
        "failures": sum(f for _found, f in results),
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "max_ms": latencies[-1] * 1000,
        "wall_seconds": wall,
    }


WRK_SCRIPT = """
local paths = {%(paths)s}
local next_path = 0
request = function()
  next_path = next_path %% #paths + 1
  return wrk.format("GET", paths[next_path], {["Accept-Encoding"] = "gzip"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\n{"requests": %%d, "duration_us": %%d, "connect": %%d, "read": %%d, "write": %%d, "status": %%d, ' ..
    '"timeout": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, "max_us": %%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def wrk_crowd(url: str, readers: int, pages: list[str], seconds: int = 10) -> dict | None:
    """``readers`` kept-alive connections through ``wrk`` (two threads), fetching ``pages`` in turn for ``seconds``;
    None when wrk is not installed. A failure is a connection, read, write or timeout error or a status other
    than 2xx/3xx."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # one descriptor per connection, inherited by wrk
    if soft < readers + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, readers + 1024), hard))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in pages)})
    try:
        own_before = _own_cpu()
        done = subprocess.run(
            [wrk, "-t2", f"-c{readers}", f"-d{seconds}s", "--timeout", "10s", "-s", script.name, url],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(script.name)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    failures = sum(found[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "readers": readers,
        "requests": found["requests"],
        "failures": failures,
        "per_second": found["requests"] / (found["duration_us"] / 1e6),
        "p50_ms": found["p50_us"] / 1000,
        "p95_ms": found["p95_us"] / 1000,
        "p99_ms": found["p99_us"] / 1000,
        "max_ms": found["max_us"] / 1000,
        "seconds": found["duration_us"] / 1e6,
        "client_cpu_seconds": _own_cpu() - own_before,
    }


def build_times(runs: int) -> dict:
    """The site's build, in one process and in one per core, alternately ``runs`` times each (medians)."""
    jobs = os.cpu_count() or 1
    times: dict[int, list[float]] = {1: [], jobs: []}
    site = None
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            for processes in (1, jobs):
                data_dir = Path(tmp) / f"published-{run}-{processes}"
                shutil.copytree(published_dir(), data_dir, ignore=shutil.ignore_patterns("site"))
                site = build(data_dir, jobs=processes)
                times[processes].append(site.seconds)
                print(f"site built in {site.seconds:.1f} s with {processes} process(es)", flush=True)
                shutil.rmtree(data_dir)
    assert site is not None
    return {
        "runs": runs,
        "jobs": jobs,
        "one_process": statistics.median(times[1]),
        "every_core": statistics.median(times[jobs]),
        "files": site.files,
        "bytes": site.bytes,
        "charts": site.charts,
    }


def measure(embed_views: int, static_views: int, readers: int, build_runs: int) -> dict:
    built = build_times(build_runs)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "published"
        shutil.copytree(published_dir(), data_dir, ignore=shutil.ignore_patterns("site"))
        site = build(data_dir, jobs=os.cpu_count() or 1)
        run_dir = Path(tmp) / "run"
        with deployment(data_dir, 1, run_dir, workers="auto") as (url, replicas):
            master = _pid(run_dir / "supervisord.conf", "nginx")
            version = site.version
            page = f"/site/{version}/en/{EMBED_CHART}.html"
            assets = [f"/site/{version}/assets/{name}" for name in ("site.css", "site.js", "plotly.min.js")]
            run_coroutine(_embed_views(url, 3))  # warm: imports, caches
            run_coroutine(_static_views(url, [page, *assets], 20))
            before = sum(cpu_seconds(p) for p in replicas)
            embed_failures = run_coroutine(_embed_views(url, embed_views))
            embed_cpu = (sum(cpu_seconds(p) for p in replicas) - before) / embed_views
            before = nginx_cpu(master)
            static_failures = run_coroutine(_static_views(url, [page, *assets], static_views))
            static_cpu = (nginx_cpu(master) - before) / static_views
            before = nginx_cpu(master)
            page_only_failures = run_coroutine(_static_views(url, [page], static_views))
            page_only_cpu = (nginx_cpu(master) - before) / static_views
            pages = [f"/site/{version}/{lang}/{chart}.html" for chart in registry.CHARTS for lang in ("en", "ur")]
            log = run_dir / "logs" / "nginx-access.log"
            time.sleep(1.5)  # nginx flushes its access log every second
            seen = len(log.read_text(encoding="utf-8").splitlines())
            cpu_before, own_before = nginx_cpu(master), _own_cpu()
            readings = crowd(url, readers, pages[:5])
            readings["nginx_cpu_seconds"] = nginx_cpu(master) - cpu_before
            readings["client_cpu_seconds"] = _own_cpu() - own_before
            time.sleep(1.5)
            server_times = sorted(
                float(line.rsplit("rt=", 1)[1])
                for line in log.read_text(encoding="utf-8").splitlines()[seen:]
                if "rt=" in line and " /site/" in line
            )
            readings["nginx_requests"] = len(server_times)
            readings["nginx_p95_ms"] = server_times[int(len(server_times) * 0.95) - 1] * 1000 if server_times else None
            spread = crowd(url, readers, pages[:5], spread=1.0)
            load = os.getloadavg()[0]
            generated = wrk_crowd(url, readers, pages)
    return {
        "when": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "build": built,
        "embed": {"views": embed_views, "failures": embed_failures, "cpu_per_view": embed_cpu},
        "static": {"views": static_views, "failures": static_failures, "cpu_per_view": static_cpu},
        "static_page_only": {"views": static_views, "failures": page_only_failures, "cpu_per_view": page_only_cpu},
        "crowd": readings,
        "spread": spread,
        "wrk": generated,
        "load": load,
    }


def _own_cpu() -> float:
    """CPU of this process and its finished children (the load-generating processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def _ratio(a: float, b: float) -> str:
    if 0 < b and a / b < 10:
        return f"{a / b:.1f} ×"
    return f"{a / b:,.0f} ×" if b > 0 else "more than the clock resolution can show (static CPU rounded to 0)"


def report_markdown(r: dict, command: str) -> str:
    b, e, s, p, c, w = r["build"], r["embed"], r["static"], r["static_page_only"], r["crowd"], r["wrk"]
    readers = (
        [
            f"- **{w['readers']:,} concurrent readers** through nginx (one worker per core), measured by `wrk` (C, two "
            f"threads, on the same 2 cores): {w['readers']:,} kept-alive connections fetching the "
            f"{len(registry.CHARTS) * 2} chart pages (both languages) one after the other for {w['seconds']:.0f} s: "
            f"{w['requests']:,} requests ({w['per_second']:,.0f} a second), **{w['failures']} failed**, "
            f"p50 {w['p50_ms']:.0f} ms, **p95 {w['p95_ms']:.0f} ms** (target < 200 ms), p99 {w['p99_ms']:.0f} ms, "
            f"slowest {w['max_ms']:.0f} ms. Every connection asks again as soon as it is answered, so this is "
            "1,000 readers who never pause: harder than a crowd of people reading."
        ]
        if w
        else ["- `wrk` is not installed (`make bench-deps`): the 1,000 readers were measured by Python alone."]
    )
    return "\n".join(
        [
            "## The static site: build, CPU per view against a Streamlit embed, 1,000 readers (`python -m benchmarks.site`)",
            "",
            f"Run on {r['when']}; {r['cores']} cores shared with other work (load average {r['load']:.1f} when the "
            f"readers ran), Python {r['python']}. Command: `{command}`.",
            "",
            f"- **Build** of the shipped data's site ({b['charts']} charts × 2 languages, each with page, embed page, "
            f"CSV, JSON, SVG and PNG; {b['files']} files, {b['bytes'] / 1e6:.1f} MB, of which plotly.min.js and its "
            f".gz are 6 MB): median of {b['runs']} runs, **{b['every_core']:.1f} s** with the images rasterised in "
            f"{b['jobs']} processes (`python -m dashboard.site`'s default), {b['one_process']:.1f} s in one "
            f"({_ratio(b['one_process'], b['every_core'])} faster on {b['jobs']} cores). Most of the rest is drawing "
            "each chart and writing its CSV, JSON and SVG in both languages.",
            f"- **Server CPU per view, same run** (nginx + 1 replica of `make serve-prod`; a static view is one "
            f"kept-alive connection per reader, as a browser's): a Streamlit embed view of "
            f"`{EMBED_CHART}` (one session running `/embed?chart={EMBED_CHART}`) cost the replica "
            f"{e['cpu_per_view'] * 1000:.1f} ms ({e['views']} views, {e['failures']} failed); the same chart as a static "
            f"page with its stylesheet, script and plotly.js, gzip-compressed, cost nginx {s['cpu_per_view'] * 1000:.3f} ms "
            f"({s['views']} views, {s['failures']} failed): **{_ratio(e['cpu_per_view'], s['cpu_per_view'])}** less "
            f"(target ≥ 100 ×). The page alone (a reader whose browser has the scripts cached): "
            f"{p['cpu_per_view'] * 1000:.3f} ms, {_ratio(e['cpu_per_view'], p['cpu_per_view'])} less. The embed figure is "
            "the session's script run only: a first-time reader of it also loads Streamlit's own scripts from the "
            "replica, not counted here.",
            *readers,
            f"- The same readers played by Python (2 asyncio processes), each fetching 5 chart pages one after the other, "
            f"all starting at once: {c['requests']:,} requests, {c['failures']} failed, p50 {c['p50_ms']:.0f} ms, "
            f"p95 {c['p95_ms']:.0f} ms, slowest {c['max_ms']:.0f} ms. nginx logged {c['nginx_requests']:,} requests "
            f"with a p95 of {c['nginx_p95_ms']:.0f} ms from first byte read to last byte sent and used "
            f"{c['nginx_cpu_seconds']:.2f} s of CPU; the Python readers used {c['client_cpu_seconds']:.1f} s, so the "
            "latency they saw is mostly their own queue. Arriving evenly over one second instead: "
            f"{r['spread']['failures']} failed, p95 {r['spread']['p95_ms']:.0f} ms.",
            "",
            f"Targets: CPU per view ≥ 100 × less, {_verdict(e['cpu_per_view'] >= 100 * p['cpu_per_view'])} for a "
            f"page view, {_verdict(e['cpu_per_view'] >= 100 * s['cpu_per_view'])} for a first visit with plotly.js; "
            f"1,000 readers with 0 failures {_verdict((w or c)['failures'] == 0)}, p95 < 200 ms "
            f"{_verdict((w or c)['p95_ms'] < 200)} ({'wrk' if w else 'Python readers'}).",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.site", description=__doc__)
    parser.add_argument("--embed-views", type=int, default=40)
    parser.add_argument("--static-views", type=int, default=2000)
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--build-runs", type=int, default=3, help="site builds timed per setting (median)")
    parser.add_argument("--report", action="store_true", help="write the section of docs/BENCHMARKS.md")
    args = parser.parse_args(argv)
    result = measure(args.embed_views, args.static_views, args.readers, args.build_runs)
    command = "python -m benchmarks.site" + "".join(
        f" --{k.replace('_', '-')} {v}" for k, v in vars(args).items() if k != "report"
    )
    text = report_markdown(result, command)
    print(text)
    if args.report:
        write_section("static-site", text)
    return 0 if (result["wrk"] or result["crowd"])["failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
