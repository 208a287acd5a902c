"""A real Streamlit server on the test dataset, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from benchmarks.server import serve

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
OUTPUT = ROOT / "test-output"
#: Screenshots of every page (test-output/screenshots) with SCREENSHOTS=1; otherwise only of what failed.
SCREENSHOTS = os.environ.get("SCREENSHOTS", "") not in ("", "0")
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Every page of the app and the plotly charts it draws (default filters).
PAGES = {"": 4, "requests": 8, "responsiveness": 3, "incidents": 8, "data": 0, "about": 0, "briefing": 0}
#: Of those, the maps (MapLibre canvases: the province map and the event map).
MAPS = {"incidents": 2}
#: The visit in which Tab alone is pressed through the page (its period slider, filters and chart tabs).
KEYBOARD = {("requests", "en")}
#: Presses of Tab from the top of the page: enough to pass the language choice, the navigation, every filter and
#: reach the first chart's tabs.
TAB_PRESSES = 60
LANGS = ("en", "ur")
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # One renderer per site in a browser context: a new tab on a site that another tab of the context has open
    # joins that tab's renderer, which keeps the scripts it has compiled. A new renderer parses and compiles the
    # app's several MB of JavaScript (Streamlit's bundle, plotly.js) again: about half the CPU of a page load.
    # Each tab is still its own page with its own document, script run and session (see ``app_context``).
    "--process-per-site",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def report_queue(published_dir) -> Path:
    """Where the served dashboard writes readers' reports (beside the test dataset, not in the project)."""
    return published_dir.parent / "browser-reports" / "queue.jsonl"


@pytest.fixture(scope="session")
def app_url(published_dir, report_queue):
    """Serve the dashboard (a plain ``streamlit run``) on a free loopback port for the whole session."""
    server = contextlib.ExitStack()
    environment = {"DASHBOARD_REPORTS": "queue", "DASHBOARD_REPORTS_QUEUE": str(report_queue)}
    try:
        url, _process = server.enter_context(
            serve(published_dir, log=OUTPUT / "streamlit-server.log", timeout=60, plain=True, environment=environment)
        )
    except RuntimeError as error:
        pytest.fail(f"{error}; see test-output/streamlit-server.log")
    with server:
        yield url


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


def _shot_name(item) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", item.name).strip("-")


@contextlib.contextmanager
def tabs_of_one_renderer(browser, base_url: str, **options):
    """A browser context for opening the app served at ``base_url``, each page in a tab of its own.

    One tab stays open on the app's health address while the context lives, so the site's renderer lives from
    tab to tab and a new tab does not compile the app's scripts again (``--process-per-site``). Every page is
    still a document of its own; close its tab and ``forget`` it after use, so no test sees another's."""
    context = browser.new_context(viewport=DESKTOP, **options)
    keeper = context.new_page()
    keeper.goto(f"{base_url}/_stcore/health")
    try:
        yield context
    finally:
        context.close()


@pytest.fixture(scope="session")
def app_context(browser, app_url):
    """The browser context in which every test opens the served app (``tabs_of_one_renderer``)."""
    with tabs_of_one_renderer(browser, app_url, accept_downloads=True) as context:
        yield context


def forget(context, page) -> None:
    """What the app left in the browser (its XSRF cookie, its stored theme and sidebar state)."""
    context.clear_cookies()
    with contextlib.suppress(Exception):  # a page that did not load the app has nothing stored
        page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")


@pytest.fixture
def page(app_context, request):
    """A fresh browser tab; its screenshot is kept in test-output/screenshots/failed when the test fails."""
    page = app_context.new_page()
    yield page
    if request.node.stash.get(_FAILED, False) or SCREENSHOTS:
        folder = OUTPUT / "screenshots" / ("failed" if request.node.stash.get(_FAILED, False) else "tests")
        folder.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(folder / f"{_shot_name(request.node)}.png"), full_page=True)
        except Exception:  # noqa: BLE001 - a page that cannot be photographed must not hide the failure
            pass
    forget(app_context, page)
    page.close()


def _run_ended(page) -> None:
    """The page's title is drawn (so the run has started: on a first load the app root also says that no script
    is running before it), the app root says no script is running, and the status widget that nothing is pending."""
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)


