"""The shipped UCDP GED file and UCDP monthly deaths: checked against the files themselves, read here without
the ETL (csv module only), year by year; every frequent actor mapped with a citation; nothing dropped."""

from __future__ import annotations

import csv
import re
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import pytest

from etl.incident_events import TERMS
from etl.paths import DATA_DIR

GED = DATA_DIR / "sources" / "events" / "ucdp_ged_pakistan_1989-2021.csv"
MONTHLY = DATA_DIR / "sources" / "events" / "ucdp_fatalities_monthly_pakistan_2018-01_2024-04.csv"
SOURCE_ID = "ucdp_ged_pakistan"


def _ged_rows() -> list[dict]:
    with GED.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _key(name: str) -> str:
    """group_aliases matching: case, repeated spaces and a trailing period in brackets ignored."""
    return re.sub(r" ?\([0-9]{4}-([0-9]{4})?\)$", "", re.sub(r"\s+", " ", name.strip().lower()))


@pytest.fixture(scope="module")
def published(published_db: Path, tmp_path_factory):
    # A copy: DuckDB shares one instance per file within a process, and the dashboard's tests may already hold
    # the published file open with its locked configuration.
    copy = tmp_path_factory.mktemp("ucdp") / published_db.name
    shutil.copyfile(published_db, copy)
    con = duckdb.connect(str(copy), read_only=True)
    yield con
    con.close()


def test_yearly_events_and_best_deaths_equal_the_file_year_by_year(published):
    events, deaths = Counter(), Counter()
    for row in _ged_rows():
        year = int(row["date_start"][:4])
        events[year] += 1
        deaths[year] += int(row["best"])
    shown = published.execute(
        "SELECT year, sum(events), sum(fatalities) FROM incident_events_monthly WHERE source_id = ? GROUP BY year",
        [SOURCE_ID],
    ).fetchall()
    assert {year: (int(n), int(d)) for year, n, d in shown} == {year: (events[year], deaths[year]) for year in events}
    assert sum(events.values()) == 6416
    assert (events[2009], deaths[2009]) == (883, 7460)  # a year read off the file by hand


def test_estimates_out_of_order_are_counted_and_kept(published):
    rows = _ged_rows()
    high_below = sum(int(r["high"]) < int(r["best"]) for r in rows)
    low_above = sum(int(r["low"]) > int(r["best"]) for r in rows)
    assert (high_below, low_above) == (139, 61)  # UCDP's own data: 200 rows in all, none both
    info = published.execute(
        "SELECT rows_read, rows_aggregated, rows_quarantined, rows_estimates_out_of_order, synthetic "
        "FROM incident_events_info WHERE source_id = ?",
        [SOURCE_ID],
    ).fetchone()
    assert info == (6416, 6416, 0, high_below + low_above, False)
    flagged = published.execute(
        "SELECT sum(events_estimates_out_of_order) FROM incident_events_monthly WHERE source_id = ?", [SOURCE_ID]
    ).fetchone()[0]
    assert flagged == high_below + low_above
    assert published.execute("SELECT count(*) FROM quarantine WHERE source_id = ?", [SOURCE_ID]).fetchone()[0] == 0


