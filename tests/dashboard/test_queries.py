"""Query functions against figures computed by hand from the source files themselves."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from dashboard import queries

DATA = Path(__file__).resolve().parents[2] / "data"
GOOGLE = DATA / "sources" / "google"


def google_rows(name: str) -> list[dict]:
    with (GOOGLE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(autouse=True)
def _dataset(published_dir):
    return published_dir


def test_google_pakistan_2025h1_requests_and_items_match_the_csv():
    rows = [
        r
        for r in google_rows("google-government-removal-requests.csv")
        if r["CLDR Territory Code"] == "PK" and r["Period Ending"] == "2025-06-30"
    ]
    expected_requests = sum(int(r["Number of Requests"]) for r in rows)
    expected_items = sum(int(r["Items Requested To Be Removed"]) for r in rows)
    totals = queries.google_totals(["PK"], 2025, 2025)
    latest = totals[totals["period"] == "2025 H1"].iloc[0]
    assert (latest["requests"], latest["items_requested"]) == (expected_requests, expected_items) == (232, 5056)


def test_google_pakistan_regulator_requests_2025h1():
    by_requester = queries.google_by_requester("PK", 2025, 2025)
    ica = by_requester[
        (by_requester["requester"] == "Information and Communications Authority")
        & (by_requester["period"] == "2025 H1")
    ].iloc[0]
    assert (ica["requests"], ica["items_requested"]) == (211, 4553)


def test_google_totals_use_older_release_before_2019_with_suppressed_values_as_qualifiers():
    totals = queries.google_totals(["PK"], 2009, 2019)
    first = totals.iloc[0]
    assert first["period"] == "2009 H2"
    assert first["requests_qualifier"] == "<10" and first["requests"] != first["requests"]  # NaN: not a number
    assert list(totals["period"]).count("2019 H1") == 1  # the two releases overlap; counted once


def test_google_by_product_sums_the_detailed_csv():
    rows = [
        r
        for r in google_rows("google-government-detailed-removal-requests.csv")
        if r["CLDR Territory Code"] == "PK" and r["Period Ending"] == "2024-12-31" and r["Product"] == "YouTube"
    ]
    by_product = queries.google_by_product("PK", 2024, 2024)
    youtube = by_product[(by_product["product"] == "YouTube") & (by_product["period"] == "2024 H2")]
    assert int(youtube["requests"].iloc[0]) == sum(int(r["Total"]) for r in rows)


def test_country_ranking_matches_a_hand_ranking():
    rows = [r for r in google_rows("google-government-removal-requests.csv") if r["Period Ending"] == "2025-06-30"]
    per_country: dict[str, int] = {}
    for r in rows:
        per_country[r["CLDR Territory Code"]] = per_country.get(r["CLDR Territory Code"], 0) + int(
            r["Number of Requests"]
        )
    rank = 1 + sum(1 for v in per_country.values() if v > per_country["PK"])
    share = round(100 * per_country["PK"] / sum(per_country.values()), 2)
    ranking = queries.google_country_ranking(2025, 2025)
    pk = ranking[(ranking["country_code"] == "PK") & (ranking["period"] == "2025 H1")].iloc[0]
    assert (int(pk["rank_by_requests"]), float(pk["share_of_world_requests_pct"])) == (rank, share)


def test_google_removal_share_is_item_weighted_across_requestor_types():
    rows = [
        r
        for r in google_rows("google-government-removal-requests.csv")
        if r["CLDR Territory Code"] == "PK" and r["Period Ending"] == "2025-06-30"
    ]
    removed = sum(
        int(r["Items Requested To Be Removed"]) * (float(r["% Removed-Legal"] or 0) + float(r["% Removed-Policy"] or 0))
        for r in rows
    )
    expected = round(removed / sum(int(r["Items Requested To Be Removed"]) for r in rows), 1)
    rates = queries.compliance_rates(["google"], 2025, 2025)
    assert float(rates[rates["period"] == "2025 H1"]["rate_pct"].iloc[0]) == expected


def test_pta_facebook_blocked_as_of_2022_12_22():
    pta = queries.pta_by_platform(["facebook"], 2022, 2022)
    row = pta[pta["as_of"].astype(str).str.startswith("2022-12-22")].iloc[0]
    assert row["urls_blocked"] == 118_210
    assert row["citation_url"].startswith("https://propakistani.pk/")


def test_pta_undated_report_is_kept_and_shown_as_undated():
    pta = queries.pta_by_platform(["facebook"], 2030, 2030)  # outside any dated year: only undated rows remain
    assert len(pta) >= 1
    assert set(pta["date_precision"]) == {"unknown"}
    assert pta["as_of"].isna().all()
    assert (pta["urls_blocked"] == 139_415).any()


def test_pips_2025_attacks():
    pips = queries.incidents_national(["PIPS"], 2025, 2025)
    assert int(pips["attacks"].iloc[0]) == 699
    assert int(pips["killed_total"].iloc[0]) == 1034


def test_incident_sources_and_definitions_are_never_added_together():
    """One row per source and definition: PICSS's militant attacks and its combat-related series stay apart."""
    both = queries.incidents_national(["PIPS", "PICSS"], 2025, 2025)
    assert sorted(zip(both["source_org"], both["definition_id"], strict=True)) == [
        ("PICSS", "combat_related"),
        ("PICSS", "militant_attacks"),
        ("PIPS", "terrorist_attacks"),
    ]
    assert int(both.loc[both["source_org"] == "PIPS", "attacks"].iloc[0]) == 699
    picss = both[both["definition_id"] == "militant_attacks"].iloc[0]
    assert (int(picss["attacks"]), picss["attacks_qualifier"]) == (1066, "lower_bound")  # the annual report's


def test_province_figures_add_a_sources_own_split_of_kp():
    picss = queries.incidents_by_province("PICSS", 2024, [])
    kp = picss[picss["region_code"] == "PK-KP"].iloc[0]
    assert int(kp["attacks"]) == 308 + 259
    assert float(kp["attacks_per_million"]) == round(1e6 * 567 / 40_856_097, 2)


def test_ledger_takes_latest_snapshot_before_the_date_and_sums_one_platform_source():
    ledger = queries.ledger(["facebook", "x"], date(2024, 12, 31))
    facebook = ledger[ledger["platform_id"] == "facebook"].iloc[0]
    assert str(facebook["as_of"])[:10] == "2024-07-19" and facebook["urls_blocked"] == 147_569
    # Meta's Facebook items restricted in every half-year it reported up to the date, read from the curated file
    with (DATA / "canonical" / "platform_reported_requests.csv").open(encoding="utf-8") as handle:
        reported = [
            r
            for r in csv.DictReader(handle)
            if r["reporter_id"] == "meta" and r["platform_id"] == "facebook" and r["items_actioned_local_law"]
        ]
    assert len(reported) >= 5
    assert facebook["value_summed"] == sum(int(r["items_actioned_local_law"]) for r in reported)
    assert facebook["half_years_reported"] == len(reported)
    assert "2014 H2" in facebook["periods_left_out"]  # the total names the half-years it leaves out
    x = ledger[ledger["platform_id"] == "x"].iloc[0]
    assert x["urls_blocked"] == 53_842


def test_province_geojson_has_the_seven_units():
    geo = queries.province_geojson()
    codes = sorted(f["properties"]["region_code"] for f in geo["features"])
    assert codes == ["PK-BA", "PK-GB", "PK-IS", "PK-JK", "PK-KP", "PK-PB", "PK-SD"]
