"""English and Urdu: the catalogues agree, nothing shown is missing from them, Urdu pages run right to left."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from dashboard import catalogue, i18n

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["overview", "requests", "responsiveness", "incidents", "data", "about", "briefing"]
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")


def _read(lang: str, domain: str) -> dict[str, str]:
    with (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


@pytest.mark.parametrize("domain", ["dashboard", "contracts", "briefing"])
def test_catalogues_have_the_same_keys(domain):
    english, urdu = _read("en", domain), _read("ur", domain)
    assert set(english) - set(urdu) == set(), "keys the Urdu catalogue lacks"
    assert set(urdu) - set(english) == set(), "keys the English catalogue lacks"


@pytest.mark.parametrize("domain", ["dashboard", "contracts", "briefing"])
def test_every_urdu_message_is_translated_with_its_placeholders(domain):
    urdu = _read("ur", domain)
    untranslated = sorted(k for k, v in urdu.items() if not v.strip())
    assert untranslated == [], f"{len(untranslated)} untranslated, e.g. {untranslated[:3]}"
    for msgid, text in urdu.items():
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(msgid)), msgid
        assert ARABIC_SCRIPT.search(text) or not re.search(r"[a-z]{4}", msgid), f"not in Urdu: {msgid!r}"


def test_catalogues_hold_every_string_of_the_code_and_the_contracts():
    """Run `make messages` after adding a string: this fails until the catalogue has it."""
    assert set(catalogue.code_messages()) - set(_read("en", "dashboard")) == set()
    assert set(catalogue.contract_messages()) - set(_read("en", "contracts")) == set()


def _open(page: str, lang: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)
    app.switch_page(f"app_pages/{page}.py")
    app.query_params["lang"] = lang
    return app.run()


def _visible_texts(app: AppTest) -> list[str]:
    """Text the reader sees that the app itself wrote: titles, headings, notes, widget labels."""
    texts = [
        e.value
        for kind in ("title", "header", "subheader", "caption", "info", "warning", "error")
        for e in app.get(kind)
    ]
    texts += [
        e.label for kind in ("selectbox", "multiselect", "slider", "toggle", "select_slider") for e in app.get(kind)
    ]
    texts += [b.label for b in app.get("download_button")]
    texts += [t.label for t in app.tabs] + [e.label for e in app.expander]
    return [t for t in texts if t]


@pytest.mark.parametrize("page", PAGES)
def test_urdu_pages_show_only_catalogue_strings(published_dir, page):
    i18n.missing.clear()
    app = _open(page, "ur")
    assert not app.exception
    assert {m for lang, m in i18n.missing if lang == "ur"} == set(), "strings looked up that the catalogue lacks"
    file_names = re.compile(r"[\w.-]+\.(csv|parquet|zip)")  # download buttons named after the file
    english_left = [t for t in _visible_texts(app) if not ARABIC_SCRIPT.search(t) and not file_names.fullmatch(t)]
    assert english_left == [], f"shown in English on an Urdu page: {english_left[:5]}"


def test_urdu_page_lays_out_right_to_left_with_the_shipped_font(published_dir):
    app = _open("overview", "ur")
    styles = " ".join(h.proto.body for h in app.get("html"))
    assert "direction:rtl" in styles
    assert "@font-face{font-family:'Noto Naskh Arabic';src:url(data:font/ttf;base64," in styles  # no download
    assert ARABIC_SCRIPT.search(app.title[0].value)


def test_english_is_the_default_and_unknown_languages_fall_back(published_dir):
    for lang in ("en", "xx", "<script>"):
        app = _open("overview", lang)
        assert not app.exception
        assert app.title[0].value == "Takedowns and militant violence in Pakistan"
        assert "direction:rtl" not in " ".join(h.proto.body for h in app.get("html"))


def test_numbers_and_dates_follow_the_locale():
    assert i18n.num(1234567, lang="en") == "1,234,567"
    assert i18n.pct(45.25, lang="en") == "45.2%" or i18n.pct(45.25, lang="en") == "45.3%"
    assert i18n.day("2025-03-11", lang="en") == "11 March 2025"
    assert i18n.day("2025-03-11", lang="ur") == "11 مارچ، 2025"
    assert i18n.month("2025-03-01", lang="ur") == "مارچ 2025"
