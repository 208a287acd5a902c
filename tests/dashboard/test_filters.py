"""Links carry ids, not labels: a link made in one language opens the same filters in the other, and older links
with (English or Urdu) labels still open, mapped to ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture(autouse=True)
def _dataset(published_dir):
    return published_dir


def open_page(page: str, query: dict) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        app.query_params[key] = value
    app.switch_page(f"app_pages/{page}.py")
    return app.run()


def chosen(app: AppTest) -> dict[str, object]:
    """Every filter's value by its key (ids: what the page queries with)."""
    widgets = list(app.multiselect) + list(app.selectbox)
    return {w.key: w.value for w in widgets if w.key}


def switch_language(app: AppTest, lang: str) -> AppTest:
    app.get("button_group")[0].set_value(lang)
    return app.run()


def test_a_choice_made_in_urdu_is_written_as_ids_and_opens_the_same_in_english():
    urdu = open_page("requests", {"lang": "ur"})
    urdu.multiselect(key="categories").set_value(["terrorism_extremism", "religious"]).run()
    urdu.multiselect(key="platforms").set_value(["x", "tiktok"]).run()
    assert urdu.title[0].value != "Takedown requests"  # drawn in Urdu
    link = dict(urdu.query_params)
    assert link["categories"] == ["terrorism_extremism", "religious"] and link["platforms"] == ["x", "tiktok"]
    english = open_page("requests", {**link, "lang": "en"})
    assert not english.exception
    assert english.title[0].value == "Takedown requests"
    assert chosen(english) == chosen(urdu)
    assert not [i for i in english.info if "not recognised" in i.value]


def test_switching_language_keeps_the_filters():
    query = {"lang": "ur", "provinces": ["PK-BA", "PK-KP"], "measure": "killed_total", "map_source": "PICSS"}
    app = open_page("incidents", query)
    before = chosen(app)
    assert before["provinces"] == ["PK-BA", "PK-KP"] and before["measure"] == "killed_total"
    assert before["map_source"] == "PICSS"
    app = switch_language(app, "en")
    assert not app.exception
    assert app.title[0].value == "Incident trends"
    assert chosen(app) == before
    assert switch_language(app, "ur").title[0].value != "Incident trends"
    assert chosen(app) == before


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_older_links_with_english_labels_open_the_same_filters(lang):
    by_label = open_page(
        "requests",
        {"lang": lang, "platforms": ["Facebook", "TikTok"], "categories": ["Terrorism and violent extremism"]},
    )
    by_id = open_page(
        "requests", {"lang": lang, "platforms": ["facebook", "tiktok"], "categories": "terrorism_extremism"}
    )
    assert chosen(by_label) == chosen(by_id)
    assert chosen(by_id)["platforms"] == ["facebook", "tiktok"]
    assert chosen(by_id)["categories"] == ["terrorism_extremism"]
    assert not [i for i in by_label.info if "not recognised" in i.value]
    assert "platforms=facebook&platforms=tiktok" in by_label.code[0].value  # the citation's link repeats ids


def test_a_link_with_urdu_labels_opens_in_english_and_unknown_values_are_named():
    from dashboard import i18n

    region = i18n.gettext("Balochistan", "ur")
    app = open_page("incidents", {"lang": "en", "provinces": [region, "Atlantis"]})
    assert chosen(app)["provinces"] == ["PK-BA"]
    assert any("not recognised" in i.value and "provinces" in i.value for i in app.info)


def test_platforms_are_offered_by_their_urdu_names_and_an_older_english_label_link_still_opens():
    """The platform picker shows the reference table's Urdu names under ?lang=ur (Google (تمام مصنوعات)); a link
    from before, with English labels, still selects the same platforms."""
    app = open_page(
        "requests", {"lang": "ur", "platforms": ["Google (all products)", "Websites and other (PTA 'Others/Misc')"]}
    )
    assert not app.exception
    picker = app.multiselect(key="platforms")
    assert picker.value == ["google", "websites"]
    assert "Google (تمام مصنوعات)" in picker.options and "Google (all products)" not in picker.options
    assert not [i for i in app.info if i.value and "websites" in i.value]
