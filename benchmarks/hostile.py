"""What one hostile client costs a server, before and after the protocol guards (``dashboard/protocol.py``).

The hostile client speaks Streamlit's websocket protocol directly: it asks for ``load_git_info`` (which, unguarded,
runs several ``git`` commands while the server process waits), floods debug messages (each one a log line,
unguarded), and puts files to the upload address. A second, ordinary reader opens pages meanwhile.

Both servers run from the same copy of the project made into a git checkout that tracks a GitHub remote, as a
deployment cloned from GitHub would (the case where each ``load_git_info`` costs most). *Before*: Streamlit as it
comes (an entry script that runs the app with the guards switched off). *After*: ``python -m dashboard.serve``.
Both are measured in the same run, one after the other, at the same attack rate; figures are medians.
``python -m benchmarks.hostile [--rate 20] [--seconds 10] [--report]``.

The helpers here (a raw websocket, message frames, a session's download buttons) are also the hostile-client
tests' (``tests/security/test_hostile_client.py``, ``tests/deploy/test_hostile_proxy.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import StreamlitSession, cpu_seconds, rss_mib, run_coroutine, serve  # noqa: E402
from benchmarks.report import write_section  # noqa: E402

GITHUB_REMOTE = "https://github.com/example-org/pk-dashboard.git"
PRIVATE_FILE = "deploy-notes-PRIVATE.txt"


# ---------------------------------------------------------------------------------------------------------
# Messages and a raw websocket


def message(**fields) -> bytes:
    """A serialized BackMsg, e.g. ``message(load_git_info=True)`` (2 bytes)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    for name, value in fields.items():
        setattr(msg, name, value)
    return msg.SerializeToString()


def frames(payload: bytes, count: int) -> bytes:
    """``count`` client websocket frames carrying ``payload`` (binary, masked with a zero key: the bytes as they are)."""
    assert len(payload) < 126
    return (bytes([0x82, 0x80 | len(payload)]) + b"\0\0\0\0" + payload) * count


def raw_websocket(base_url: str, source: str | None = None, timeout: float = 10) -> socket.socket:
    """A websocket to Streamlit's stream, opened by hand (so that frames can be written in bulk); ``source``: the
    local address to connect from (any of 127.0.0.0/8: another client, as far as the proxy can tell)."""
    parsed = urlparse(base_url)
    sock = socket.create_connection(
        (parsed.hostname, parsed.port), timeout=timeout, source_address=(source, 0) if source else None
    )
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET {parsed.path.rstrip('/')}/_stcore/stream HTTP/1.1\r\nHost: {parsed.netloc}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit\r\n\r\n"
        ).encode()
    )
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(4096)
        if not chunk:
            break
        answer += chunk
    status = answer.split(b" ", 2)[1] if answer.count(b" ") >= 2 else b"?"
    if status != b"101":
        sock.close()
        raise ConnectionRefusedError(f"websocket refused: HTTP {status.decode(errors='replace')}")
    return sock


def send_all(sock: socket.socket, data: bytes) -> int:
    """Write ``data``; how many bytes the server's side took before it closed the connection."""
    sent = 0
    with contextlib.suppress(OSError):
        view = memoryview(data)
        while sent < len(data):
            sent += sock.send(view[sent : sent + 256 * 1024])
    return sent


def closed_by_server(sock: socket.socket, timeout: float = 5) -> bool:
    """The server closed the connection (a close frame or the end of the stream) within ``timeout``."""
    sock.settimeout(timeout)
    deadline = time.monotonic() + timeout
    with contextlib.suppress(OSError):
        while time.monotonic() < deadline:
            data = sock.recv(65536)
            if not data or b"\x88" in data[:1]:
                return True
    return False


def http(url: str, method: str = "GET", data: bytes | None = None, headers: dict | None = None, source=None):
    """(status, headers, body) of one request; errors are answers. ``source``: local address to connect from."""
    import http.client

    parsed = urlparse(url)
    connection = http.client.HTTPConnection(
        parsed.hostname, parsed.port, timeout=15, source_address=(source, 0) if source else None
    )
    try:
        connection.request(method, parsed.path + (f"?{parsed.query}" if parsed.query else ""), data, headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def upload_put(base_url: str, session_id: str, size: int, source: str | None = None) -> int:
    """PUT one file of ``size`` bytes to the session's upload address with a valid XSRF token: the status."""
    status, headers, _ = http(base_url + "/_stcore/health", source=source)
    cookie = headers.get("set-cookie", "")
    token = cookie.split("_streamlit_xsrf=", 1)[1].split(";", 1)[0] if "_streamlit_xsrf=" in cookie else ""
    boundary = "hostileboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + os.urandom(size)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, _, _ = http(
        f"{base_url}/_stcore/upload_file/{session_id}/{os.urandom(8).hex()}",  # any id: none is checked
        "PUT",
        body,
        {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-Xsrftoken": token,
            "Cookie": f"_streamlit_xsrf={token}",
        },
        source=source,
    )
    return status


