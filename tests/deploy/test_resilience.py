"""The deployment under change: a replica killed or stopped, a release published while it serves."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import time

import pytest
from websockets.sync.client import connect

from deploy.render import AFFINITY_COOKIE
from etl.build import run
from etl.caselog_generate import generate
from etl.publish import current_database
from tests.deploy.conftest import http_get, wait_for_charts, wait_for_text

CLIENTS = [f"client-{i:02d}" for i in range(16)]  # affinity keys: some hash to each replica


def _open_session(stack, client: str) -> int:
    """A websocket handshake through the proxy as one browser would open its session."""
    with connect(
        stack.url.replace("http", "ws") + "/_stcore/stream",
        subprotocols=["streamlit"],
        additional_headers={"Cookie": f"{AFFINITY_COOKIE}={client}"},
        open_timeout=10,
    ) as ws:
        return ws.response.status_code


def test_killing_a_replica_leaves_the_service_answering_and_supervisor_restarts_it(stack):
    killed = stack.pid("replicas:app-0")
    os.kill(killed, signal.SIGKILL)
    answers = []
    deadline = time.monotonic() + 4  # supervisord restarts it at once, but Streamlit takes seconds to listen
    while time.monotonic() < deadline:
        for client in CLIENTS:
            status, _, body = http_get(stack.url + "/", {"Cookie": f"{AFFINITY_COOKIE}={client}"})
            answers.append((status, b'<div id="root">' in body))
            answers.append((_open_session(stack, client), True))
    assert answers and all(a in ((200, True), (101, True)) for a in answers), set(answers)

    deadline = time.monotonic() + 90
    while not (stack.state("replicas:app-0") == "RUNNING" and stack.pid("replicas:app-0") not in (0, killed)):
        assert time.monotonic() < deadline, stack.ctl("status")
        time.sleep(0.5)
    stack.wait_healthy()
    assert http_get(stack.replica_url(0) + "/_stcore/health")[2] == b"ok"


def test_a_replica_that_hangs_is_passed_over_and_restarted_by_its_health_check(stack):
    hung = stack.pid("replicas:app-1")
    os.kill(hung, signal.SIGSTOP)  # alive, listening, answering nothing
    try:
        started = time.monotonic()
        for client in CLIENTS:  # some of them are keyed to the hung replica
            status, _, _ = http_get(stack.url + "/", {"Cookie": f"{AFFINITY_COOKIE}={client}"}, timeout=40)
            assert status == 200
        read_timeout = stack.settings.proxy_read_timeout  # 15 s in production, short in the tests
        assert time.monotonic() - started < 2 * read_timeout + 10  # one read timeout, then that replica is skipped
        deadline = time.monotonic() + 120  # a 5 s tick, one health check, the stop wait, 5 s to start
        while not (stack.state("replicas:app-1") == "RUNNING" and stack.pid("replicas:app-1") not in (0, hung)):
            assert time.monotonic() < deadline, stack.ctl("status") + stack.logs()
            time.sleep(1)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(hung, signal.SIGCONT)
    stack.wait_healthy()
    health_log = (stack.run_dir / "logs" / "health-app-1.log").read_text(encoding="utf-8")
    assert "replicas:app-1 is in RUNNING state, restarting" in health_log


@pytest.mark.browser
def test_while_a_replica_is_down_new_sessions_go_to_the_other(stack, browser_context):
    stack.ctl("stop", "replicas:app-0", check=True)
    try:
        log_lines = len(stack.access_log())
        assert all(_open_session(stack, client) == 101 for client in CLIENTS)
        page = browser_context.new_page()
        page.goto(stack.url + "/requests")
        wait_for_charts(page, 8)
        page.close()  # nginx logs a websocket when it closes
        sessions = [line for line in stack.access_log()[log_lines:] if "/_stcore/stream" in line]
        upstreams = {re.search(r"upstream=(.+?) rt=", line).group(1).split(", ")[-1] for line in sessions}
        assert len(sessions) >= len(CLIENTS) + 1
        assert upstreams == {f"127.0.0.1:{stack.replica_ports[1]}"}, upstreams
    finally:
        stack.ctl("start", "replicas:app-0", check=True)
        stack.wait_healthy()


@pytest.mark.browser
def test_a_release_published_while_serving_reaches_both_replicas_and_open_sessions(stack, browser_context, tmp_path):
    before = current_database(stack.data_dir).stem.removeprefix("dataset-")
    replicas_before = [stack.pid(f"replicas:app-{i}") for i in range(len(stack.replica_ports))]
    reader = browser_context.new_page()  # a session open before the release, through the proxy
    reader.goto(stack.url + "/")
    wait_for_text(reader, f"Dataset version {before}")
    reader.evaluate("() => { window.__sameDocument = true }")

    # A different release: the same sources plus a small illustrative case log (the version is a content hash),
    # built and published into the served folder from this process (the command line is tested in tests/caselog).
    log = generate(rows=2000, seed=8, out=tmp_path / "caselog.csv")
    run(stack.data_dir, case_logs=[log])
    after = current_database(stack.data_dir).stem.removeprefix("dataset-")
    assert after != before

    for index in range(len(stack.replica_ports)):  # each replica, asked directly
        page = browser_context.new_page()
        page.goto(stack.replica_url(index) + "/about")
        wait_for_text(page, f"Dataset version {after}")
        page.close()
    reader.get_by_role("link", name="About the data").click()  # the open session's next run
    wait_for_text(reader, f"Dataset version {after}")
    assert reader.evaluate("() => window.__sameDocument") is True  # no reload: same page, same session
    assert [stack.pid(f"replicas:app-{i}") for i in range(len(stack.replica_ports))] == replicas_before
    status, _, _ = http_get(f"{stack.url}/releases/dataset-{after}.zip")
    assert status == 200
    wait_for_charts(reader, 0)
