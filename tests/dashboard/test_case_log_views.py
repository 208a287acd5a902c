"""The responsiveness page with case-log aggregates: response-time views appear, labelled when synthetic."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl.build import run
from etl.caselog_generate import generate
from etl.paths import DATA_DIR_ENV
from tests.etl.helpers import copy_data

ROOT = Path(__file__).resolve().parents[2]
CANONICAL = [f"canonical/{t}.csv" for t in ("incidents", "platform_reported_requests", "regulator_reported_actions")]
CASE_CHARTS = [
    "case-response-times",
    "case-within-24h",
    "case-outcomes",
    "case-mirrors",
    "case-by-group",
    "case-by-origin",
]


@pytest.fixture(scope="module")
def with_case_log(tmp_path_factory, published_dir):
    """A generated case log built with the reference tables and the canonical tables (the page's other charts have
    their data); Google's files and the event data, which this page's case-log views do not read, are left out."""
    folder = tmp_path_factory.mktemp("caselog")
    log = generate(30_000, 11, folder / "log.parquet")
    data = copy_data(folder / "data", *CANONICAL)
    out = folder / "published"
    run(out, data_dir=data, case_logs=[log])
    os.environ[DATA_DIR_ENV] = str(out)
    yield out
    os.environ[DATA_DIR_ENV] = str(published_dir)


def open_responsiveness() -> AppTest:
    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)
    app.switch_page("app_pages/responsiveness.py")
    return app.run()


def test_case_log_views_appear_with_an_unmistakable_synthetic_label(with_case_log):
    app = open_responsiveness()
    assert not app.exception
    keys = [d.key.removeprefix("csv-") for d in app.get("download_button")]
    assert keys[-len(CASE_CHARTS) :] == CASE_CHARTS
    assert any("ILLUSTRATIVE (SYNTHETIC)" in e.value for e in app.error), "banner on the page"
    assert any("ILLUSTRATIVE (SYNTHETIC)" in e.value for e in app.sidebar.error), "banner in the frame"


def test_a_case_log_chart_downloads_as_a_labelled_csv_of_its_table(with_case_log):
    """What a case-log chart's download button writes when clicked: the page's table, under the synthetic label."""
    from dashboard import blocks, queries

    open_responsiveness()  # the page as drawn first: the queries below read the same dataset
    months = queries.case_platform_months(queries.platform_options()["platform_id"].tolist(), 2000, 2100)
    info = blocks.dataset()
    name, write = blocks.csv_download("case-response-times", "Title", months, info, ["Publisher"], ["Terms"], True)
    assert name == f"illustrative-synthetic_case-response-times_{info['dataset_version']}.csv"
    lines = write().decode("utf-8-sig").splitlines()
    comments = [line for line in lines if line.startswith("# ")]
    assert comments[0].startswith("# ILLUSTRATIVE (SYNTHETIC)")
    assert f"# Dataset version {info['dataset_version']}, built" in "\n".join(comments)
    assert len(lines) - len(comments) == len(months) + 1  # the header and one line per row of the table


def test_without_a_case_log_the_page_says_what_data_would_fill_the_views(published_dir):
    os.environ[DATA_DIR_ENV] = str(published_dir)
    app = open_responsiveness()
    assert any("case log" in i.value for i in app.info)
    assert not any("ILLUSTRATIVE" in e.value for e in app.error)


def test_the_disclosure_rule_shown_is_the_one_published_with_the_dataset(with_case_log, tmp_path):
    """A dataset published under an older wording of the rule shows that wording, not the code's current one."""
    import duckdb

    from dataset.location import current_database
    from dataset.tables import SUPPRESSION_RULE

    older = "Cells with fewer than 5 requests were withheld (wording of an earlier release)."
    copy = tmp_path / "dataset-earlierwording.duckdb"
    copy.write_bytes(current_database(with_case_log).read_bytes())
    con = duckdb.connect(str(copy))
    try:
        con.execute("UPDATE case_log_info SET suppression_rule = ?", [older])
    finally:
        con.close()
    (tmp_path / "LATEST").write_text(copy.name + "\n", encoding="utf-8")
    os.environ[DATA_DIR_ENV] = str(tmp_path)
    try:
        app = open_responsiveness()
    finally:
        os.environ[DATA_DIR_ENV] = str(with_case_log)
    assert not app.exception
    captions = [c.value for c in app.caption]
    assert any(c.startswith(older) for c in captions), captions
    assert not any(SUPPRESSION_RULE[:40] in c for c in captions)
    app = open_responsiveness()  # the dataset built now carries the current wording, and shows it
    assert any(c.startswith(SUPPRESSION_RULE.format(k=5)[:200]) for c in [c.value for c in app.caption])