def session_id(session: StreamlitSession) -> str:
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    for data in session.received or []:
        msg = ForwardMsg()
        msg.ParseFromString(data)
        if msg.WhichOneof("type") == "new_session":
            return msg.new_session.initialize.session_id
    raise AssertionError("no new_session message received")


def download_buttons(session: StreamlitSession) -> dict[str, str]:
    """Label → deferred file id of every download button the session's pages drew (the latest wins)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    found = {}
    for data in session.received or []:
        msg = ForwardMsg()
        msg.ParseFromString(data)
        if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            if element.WhichOneof("type") == "download_button" and element.download_button.deferred_file_id:
                found[element.download_button.label] = element.download_button.deferred_file_id
    return found


async def request_download(session: StreamlitSession, file_id: str, request_id: str) -> None:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.backend_operation_request.request_id = request_id
    msg.backend_operation_request.session_id = session_id(session)
    msg.backend_operation_request.deferred_file.file_id = file_id
    await session._ws.send(msg.SerializeToString())


async def download_answer(session: StreamlitSession, timeout: float = 60):
    """The next backend operation response on the session: (request id, file URL or "", error message)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async with asyncio.timeout(timeout):
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await session._ws.recv())
            if msg.WhichOneof("type") == "backend_operation_response":
                answer = msg.backend_operation_response
                return answer.request_id, answer.deferred_file.url, answer.error_msg


def children_named(pid: int, name: str) -> int:
    """How many direct children of ``pid`` run a program whose name contains ``name``."""
    count = 0
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            for child in (task / "children").read_text().split():
                with contextlib.suppress(OSError):
                    if name in Path(f"/proc/{child}/comm").read_text():
                        count += 1
    return count


def cpu_with_children(pid: int) -> float:
    """CPU seconds of a process and of the children it has waited for (``git``, ``chromium``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return cpu_seconds(pid) + (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------------------------------------------
# A copy of the project that is a git checkout tracking a GitHub remote


def git_checkout(into: Path) -> Path:
    """The app's code copied into ``into`` and committed, tracking ``origin/main`` on a GitHub address, with an
    untracked file, as a deployment cloned from GitHub with a note left beside it would be."""
    for part in ("dashboard", "dataset", "etl", ".streamlit"):
        shutil.copytree(ROOT / part, into / part, ignore=shutil.ignore_patterns("__pycache__"))

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", *args],
            cwd=into,
            check=True,
            capture_output=True,
            timeout=60,
        )

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "deployed")
    git("remote", "add", "origin", GITHUB_REMOTE)
    git("update-ref", "refs/remotes/origin/main", "HEAD")
    git("branch", "-q", "--set-upstream-to=origin/main", "main")
    (into / PRIVATE_FILE).write_text("not for the public\n", encoding="utf-8")
    return into


UNGUARDED_ENTRY = '''"""The app with the protocol guards switched off: Streamlit as it comes (benchmarks/hostile.py only)."""
import runpy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from dashboard import protocol

protocol.install = lambda **_: None
runpy.run_path(str(Path(__file__).with_name("app.py")), run_name="__main__")
'''


@contextlib.contextmanager
def server(checkout: Path, data_dir: Path, guarded: bool, log: Path):
    """The dashboard from ``checkout``: guarded (``python -m dashboard.serve``) or as Streamlit comes."""
    if guarded:
        with serve(data_dir, log=log, root=checkout) as running:
            yield running
        return
    entry = checkout / "dashboard" / "unguarded_app.py"
    entry.write_text(UNGUARDED_ENTRY, encoding="utf-8")
    as_it_comes = {"server.maxUploadSize": 1}  # the setting before uploads were refused (1 MB)
    with serve(data_dir, log=log, root=checkout, plain=True, options=as_it_comes, script=entry) as running:
        yield running


# ---------------------------------------------------------------------------------------------------------
# The measurements


def _reader_pages(url: str, seconds: float, page: str = "about") -> list[float]:
    async def read() -> list[float]:
        session = StreamlitSession(url)
        await session.open()
        times = []
        try:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline and len(times) < 200:
                times.append((await session.page(page)).seconds)
        finally:
            await session.close()
        return times

    return run_coroutine(read())


def reader_during(url: str, attack, page: str = "about", baseline_pages: int = 5, most: int = 200):
    """A reader's page times on one warm session: ``baseline_pages`` before ``attack`` (a callable run in a
    thread) starts, then as many as fit while it runs (at most ``most``)."""
    import threading

    async def read():
        session = StreamlitSession(url)
        await session.open()
        try:
            await session.page(page)  # a session's first run does more than the others
            baseline = [(await session.page(page)).seconds for _ in range(baseline_pages)]
            attacker = threading.Thread(target=attack, daemon=True)
            attacker.start()
            during = []
            while (attacker.is_alive() or not during) and len(during) < most:
                during.append((await session.page(page)).seconds)
            await asyncio.to_thread(attacker.join, 60)
            return baseline, during
        finally:
            await session.close()

    return run_coroutine(read())


def git_info_attack(url: str, pid: int, rate: float, seconds: float) -> dict:
    """One client asking for ``load_git_info`` ``rate`` times a second (reconnecting when closed): first alone,
    for the server's CPU (with its ``git`` children) and the health check's time; then while a reader opens
    pages, for the reader's page times."""
    import threading

    baseline = _reader_pages(url, min(seconds, 5))
    stop = threading.Event()
    sent = [0]

    def attack() -> None:
        sock = None
        while not stop.is_set():
            try:
                if sock is None:
                    sock = raw_websocket(url)
                sock.sendall(frames(message(load_git_info=True), 1))
                sent[0] += 1
            except OSError:
                sock = None
            stop.wait(1 / rate)
        if sock is not None:
            sock.close()

    attacker = threading.Thread(target=attack, daemon=True)
    attacker.start()
    try:
        cpu_before, started = cpu_with_children(pid), time.monotonic()
        health = []
        while time.monotonic() - started < seconds:
            start = time.perf_counter()
            with contextlib.suppress(OSError):
                urllib.request.urlopen(url + "/_stcore/health", timeout=60).read()
            health.append(time.perf_counter() - start)
            time.sleep(0.5)
        cpu = (cpu_with_children(pid) - cpu_before) / (time.monotonic() - started)
        alone = sent[0]
        during = _reader_pages(url, seconds)
    finally:
        stop.set()
        attacker.join(timeout=60)
    return {
        "messages_alone": alone,
        "server_cpu_cores": cpu,
        "health_s": statistics.median(health),
        "health_max_s": max(health),
        "reader_page_baseline_s": statistics.median(baseline),
        "reader_page_under_attack_s": statistics.median(during),
        "reader_page_under_attack_max_s": max(during),
    }


