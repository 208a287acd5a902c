"""The Overview's headline figures as a table and a CSV: each figure as the card shows it, with its period,
its qualifier and the source row and document it comes from."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from etl.publish import current_database

ROOT = Path(__file__).resolve().parents[2]


def _overview(lang: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)
    app.switch_page("app_pages/overview.py")
    app.query_params["lang"] = lang
    return app.run()


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_every_card_figure_is_in_the_table_as_shown_with_its_source_row(published_dir, lang, tmp_path):
    app = _overview(lang)
    assert not app.exception
    table = next(d.value for d in app.dataframe if "as_shown" in d.value.columns)
    assert [b.key for b in app.get("download_button")][0] == "csv-headline"
    shown = {m.value for m in app.metric}
    assert shown <= set(table["as_shown"]), "a card shows a figure the table lacks"
    assert table["citation_url"].str.startswith("http").all() and table["source_id"].notna().all()
    copy = tmp_path / "copy.duckdb"  # the page holds the published file open with its own settings
    shutil.copyfile(current_database(published_dir), copy)
    con = duckdb.connect(str(copy), read_only=True)
    for row in table[table["source_line"].notna()].itertuples():  # the figure is in the row it names
        found = con.execute(
            "SELECT * FROM incidents WHERE source_id = ? AND source_line = ? UNION ALL BY NAME "
            "SELECT * FROM regulator_reported_actions WHERE source_id = ? AND source_line = ?",
            [row.source_id, int(row.source_line)] * 2,
        ).df()
        assert len(found) == 1 and row.value in found.iloc[0].dropna().tolist(), row
    con.close()
    bounded = table[table["qualifier"] == "lower_bound"]
    assert not bounded.empty  # PICSS 2025: at least 1,066
    word = "at least" if lang == "en" else "کم از کم"
    assert bounded["as_shown"].str.startswith(word).all()