def wait_until_run(page) -> None:
    """Streamlit has run the page's script to its end and no widget is still a loading skeleton. The charts may
    still be drawing: this is for a step that reads the address, the title or a button, which the run alone
    makes, so the browser need not finish drawing charts that no one looks at before the page is reloaded or
    switched."""
    _run_ended(page)
    # A widget whose code is still loading stands as a skeleton (the run may end before it is drawn).
    page.wait_for_function("!document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=60_000)


def wait_until_rendered(page, charts: int) -> None:
    """Streamlit has finished running (``_run_ended``: no fixed wait, and a page with no chart is not read before
    its script has started) and every chart has drawn its plot."""
    _run_ended(page)
    if charts:
        page.wait_for_function(
            f"document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .js-plotly-plot').length >= {charts}",
            timeout=60_000,
        )
    page.evaluate("document.fonts.ready.then(() => true)")  # text measured and contrast checked in its own font


_MAP = ".maplibregl-canvas, .mapboxgl-canvas"

_RIGHT_TO_LEFT = "getComputedStyle(document.querySelector('[data-testid=\"stMain\"]')).direction === 'rtl'"


# Waits until the layout has not changed for a few frames (after a resize, Streamlit and plotly re-lay out).
_SETTLED = """async () => {
    const frame = () => new Promise(resolve => requestAnimationFrame(() => resolve()));
    const size = () => [document.documentElement.scrollWidth, document.documentElement.scrollHeight].join();
    let last = size(), same = 0;
    for (let i = 0; i < 300 && same < 15; i++) {
        await frame();
        const now = size();
        same = now === last ? same + 1 : 0;
        last = now;
    }
}"""


@dataclass
class Visit:
    """What one visit of a page in one language found: drawing, requests, accessibility, direction, phone width.

    Each page is loaded once per language and every browser check reads from that one load (loading is what
    costs: a Streamlit run and plotly drawing); the tests then assert on these observations."""

    path: str
    lang: str
    url: str
    errors: list[str] = field(default_factory=list)  # uncaught exceptions in the page
    outside: list[str] = field(default_factory=list)  # requests to anything but the app itself
    chart_blocks: int = 0  # stPlotlyChart elements
    charts_drawn: int = 0  # of them with a drawn plotly plot
    maps_drawn: int = 0  # MapLibre canvases (the maps, drawn from the shipped boundaries with no tile server)
    app_error: int = 0  # "This app has encountered an error"
    not_found: int = 0  # "Page not found"
    violations: list[dict] | None = None  # axe-core's critical and serious WCAG 2.1 AA violations (None: no axe)
    direction: str = ""  # computed direction of the main area
    phone_overflow: float = 0  # px the page scrolls sideways at 390 px wide
    phone_app_error: int = 0
    phone_not_found: int = 0
    #: What Tab focused, press by press, from the top of the page: [label or text, role, tag] (visits in KEYBOARD)
    tab_stops: list[list[str] | None] | None = None
    screenshots: list[Path] = field(default_factory=list)

    def troubles(self) -> list[str]:
        """Anything a test would fail on (then the screenshots are kept)."""
        expected = PAGES[self.path]
        found = [
            self.errors and "errors",
            self.outside and "outside requests",
            (self.chart_blocks, self.charts_drawn) != (expected, expected) and "charts",
            self.maps_drawn != MAPS.get(self.path, 0) and "maps",
            (self.app_error or self.not_found or self.phone_app_error or self.phone_not_found) and "error text",
            self.violations and "axe",
            self.direction != ("rtl" if self.lang == "ur" else "ltr") and "direction",
            self.phone_overflow > 1 and "phone overflow",
        ]
        return [f for f in found if f]


def _serious(page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_AA,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in result["violations"]
        if v["impact"] in ("critical", "serious")
    ]


_FOCUSED = """() => {
    const e = document.activeElement;
    return e ? [e.getAttribute('aria-label') || e.textContent.trim().slice(0, 40), e.getAttribute('role') || '', e.tagName]
             : null;
}"""


def _tab_through(page) -> list[list[str] | None]:
    """Press Tab from the top of the page and note what has the focus after each press; the focus is then given
    back to the page, so the phone-width check that follows sees the page as drawn."""
    stops = []
    for _ in range(TAB_PRESSES):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(_FOCUSED))
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    return stops


