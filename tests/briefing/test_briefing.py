"""The briefing pack's HTML: the key figures of the database with their sources, both languages, nothing fetched."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from dashboard import briefing, catalogue, i18n
from etl.build import run
from etl.caselog_generate import generate as generate_case_log
from etl.incident_events_generate import generate as generate_events
from etl.paths import DATA_DIR_ENV
from tests.etl.helpers import copy_data

from .conftest import PERIOD

CANONICAL = [f"canonical/{t}.csv" for t in ("incidents", "platform_reported_requests", "regulator_reported_actions")]

ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")
# Anything that would make a browser fetch from the network: scripts, stylesheets, images, frames, fonts, imports.
REMOTE = re.compile(
    r"""(?:<(?:script|img|iframe|source|embed|video|audio|link)\b[^>]*\b(?:src|href|srcset)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|url\(\s*["']?\s*(?:https?:)?//|@import""",
    re.IGNORECASE,
)


def section(html: str, section_id: str) -> str:
    start = html.index(f'<section id="{section_id}"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_the_key_figures_of_the_database_are_in_the_brief(briefs, key_figures, lang):
    figures = section(briefs[lang], "key-figures")
    for name, value in key_figures.items():
        assert i18n.num(value, lang=lang) in figures, f"{name} = {value} missing from the key figures ({lang})"


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_every_key_figure_names_its_source_and_every_source_is_listed(briefs, lang):
    html = briefs[lang]
    marks = set(re.findall(r'<span class="ref">\[(\d+)\]</span>', section(html, "key-figures")))
    listed = set(re.findall(r'<li id="ref-(\d+)">', section(html, "sources")))
    assert marks, "key figures carry source marks"
    assert marks <= listed
    assert 'href="https://transparencyreport.google.com/' in section(html, "sources")


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_the_brief_opens_offline(briefs, lang):
    html = briefs[lang]
    assert REMOTE.search(html) is None, REMOTE.search(html)
    assert "<script" not in html.lower()
    assert html.count("<svg") >= 4, "the charts are inline SVG"
    assert "@page{size:A4" in html.replace(" ", ""), "print CSS for A4"


def test_the_offline_check_would_catch_a_remote_resource():
    for remote in (
        '<script src="https://cdn.example.org/plotly.js"></script>',
        '<link rel="stylesheet" href="http://fonts.example.org/css">',
        "<style>@font-face{src:url(https://fonts.example.org/a.woff2)}</style>",
        '<img src="//example.org/pixel.png">',
    ):
        assert REMOTE.search(remote), remote


def test_urdu_is_right_to_left_with_the_shipped_font_inlined(briefs):
    urdu, english = briefs["ur"], briefs["en"]
    assert '<html lang="ur" dir="rtl">' in urdu
    font = base64.b64encode(briefing.ASSETS.joinpath("fonts", "NotoNaskhArabic-Regular.ttf").read_bytes()).decode()
    assert f"src:url(data:font/ttf;base64,{font})" in urdu
    assert ARABIC_SCRIPT.search(section(urdu, "key-figures"))
    assert '<html lang="en" dir="ltr">' in english
    assert "NotoNaskh" not in english and "base64," not in english  # English carries no font
    assert not ARABIC_SCRIPT.search(section(english, "key-figures"))


def test_urdu_brief_uses_only_catalogue_strings(published_dir):
    i18n.missing.clear()
    briefing.build_html(*PERIOD, "ur")
    assert {m for lang, m in i18n.missing if lang == "ur"} == set()


def test_the_brief_has_its_sections_version_and_citation(briefs, published_db):
    html = briefs["en"]
    for part in ("key-figures", "charts", "ledger", "provinces", "caveats", "sources", "cite"):
        assert f'<section id="{part}"' in html
    version = published_db.stem.removeprefix("dataset-")
    assert f"dataset version {version}" in section(html, "cite")
    assert html.count('<p class="reading">') >= 4, "each chart has its one-line reading"
    assert str(published_db.parent) not in html, "no machine paths"


def test_the_ledger_sets_pta_against_each_platform(briefs):
    ledger = section(briefs["en"], "ledger")
    for platform in ("Facebook", "TikTok", "X (Twitter)", "YouTube"):
        assert f'<th scope="row">{platform}</th>' in ledger
    assert "of what PTA says it blocked" in ledger, "the mismatch is read out"


def test_platforms_and_provinces_narrow_the_brief(published_dir):
    html = briefing.build_html(*PERIOD, "en", platforms=["x"], provinces=["PK-KP"])
    ledger, provinces = section(html, "ledger"), section(html, "provinces")
    assert "X (Twitter)" in ledger and "Facebook" not in ledger
    assert "Khyber Pakhtunkhwa" in provinces and "Balochistan" not in provinces
    assert "Platforms: X (Twitter). Provinces: Khyber Pakhtunkhwa." in html


def test_a_period_without_figures_says_so(published_dir):
    html = briefing.build_html(1990, 1991, "en")
    assert "Google published no figure for Pakistan in this period." in html
    assert "PTA published no dated total in this period." in html


def test_every_briefing_string_is_in_the_catalogue():
    """Run `make messages` after adding a string: this fails until the briefing catalogue has it."""
    with (i18n.LOCALE_DIR / "en" / "LC_MESSAGES" / "briefing.po").open("rb") as handle:
        english = {m.id for m in read_po(handle) if m.id}
    assert set(catalogue.code_messages("briefing")) - english == set()


@pytest.fixture(scope="module")
def synthetic_published(tmp_path_factory) -> Path:
    """A generated case log and a generated ACLED export, built with the reference tables, the canonical tables and
    the shipped (real) UCDP GED events, so a real event row sits beside the synthetic ones; Google's files, which
    give no row a label, are left out."""
    folder = tmp_path_factory.mktemp("briefing-synthetic")
    log = generate_case_log(5_000, 7, folder / "log.parquet")
    events = generate_events("acled", 1_000, 7, folder / "acled.csv")
    data = copy_data(folder / "data", *CANONICAL, "sources/events/ucdp_ged_pakistan_1989-2021.csv")
    out = folder / "published"
    run(out, data_dir=data, case_logs=[log], event_exports=[events])
    return out


@pytest.fixture
def with_synthetic_data(synthetic_published, monkeypatch) -> Path:
    """The dashboard pointed at the synthetic dataset for one test (the tests after it read the session's again)."""
    monkeypatch.setenv(DATA_DIR_ENV, str(synthetic_published))
    return synthetic_published


def test_synthetic_figures_are_labelled_as_illustrative(with_synthetic_data):
    for lang, label in (("en", "Illustrative (synthetic)"), ("ur", i18n.gettext("Illustrative (synthetic)", "ur"))):
        html = briefing.build_html(*PERIOD, lang)
        figures = section(html, "key-figures")
        assert '<p class="banner" role="note">' in html
        assert figures.count(f'<span class="synthetic">{label}</span>') == 2, "case log and event data rows"


def test_real_data_only_carries_no_synthetic_label(briefs):
    assert '<span class="synthetic">' not in briefs["en"] and 'class="banner"' not in briefs["en"]


def test_the_brief_reads_a_chart_figure_from_the_charts_own_table(published_dir, monkeypatch):
    """Where the brief gives a figure of a dashboard chart, it takes it from that chart's definition (one query
    for both): a change to the chart's table is a change to the brief."""
    from dataclasses import replace

    from dashboard import registry

    chart = registry.CHARTS["google-requests-items"]

    def marked(choice):
        table = chart.table(choice)
        return table.assign(requests=table["requests"].where(table.index != table.index[-1], 987654))

    shown = briefing.build_html(*PERIOD, "en")
    assert i18n.num(987654, lang="en") not in shown
    monkeypatch.setitem(registry.CHARTS, chart.id, replace(chart, table=marked))
    assert i18n.num(987654, lang="en") in section(briefing.build_html(*PERIOD, "en"), "key-figures")
