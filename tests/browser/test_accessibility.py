"""WCAG 2.1 AA in a real browser: axe-core on every page in English and Urdu, phone width, keyboard."""

from __future__ import annotations

import json
import os

import pytest

from tests.browser.conftest import AXE, LANGS, PAGES, TAB_PRESSES


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("axe-core is missing: run `make axe-deps` (npm ci in tests/browser)")
        pytest.skip("axe-core is missing (make axe-deps); accessibility scan skipped")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", list(PAGES))
def test_no_critical_or_serious_violation_and_the_right_direction(visits, axe_source, path, lang):
    seen = visits(path, lang)  # the page's one visit in that language (tests/browser/conftest.py)
    assert seen.not_found == 0
    assert seen.violations == [], json.dumps(seen.violations, indent=1)
    assert seen.direction == ("rtl" if lang == "ur" else "ltr")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_fits_a_phone(visits, path, lang):
    seen = visits(path, lang)  # the same visit, narrowed to 390 px
    assert seen.phone_not_found == 0
    assert seen.phone_overflow <= 1, f"the page scrolls sideways by {seen.phone_overflow}px at 390px"
    assert seen.phone_app_error == 0


def test_controls_are_reachable_by_keyboard(visits):
    """Tab alone reaches the language choice, the navigation, every filter and the chart tabs."""
    seen = visits("requests", "en")  # the page's one visit in English, in which Tab was pressed through the page
    assert seen.tab_stops is not None and len(seen.tab_stops) == TAB_PRESSES
    labels = {r[0] for r in seen.tab_stops if r}
    roles = {r[1] for r in seen.tab_stops if r}
    assert {"Period (years) — start", "Period (years) — end"} <= labels, labels  # the period slider's two ends
    assert {"Platforms", "Categories", "Compare with"} <= labels, labels  # the filters
    assert "tab" in roles, roles  # a chart's Chart / Table tabs