def visit_page(context, app_url: str, path: str, lang: str) -> Visit:
    """Load ``path`` in ``lang`` once at desktop width, in a new tab of ``context``, then narrow the same page to
    a phone's width."""
    url = f"{app_url}/{path}" + ("?lang=ur" if lang == "ur" else "")  # English is the default
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    seen = Visit(path, lang, url)
    page = context.new_page()
    try:
        page.on("pageerror", lambda exc: seen.errors.append(str(exc)))
        page.on(
            "request",
            lambda r: seen.outside.append(r.url) if not r.url.startswith((app_url, "data:", "blob:")) else None,
        )
        page.goto(url)
        wait_until_rendered(page, PAGES[path])
        seen.chart_blocks = page.locator('[data-testid="stPlotlyChart"]').count()
        seen.charts_drawn = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').count()
        seen.app_error = page.get_by_text("This app has encountered an error").count()
        seen.not_found = page.get_by_text("Page not found").count()
        if MAPS.get(path):
            with contextlib.suppress(PlaywrightTimeout):  # fewer maps than expected is recorded, and fails
                page.wait_for_function(f"document.querySelectorAll('{_MAP}').length >= {MAPS[path]}", timeout=30_000)
        seen.maps_drawn = page.locator(_MAP).count()
        if lang == "ur":  # the page's style element may land a moment after the script run ends
            page.wait_for_function(_RIGHT_TO_LEFT, timeout=10_000)
        seen.direction = page.evaluate("getComputedStyle(document.querySelector('[data-testid=\"stMain\"]')).direction")
        if AXE.exists():
            seen.violations = _serious(page, AXE.read_text(encoding="utf-8"))
        if (path, lang) in KEYBOARD:  # at desktop width, before anything was clicked or focused
            seen.tab_stops = _tab_through(page)
        desktop_shot = _screenshot_later(page, full=True) if SCREENSHOTS else None

        page.set_viewport_size(PHONE)
        page.evaluate(_SETTLED)
        seen.phone_overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        seen.phone_app_error = page.get_by_text("This app has encountered an error").count()
        seen.phone_not_found = page.get_by_text("Page not found").count()

        if SCREENSHOTS or seen.troubles():
            name = f"{path or 'overview'}-{lang}"
            folder = OUTPUT / "screenshots" / ("pages" if not seen.troubles() else "failed")
            (folder / "phone").mkdir(parents=True, exist_ok=True)
            seen.screenshots.append(folder / "phone" / f"{name}.png")
            page.screenshot(path=str(seen.screenshots[-1]), full_page=False)
            seen.screenshots.append(folder / f"{name}.png")
            if desktop_shot is not None:
                seen.screenshots[-1].write_bytes(desktop_shot)
            else:  # taken only now that something is wrong: the page at desktop width again
                page.set_viewport_size(DESKTOP)
                page.evaluate(_SETTLED)
                seen.screenshots[-1].write_bytes(_screenshot_later(page, full=True))
    finally:
        forget(context, page)
        page.close()
    return seen


def _screenshot_later(page, full: bool) -> bytes:
    """The whole page: the window is made as tall as the main area (which scrolls, not the window)."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    size = page.viewport_size
    page.set_viewport_size({"width": DESKTOP["width"], "height": min(int(height) + 100, 12_000)})
    page.evaluate(_SETTLED)
    shot = page.screenshot(full_page=full)
    page.set_viewport_size(size)
    page.evaluate(_SETTLED)
    return shot


@pytest.fixture(scope="session")
def visits(app_context, app_url):
    """``visits(path, lang)``: the page's one visit in that language, made the first time a test asks for it."""
    made: dict[tuple[str, str], Visit] = {}

    def get(path: str, lang: str) -> Visit:
        if (path, lang) not in made:
            made[(path, lang)] = visit_page(app_context, app_url, path, lang)
        return made[(path, lang)]

    return get
