"""What a client other than the app's own page may send over the websocket, and what the server does with it.

Any program can open the websocket: it is where a hostile client talks to the server directly, without
the browser's page in between.
"""

from __future__ import annotations

import asyncio
from unittest import mock

import pytest
import streamlit as st
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg

from benchmarks.load import StreamlitSession, run_coroutine, serve
from dashboard import protocol
from tests.browser.conftest import OUTPUT


@pytest.fixture(scope="module")
def server(published_dir):
    log = OUTPUT / "streamlit-websocket.log"
    with serve(published_dir, log=log) as (url, _):
        yield url, log


def _ws(url: str) -> str:
    return url.replace("http://", "ws://") + "/_stcore/stream"


def test_a_client_cannot_empty_every_readers_caches(server):
    url, log = server

    async def clear() -> int | None:
        session = StreamlitSession(url)
        await session.open()
        try:
            await session.page("requests")
            message = BackMsg()
            message.clear_cache = True
            await session._ws.send(message.SerializeToString())
            async with asyncio.timeout(10):
                await session._ws.wait_closed()  # the server refuses it and closes the connection
            return session._ws.close_code
        finally:
            await session.close()

    assert run_coroutine(clear()) == 1008
    assert "does not serve: clear_cache" in log.read_text(encoding="utf-8")
    timings = run_coroutine(_page_twice(url))
    assert timings[1] < 2.0  # the caches are still warm for the next reader


async def _page_twice(url: str) -> list[float]:
    session = StreamlitSession(url)
    await session.open()
    try:
        return [(await session.page("requests")).seconds for _ in range(2)]
    finally:
        await session.close()


def test_the_refusal_keeps_cached_results():
    calls = []

    @st.cache_data
    def answer() -> int:
        calls.append(1)
        return 42

    from streamlit.runtime.app_session import AppSession

    protocol.install()
    answer()
    session = mock.Mock()
    message = BackMsg()
    message.clear_cache = True
    with mock.patch("streamlit.config.get_option", return_value="viewer"):
        AppSession.handle_backmsg(session, message)
    answer()
    assert len(calls) == 1 and not session._handle_clear_cache_request.called
    protocol.install()  # idempotent: installing twice wraps once
    assert AppSession.handle_backmsg.dashboard_guard


@pytest.mark.parametrize(
    "fields",
    [
        {"load_git_info": True},
        {"set_run_on_save": True},
        {"debug_shutdown_runtime": True},
        {"debug_disconnect_websocket": True},
    ],
)
def test_messages_the_app_never_needs_are_refused_in_the_session(fields):
    """The session-level guard (every server, from the app's first run on): nothing is run, nothing sent."""
    from streamlit.runtime.app_session import AppSession

    protocol.install()
    session = mock.Mock()
    message = BackMsg()
    for name, value in fields.items():
        setattr(message, name, value)
    AppSession.handle_backmsg(session, message)
    assert not session.method_calls, session.method_calls


def test_only_the_download_and_table_operations_are_served():
    message = BackMsg()
    message.backend_operation_request.deferred_file.file_id = "x"
    assert protocol.refusal(message) is None
    message.backend_operation_request.install_skills.SetInParent()
    assert protocol.refusal(message) == "backend_operation_request.install_skills"
    message = BackMsg()
    message.file_urls_request.file_names.append("x.csv")
    assert protocol.refusal(message) == "file_urls_request"
    message = BackMsg()
    message.rerun_script.query_string = "period=2020"
    assert protocol.refusal(message) is None
    assert protocol.refusal_of_frame(b"\xff" * 10) is None  # malformed: Streamlit closes it (1002)


def test_a_page_on_another_site_cannot_open_a_session(server):
    url, _ = server

    async def connect(origin: str | None):
        async with websockets.connect(_ws(url), subprotocols=["streamlit"], origin=origin, open_timeout=20):
            return True

    with pytest.raises(websockets.exceptions.InvalidStatus):
        run_coroutine(connect("https://evil.example"))
    assert run_coroutine(connect(url))  # the app's own origin


def test_an_oversized_or_malformed_message_closes_the_connection(server):
    url, _ = server

    async def send(payload: bytes) -> tuple[int | None, list[bytes]]:
        received = []
        async with websockets.connect(_ws(url), subprotocols=["streamlit"], max_size=None) as ws:
            await ws.send(payload)
            try:
                async with asyncio.timeout(20):
                    while True:
                        received.append(await ws.recv())
            except websockets.exceptions.ConnectionClosed as closed:
                return closed.rcvd.code if closed.rcvd else None, received
        return None, received

    code, _ = run_coroutine(send(b"x" * (2 * 1024 * 1024)))  # server.maxWidgetStateSize = 1 MB
    assert code == 1009
    code, received = run_coroutine(send(b"\xff" * 100))
    assert code == 1002
    assert not any(b"Traceback" in m or b".py" in m for m in received)
