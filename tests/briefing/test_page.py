"""The Briefing pack page: choices, the HTML download (the brief itself) and the PDF offered when Chromium is there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import briefing, i18n

ROOT = Path(__file__).resolve().parents[2]
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")


def open_page(lang: str = "en", **params) -> AppTest:
    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    app.switch_page("app_pages/briefing.py")
    app.query_params["lang"] = lang
    for key, value in params.items():
        app.query_params[key] = value
    return app.run()


def test_the_page_offers_the_brief_as_html_and_pdf(published_dir):
    app = open_page(period=["2021", "2025"])
    assert not app.exception
    buttons = {b.key: b for b in app.get("download_button")}
    assert "brief_html" in buttons
    assert buttons["brief_html"].proto.url.endswith(".html")
    if briefing.chromium_available():
        assert "brief_pdf" in buttons, "the PDF is offered where Chromium is installed"
    else:
        assert any("apt-get install chromium" in i.value for i in app.info)
    figures = app.dataframe[0].value
    assert "URLs blocked by PTA, running total" in set(figures.iloc[:, 0])


def test_without_chromium_the_page_says_how_to_get_the_pdf(published_dir, monkeypatch):
    monkeypatch.setattr("dashboard.pdf.CHROMIUM", Path("/nonexistent/chromium"))
    app = open_page()
    assert not app.exception
    assert "brief_pdf" not in {b.key for b in app.get("download_button")}
    assert any("apt-get install chromium" in i.value for i in app.info)


@pytest.mark.parametrize("lang", ["ur"])
def test_the_urdu_page_shows_only_catalogue_strings(published_dir, lang):
    i18n.missing.clear()
    app = open_page(lang)
    assert not app.exception
    assert {m for lang_, m in i18n.missing if lang_ == lang} == set()
    assert ARABIC_SCRIPT.search(app.title[0].value)
    assert all(ARABIC_SCRIPT.search(b.label) for b in app.get("download_button"))