def debug_flood(url: str, log: Path, megabytes: float = 1.0, seconds: float = 20) -> dict:
    """``megabytes`` of debug messages (2 bytes each), reconnecting when closed; the log's growth once the server
    has read them (or ``seconds`` have passed)."""
    payload = message(debug_shutdown_runtime=True)
    before = log.stat().st_size
    target, sent, connections = int(megabytes * 1024 * 1024), 0, 0
    started = time.monotonic()
    while sent < target and time.monotonic() - started < seconds and connections < 500:
        try:
            sock = raw_websocket(url)
        except OSError:
            break
        connections += 1
        count = (target - sent) // len(payload)
        taken = send_all(sock, frames(payload, count))
        sent += taken // 8 * len(payload)  # 8 bytes a frame, 2 of them the message
        sock.close()
    _wait_until_healthy_quickly(url, started + seconds)
    return {
        "sent_bytes": sent,
        "connections": connections,
        "log_growth_bytes": log.stat().st_size - before,
        "drained_s": time.monotonic() - started,
    }


def _wait_until_healthy_quickly(url: str, deadline: float) -> None:
    """Until the health check answers within 0.1 s (the server has worked through what it was sent)."""
    while time.monotonic() < deadline:
        start = time.perf_counter()
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url + "/_stcore/health", timeout=30).read()
        if time.perf_counter() - start < 0.1:
            return
        time.sleep(0.2)


def upload_attack(url: str, pid: int, files: int = 50, size: int = 1_000_000) -> dict:
    async def attack() -> dict:
        session = StreamlitSession(url, keep_messages=True)
        await session.open()
        try:
            await session.page("about")
            rss_before = rss_mib(pid)
            statuses = [upload_put(url, session_id(session), size) for _ in range(files)]
            return {
                "files": files,
                "accepted": sum(s == 204 for s in statuses),
                "statuses": sorted(set(statuses)),
                "rss_growth_mib": rss_mib(pid) - rss_before,
            }
        finally:
            await session.close()

    return run_coroutine(attack())


def measure(data_dir: Path, rate: float, seconds: float) -> dict:
    results = {}
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        checkout = git_checkout(Path(tmp) / "checkout")
        for name, guarded in (("before", False), ("after", True)):
            log = Path(tmp) / f"{name}.log"
            with server(checkout, data_dir, guarded, log) as (url, process):
                _reader_pages(url, 0)  # warm: every cache the reader's page needs
                uploads = upload_attack(url, process.pid)  # first: the process has not grown for the others yet
                results[name] = {
                    "uploads": uploads,
                    "git_info": git_info_attack(url, process.pid, rate, seconds),
                    "debug_flood": debug_flood(url, log),
                }
            print(name, results[name], flush=True)
    results["rate"], results["seconds"] = rate, seconds
    results["finished_at"] = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    return results


