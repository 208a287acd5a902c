"""Urdu all the way through: with ``?lang=ur`` every page's titles, headings, captions, text and chart-in-words
are written mostly in Urdu letters. Counted by Unicode script in the elements the page renders (AppTest), with
link addresses and the proper names of platforms and armed groups left out, as they may keep their spelling."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["overview", "requests", "responsiveness", "incidents", "data", "about", "briefing"]
GROUPS = {
    "title": "headings",
    "header": "headings",
    "subheader": "headings",
    "caption": "captions",
    "info": "captions",
    "warning": "captions",
    "error": "captions",
    "success": "captions",
    "markdown": "text",
    "text": "text",
}
IN_WORDS = {"en": "**In words:**", "ur": "**الفاظ میں:**"}
MARKDOWN_LINK = re.compile(r"\[((?:[^\[\]]|\\[\[\]])*)\]\((?:[^()\s]|\([^()]*\))*\)")
WEB_ADDRESS = re.compile(r"https?://\S+|\b(?:[\w-]+\\?\.)+(?:com|org|net|pk|gov|edu|se|in|bd|tv|uk|io)\b")


def _names() -> list[str]:
    """Platform and group names, longest first (so "X (Twitter)" goes before "X")."""
    names = set()
    for table in ("platforms", "militant_groups"):
        with (ROOT / "data" / "reference" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            names |= {row["name"] for row in csv.DictReader(handle) if len(row["name"]) > 1}
    return sorted(names, key=len, reverse=True)


NAMES = _names()


def counted(text: str) -> str:
    """The text a reader reads as prose: link texts kept unless they are addresses, addresses and names removed."""
    text = MARKDOWN_LINK.sub(lambda m: "" if WEB_ADDRESS.fullmatch(m[1]) else m[1], text.replace("\\.", "."))
    text = WEB_ADDRESS.sub("", text)
    for name in NAMES:
        text = text.replace(name, "")
    return text


def letters(text: str) -> tuple[int, int]:
    """(Arabic-script letters, Latin letters) in ``text``."""
    urdu = sum(1 for c in text if c.isalpha() and ("\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff"))
    latin = sum(1 for c in text if c.isalpha() and (c.isascii() or "\u00c0" <= c <= "\u024f"))
    return urdu, latin


def page_letters(page: str, lang: str) -> dict[str, tuple[int, int]]:
    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    app.switch_page(f"app_pages/{page}.py")
    app.query_params["lang"] = lang
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    counts: dict[str, tuple[int, int]] = {}
    for kind, group in GROUPS.items():
        for element in app.get(kind):
            text = str(element.value)
            if kind == "markdown" and text.lstrip().startswith("<style"):
                continue  # the page's stylesheet
            if text.startswith(IN_WORDS[lang]):
                group = "chart in words"
            urdu, latin = letters(counted(text))
            before = counts.get(group, (0, 0))
            counts[group] = (before[0] + urdu, before[1] + latin)
            group = GROUPS[kind]
    return counts


@pytest.mark.parametrize("page", PAGES)
def test_urdu_letters_outnumber_latin_ones_in_every_kind_of_text(published_dir, page):
    counts = page_letters(page, "ur")
    assert {"headings", "text"} <= set(counts), counts
    if page in ("requests", "responsiveness", "incidents", "overview"):
        assert "chart in words" in counts and "captions" in counts, counts
    for group, (urdu, latin) in counts.items():
        assert urdu > latin, f"{page}, {group}: {urdu} Urdu letters against {latin} Latin ones"
    total_urdu, total_latin = (sum(c[i] for c in counts.values()) for i in (0, 1))
    assert total_urdu > 2 * total_latin, (total_urdu, total_latin)


def test_the_count_tells_english_from_urdu(published_dir):
    """The same count on the English page finds Latin letters: it measures the page, not a constant."""
    counts = page_letters("responsiveness", "en")
    assert all(latin > 10 * urdu for urdu, latin in counts.values()), counts


def test_addresses_and_names_are_left_out_and_prose_is_kept():
    text = "ماخذ: [picss\\.net](https://picss.net/a) · [رپورٹ](https://x.org) YouTube بند see https://a.b/c"
    assert letters(counted(text)) == (letters("ماخذ رپورٹ بند")[0], 3)  # "see" is prose


def test_the_urdu_briefing_pack_is_written_in_urdu(published_dir):
    """The brief (HTML, the same text the PDF prints): its prose in Urdu letters, link addresses and names aside."""
    import html

    from dashboard import briefing

    document = briefing.build_html(2021, 2025, "ur")
    body = re.sub(r"<(style|svg)\b.*?</\1>", " ", document, flags=re.S)
    body = re.sub(r'href="[^"]*"', "", body)
    urdu, latin = letters(counted(html.unescape(re.sub(r"<[^>]+>", "\n", body))))
    assert urdu > 5 * latin, (urdu, latin)


def test_the_coverage_view_and_the_sources_are_in_urdu_on_the_about_page(published_dir):
    """The tables of *About the data*: each series' name, publisher and note, and each source's publisher."""
    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    app.switch_page("app_pages/about.py")
    app.query_params["lang"] = "ur"
    app.run()
    frames = [d.value for d in app.dataframe]
    coverage = next(f for f in frames if "cadence_note" in f.columns)
    sources = next(f for f in frames if "publisher" in f.columns and "sha256" in f.columns)
    arabic = re.compile(r"[\u0600-\u06FF]")
    companies = {"Google", "Meta", "X Corp. (Twitter)", "TikTok"}  # a platform's own name stays as it is
    for column in ("name", "cadence_note"):
        assert coverage[column].map(lambda t: bool(arabic.search(t))).all(), column
    assert coverage["publisher"].map(lambda t: t in companies or bool(arabic.search(t))).all()
    assert coverage["publisher"].map(lambda t: bool(arabic.search(t))).sum() >= 4  # PTA, PIPS, PICSS, SATP
    assert sources["publisher"].map(lambda t: t in companies or bool(arabic.search(t))).all()
