"""Load through the deployment: nginx in front of 1 and then 2 replicas, same run, same load (benchmarks/load.py).

For each replica count the one-machine deployment (``deploy/``) is started under supervisord on free
loopback ports, warmed up, and driven at rising numbers of concurrent sessions through nginx. "Held" is
the largest level with no failed session and page-ready p95 under 3 s. The load generator runs on the same
machine and takes CPU from the replicas: on 2 cores, 2 replicas can at best double what 1 holds. Both
deployments are up at once and each level runs on one and then the other, so that both meet the same
machine (other work on it included: the machine's load average is reported beside each level).
``python -m benchmarks.proxy [--levels 5,10,20] [--seconds 30]``; writes its section of docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import cpu_seconds, rss_mib, run_load, warm_up  # noqa: E402
from benchmarks.report import write_section  # noqa: E402
from benchmarks.server import free_port  # noqa: E402
from deploy.render import Settings, find_nginx, write  # noqa: E402
from etl.build import run as build  # noqa: E402

P95_TARGET = 3.0
REPLICA_COUNTS = (1, 2)


@contextmanager
def deployment(data_dir: Path, replicas: int, run_dir: Path, workers: str = "1"):
    """supervisord → nginx (``workers`` processes) + ``replicas`` Streamlit replicas; yields (proxy URL, replica
    pids)."""
    settings = Settings(
        run_dir=run_dir,
        listen=f"127.0.0.1:{free_port()}",
        replica_ports=[free_port() for _ in range(replicas)],
        data_dir=data_dir,
        workers=workers,
        nginx_user=_user() if os.geteuid() == 0 else "",
        # every simulated reader comes from 127.0.0.1: the per-address limits would measure themselves
        sessions_per_client=10_000,
        session_opens_per_minute=60_000,
    )
    conf = write(settings)
    supervisord = subprocess.Popen(
        [str(Path(sys.executable).parent / "supervisord"), "-n", "-c", str(conf)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://{settings.listen}"
    try:
        _wait_healthy([url] + [f"http://127.0.0.1:{p}" for p in settings.replica_ports])
        yield url, [_pid(conf, f"replicas:app-{i}") for i in range(replicas)]
    finally:
        supervisord.terminate()
        supervisord.wait(timeout=60)


def measure(data_dir: Path, levels: list[int], seconds: float, think: tuple[float, float]) -> list[dict]:
    """Both deployments up at once; each level run on one, then the other, so both meet the same machine."""
    results = {n: {"replicas": n, "levels": []} for n in REPLICA_COUNTS}
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        running = {n: stack.enter_context(deployment(data_dir, n, Path(tmp) / f"run-{n}")) for n in REPLICA_COUNTS}
        for url, _ in running.values():
            warm_up(url)
        for sessions in levels:
            for replicas, (url, pids) in running.items():
                if _past_target(results[replicas]["levels"]):
                    continue  # far past what it holds: another level only adds time
                cpu_before, own_before = sum(cpu_seconds(p) for p in pids), _own_cpu_seconds()
                result = run_load(url, sessions, seconds, think=think)
                result["replica_cpu_cores"] = (sum(cpu_seconds(p) for p in pids) - cpu_before) / result["wall_seconds"]
                result["load_generator_cpu_cores"] = (_own_cpu_seconds() - own_before) / result["wall_seconds"]
                result["replica_rss_mib"] = [rss_mib(p) for p in pids]
                result["machine_load"] = os.getloadavg()[0]
                results[replicas]["levels"].append(result)
                print(
                    f"{replicas} replica(s), {sessions:>3} sessions: p95 {result['page_ready_p95']:.2f} s, "
                    f"{result['failed_sessions']} failed, replicas' CPU {result['replica_cpu_cores']:.2f} cores, "
                    f"load generator {result['load_generator_cpu_cores']:.2f}, machine load {result['machine_load']:.1f}",
                    flush=True,
                )
    return [{**entry, "held": held(entry["levels"])} for entry in results.values()]


def _past_target(rows: list[dict]) -> bool:
    return bool(rows) and (rows[-1]["failed_sessions"] > 0 or rows[-1]["page_ready_p95"] >= 2 * P95_TARGET)


def held(rows: list[dict]) -> int:
    """The most sessions at which nothing failed and page-ready p95 stayed under the target."""
    ok = [r["sessions"] for r in rows if not r["failed_sessions"] and r["page_ready_p95"] < P95_TARGET]
    return max(ok, default=0)


def report_markdown(results: list[dict], levels: list[int], seconds: float, think: tuple[float, float]) -> str:
    one, two = (next(r["held"] for r in results if r["replicas"] == n) for n in REPLICA_COUNTS)
    ratio = f"{two / one:.2f} ×" if one else "n/a (1 replica held no level)"
    lines = [
        "## Through the proxy: nginx in front of 1 and 2 replicas (`python -m benchmarks.proxy`)",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores, Python "
        f"{platform.python_version()}. The deployment of `make serve-prod` (deploy/), started for each replica "
        f"count in the same run; the load of `benchmarks/load.py` through nginx: levels {levels}, {seconds:.0f} s "
        f"each, reading pauses {think[0]:.0f}–{think[1]:.0f} s, each level on 1 replica then on 2 (both deployments "
        "up at once). The load generator shares the machine's cores with the replicas. **Held**: most sessions with none failed and page-ready p95 under "
        f"{P95_TARGET:.0f} s.",
        "",
        "| replicas | sessions | page runs | failed sessions | p50 s | p95 s | replicas' CPU (cores) "
        "| load generator CPU (cores) | machine load (1 min) | RSS per replica MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for entry in results:
        for r in entry["levels"]:
            rss = ", ".join(f"{m:.0f}" for m in r["replica_rss_mib"])
            lines.append(
                f"| {entry['replicas']} | {r['sessions']} | {r['actions']} | {r['failed_sessions']} | "
                f"{r['page_ready_p50']:.2f} | {r['page_ready_p95']:.2f} | {r['replica_cpu_cores']:.2f} | "
                f"{r['load_generator_cpu_cores']:.2f} | {r['machine_load']:.1f} | {rss} |"
            )
    top = max(levels)
    at_least = " (the most tested: at least that many)"
    lines += [
        "",
        f"**Sessions held at p95 < {P95_TARGET:.0f} s: {one} with 1 replica{at_least if one == top else ''}, "
        f"{two} with 2 replicas{at_least if two == top else ''}; scaling {ratio}.** The levels are coarse, so "
        f"the ratio is only as fine as they are. On {os.cpu_count()} cores shared with the load generator, 2 "
        "replicas can at best about double what one holds (one process runs one page script at a time); more "
        "replicas than cores add nothing.",
    ]
    # Work other than the replicas and the load generator (nginx is a few per cent): load average minus both.
    other = max(
        r["machine_load"] - r["replica_cpu_cores"] - r["load_generator_cpu_cores"]
        for entry in results
        for r in entry["levels"]
    )
    if other > 0.5 * (os.cpu_count() or 1):
        lines += [
            "",
            f"**Caution:** other work kept up to {other:.1f} cores of the machine's {os.cpu_count()} busy during "
            "this run (load average minus the replicas and the load generator): it competed with the replicas "
            "for the CPU, so these figures understate what the deployment holds. Run `python -m benchmarks.proxy` "
            "on a quiet machine for capacity figures.",
        ]
    else:
        lines += ["", f"The machine was otherwise quiet (other work at most {max(other, 0):.1f} cores)."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.proxy", description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default=os.environ.get("BENCH_PROXY_LEVELS", "10,25,40,50,60"))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_PROXY_SECONDS", 30)))
    parser.add_argument("--think", default="2,6", help="reading pause between actions, min,max seconds")
    args = parser.parse_args(argv)
    if not find_nginx():
        sys.exit("nginx is not installed (sudo apt-get install nginx): the proxy benchmark needs it")
    levels = [int(n) for n in args.levels.split(",") if n]
    think = tuple(float(x) for x in args.think.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "published"
        build(data_dir)
        results = measure(data_dir, levels, args.seconds, think)
    (ROOT / "bench-output").mkdir(exist_ok=True)
    (ROOT / "bench-output" / "proxy.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    markdown = report_markdown(results, levels, args.seconds, think)
    write_section("proxy", markdown)
    print(markdown)


def _wait_healthy(urls: list[str], timeout: float = 90) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    for url in urls:
        while True:
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} not healthy after {timeout} s")
            time.sleep(0.5)


def _pid(conf: Path, program: str) -> int:
    ctl = Path(sys.executable).parent / "supervisorctl"
    return int(subprocess.run([str(ctl), "-c", str(conf), "pid", program], capture_output=True, text=True).stdout)


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _user() -> str:
    import getpass

    return getpass.getuser()


if __name__ == "__main__":
    main()
