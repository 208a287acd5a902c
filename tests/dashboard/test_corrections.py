"""The public corrections log (a reference table published with the release, shown on the Data page in both
languages) and "Report an error or send a figure" under every chart (a bounded queue file, or a prefilled link)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import reports
from etl.publish import current_database

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "data" / "reference" / "corrections.csv"


def _open(page: str, lang: str = "en", **env) -> AppTest:
    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)
    app.switch_page(f"app_pages/{page}.py")
    app.query_params["lang"] = lang
    return app.run()


def test_the_log_is_published_with_the_release_that_first_carries_each_correction(published_dir, tmp_path):
    with REFERENCE.open(encoding="utf-8", newline="") as handle:
        reference = list(csv.DictReader(handle))
    assert len(reference) >= 10  # the data audit's corrections
    copy = tmp_path / "copy.duckdb"  # a page may hold the published file open with its own settings
    shutil.copyfile(current_database(published_dir), copy)
    con = duckdb.connect(str(copy), read_only=True)
    version = con.execute("SELECT dataset_version FROM build_info").fetchone()[0]
    rows = con.execute("SELECT correction_id, release_version, what_changed_ur FROM corrections").fetchall()
    con.close()
    assert {r[0] for r in rows} == {r["correction_id"] for r in reference}
    unreleased = {r["correction_id"] for r in reference if not r["release_version"]}
    assert unreleased and all(v == version for cid, v, _ in rows if cid in unreleased)
    assert all(any("\u0600" <= c <= "\u06ff" for c in ur) for *_, ur in rows)  # every row in Urdu too
    released = published_dir / "releases" / version / "data" / "corrections.csv"
    lines = released.read_text(encoding="utf-8-sig").splitlines()
    assert sum(version in line for line in lines[2:]) == len(unreleased)  # the release's own file says so


@pytest.mark.parametrize(("lang", "column"), [("en", "what_changed"), ("ur", "what_changed_ur")])
def test_the_data_page_lists_every_correction_in_the_readers_language(published_dir, lang, column):
    with REFERENCE.open(encoding="utf-8", newline="") as handle:
        reference = list(csv.DictReader(handle))
    app = _open("data", lang)
    assert not app.exception
    shown = " ".join(m.value.replace("\\", "") for m in app.markdown)
    for row in reference:
        assert row[column][:40] in shown, row["correction_id"]
    other = "what_changed_ur" if lang == "en" else "what_changed"
    assert reference[0][other][:40] not in shown


def test_a_report_sent_from_a_chart_is_one_queue_line_of_what_the_sender_typed(published_dir, tmp_path, monkeypatch):
    queue = tmp_path / "queue.jsonl"
    monkeypatch.setenv("DASHBOARD_REPORTS", "queue")
    monkeypatch.setenv("DASHBOARD_REPORTS_QUEUE", str(queue))
    app = _open("overview")
    labels = [p.proto.popover.label for p in app.get("popover")]
    assert labels and set(labels) == {"Report an error or send a figure"}
    assert len(labels) == len(app.get("plotly_chart")), "one report control per chart"
    app.text_area[0].input("The 2024 figure should be 905\x00, see \u202ethe Nation")
    app.text_input[0].input("905 attacks, The Nation, 1 Jan 2025")
    next(b for b in app.button if b.label == "Send").click()
    app.run()
    assert not app.exception
    assert any("Your report is saved" in s.value for s in app.success)
    (line,) = queue.read_text(encoding="utf-8").splitlines()
    saved = json.loads(line)
    assert set(saved) == {"received", "chart", "dataset_version", "lang", "link", "message", "figure"}
    assert saved["message"] == "The 2024 figure should be 905, see the Nation"  # control characters removed
    assert saved["figure"] == "905 attacks, The Nation, 1 Jan 2025"
    assert saved["lang"] == "en" and saved["link"].endswith("#" + saved["chart"])


def test_the_queue_stops_at_its_size_and_at_its_rate_and_never_overwrites(tmp_path):
    path = tmp_path / "q.jsonl"
    line = reports.report("c", "v", "en", "https://x/", "m" * 100, "")
    size = len(json.dumps(line, ensure_ascii=False, sort_keys=True).encode()) + 1
    queue = reports.Queue(path, limit_bytes=size * 3 + 10, per_minute=1000)
    assert [queue.add(line) for _ in range(5)] == ["saved"] * 3 + ["full"] * 2
    assert path.stat().st_size == size * 3
    hurried = reports.Queue(tmp_path / "r.jsonl", limit_bytes=10**6, per_minute=4)
    assert [hurried.add(line) for _ in range(6)] == ["saved"] * 4 + ["busy"] * 2
    long = reports.report("c", "v", "en", "https://x/" + "a" * 5000, "m" * 10**6, "f" * 10**5)
    assert len(long["message"]) == reports.MAX_MESSAGE and len(long["figure"]) == reports.MAX_FIGURE
    assert len(long["link"]) == 1000


def test_a_deployment_can_send_reports_by_e_mail_or_as_an_issue_instead(published_dir, monkeypatch):
    monkeypatch.setenv("DASHBOARD_REPORTS", "https://github.com/example/dashboard/issues/new")
    app = _open("overview", "ur")
    assert not app.exception
    buttons = app.get("link_button")
    assert buttons and all(
        b.proto.url.startswith("https://github.com/example/dashboard/issues/new?title=") for b in buttons
    )
    assert not app.text_area  # no form: nothing is stored by the app
    assert reports.setting({"DASHBOARD_REPORTS": "mailto:fixes@example.org"}) == reports.Setting(
        "mailto", "fixes@example.org"
    )
    assert reports.prefilled(reports.Setting("mailto", "a@b.org"), "T x", "B").startswith(
        "mailto:a@b.org?subject=T%20x"
    )
    with pytest.raises(ValueError, match="DASHBOARD_REPORTS='ftp://x'"):
        reports.setting({"DASHBOARD_REPORTS": "ftp://x"})
    monkeypatch.setenv("DASHBOARD_REPORTS", "off")
    assert not _open("overview").get("popover")


def test_a_bad_correction_row_is_refused_by_its_contract_with_line_column_and_rule(tmp_path):
    """The log is validated like the other reference tables: a row without its Urdu text, with an impossible
    date or a release that is not a dataset version is refused, named by file, line, column and rule."""
    from etl.adapters import Refs, registry
    from etl.build import read_and_validate

    path = tmp_path / "corrections.csv"
    with REFERENCE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    rows[1]["what_changed_ur"] = ""
    rows[2]["corrected_on"] = "2026-02-30"
    rows[3]["release_version"] = "latest"
    rows[4]["evidence_url"] = "javascript:alert(1)"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    result = read_and_validate(path, registry()["reference_corrections"], Refs(), {})
    found = {(f.file, f.line, f.column) for f in result.failures}
    assert found == {
        ("corrections.csv", 3, "what_changed_ur"),
        ("corrections.csv", 4, "corrected_on"),
        ("corrections.csv", 5, "release_version"),
        ("corrections.csv", 6, "evidence_url"),
    }
    assert all(f.rule for f in result.failures) and result.rows_loaded == len(rows) - 4
