"""The static pages in Chromium, from the files alone (no server, no Streamlit): each draws its plot with the
plotly.js served beside it, logs no error and requests nothing outside the site's folder, in both languages;
with JavaScript off a page still shows the chart's image and its table. Every chart's files are checked without a
browser in ``test_site.py``; here a few representative ones (bars in panels, horizontal log bars, lines)."""

from __future__ import annotations

import pytest

from dashboard.site.urls import LANGS

pytestmark = pytest.mark.browser

CHARTS = ("google-requests-items", "ledger", "compliance-rates")


def _visit(browser, url: str, *, javascript: bool = True):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    return context, page, errors, requests


@pytest.mark.parametrize("lang", LANGS)
def test_chart_pages_draw_from_the_files_alone(browser, built_site, lang):
    folder = built_site.folder.resolve()
    for chart_id in CHARTS:
        url = (folder / lang / f"{chart_id}.html").as_uri()
        context, page, errors, requests = _visit(browser, url)
        try:
            page.wait_for_selector(f"#plot-{chart_id}[data-drawn='true'] .main-svg", timeout=30_000)
            assert page.locator(f"#plot-{chart_id} .main-svg").count() >= 1
            assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ur" else "ltr")
            assert not errors, errors
            outside = [u for u in requests if not u.startswith((folder.as_uri(), "data:", "blob:"))]
            assert not outside, outside
            assert page.locator("table tbody tr").count() > 0
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
