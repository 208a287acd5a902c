"""Urdu charts: time axes labelled in Urdu (month names) or by year, numbers in full, one digit style (Latin
digits, as in the text, tables and briefing); time still runs left to right; English charts unchanged."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts, i18n

ROOT = Path(__file__).resolve().parents[2]
LATIN_LETTER = re.compile(r"[A-Za-z]")
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")
OTHER_DIGITS = re.compile(r"[\u0660-\u0669\u06F0-\u06F9]")  # Arabic-Indic and extended (Urdu) digits


def _specs(page: str, lang: str) -> list[dict]:
    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    app.switch_page(f"app_pages/{page}.py")
    app.query_params["lang"] = lang
    app.run()
    assert not app.exception
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def _date_axes(spec: dict) -> list[dict]:
    return [v for k, v in spec["layout"].items() if k.startswith("xaxis") and v.get("type") == "date"]


@pytest.mark.parametrize("page", ["overview", "requests", "responsiveness", "incidents"])
def test_urdu_time_axes_have_urdu_or_year_labels_running_left_to_right(published_dir, page):
    specs = _specs(page, "ur")
    axes = [axis for spec in specs for axis in _date_axes(spec)]
    assert axes, "no time axis found"
    for axis in axes:
        assert axis["tickmode"] == "array" and axis["ticktext"]
        assert not any(LATIN_LETTER.search(t) for t in axis["ticktext"]), axis["ticktext"]  # no "Jan", no "k"
        assert not any(OTHER_DIGITS.search(t) for t in axis["ticktext"])  # Latin digits, as everywhere
        assert axis["tickvals"] == sorted(axis["tickvals"]) and axis.get("autorange") != "reversed"
        assert LATIN_LETTER.search(axis["hoverformat"].replace("%Y", "").replace("%m", "").replace("%d", "")) is None
    for spec in specs:
        for key, axis in spec["layout"].items():
            if key.startswith("yaxis") and "tickformat" not in axis:
                assert axis["exponentformat"] == "none", key  # 1,400,000, not 1.4M


def test_english_axes_are_left_to_plotly(published_dir):
    for spec in _specs("requests", "en"):
        for key, axis in spec["layout"].items():
            if key.startswith("xaxis"):
                assert "ticktext" not in axis, key


def test_a_short_span_is_labelled_by_urdu_month_names_and_a_long_one_by_years():
    i18n.set_language("ur")
    try:
        vals, text = charts._date_ticks(pd.Timestamp("2024-11-15"), pd.Timestamp("2025-03-31"))
        assert vals == ["2024-12-01", "2025-01-01", "2025-02-01", "2025-03-01"]
        assert text == ["دسمبر 2024", "جنوری 2025", "فروری 2025", "مارچ 2025"]
        vals, text = charts._date_ticks(pd.Timestamp("1989-01-25"), pd.Timestamp("2021-12-31"))
        assert text == ["1990", "1995", "2000", "2005", "2010", "2015", "2020"] and len(vals) == len(text)
    finally:
        i18n.set_language("en")


def test_one_digit_style_in_text_numbers_dates_and_percentages():
    assert i18n.num(1234567, lang="ur") == i18n.num(1234567, lang="en") == "1,234,567"
    assert i18n.pct(93.5, lang="ur") == "93.5%"
    assert i18n.day("2025-03-11", lang="ur") == "11 مارچ، 2025"
    assert i18n.date_label("~Jan 2026", lang="ur") == "~جنوری 2026"
    assert i18n.date_label("16 Apr, year unknown", lang="ur") == "16 اپریل، سال نامعلوم"
    assert all(
        not OTHER_DIGITS.search(text) and ARABIC_SCRIPT.search(text) for text in [i18n.month("2024-07-01", "ur")]
    )
