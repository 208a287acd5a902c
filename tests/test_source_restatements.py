"""A figure restated by its source in a later document replaces the earlier one everywhere it is shown:
the fact table, the Overview card, the chart's table and the briefing; the earlier one stays published."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest

from dashboard import i18n
from dashboard.briefing import figures as briefing_figures
from etl.build import run
from etl.paths import DATA_DIR_ENV
from etl.provenance import rehash
from tests.etl.helpers import copy_data

ROOT = Path(__file__).resolve().parent.parent
CANONICAL = [f"canonical/{t}.csv" for t in ("incidents", "platform_reported_requests", "regulator_reported_actions")]
MEASURES = ("attacks", "killed_total", "killed_security", "killed_civilians", "killed_militants", "injured_total")


def _restate_latest_pips_year(incidents: Path) -> tuple[dict, dict]:
    """Append a later document's restatement of PIPS's latest national year (7 more attacks)."""
    with incidents.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    national = [
        r
        for r in rows
        if r["source_org"] == "PIPS" and r["region_label"] == "Pakistan" and r["date_precision"] == "year"
    ]
    latest = max(national, key=lambda r: (r["period_end"], int(r["revision"])))
    restated = {
        **latest,
        "revision": str(int(latest["revision"]) + 1),
        "attacks": str(int(latest["attacks"]) + 7),
        "attacks_qualifier": "",
        "published": "2026-11-30",
        "citation_url": "https://www.pakpips.com/restated-report",
        "citation_grade": "publisher",
    }
    restated["approx"] = "true" if any(restated[f"{m}_qualifier"] for m in MEASURES) else "false"
    with incidents.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=header, lineterminator="\n").writerow(restated)
    rehash(incidents)
    return latest, restated


def test_a_restated_figure_replaces_the_earlier_one_everywhere(tmp_path, published_dir):
    # the reference tables and every canonical table (Google's files and the event data, which no restatement
    # touches, are left out: reading them is not what is tested)
    data = copy_data(tmp_path / "data", *CANONICAL)
    earlier, restated = _restate_latest_pips_year(data / "canonical" / "incidents.csv")
    year = int(earlier["period_end"][:4])
    out = tmp_path / "published"
    result = run(out, data_dir=data)
    with duckdb.connect(str(result.database), read_only=True) as con:
        shown = con.execute(
            "SELECT attacks, killed_total, revision FROM incidents WHERE source_org = 'PIPS' AND region_code = 'PK' "
            "AND year(period_end) = ? AND definition_id = 'terrorist_attacks' ORDER BY revision",
            [year],
        ).fetchall()
        kept = con.execute(
            """SELECT value_restated, current_value, citation_url, current_citation_url FROM source_restatements
               WHERE "column" = 'attacks' AND row_key LIKE 'PIPS | terrorist_attacks | %'"""
        ).fetchall()
    killed = int(earlier["killed_total"])  # restated too (the same value): the earlier row is left with none
    assert shown == [(int(restated["attacks"]), killed, int(restated["revision"]))]
    assert (int(earlier["attacks"]), int(restated["attacks"]), earlier["citation_url"], restated["citation_url"]) in [
        (int(a), int(b), c, d) for a, b, c, d in kept
    ]

    new, old = i18n.num(int(restated["attacks"])), i18n.num(int(earlier["attacks"]))
    os.environ[DATA_DIR_ENV] = str(out)
    try:
        app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90).run()
        card = next(m for m in app.metric if m.label.startswith("PIPS:"))
        assert card.value == new and str(year) in card.label
        page = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)
        page.query_params["period"] = [str(year), str(year)]
        page.switch_page("app_pages/incidents.py")
        page.run()
        table = page.dataframe[0].value
        pips = table[(table["source_org"] == "PIPS") & (table["definition_id"] == "terrorist_attacks")]
        assert pips["attacks"].tolist() == [int(restated["attacks"])]
        brief = briefing_figures.gather(year, year, (), ())
        figure = next(f for f in brief.figures if f.label.startswith("PIPS"))
        assert figure.value == new and figure.value != old
        about = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)
        about.switch_page("app_pages/about.py")
        about.run()
        listed = next(d.value for d in about.dataframe if "value_restated" in d.value.columns)
        assert int(earlier["attacks"]) in listed["value_restated"].tolist()
    finally:
        os.environ[DATA_DIR_ENV] = str(published_dir)
