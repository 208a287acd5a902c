"""The dashboard on a free loopback port, for the benchmarks and the tests that need a real server: one
launcher (``serve``), so that the browser tests, the load and hostile-client benchmarks and the security tests
start the server the same way."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(
    data_dir: Path,
    log: Path | None = None,
    options: dict | None = None,
    timeout: float = 90,
    *,
    plain: bool = False,
    root: Path = ROOT,
    environment: dict | None = None,
    script: Path | None = None,
):
    """The dashboard as deployed (``python -m dashboard.serve``) on a free loopback port over ``data_dir``;
    yields (base URL, process). ``plain``: a bare ``streamlit run dashboard/app.py`` instead.

    ``options`` are extra Streamlit settings for this server only, e.g. ``{"server.disconnectedSessionTTL": 10}``;
    ``root`` is the folder it runs from (a copy of the project), ``environment`` extra variables, ``script`` the
    entry script of a plain server (default ``dashboard/app.py``).
    """
    port = free_port()
    from deploy.render import SERVER_ENVIRONMENT  # the replicas' own settings (allocator arenas)

    environment = {**os.environ, **SERVER_ENVIRONMENT, **(environment or {}), "DASHBOARD_DATA_DIR": str(data_dir)}
    if log:
        log.parent.mkdir(parents=True, exist_ok=True)
    output = log.open("w") if log else subprocess.DEVNULL
    extra = [item for key, value in (options or {}).items() for item in (f"--{key}", str(value))]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            *(["streamlit", "run", str(script or "dashboard/app.py")] if plain else ["dashboard.serve"]),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            *extra,
        ],
        cwd=root,
        env=environment,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, timeout, server)
        yield url, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if log:
            output.close()


def wait_healthy(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode} before it was healthy")
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            time.sleep(0.1)  # a refused connection costs nothing: ask again soon
    raise RuntimeError(f"{url} did not become healthy within {timeout:.0f} s")
