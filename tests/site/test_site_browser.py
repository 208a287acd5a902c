"""The static pages in Chromium, from their files alone (a plain static file server, no Streamlit): each draws its plot with the
plotly.js served beside it, logs no error and requests nothing outside the site's folder, in both languages;
with JavaScript off a page still shows the chart's image and its table. Every chart's files are checked without a
browser in ``test_site.py``; here every registered chart's page is opened in each language.

Every page is a new navigation of one tab, as a reader goes from chart to chart: the tab's renderer keeps the
plotly.js it compiled (a new tab is a new renderer, which compiles the 4.7 MB script afresh, seconds each), and the
server marks the versioned files cacheable as nginx does, so the script is not fetched again either. Each page
still loads, runs and draws on its own; what it logs and requests is recorded per navigation."""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dashboard import registry
from dashboard.site.urls import LANGS

pytestmark = pytest.mark.browser

#: What nginx sends with every file of a versioned site folder (deploy/nginx.conf.in; tests/deploy/test_site_proxy.py).
VERSIONED = "public, max-age=31536000, immutable"


@dataclass
class Tab:
    """One tab; ``open`` navigates it and records that page's console errors, uncaught exceptions and requests."""

    page: object
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def open(self, url: str):
        self.errors.clear()  # a late message of the previous page can only make this page fail, never pass
        self.requests.clear()
        self.page.goto(url)
        return self.page


@pytest.fixture(scope="module")
def tabs(browser):
    """``tabs(kind)``: this module's tab for pages from the site's server ("http") or from the files ("file"); a
    tab per kind, since a page of another origin runs in another renderer."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    made: dict[str, Tab] = {}

    def get(kind: str) -> Tab:
        if kind not in made:
            made[kind] = Tab(context.new_page())
        return made[kind]

    yield get
    context.close()


@pytest.fixture(scope="module")
def site_server(built_site):
    """The site's files served as they are (any static file server, as nginx or a CDN would); the map charts'
    MapLibre worker does not start from a file:// page, whose origin is null."""
    folder = built_site.folder.resolve()
    handler = functools.partial(_VersionedHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _VersionedHandler(SimpleHTTPRequestHandler):
    """Serves a version's folder, which is never rewritten, with nginx's caching header for it."""

    def end_headers(self):
        self.send_header("Cache-Control", VERSIONED)
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 (the standard library's name)
        pass


def _data_rows(csv_file) -> int:
    """Rows of numbers in a chart's CSV (its comment lines and header aside)."""
    lines = [line for line in csv_file.read_text(encoding="utf-8-sig").splitlines() if not line.startswith("#")]
    return max(len(lines) - 1, 0)


@pytest.mark.parametrize("lang", LANGS)
def test_chart_pages_draw_from_the_files_alone(tabs, site_server, lang):
    folder, base = site_server
    tab = tabs("http")
    for chart_id in registry.CHARTS:
        page = tab.open(f"{base}/{lang}/{chart_id}.html")
        page.wait_for_selector(f"#plot-{chart_id}[data-drawn='true'] .main-svg", timeout=30_000)
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ur" else "ltr"), chart_id
        assert not tab.errors, (chart_id, tab.errors)
        outside = [u for u in tab.requests if not u.startswith((base + "/", "data:", "blob:"))]
        assert not outside, (chart_id, outside)
        assert f"{base}/{lang}/{chart_id}.html" in tab.requests, chart_id  # a fresh load of the page
        rows = _data_rows(folder / lang / f"{chart_id}.csv")
        if rows:  # a chart with numbers shows them in its table too (the case-log charts have none here)
            assert page.locator("table tbody tr").count() > 0, chart_id
    tab = tabs("file")
    page = tab.open((folder / lang / "ledger.embed.html").as_uri())
    page.wait_for_selector("#plot-ledger[data-drawn='true'] .main-svg", timeout=30_000)
    assert not tab.errors and all(u.startswith((folder.as_uri(), "data:", "blob:")) for u in tab.requests)


def test_without_javascript_a_page_shows_the_image_and_the_table(browser, built_site):
    url = (built_site.folder.resolve() / "en" / "ledger.html").as_uri()
    context = browser.new_context(viewport={"width": 1200, "height": 900}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url)
        image = page.locator("#plot-ledger img")
        assert image.is_visible()
        assert page.evaluate("document.querySelector('#plot-ledger img').naturalWidth") >= 1000
        assert page.locator("table tbody tr").count() > 0
    finally:
        context.close()
