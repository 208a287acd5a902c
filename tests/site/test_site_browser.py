"""The static pages in Chromium, from their files alone (a plain static file server, no Streamlit): each draws its plot with the
plotly.js served beside it, logs no error and requests nothing outside the site's folder, in both languages;
with JavaScript off a page still shows the chart's image and its table. Every chart's files are checked without a
browser in ``test_site.py``; here every registered chart's page is opened in each language (one browser context
per language, a new tab per chart)."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dashboard import registry
from dashboard.site.urls import LANGS

pytestmark = pytest.mark.browser


def _visit(browser, url: str, *, javascript: bool = True):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    return context, page, errors, requests


@pytest.fixture(scope="module")
def site_server(built_site):
    """The site's files served as they are (any static file server, as nginx or a CDN would); the map charts'
    MapLibre worker does not start from a file:// page, whose origin is null."""
    folder = built_site.folder.resolve()
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the standard library's name)
        pass


def _data_rows(csv_file) -> int:
    """Rows of numbers in a chart's CSV (its comment lines and header aside)."""
    lines = [line for line in csv_file.read_text(encoding="utf-8-sig").splitlines() if not line.startswith("#")]
    return max(len(lines) - 1, 0)


@pytest.mark.parametrize("lang", LANGS)
def test_chart_pages_draw_from_the_files_alone(browser, site_server, lang):
    folder, base = site_server
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        for chart_id in registry.CHARTS:
            page = context.new_page()
            errors, requests = [], []
            page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            page.on("request", lambda r, requests=requests: requests.append(r.url))
            page.goto(f"{base}/{lang}/{chart_id}.html")
            page.wait_for_selector(f"#plot-{chart_id}[data-drawn='true'] .main-svg", timeout=30_000)
            assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ur" else "ltr"), chart_id
            assert not errors, (chart_id, errors)
            outside = [u for u in requests if not u.startswith((base + "/", "data:", "blob:"))]
            assert not outside, (chart_id, outside)
            rows = _data_rows(folder / lang / f"{chart_id}.csv")
            if rows:  # a chart with numbers shows them in its table too (the case-log charts have none here)
                assert page.locator("table tbody tr").count() > 0, chart_id
            page.close()
    finally:
        context.close()
    embed = (folder / lang / "ledger.embed.html").as_uri()
    context, page, errors, requests = _visit(browser, embed)
    try:
        page.wait_for_selector("#plot-ledger[data-drawn='true'] .main-svg", timeout=30_000)
        assert not errors and all(u.startswith((folder.as_uri(), "data:", "blob:")) for u in requests)
    finally:
        context.close()


def test_without_javascript_a_page_shows_the_image_and_the_table(browser, built_site):
    url = (built_site.folder.resolve() / "en" / "ledger.html").as_uri()
    context, page, _errors, _requests = _visit(browser, url, javascript=False)
    try:
        image = page.locator("#plot-ledger img")
        assert image.is_visible()
        assert page.evaluate("document.querySelector('#plot-ledger img').naturalWidth") >= 1000
        assert page.locator("table tbody tr").count() > 0
    finally:
        context.close()
