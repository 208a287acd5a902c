"""The one-machine deployment for real: supervisord running Debian's nginx and two Streamlit replicas on free
loopback ports, serving a copy of the test dataset that the tests may publish into."""

from __future__ import annotations

import getpass
import gzip
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xmlrpc.client
from dataclasses import dataclass
from pathlib import Path

import pytest

from deploy.render import Settings, find_nginx, write

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


@pytest.fixture(scope="session")
def nginx_binary() -> str:
    found = find_nginx()
    if not found:
        if os.environ.get("REQUIRE_DEPLOY"):
            pytest.fail("nginx is missing; install Debian's nginx package (make deploy-deps as root)")
        pytest.skip("nginx is not installed (sudo apt-get install nginx); deployment tests skipped")
    return found


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def http_get(url: str, headers: dict | None = None, timeout: float = 10) -> tuple[int, dict, bytes]:
    """Status, headers (lower-case names; repeated ones joined by newlines) and body; errors and redirects
    are answers, not exceptions."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            status, headers, body = response.status, _headers(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, _headers(error.headers), error.read()
    if headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)  # the header stays, to be checked
    return status, headers, body


def _headers(message) -> dict:
    joined: dict[str, str] = {}
    for name, value in message.items():
        key = name.lower()
        joined[key] = f"{joined[key]}\n{value}" if key in joined else value
    return joined


@dataclass
class Stack:
    """A running deployment: its URLs, folders and a way to ask supervisord about its processes."""

    url: str
    replica_ports: list[int]
    run_dir: Path
    data_dir: Path
    embedding_site: str  # the origin allowed to frame /embed
    settings: Settings

    def replica_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.replica_ports[index]}"

    def ctl(self, *args: str, check: bool = False) -> str:
        result = subprocess.run(
            [str(BIN / "supervisorctl"), "-c", str(self.run_dir / "supervisord.conf"), *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"supervisorctl {' '.join(args)}: {result.stdout}{result.stderr}")
        return result.stdout

    def rpc(self):
        """supervisord's own XML-RPC interface on its control socket, asked from this process: the questions
        the tests poll with (a state, a process id) without starting a supervisorctl process each time."""
        from supervisor.xmlrpc import SupervisorTransport

        transport = SupervisorTransport(serverurl=f"unix://{self.run_dir / 'supervisor.sock'}")
        return xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport).supervisor

    def _info(self, program: str) -> dict:
        try:
            return self.rpc().getProcessInfo(program)
        except (OSError, xmlrpc.client.Error):  # supervisord not answering (yet), or no such program
            return {}

    def pid(self, program: str) -> int:
        return int(self._info(program).get("pid", 0))

    def state(self, program: str) -> str:
        return self._info(program).get("statename", "")

    def access_log(self) -> list[str]:
        time.sleep(1.5)  # nginx flushes its buffered access log every second
        return (self.run_dir / "logs" / "nginx-access.log").read_text(encoding="utf-8").splitlines()

    def wait_healthy(self, timeout: float = 90) -> None:
        """Every program RUNNING, every replica and the proxy answering their health check."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                states = [p["statename"] for p in self.rpc().getAllProcessInfo()]
            except (OSError, xmlrpc.client.Error):  # supervisord not answering yet
                states = []
            if states and all(state == "RUNNING" for state in states):
                urls = [self.replica_url(i) for i in range(len(self.replica_ports))] + [self.url]
                try:
                    if all(http_get(u + "/_stcore/health", timeout=3)[2] == b"ok" for u in urls):
                        return
                except OSError:
                    pass
            time.sleep(0.5)
        raise AssertionError(f"deployment not healthy after {timeout} s:\n{self.ctl('status')}\n{self.logs()}")

    def logs(self) -> str:
        parts = []
        for log in sorted((self.run_dir / "logs").glob("*")):
            parts.append(f"--- {log.name}\n{log.read_text(encoding='utf-8', errors='replace')[-2000:]}")
        return "\n".join(parts)


@pytest.fixture(scope="session")
def stack(nginx_binary, published_dir, tmp_path_factory) -> Stack:
    """supervisord → nginx + 2 replicas + their health checks, on a copy of the test dataset."""
    base = tmp_path_factory.mktemp("deployment")
    data_dir = base / "published"
    shutil.copytree(published_dir, data_dir)
    proxy_port, site_port, *replica_ports = free_ports(4)
    embedding_site = f"http://127.0.0.1:{site_port}"
    settings = Settings(
        run_dir=base / "run",
        listen=f"127.0.0.1:{proxy_port}",
        replica_ports=replica_ports,
        data_dir=data_dir,
        embed_frame_ancestors=embedding_site,
        nginx_user=getpass.getuser() if os.geteuid() == 0 else "",  # workers must read the temp folders
        workers="1",
        nginx=nginx_binary,
        session_opens_per_minute=60000,  # these tests are many browsers, all from 127.0.0.1, opening sessions fast
        # Shorter timers (production: 15 s to read, 10 s to stop; docs/DEPLOY.md) so that a hung replica is
        # passed over and replaced sooner. The health check keeps its 15 s and its start grace of 60 s: a replica
        # starting on a busy 2-core machine needs them.
        proxy_read_timeout=8,
        stop_wait=3,
    )
    conf = write(settings)
    supervisord = subprocess.Popen(
        [str(BIN / "supervisord"), "-n", "-c", str(conf)],
        cwd=ROOT,
        stdout=(settings.run_dir / "logs" / "supervisord.out").open("w"),
        stderr=subprocess.STDOUT,
    )
    running = Stack(
        f"http://127.0.0.1:{proxy_port}", replica_ports, settings.run_dir, data_dir, embedding_site, settings
    )
    try:
        running.wait_healthy()
        yield running
    finally:
        supervisord.terminate()  # supervisord stops nginx and the replicas before it exits
        try:
            supervisord.wait(timeout=30)
        except subprocess.TimeoutExpired:
            supervisord.kill()
            supervisord.wait()
        output = ROOT / "test-output" / "deploy-logs"
        shutil.rmtree(output, ignore_errors=True)
        shutil.copytree(settings.run_dir / "logs", output)


CSP_VIOLATIONS_SCRIPT = (
    "window.__cspViolations = [];"
    "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push("
    "[e.violatedDirective, e.blockedURI, e.sourceFile].join(' ')));"
)


def wait_for_charts(frame, charts: int, timeout: float = 60) -> None:
    """Streamlit drew ``charts`` plotly charts. Polls from Python: the CSP forbids the eval that
    Playwright's wait_for_function uses."""
    frame.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    plots = frame.locator('[data-testid="stPlotlyChart"] .js-plotly-plot')
    deadline = time.monotonic() + timeout
    while plots.count() < charts:
        if time.monotonic() > deadline:
            raise AssertionError(f"{plots.count()} of {charts} charts drawn after {timeout} s")
        time.sleep(0.25)


def wait_for_text(frame, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while text not in frame.locator("body").inner_text():
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} not shown after {timeout} s")
        time.sleep(0.25)


@pytest.fixture
def browser_context(browser):  # the session's browser (tests/conftest.py)
    """A fresh browser (own cookies) that records every Content-Security-Policy violation on its pages."""
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    context.add_init_script(CSP_VIOLATIONS_SCRIPT)
    yield context
    context.close()


def csp_violations(frame) -> list[str]:
    return frame.evaluate("() => window.__cspViolations")
