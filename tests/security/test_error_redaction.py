"""An exception anywhere shows a generic message: no path, SQL, exception type or traceback leaves the server.

Two real failures: the published file is damaged (DuckDB's error names the file's path) and the file is a
valid database without the tables (DuckDB's error quotes the SQL). What the server sends over the websocket
is checked byte for byte, since any client can read it, and then what a browser shows.
"""

from __future__ import annotations

import os

import duckdb
import pytest

from benchmarks.load import SessionFailure, StreamlitSession, run_coroutine, serve
from tests.browser.conftest import OUTPUT

GENERIC = "This app has encountered an error"
NEVER_SENT = (
    "Traceback",
    'File "',
    ".py",
    "duckdb",
    "DuckDB",
    "IOException",
    "CatalogException",
    "Catalog Error",
    "SELECT",
    "FROM ",
    "dataset-",
)


def _damaged(folder):
    folder.mkdir()
    (folder / "LATEST").write_text("dataset-0000000000aa.duckdb\n", encoding="utf-8")
    (folder / "dataset-0000000000aa.duckdb").write_bytes(os.urandom(64 * 1024))


def _without_tables(folder):
    folder.mkdir()
    (folder / "LATEST").write_text("dataset-0000000000bb.duckdb\n", encoding="utf-8")
    duckdb.connect(str(folder / "dataset-0000000000bb.duckdb")).close()


@pytest.fixture(scope="module", params=[_damaged, _without_tables], ids=["damaged-file", "no-tables"])
def broken_server(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken") / "published"
    request.param(folder)
    log = OUTPUT / f"streamlit-broken-{request.param.__name__.strip('_')}.log"
    with serve(folder, log=log) as (url, _):
        yield url, folder, log


def _without_script_path(data: bytes) -> str:
    """A message as text; Streamlit tells every client where the app's entry point is (documented, not ours)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    message = ForwardMsg()
    message.ParseFromString(data)
    if message.WhichOneof("type") == "new_session":
        message.new_session.ClearField("main_script_path")
    return message.SerializeToString().decode("utf-8", errors="replace")


def _forbidden(folder) -> tuple[str, ...]:
    return (*NEVER_SENT, str(folder), str(folder.parent))


@pytest.mark.parametrize("page", ["", "requests", "about"])
def test_the_websocket_carries_only_the_generic_message(broken_server, page):
    url, folder, log = broken_server

    async def visit() -> tuple[str, list[bytes]]:
        session = StreamlitSession(url, keep_messages=True)
        await session.open()
        try:
            await session.page(page)
        except SessionFailure as failure:
            return str(failure), session.received
        finally:
            await session.close()
        return "", session.received

    failure, received = run_coroutine(visit())
    assert GENERIC in failure, "the broken dataset must fail the page"
    sent = "".join(_without_script_path(data) for data in received)
    for text in _forbidden(folder):
        assert text not in sent, f"{text!r} was sent to the browser"
    assert "Error" in log.read_text(encoding="utf-8"), "the details belong in the server log"


@pytest.mark.browser
def test_the_browser_shows_a_generic_message(broken_server, browser):
    url, folder, _ = broken_server
    page = browser.new_page()
    try:
        page.goto(f"{url}/requests")
        page.get_by_text(GENERIC).first.wait_for(timeout=60_000)
        shown, html = page.inner_text("body"), page.content()
    finally:
        page.close()
    for text in _forbidden(folder):
        assert text not in shown and text not in html, f"{text!r} is in the page"
