"""The dashboard offers the static copies once the release's site is built: each registered chart's block has
"this version" and "always the latest" addresses with iframe code, and the Streamlit embed links to the static
embed. Before the site is built, neither appears."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import embed
from dashboard.site.urls import LATEST, SITE_URL_ENV
from etl.paths import DATA_DIR_ENV

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")
BASE = "https://data.example.org/site"


@pytest.fixture
def site_dataset(built_site):
    """The app reads the copy that has a built site; the site's public address is configured."""
    previous = {k: os.environ.get(k) for k in (DATA_DIR_ENV, SITE_URL_ENV)}
    os.environ[DATA_DIR_ENV] = str(built_site.folder.parent.parent)
    os.environ[SITE_URL_ENV] = BASE
    yield built_site
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def test_a_chart_block_offers_this_version_and_always_the_latest(site_dataset):
    app = AppTest.from_file(APP, default_timeout=120)
    app.switch_page("app_pages/responsiveness.py")
    app.run()
    assert not app.exception
    version = site_dataset.version
    codes = [c.value for c in app.code]
    assert f'<iframe src="{BASE}/{version}/en/ledger.embed.html"' in "\n".join(codes)
    assert f'<iframe src="{BASE}/{LATEST}/en/ledger.embed.html"' in "\n".join(codes)
    text = "\n".join(m.value for m in app.markdown)
    assert f"{BASE}/{version}/en/ledger.html" in text and f"{BASE}/{LATEST}/en/ledger.html" in text


def test_the_streamlit_embed_links_to_the_static_embed(site_dataset):
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params[embed.CHART_PARAM] = "ledger"
    app.query_params["lang"] = "ur"
    app.run()
    assert not app.exception
    captions = " ".join(c.value for c in app.caption)
    assert f"{BASE}/{site_dataset.version}/ur/ledger.embed.html" in captions
    assert f"{BASE}/{LATEST}/ur/ledger.embed.html" in captions


def test_without_a_built_site_nothing_is_offered(published_dir):
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params[embed.CHART_PARAM] = "ledger"
    app.run()
    assert not app.exception
    assert "embed.html" not in " ".join(c.value for c in app.caption)