def report_markdown(r: dict, command: str) -> str:
    before, after = r["before"], r["after"]

    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}×" if b else "n/a"

    g0, g1 = before["git_info"], after["git_info"]
    d0, d1 = before["debug_flood"], after["debug_flood"]
    u0, u1 = before["uploads"], after["uploads"]
    rows = [
        ("reader's page, median, no attack (s)", g0["reader_page_baseline_s"], g1["reader_page_baseline_s"], "{:.2f}"),
        (
            f"reader's page, median, {r['rate']:g} `load_git_info`/s (s)",
            g0["reader_page_under_attack_s"],
            g1["reader_page_under_attack_s"],
            "{:.2f}",
        ),
        (
            "reader's page, slowest under attack (s)",
            g0["reader_page_under_attack_max_s"],
            g1["reader_page_under_attack_max_s"],
            "{:.2f}",
        ),
        ("health check under attack, median (s)", g0["health_s"], g1["health_s"], "{:.3f}"),
        ("health check under attack, slowest (s)", g0["health_max_s"], g1["health_max_s"], "{:.3f}"),
        (
            "server CPU with its `git` children, attack alone (cores)",
            g0["server_cpu_cores"],
            g1["server_cpu_cores"],
            "{:.3f}",
        ),
        (
            "log written for the debug messages sent (KB)",
            d0["log_growth_bytes"] / 1024,
            d1["log_growth_bytes"] / 1024,
            "{:.1f}",
        ),
        ("debug messages sent (KB)", d0["sent_bytes"] / 1024, d1["sent_bytes"] / 1024, "{:.0f}"),
        (
            "seconds until the health check answered in 0.1 s again (at most 20 measured)",
            d0["drained_s"],
            d1["drained_s"],
            "{:.1f}",
        ),
        (f"uploads of {u0['files']} × 1 MB accepted", u0["accepted"], u1["accepted"], "{:.0f}"),
        ("server memory growth from the uploads (MiB)", u0["rss_growth_mib"], u1["rss_growth_mib"], "{:.0f}"),
    ]
    lines = [
        "## One hostile client (`benchmarks/hostile.py`)",
        "",
        f"Produced by `{command}` on {r['finished_at']} UTC, {os.cpu_count()} cores. One server process, run from a "
        "copy of the project that is a git checkout tracking a GitHub remote (with an untracked file beside it), "
        "*before*: Streamlit as it comes (the guards of `dashboard/protocol.py` switched off), *after*: "
        "`python -m dashboard.serve`, one after the other in the same run. The hostile client asks for "
        f"`load_git_info` {r['rate']:g} times a second for {r['seconds']:g} s (reconnecting whenever it is "
        "closed), first alone (CPU, health check), then while a reader opens the About page again and again (the "
        "reader's page times); then it sends 1 MB of 2-byte debug messages (reconnecting likewise). Before all "
        "that, on the fresh process, it puts 50 files of 1 MB to the upload address with a valid XSRF token (*before* with the upload limit of 1 MB the app had). Figures are "
        "medians unless marked.",
        "",
        "| | before | after | after ÷ before |",
        "|---|---:|---:|---:|",
    ]
    for label, a, b, fmt in rows:
        lines.append(f"| {label} | {fmt.format(a)} | {fmt.format(b)} | {ratio(b, a)} |")
    lines += [
        "",
        "Before, each git reply names the repository and the untracked file (the control test in "
        "`tests/security/test_hostile_client.py` checks it); after, there is no reply and the "
        f"websocket is closed at the first such message ({g1['messages_alone']} attempts in {r['seconds']:g} s, each "
        "a new connection). "
        "Through the proxy, each client address may also open only 25 websockets at once and 60 a minute after "
        "that burst (docs/DEPLOY.md).",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hostile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("DASHBOARD_DATA_DIR", ROOT / "published")))
    parser.add_argument("--rate", type=float, default=20, help="load_git_info messages a second (default 20)")
    parser.add_argument("--seconds", type=float, default=10, help="seconds of attack (default 10)")
    parser.add_argument("--report", action="store_true", help="write the figures into docs/BENCHMARKS.md")
    args = parser.parse_args(argv)
    results = measure(args.data_dir, args.rate, args.seconds)
    if args.report:
        shown = [
            "python -m benchmarks.hostile",
            *(a for a in (argv if argv is not None else sys.argv[1:]) if a != "--report"),
        ]
        write_section("hostile", report_markdown(results, " ".join(shown)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
