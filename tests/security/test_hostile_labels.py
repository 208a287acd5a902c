"""Labels and addresses from data that try to be HTML, script, links or maths render as text, in a real browser.

The fixture dataset is the real one with every displayed text column prefixed by a payload and every address
column replaced by a ``javascript:`` URL or one that tries to close its Markdown link and add an image. Each
payload would set ``window.__xss`` or fetch from ``evil.invalid`` if it ran; neither may happen, no dialog may
open, no ``javascript:`` link or KaTeX maths may appear, and the payload text must be visible as text.
"""

from __future__ import annotations

import shutil

import duckdb
import pytest

from benchmarks.load import serve
from tests.browser.conftest import CHROMIUM, OUTPUT, forget, tabs_of_one_renderer, wait_until_rendered

pytestmark = pytest.mark.browser

PAGES = {"": 4, "requests": 8, "responsiveness": 3, "incidents": 8, "data": 0, "about": 0}
TEXT_COLUMNS = {
    "platforms": ["name"],
    "categories": ["name"],
    "events": ["title", "source_title"],
    "sources": ["publisher", "title", "licence"],
    "incidents": ["definition_as_printed", "source_org_as_printed", "note"],
    "platform_reported_requests": ["country_name", "reason", "note"],
    "regulator_reported_actions": [
        "platform_label",
        "category_label",
        "scope_as_printed",
        "date_label",
        "date_as_printed",
        "date_note",
        "note",
    ],
    "regions": ["name"],
}
ADDRESS_COLUMNS = {
    "events": ["source_url"],
    "sources": ["url"],
    "incidents": ["citation_url"],
    "platform_reported_requests": ["citation_url"],
    "regulator_reported_actions": ["citation_url"],
}


def payload(tag: str) -> str:
    return (
        f"<img src=x onerror=\"window.__xss='{tag}'\"> <script>window.__xss='{tag}'</script> "
        f"[click](javascript:window.__xss='{tag}') $x^2$ ![p](https://evil.invalid/{tag}.png) "
    )


@pytest.fixture(scope="module")
def hostile_url(published_dir, tmp_path_factory):
    """A server on a copy of the dataset whose labels and addresses are all hostile."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    out = tmp_path_factory.mktemp("hostile") / "published"
    shutil.copytree(published_dir, out)
    database = out / (out / "LATEST").read_text(encoding="utf-8").strip()
    with duckdb.connect(str(database)) as con:
        for table, columns in TEXT_COLUMNS.items():
            for column in columns:  # identifiers from the lists above
                con.execute(f'UPDATE "{table}" SET "{column}" = ? || coalesce("{column}", \'\')', [payload(table)])
        for table, columns in ADDRESS_COLUMNS.items():
            for column in columns:
                con.execute(
                    f'UPDATE "{table}" SET "{column}" = CASE WHEN hash("{column}") % 2 = 0 THEN ? ELSE ? END',
                    [
                        f"javascript:window.__xss='{table}'",
                        f"https://example.org/a)![t](https://evil.invalid/{table}.png)",
                    ],
                )
        con.execute("CHECKPOINT")
    with serve(out, log=OUTPUT / "streamlit-hostile.log") as (url, _):
        yield url


@pytest.fixture(scope="module")
def hostile_context(browser, hostile_url):
    """The browser context in which every page of the hostile server is opened, each in a tab of its own that
    joins one renderer (``tabs_of_one_renderer``), so the app's scripts are compiled once, not once per page.
    ``browser`` is the session's one Playwright browser (a second sync Playwright in one process is refused)."""
    with tabs_of_one_renderer(browser, hostile_url) as context:
        yield context


@pytest.fixture
def hostile_page(hostile_context):
    """A new tab; afterwards the tab is closed and the app's cookie and stored settings are removed."""
    page = hostile_context.new_page()
    yield page
    forget(hostile_context, page)
    page.close()


@pytest.mark.parametrize("path", list(PAGES), ids=[p or "overview" for p in PAGES])
def test_hostile_labels_render_as_text_and_run_nothing(hostile_page, hostile_url, path):
    page = hostile_page
    dialogs, outside, errors = [], [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith((hostile_url, "data:", "blob:")) else None,
    )
    page.goto(f"{hostile_url}/{path}")
    wait_until_rendered(page, PAGES[path])
    # The events lists with their source links are inside expanders: open every one. Their contents are in the
    # document already, inert while closed; one script opens them all (a Playwright click on each waited for
    # it to be scrolled into view and still, about a second per expander), and every one must then be open.
    page.evaluate(
        """() => document.querySelectorAll('[data-testid="stExpander"] details:not([open]) summary')
            .forEach(summary => summary.click())"""
    )
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stExpander\"] details:not([open])').length === 0"
    )
    # Until every image has loaded or failed (an injected <img> would have fetched its address by then, and
    # its error handler is the next task), then one frame and a task later: the handlers have had their turn.
    page.wait_for_function("() => [...document.images].every(i => i.complete || i.loading === 'lazy')")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 50)))")
    found = page.evaluate(
        """() => ({
            ran: window.__xss,
            katex: document.querySelectorAll('.katex').length,
            scriptLinks: [...document.querySelectorAll('a[href]')]
                .filter(a => a.getAttribute('href').trim().toLowerCase().startsWith('javascript')).length,
            planted: [...document.querySelectorAll('img, image')]
                .filter(i => (i.getAttribute('src') || i.getAttribute('href') || '').includes('evil')).length,
            literal: document.body.innerText.split('<img src=x onerror').length - 1,
            error: document.body.innerText.includes('This app has encountered an error'),
        })"""
    )
    assert found["ran"] is None, f"a payload ran: window.__xss = {found['ran']!r}"
    assert dialogs == [] and errors == []
    assert outside == [], "a payload fetched from outside the app"
    assert found["scriptLinks"] == 0 and found["planted"] == 0 and found["katex"] == 0
    assert not found["error"]
    if PAGES[path] or path == "":  # pages that show labels outside tables show the payload as text
        assert found["literal"] > 0, "the hostile labels were not shown as text"
