"""Aggregation figures against small hand-counted exports, one per dataset, and where every row went."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from .helpers import UCDP_ROWS, build, table, write_export

STATE = "Military Forces of Pakistan (2024-)"
TTP = "TTP: Tehreek-i-Taliban Pakistan"
ACLED_ROWS = [
    # line 2: a clash started by the army; the group is actor2 → TTP, armed clash, Jan 2024, KP
    {
        "event_date": "2024-01-05",
        "time_precision": "1",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": STATE,
        "actor2": TTP,
        "country": "Pakistan",
        "admin1": "Khyber Pakhtunkhwa",
        "fatalities": "3",
    },
    # line 3: old-style date, week precision → approximate; suicide bomb; notes with a line break
    {
        "event_date": "17 January 2024",
        "time_precision": "2",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Suicide bomb",
        "actor1": TTP,
        "country": "Pakistan",
        "admin1": "Khyber Pakhtunkhwa",
        "fatalities": "5",
        "notes": "first line of the notes,\nsecond line",
    },
    # line 5: an unidentified group against civilians → unknown, attack, Balochistan
    {
        "event_date": "2024-01-20",
        "time_precision": "1",
        "event_type": "Violence against civilians",
        "sub_event_type": "Attack",
        "actor1": "Unidentified Armed Group (Pakistan)",
        "actor2": "Civilians (Pakistan)",
        "country": "Pakistan",
        "admin1": "Balochistan",
        "fatalities": "2",
    },
    # line 6: a protest → out of scope
    {
        "event_date": "2024-02-01",
        "time_precision": "1",
        "event_type": "Protests",
        "sub_event_type": "Peaceful protest",
        "actor1": "Protesters (Pakistan)",
        "country": "Pakistan",
        "admin1": "Punjab",
        "fatalities": "0",
    },
    # line 7: another country → outside Pakistan (its bad date is not our business)
    {
        "event_date": "not a date",
        "time_precision": "1",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": TTP,
        "country": "Afghanistan",
        "admin1": "Kunar",
        "fatalities": "4",
    },
    # line 8: an unknown group name and an unknown province → other, no region, both reported
    {
        "event_date": "2024-02-03",
        "time_precision": "1",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "Some New Front",
        "actor2": "Police Forces of Pakistan (2022-)",
        "country": "Pakistan",
        "admin1": "Atlantis",
        "fatalities": "1",
    },
    # line 9: impossible date → quarantined
    {
        "event_date": "2024-13-45",
        "time_precision": "1",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": TTP,
        "country": "Pakistan",
        "admin1": "Khyber Pakhtunkhwa",
        "fatalities": "1",
    },
    # line 10: negative deaths → quarantined
    {
        "event_date": "2024-02-10",
        "time_precision": "1",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": TTP,
        "country": "Pakistan",
        "admin1": "Khyber Pakhtunkhwa",
        "fatalities": "-2",
    },
    # line 11: the group is found among associated actors, in order → BLA; month precision → approximate
    {
        "event_date": "2024-02-14",
        "time_precision": "3",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Remote explosive/landmine/IED",
        "actor1": "Militia (Pro-Government)",
        "assoc_actor_1": "Civilians (Pakistan); BLA: Baloch Liberation Army",
        "country": "Pakistan",
        "admin1": "Balochistan",
        "fatalities": "0",
    },
    # line 12: a date in the future → quarantined
    {
        "event_date": "2099-01-01",
        "time_precision": "1",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": TTP,
        "country": "Pakistan",
        "admin1": "Khyber Pakhtunkhwa",
        "fatalities": "1",
    },
]


def _cells(frame: pd.DataFrame) -> dict[tuple, dict]:
    """Cells keyed by (month as YYYY-MM or year, region, group, type) → counts, NaN as None."""
    out = {}
    for row in frame.to_dict("records"):
        month = row["month"]
        when = str(row["year"]) if month is None or pd.isna(month) else pd.Timestamp(month).strftime("%Y-%m")
        region = None if pd.isna(row["region_code"]) else row["region_code"]
        counts = {
            k: (
                None
                if row[k] is None or (isinstance(row[k], float) and math.isnan(row[k])) or pd.isna(row[k])
                else int(row[k])
            )
            for k in (
                "events",
                "events_date_approx",
                "fatalities",
                "fatalities_low",
                "fatalities_high",
                "events_fatalities_unknown",
                "wounded",
            )
        }
        out[(when, region, row["group_id"], row["event_type"])] = counts
    return out


def _c(events, approx=0, fatalities=None, low=None, high=None, unknown=0, wounded=None):
    return {
        "events": events,
        "events_date_approx": approx,
        "fatalities": fatalities,
        "fatalities_low": low,
        "fatalities_high": high,
        "events_fatalities_unknown": unknown,
        "wounded": wounded,
    }


@pytest.fixture(scope="module")
def acled_built(tmp_path_factory, events_reference_dir):
    folder = tmp_path_factory.mktemp("acled")
    export = write_export(folder / "acled-hand.csv", "acled", ACLED_ROWS)
    out = folder / "published"
    return out, build(out, [export], events_reference_dir)


def test_acled_cells_match_the_hand_count(acled_built):
    out, _ = acled_built
    assert _cells(table(out, "incident_events_monthly")) == {
        ("2024-01", "PK-KP", "TTP", "armed_clash"): _c(1, fatalities=3),
        ("2024-01", "PK-KP", "TTP", "suicide_attack"): _c(1, approx=1, fatalities=5),
        ("2024-01", "PK-BA", "unknown", "attack"): _c(1, fatalities=2),
        ("2024-02", None, "other", "armed_clash"): _c(1, fatalities=1),
        ("2024-02", "PK-BA", "BLA", "bombing_ied"): _c(1, approx=1, fatalities=0),
    }


def test_acled_every_row_is_accounted_for(acled_built):
    out, result = acled_built
    info = table(out, "incident_events_info").iloc[0]
    assert (
        info.rows_read,
        info.rows_aggregated,
        info.rows_outside_pakistan,
        info.rows_out_of_scope,
        info.rows_quarantined,
    ) == (10, 5, 1, 1, 3)
    assert info.dataset == "acled" and info.exported == "2026-01-15" and info.licence == "test fixture"
    source = table(out, "sources").set_index("source_id").loc["acled_hand"]
    assert source.rows_read == source.rows_loaded + source.rows_quarantined == 10


def test_acled_quarantine_names_the_file_line_column_and_rule(acled_built):
    out, _ = acled_built
    quarantine = table(out, "quarantine")
    # the notes of record 2 span lines 3-4, so later rows start one line after their record number + 1
    assert sorted(zip(quarantine["line"], quarantine["column"], quarantine["rule"], strict=True)) == [
        (9, "event_date", "type_date"),
        (10, "fatalities", "minimum"),
        (12, "event_date", "future_date"),
    ]
    assert set(quarantine["file"]) == {"acled-hand.csv"}


def test_unknown_names_are_reported_not_dropped(acled_built):
    out, result = acled_built
    unmapped = table(out, "incident_events_unmapped")
    assert sorted(zip(unmapped["field"], unmapped["name"], unmapped["events"], strict=True)) == [
        ("actor", "Some New Front", 1),
        ("province", "Atlantis", 1),
    ]
    assert result.event_exports[0].unmapped  # and the build summary has them to print


def test_ucdp_ranges_estimates_and_date_spans(tmp_path, events_reference_dir):
    export = write_export(tmp_path / "ucdp-hand.csv", "ucdp_ged", UCDP_ROWS)
    build(tmp_path / "out", [export], events_reference_dir)
    cells = table(tmp_path / "out", "incident_events_monthly")
    assert _cells(cells) == {
        # rows 1 and 4: best 4 + 2, low 3 + 3, high 6 + 4; row 4's low is above its best and it is still counted
        ("2023-03", "PK-KP", "TTP", "armed_clash"): _c(2, fatalities=6, low=6, high=10),
        ("2023-03", "PK-BA", "BLA", "attack"): _c(1, approx=1, fatalities=2, low=2, high=2),
        ("2023", "PK-KP", "TTP", "armed_clash"): _c(1, approx=1, fatalities=7, low=5, high=10),
    }
    flagged = {
        (str(row.month)[:7] if pd.notna(row.month) else None, row.group_id): row.events_estimates_out_of_order
        for row in cells.itertuples()
    }
    assert flagged == {("2023-03", "TTP"): 1, ("2023-03", "BLA"): 0, (None, "TTP"): 0}
    quarantine = table(tmp_path / "out", "quarantine")
    assert sorted(zip(quarantine["line"], quarantine["rule"], strict=True)) == [(6, "end_before_start")]
    info = table(tmp_path / "out", "incident_events_info").iloc[0]
    assert (info.rows_read, info.rows_aggregated, info.rows_outside_pakistan, info.rows_quarantined) == (6, 4, 1, 1)
    assert info.rows_estimates_out_of_order == 1
    assert info.events_year_only == 1


GTD_ROWS = [
    # a suicide bombing → suicide_attack whatever attacktype1 says; day known
    {
        "eventid": "202305010001",
        "iyear": "2023",
        "imonth": "5",
        "iday": "1",
        "country": "153",
        "country_txt": "Pakistan",
        "provstate": "North-West Frontier Province",
        "attacktype1_txt": "Bombing/Explosion",
        "suicide": "1",
        "gname": "Tehrik-i-Taliban Pakistan (TTP)",
        "nkill": "10",
        "nwound": "20",
    },
    # day unknown (iday 0) → approximate; deaths unknown (blank) → not zero; 'Unknown' group
    {
        "eventid": "202305000002",
        "iyear": "2023",
        "imonth": "5",
        "iday": "0",
        "country_txt": "Pakistan",
        "provstate": "Khyber Pakhtunkhwa",
        "attacktype1_txt": "Armed Assault",
        "suicide": "0",
        "gname": "Unknown",
        "nkill": "",
        "nwound": "3",
    },
    # month unknown → the year only; Café-style Latin-1 text in an unread column
    {
        "eventid": "202300000003",
        "iyear": "2023",
        "imonth": "0",
        "iday": "0",
        "country_txt": "Pakistan",
        "provstate": "Balochistan",
        "city": "Qu\u00e9tta (illustrative)",
        "attacktype1_txt": "Assassination",
        "suicide": "0",
        "gname": "Baloch Liberation Army (BLA)",
        "nkill": "1.0",
        "nwound": "0",
    },
    # 30 February → quarantined
    {
        "eventid": "202302300004",
        "iyear": "2023",
        "imonth": "2",
        "iday": "30",
        "country_txt": "Pakistan",
        "provstate": "Sindh",
        "attacktype1_txt": "Armed Assault",
        "suicide": "0",
        "gname": "Unknown",
        "nkill": "1",
    },
    # deaths as a fraction → quarantined
    {
        "eventid": "202305020005",
        "iyear": "2023",
        "imonth": "5",
        "iday": "2",
        "country_txt": "Pakistan",
        "provstate": "Sindh",
        "attacktype1_txt": "Armed Assault",
        "suicide": "0",
        "gname": "Unknown",
        "nkill": "1.5",
    },
]


def test_gtd_unknown_day_month_and_counts_latin1(tmp_path, events_reference_dir):
    export = write_export(tmp_path / "gtd-hand.csv", "gtd", GTD_ROWS, encoding="latin-1")
    build(tmp_path / "out", [export], events_reference_dir)
    assert _cells(table(tmp_path / "out", "incident_events_monthly")) == {
        ("2023-05", "PK-KP", "TTP", "suicide_attack"): _c(1, fatalities=10, wounded=20),
        ("2023-05", "PK-KP", "unknown", "attack"): _c(1, approx=1, fatalities=None, unknown=1, wounded=3),
        ("2023", "PK-BA", "BLA", "targeted_killing"): _c(1, approx=1, fatalities=1, wounded=0),
    }
    quarantine = table(tmp_path / "out", "quarantine")
    assert sorted(zip(quarantine["line"], quarantine["column"], quarantine["rule"], strict=True)) == [
        (5, "iday", "invalid_date"),
        (6, "nkill", "type_integer"),
    ]


def test_parquet_export_gives_the_same_cells_as_csv(tmp_path, events_reference_dir):
    csv_export = write_export(tmp_path / "a" / "acled-csv.csv", "acled", ACLED_ROWS)
    parquet_export = write_export(tmp_path / "b" / "acled-parquet.parquet", "acled", ACLED_ROWS)
    build(tmp_path / "out-csv", [csv_export], events_reference_dir)
    build(tmp_path / "out-parquet", [parquet_export], events_reference_dir)
    assert _cells(table(tmp_path / "out-csv", "incident_events_monthly")) == _cells(
        table(tmp_path / "out-parquet", "incident_events_monthly")
    )
    # Parquet has no lines: the record number is given
    assert sorted(table(tmp_path / "out-parquet", "quarantine")["line"]) == [7, 8, 10]


def test_strict_mode_refuses_an_export_with_quarantined_rows(tmp_path, events_reference_dir):
    from etl.errors import SourceError

    export = write_export(tmp_path / "acled-strict.csv", "acled", ACLED_ROWS)
    with pytest.raises(SourceError, match="Strict mode: 3 rows of acled-strict.csv"):
        build(tmp_path / "out", [export], events_reference_dir, strict=True)
