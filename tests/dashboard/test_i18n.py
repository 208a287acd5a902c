"""English and Urdu: the catalogues agree, nothing shown is missing from them, Urdu pages run right to left."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.pofile import read_po, write_po
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
    forms = [  # a plural message: each Urdu form against the English plural's placeholders
        (msgid[-1] if isinstance(msgid, tuple) else msgid, form, msgid)
        for msgid, text in urdu.items()
        for form in (text if isinstance(text, tuple) else (text,))
    ]
    untranslated = sorted(str(k) for _msgid, form, k in forms if not form.strip())
    assert untranslated == [], f"{len(untranslated)} untranslated, e.g. {untranslated[:3]}"
    for msgid, text, _key in forms:
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(msgid)), msgid
        assert ARABIC_SCRIPT.search(text) or not re.search(r"[a-z]{4}", msgid), f"not in Urdu: {msgid!r}"


@pytest.mark.parametrize("domain", ["dashboard", "contracts", "briefing"])
def test_no_shipped_translation_is_a_fuzzy_suggestion(domain):
    """A fuzzy entry is the old translation of an edited msgid: a translator checks it and removes the flag."""
    with (i18n.LOCALE_DIR / "ur" / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
        fuzzy = [m.id for m in read_po(handle) if m.id and m.fuzzy]
    assert fuzzy == []


def test_catalogues_hold_every_string_of_the_code_and_the_contracts():
    """Run `make messages` after adding a string: this fails until the catalogue has it."""
    keys = lambda messages: {m.id if isinstance(m, catalogue.Key) else m for m in messages}  # noqa: E731
    assert keys(catalogue.code_messages()) - set(_read("en", "dashboard")) == set()
    assert keys(catalogue.code_messages("briefing")) - set(_read("en", "briefing")) == set()
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


YEAR_ONLY = (
    "{n} event dated to the year only is not drawn (it has no month). ",
    "{n} events dated to the year only are not drawn (they have no month). ",
)


@pytest.mark.parametrize(
    ("lang", "n", "expected"),
    [
        ("en", 1, "1 event dated to the year only is not drawn"),
        ("en", 2, "2 events dated to the year only are not drawn"),
        ("ur", 1, "1 واقعہ"),
        ("ur", 2, "2 واقعات"),
    ],
)
def test_counts_take_the_plural_form_of_their_language(lang, n, expected):
    i18n.set_language(lang)
    try:
        text = i18n.ngettext(*YEAR_ONLY, n).format(n=i18n.num(n))
    finally:
        i18n.set_language("en")
    assert expected in text
    if lang == "ur":
        assert text != i18n.ngettext(*YEAR_ONLY, 3 - n).format(n=i18n.num(n)), "one form for one, another for two"


def test_editing_one_word_of_a_message_keeps_its_translation_as_a_fuzzy_suggestion(tmp_path, monkeypatch):
    monkeypatch.setattr(catalogue, "LOCALE_DIR", tmp_path)
    where = [("dashboard/app_pages/incidents.py", 1)]
    catalogue.update("dashboard", {"Show events on time axes": where, "Incident trends": where})
    urdu_file = tmp_path / "ur" / "LC_MESSAGES" / "dashboard.po"
    with urdu_file.open("rb") as handle:
        first = read_po(handle)
    first.get("Show events on time axes").string = "وقت کے محور پر واقعات دکھائیں"
    first.get("Incident trends").string = "واقعات کے رجحانات"
    with urdu_file.open("wb") as handle:
        write_po(handle, first)

    counts = catalogue.update("dashboard", {"Show events on the time axes": where, "Incident trends": where})

    with urdu_file.open("rb") as handle:
        updated = read_po(handle)
    edited = updated.get("Show events on the time axes")
    assert edited.string == "وقت کے محور پر واقعات دکھائیں" and edited.fuzzy, "kept, flagged for a translator"
    assert '#| msgid "Show events on time axes"' in urdu_file.read_text(encoding="utf-8")  # the old English, shown
    assert not updated.get("Incident trends").fuzzy
    assert updated.get("Show events on time axes") is None
    assert counts["ur"] == 1  # counted as still to translate


@pytest.mark.parametrize(
    ("lang", "lower_bound", "approx", "missing"),
    [("en", "at least 1,066", "≈ 229,000", "not reported"), ("ur", "کم از کم 1,066", "≈ 229,000", "رپورٹ نہیں ہوا")],
)
def test_a_qualified_figure_is_worded_once_for_pages_charts_summaries_and_the_briefing(
    lang, lower_bound, approx, missing
):
    from dashboard import charts, summaries
    from dashboard.briefing import words as briefing_words

    i18n.set_language(lang)
    try:
        assert i18n.qualified(1066, "lower_bound") == lower_bound
        assert i18n.qualified(229000.0, "approx") == approx
        assert i18n.qualified(1063, "exact") == i18n.qualified(1063, None) == "1,063"
        assert i18n.qualified(None, "lower_bound") == missing  # no "at least" before a figure that is not there
        assert i18n.qualified(12.5, "lower_bound", i18n.pct(12.5)) == i18n.gettext("at least {value}", lang).format(
            value=i18n.pct(12.5)
        )
        # the same words wherever a lower-bound figure is shown
        assert briefing_words.bounded(1066, "lower_bound") == lower_bound
        table = pd.DataFrame(
            {
                "period": ["2024", "2025"],
                "period_start": ["2024-01-01", "2025-01-01"],
                "period_end": ["2024-12-31", "2025-12-31"],
                "source_org": ["PICSS", "PICSS"],
                "definition_id": ["militant_attacks", "militant_attacks"],
                "definition": ["militant attacks", "militant attacks"],
                "attacks": [1063, 1066],
                "attacks_qualifier": [None, "lower_bound"],
            }
        )
        assert lower_bound in summaries.describe(table, summaries.Summary("attacks", "period"))
        [bars] = charts.incidents_by_source(table, "attacks", "t").spec()["data"]
        hovers = [row[2] for row in bars["customdata"]]
        assert hovers == ["1,063", lower_bound]
    finally:
        i18n.set_language("en")
