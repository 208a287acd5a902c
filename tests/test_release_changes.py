"""A new build records what changed since the release it replaces, and the overview says so."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest

from etl.build import run
from etl.paths import DATA_DIR_ENV
from etl.provenance import rehash

ROOT = Path(__file__).resolve().parent.parent


def test_revised_figure_is_listed_as_revised_and_shown_on_the_overview(tmp_path, published_dir, published_db):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    out = tmp_path / "published"
    # the release before the revision: the session's build of the same data (tests/conftest.py), as published
    shutil.copytree(published_dir, out, ignore=shutil.ignore_patterns("site"))
    first_version = published_db.stem.removeprefix("dataset-")
    assert (out / "LATEST").read_text(encoding="utf-8").strip() == published_db.name
    incidents = data / "canonical" / "incidents.csv"
    text = incidents.read_text(encoding="utf-8")
    assert ",699,1034," in text
    incidents.write_text(text.replace(",699,1034,", ",700,1034,"), encoding="utf-8")  # PIPS 2025 revised
    rehash(incidents)
    second = run(out, data_dir=data)
    assert second.dataset_version != first_version
    with duckdb.connect(str(second.database), read_only=True) as con:
        changes = {
            row[0]: row[1:]
            for row in con.execute(
                "SELECT table_name, previous_version, rows_added, rows_removed, rows_revised FROM release_changes"
            ).fetchall()
        }
    assert changes["incidents"] == (first_version, 0, 0, 1)
    assert changes["platform_reported_requests"] == (first_version, 0, 0, 0)
    with duckdb.connect(str(second.database), read_only=True) as con:
        revisions = con.execute(
            'SELECT table_name, row_key, "column", value_before, value_after FROM release_revisions'
        ).fetchall()
    assert revisions == [
        ("incidents", "PIPS | terrorist_attacks | 2025-01-01 | 2025-12-31 | Pakistan | 1", "attacks", "699", "700")
    ]
    os.environ[DATA_DIR_ENV] = str(out)
    try:
        app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60).run()
        assert not app.exception
        assert any(first_version in md.value and "revised" in md.value for md in app.markdown)
        data_page = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60)
        data_page.switch_page("app_pages/data.py")
        data_page.run()
        shown = [d.value for d in data_page.dataframe]
        assert any("value_before" in frame and "699" in frame["value_before"].tolist() for frame in shown)
    finally:
        os.environ[DATA_DIR_ENV] = str(published_dir)
