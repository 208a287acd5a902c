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
from dashboard import live
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

    async def clear() -> None:
        session = StreamlitSession(url)
        await session.open()
        try:
            await session.page("requests")
            message = BackMsg()
            message.clear_cache = True
            await session._ws.send(message.SerializeToString())
            await session.page("about")  # the server has handled the request before it runs this page
        finally:
            await session.close()

    run_coroutine(clear())
    assert "Ignored a request from a browser to clear the caches" in log.read_text(encoding="utf-8")


def test_the_refusal_keeps_cached_results():
    calls = []

    @st.cache_data
    def answer() -> int:
        calls.append(1)
        return 42

    from streamlit.runtime.app_session import AppSession

    live.refuse_cache_clearing_from_browsers()  # what app.py does first on every run
    answer()
    session = mock.Mock()
    with mock.patch("streamlit.config.get_option", return_value="viewer"):
        AppSession._handle_clear_cache_request(session)
    answer()
    assert len(calls) == 1 and not session._session_state.clear.called
    assert getattr(AppSession._handle_clear_cache_request, "refused_for_viewers", False)
    live.refuse_cache_clearing_from_browsers()  # idempotent: a second call wraps nothing more
    assert AppSession._handle_clear_cache_request.refused_for_viewers


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
