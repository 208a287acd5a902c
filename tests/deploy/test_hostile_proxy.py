"""One hostile client through the proxy (nginx in front of two replicas, tests/deploy/conftest.py).

Each test speaks from its own loopback address (127.0.0.x), so that the proxy's per-client limits it runs into
are its own and not those of the other deployment tests, which all come from 127.0.0.1.
"""

from __future__ import annotations

import statistics
import time

from benchmarks.hostile import closed_by_server, frames, http, message, raw_websocket, reader_during, upload_put
from benchmarks.load import StreamlitSession, run_coroutine
from deploy.render import AFFINITY_COOKIE, embeddable_chart_ids
from tests.deploy.conftest import http_get


def _csp_frame_ancestors(headers: dict) -> str:
    return next(p.strip() for p in headers["content-security-policy"].split(";") if "frame-ancestors" in p)


def test_metrics_and_the_upload_address_are_not_served_through_the_proxy(stack):
    for path in ("/_stcore/metrics", "/_stcore/metrics?families=cache_memory_bytes", "/_stcore/metrics/"):
        status, _, body = http(stack.url + path, source="127.0.0.11")
        assert status == 404 and b"session" not in body, path
    assert http(stack.replica_url(0) + "/_stcore/metrics")[0] == 200  # the replica has them, on loopback only

    async def upload_through_the_proxy():
        session = StreamlitSession(stack.url, keep_messages=True)
        await session.open()
        try:
            await session.page("about")
            from benchmarks.hostile import session_id

            return upload_put(stack.url, session_id(session), 1000, source="127.0.0.11")
        finally:
            await session.close()

    assert run_coroutine(upload_through_the_proxy()) == 403
    status, _, _ = http(stack.url + "/_stcore/upload_file/x/y", "PUT", b"x", source="127.0.0.11")
    assert status == 403


def test_load_git_info_through_the_proxy_gets_nothing_and_does_not_delay_another_reader(stack):
    outcomes: list[str] = []

    def attack() -> None:  # 100 requests from one address, a new connection for each
        deadline = time.monotonic() + 30
        while len(outcomes) < 100 and time.monotonic() < deadline:
            try:
                sock = raw_websocket(stack.url, source="127.0.0.12")
            except ConnectionRefusedError as refused:
                outcomes.append("429" if "429" in str(refused) else str(refused))
                continue
            with sock:
                sock.sendall(frames(message(load_git_info=True), 1))
                sock.settimeout(5)
                try:
                    first = sock.recv(65536)  # the server sends nothing before a page run: the close frame
                except OSError:
                    first = b"(nothing within 5 s)"
                outcomes.append("closed" if first[:1] in (b"\x88", b"") else f"answered {first[:40]!r}")

    before, during = reader_during(stack.url, attack)
    baseline = statistics.median(before)
    assert len(outcomes) == 100 and set(outcomes) <= {"closed", "429"}, outcomes
    assert during and max(during) - baseline <= 0.5, (baseline, during)


def test_a_client_may_hold_only_so_many_sessions(stack):
    limit = stack.settings.sessions_per_client
    held, refused = [], 0
    try:
        for _ in range(limit + 5):
            try:
                held.append(raw_websocket(stack.url, source="127.0.0.13"))
            except ConnectionRefusedError:
                refused += 1
        assert len(held) == limit and refused == 5
        other = raw_websocket(stack.url, source="127.0.0.14")  # another address is not affected
        other.close()
    finally:
        for sock in held:
            sock.close()


def test_download_requests_are_rate_limited_per_client(stack):
    statuses = [http(stack.url + "/media/no-such-file.csv", source="127.0.0.15")[0] for _ in range(100)]
    assert statuses.count(429) >= 100 - stack.settings.downloads_burst - 5, statuses
    assert 429 not in statuses[: stack.settings.downloads_burst - 5]


def test_the_affinity_cookie_is_never_set_on_a_publicly_cacheable_response(stack):
    _, headers, page = http_get(stack.url + "/")
    assert AFFINITY_COOKIE in headers.get("set-cookie", "")  # the page itself carries it
    assert "public" not in headers.get("cache-control", "")
    bundles = [p.decode() for p in __import__("re").findall(rb'src="\.?/?(static/js/[^"]+\.js)"', page)]
    assert bundles
    _, headers, _ = http_get(stack.url + "/" + bundles[0])
    assert "public" in headers["cache-control"] and AFFINITY_COOKIE not in headers.get("set-cookie", "")
    version = next((stack.data_dir / "releases").glob("dataset-*.zip")).name
    status, headers, _ = http_get(stack.url + f"/releases/{version}")
    assert status == 200 and "public" in headers["cache-control"]
    assert AFFINITY_COOKIE not in headers.get("set-cookie", "")


def test_only_embed_with_a_known_chart_may_be_framed_by_other_sites(stack):
    for chart in embeddable_chart_ids():
        _, headers, _ = http_get(stack.url + f"/embed?chart={chart}&embed=true")
        assert _csp_frame_ancestors(headers) == f"frame-ancestors {stack.embedding_site}", chart
        assert "x-frame-options" not in headers
    for query in ("", "?embed=true", "?chart=unknown", "?chart=", "?chart=ledger-x", "?chart=x%7Cledger", "?x=ledger"):
        _, headers, _ = http_get(stack.url + "/embed" + query)
        assert _csp_frame_ancestors(headers) == "frame-ancestors 'self'", query
        assert headers["x-frame-options"] == "SAMEORIGIN", query


def test_embed_without_a_valid_chart_draws_no_navigation_through_the_proxy(stack):
    async def open_embed(query: str):
        session = StreamlitSession(stack.url, keep_messages=True)
        await session.open()
        try:
            await session.page("embed", query)
        finally:
            await session.close()
        return session

    for query in ("", "chart=unknown"):
        session = run_coroutine(open_embed(query))
        assert set(session.pages) <= {"", "embedded-chart", "embed"}, session.pages
        shown = b"".join(session.received)
        assert b"No chart by that name can be embedded" in shown and b"Takedown requests" not in shown


def test_debug_messages_through_the_proxy_close_the_connection(stack):
    with raw_websocket(stack.url, source="127.0.0.16") as sock:
        sock.sendall(frames(message(debug_shutdown_runtime=True), 1000))
        assert closed_by_server(sock, 5)
    assert http_get(stack.url + "/_stcore/health")[2] == b"ok"


def test_the_default_limits_are_rendered_into_a_valid_configuration(stack, nginx_binary, tmp_path):
    """The shipped defaults (the test stack allows more new sessions a minute: its browsers share 127.0.0.1)."""
    import subprocess
    from dataclasses import replace

    from deploy.render import Settings, render, write

    defaults = Settings()
    settings = replace(
        stack.settings, run_dir=tmp_path / "run", session_opens_per_minute=defaults.session_opens_per_minute
    )
    write(settings)
    nginx = render(settings)["nginx.conf"]
    assert f"zone=session_opens:10m rate={defaults.session_opens_per_minute}r/m;" in nginx
    assert f"limit_conn sessions_per_client {defaults.sessions_per_client};" in nginx
    assert f"limit_req zone=session_opens burst={defaults.sessions_per_client} nodelay;" in nginx
    assert f"limit_req zone=downloads burst={defaults.downloads_burst} nodelay;" in nginx
    assert f"limit_conn release_downloads {defaults.release_downloads_per_client};" in nginx
    result = subprocess.run(
        [nginx_binary, "-t", "-p", f"{settings.run_dir}/", "-c", str(settings.run_dir / "nginx.conf"), "-e", "stderr"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
