"""A real Streamlit server on the test dataset, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

from benchmarks.server import serve

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
OUTPUT = ROOT / "test-output"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def app_url(published_dir):
    """Serve the dashboard (a plain ``streamlit run``) on a free loopback port for the whole session."""
    server = contextlib.ExitStack()
    try:
        url, _process = server.enter_context(
            serve(published_dir, log=OUTPUT / "streamlit-server.log", timeout=60, plain=True)
        )
    except RuntimeError as error:
        pytest.fail(f"{error}; see test-output/streamlit-server.log")
    with server:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def wait_until_rendered(page, charts: int) -> None:
    """Streamlit has finished running and every chart has drawn its plot."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    page.wait_for_timeout(500)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    if charts:
        page.wait_for_function(
            f"document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .js-plotly-plot').length >= {charts}",
            timeout=60_000,
        )