def test_every_actor_with_ten_or_more_events_is_mapped_with_a_citation(published):
    events_per_actor = Counter()
    for row in _ged_rows():
        for actor in {row["side_a"].strip(), row["side_b"].strip()}:
            events_per_actor[actor] += 1
    frequent = {actor for actor, n in events_per_actor.items() if n >= 10}
    assert len(frequent) >= 30
    aliases = defaultdict(dict)
    with (DATA_DIR / "reference" / "group_aliases.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            aliases[_key(row["alias"])][row["dataset"]] = row
    for actor in sorted(frequent):
        mapping = aliases[_key(actor)].get("ucdp_ged") or aliases[_key(actor)].get("any")
        assert mapping, f"{actor!r} ({events_per_actor[actor]} events) is not in group_aliases"
        assert mapping["citation_url"].startswith("https://ucdp.uu.se/"), actor
        if actor.startswith("Government of"):
            assert mapping["group_id"] == "state", f"{actor} is a state, not a militant group"
    unmapped = dict(
        published.execute(
            "SELECT name, events FROM incident_events_unmapped WHERE source_id = ? AND field = 'actor'", [SOURCE_ID]
        ).fetchall()
    )
    assert not frequent & set(unmapped)
    assert len(unmapped) <= 25 and max(unmapped.values()) < 10  # short, and listed (on the page too)


def test_state_actors_are_never_a_militant_group(published):
    groups = dict(
        published.execute(
            "SELECT group_id, sum(events) FROM incident_events_monthly WHERE source_id = ? GROUP BY 1", [SOURCE_ID]
        ).fetchall()
    )
    # India - Pakistan fire and the US against al-Qaida: 'state' only where no armed group is named
    india_pakistan = sum(
        1
        for r in _ged_rows()
        if {r["side_a"].strip(), r["side_b"].strip()} == {"Government of India", "Government of Pakistan"}
    )
    assert groups["state"] >= india_pakistan > 400
    assert groups["TTP"] > 3000


def test_every_province_name_is_mapped_through_the_alias_table(published):
    names = Counter(r["adm_1"] for r in _ged_rows())
    assert names["Federally Administered Tribal Areas"] == 3378 and names["Khyber Pakhtunkwa province"] == 1363
    assert not published.execute(
        "SELECT name FROM incident_events_unmapped WHERE source_id = ? AND field = 'province'", [SOURCE_ID]
    ).fetchall()
    per_region = dict(
        published.execute(
            "SELECT coalesce(region_code, '-'), sum(events) FROM incident_events_monthly WHERE source_id = ? GROUP BY 1",
            [SOURCE_ID],
        ).fetchall()
    )
    assert per_region["PK-KP"] == 3378 + 1363  # ex-FATA and the settled districts are Khyber Pakhtunkhwa today
    assert per_region["-"] == names[""]  # no adm_1 in the file: no province, still counted


def test_monthly_deaths_are_their_own_series_preliminary_from_2022(published):
    with MONTHLY.open(encoding="utf-8", newline="") as handle:
        months = list(csv.DictReader(handle))
    rows = published.execute(
        "SELECT strftime(month, '%Y-%m'), violence_type, fatalities, preliminary FROM ucdp_fatalities_monthly"
    ).fetchall()
    assert len(rows) == 3 * len(months) == 228
    column = {"state_based": "ged_sb", "non_state": "ged_ns", "one_sided": "ged_os"}
    by_month = {m["month"]: m for m in months}
    for month, violence_type, fatalities, preliminary in rows:
        assert fatalities == int(by_month[month][column[violence_type]])
        assert preliminary == (month >= "2022-01"), month
    # 2018-2021 rest on the final GED: each year equals the GED file's best estimates for that type of violence
    ged = Counter()
    for r in _ged_rows():
        ged[(r["date_start"][:4], r["type_of_violence"])] += int(r["best"])
    monthly = Counter()
    for m in months:
        for number, name in (("1", "ged_sb"), ("2", "ged_ns"), ("3", "ged_os")):
            monthly[(m["month"][:4], number)] += int(m[name])
    for year in ("2018", "2019", "2020", "2021"):
        for number in ("1", "2", "3"):
            assert monthly[(year, number)] == ged[(year, number)], (year, number)
    # never added to the events: the event table holds no row from this file
    assert not published.execute(
        "SELECT count(*) FROM incident_events_monthly WHERE source_id = 'ucdp_fatalities_monthly_pakistan'"
    ).fetchone()[0]


def test_the_shipped_files_are_real_and_cited(published):
    cited = dict(
        published.execute(
            "SELECT source_id, cite_as FROM sources WHERE source_id IN (?, 'ucdp_fatalities_monthly_pakistan')",
            [SOURCE_ID],
        ).fetchall()
    )
    assert "Sundberg" in cited[SOURCE_ID] and "Davies" in cited[SOURCE_ID]
    assert "Candidate" in cited["ucdp_fatalities_monthly_pakistan"]
    assert not published.execute(
        "SELECT bool_or(synthetic) FROM incident_events_monthly WHERE source_id = ?", [SOURCE_ID]
    ).fetchone()[0]
    assert "CC BY 4.0" in TERMS["ucdp_ged"]


def test_a_users_export_prints_its_terms_and_replaces_the_shipped_file_of_its_dataset(tmp_path, capsys):
    from etl.__main__ import main
    from etl.incident_events_generate import generate

    exports = [generate(d, 200, 4, tmp_path / f"{d}-mine.csv") for d in ("acled", "ucdp_ged")]
    out = tmp_path / "published"
    assert main(["build", "--quiet", "--out", str(out), *(f"--events={p}" for p in exports)]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "Terms: " + " ".join(TERMS["acled"].split()) in printed
    assert "Terms: " + " ".join(TERMS["ucdp_ged"].split()) in printed
    assert "ucdp_ged_pakistan_1989-2021.csv: shipped with the project, not loaded this time" in printed
    con = duckdb.connect(str(next(out.glob("dataset-*.duckdb"))), read_only=True)
    try:
        loaded = dict(con.execute("SELECT source_id, loaded_into FROM sources WHERE layout = 'ucdp_ged'").fetchall())
        datasets = con.execute("SELECT dataset, count(*) FROM incident_events_info GROUP BY 1 ORDER BY 1").fetchall()
    finally:
        con.close()
    assert loaded[SOURCE_ID] is None  # kept for provenance, its events not counted twice
    assert datasets == [("acled", 1), ("ucdp_ged", 1)]
