"""The dashboard's questions to the dataset, one function each: SQL file + bound parameters → DataFrame.

Each function names the query in ``dashboard/sql/`` it runs, on the dataset in use (``db.run``); the only
work done here is light shaping (period labels, GeoJSON assembly) that every caller would otherwise repeat.
Plain functions: the running app's caches and per-run pinning are in ``live.py``.
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd

from dashboard import db, i18n
from dashboard.i18n import N_, _

TAKEDOWN_EVENT_KINDS = ["law", "regulation", "platform_ban", "platform_restored", "court"]
INCIDENT_EVENT_KINDS = ["conflict", "security_operation", "law"]


def period_label(start: pd.Series, end: pd.Series) -> pd.Series:
    """'2025 H1', '2024 H2' or '2024' from period bounds."""
    start, end = pd.to_datetime(start), pd.to_datetime(end)
    months = ((end.dt.year - start.dt.year) * 12 + end.dt.month - start.dt.month + 1).to_numpy()
    halves = (start.dt.month <= 6).to_numpy()
    labels = [
        f"{year} H1" if span == 6 and first else f"{year} H2" if span == 6 else str(year)
        for year, span, first in zip(end.dt.year.to_numpy(), months, halves, strict=True)
    ]
    return pd.Series(labels, index=start.index, dtype="str")


def _translated(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Reference labels (category and province names) in the reader's language; ids stay as they are."""
    for column in columns:
        if column in frame:
            frame[column] = frame[column].map(lambda v: _(v) if isinstance(v, str) else v)
    return frame


# Words the queries themselves write into a column (SQL literals), translated where shown.
MEASURE_LABELS = frozenset(
    (
        N_("share of requests fully or partly complied with"),
        N_("share of items removed (legal or policy reasons)"),
        N_("share of requests complied with"),
        N_("share of the content named in requests that was removed"),
        N_("requests naming YouTube (Google)"),
    )
)
PTA_TOTAL = N_("All platforms (PTA total)")


def _in_urdu_too(frame: pd.DataFrame, measure: str = "measure") -> pd.DataFrame:
    """Platform names (from the reference table), the measures' words and the reports' date labels in the
    reader's language; ids, dates and figures stay as they are."""
    if i18n.current() == i18n.DEFAULT:
        return frame
    if "platform" in frame and "platform_id" in frame:
        names = db.run("platform_names").set_index("platform_id")["name_ur"]
        urdu = frame["platform_id"].map(names)
        frame["platform"] = urdu.where(urdu.notna(), frame["platform"].map(lambda v: _(v) if v == PTA_TOTAL else v))
    if measure in frame:
        frame[measure] = frame[measure].map(lambda v: _(v) if v in MEASURE_LABELS else v)
    if "date_label" in frame:
        frame["date_label"] = frame["date_label"].map(i18n.date_label)
    return frame


def _with_periods(frame: pd.DataFrame) -> pd.DataFrame:
    if "period_start" in frame and "period_end" in frame:
        labels = period_label(frame["period_start"], frame["period_end"]) if len(frame) else pd.Series(dtype="string")
        frame.insert(0, "period", labels)
    return frame


# --- choices for the filters -------------------------------------------------------------------------


def year_bounds() -> tuple[int, int]:
    row = db.run("year_bounds").iloc[0]
    return int(row["first_year"]), int(row["last_year"])


def platform_options() -> pd.DataFrame:
    """Platforms for the picker, named in the reader's language (``name``); ``name_en`` keeps the English name,
    which older links may carry."""
    frame = db.run("platform_options")
    frame["name_en"] = frame["name"]
    if i18n.current() == "ur":
        frame["name"] = frame["name_ur"]
    return frame.drop(columns=["name_ur"])


def category_options() -> pd.DataFrame:
    return _translated(db.run("category_options"), "name")


def countries() -> pd.DataFrame:
    return db.run("countries")


def province_names() -> dict[str, str]:
    """Province and territory codes (ISO 3166-2) → names in the reader's language, for the province filter."""
    regions = _translated(db.run("regions"), "name")
    return dict(zip(regions["region_code"], regions["name"], strict=True))


def incident_years_by_province() -> pd.DataFrame:
    return db.run("incident_years_by_province")


# --- takedown requests ---------------------------------------------------------------------------------


def google_totals(countries: list[str], year_from: int, year_to: int) -> pd.DataFrame:
    return _with_periods(db.run("google_totals", countries=countries, year_from=year_from, year_to=year_to))


def google_by_requester(country: str, year_from: int, year_to: int) -> pd.DataFrame:
    return _with_periods(db.run("google_by_requester", country=country, year_from=year_from, year_to=year_to))


def google_by_product(country: str, year_from: int, year_to: int) -> pd.DataFrame:
    return _with_periods(db.run("google_by_product", country=country, year_from=year_from, year_to=year_to))


def google_by_category(country: str, categories: list[str], year_from: int, year_to: int) -> pd.DataFrame:
    frame = db.run("google_by_category", country=country, categories=categories, year_from=year_from, year_to=year_to)
    return _with_periods(_translated(frame, "category"))


def google_country_ranking(year_from: int, year_to: int) -> pd.DataFrame:
    return _with_periods(db.run("google_country_ranking", year_from=year_from, year_to=year_to))


def platform_reports(platforms: list[str], year_from: int, year_to: int) -> pd.DataFrame:
    return _in_urdu_too(
        _with_periods(db.run("platform_reports", platforms=platforms, year_from=year_from, year_to=year_to))
    )


def pta_by_platform(platforms: list[str], year_from: int, year_to: int) -> pd.DataFrame:
    return _in_urdu_too(db.run("pta_by_platform", platforms=platforms, year_from=year_from, year_to=year_to))


def pta_by_category(categories: list[str], year_from: int, year_to: int) -> pd.DataFrame:
    return _in_urdu_too(
        _translated(db.run("pta_by_category", categories=categories, year_from=year_from, year_to=year_to), "category")
    )


# --- responsiveness ------------------------------------------------------------------------------------


def compliance_rates(platforms: list[str], year_from: int, year_to: int) -> pd.DataFrame:
    return _in_urdu_too(
        _with_periods(db.run("compliance_rates", platforms=platforms, year_from=year_from, year_to=year_to))
    )


def ledger(platforms: list[str], as_of_limit: date) -> pd.DataFrame:
    """Regulator snapshot and platform reports side by side, one row per platform."""
    regulator = db.run("ledger_regulator", platforms=platforms, as_of_limit=as_of_limit)
    reported = db.run("ledger_platform", platforms=platforms, as_of_limit=as_of_limit)
    reported = reported.rename(
        columns={
            "source_id": "platform_source_id",
            "citation_url": "platform_citation_url",
            "measure": "platform_measure",
        }
    )
    regulator = regulator.rename(columns={"source_id": "regulator_source_id", "citation_url": "regulator_citation_url"})
    merged = regulator.merge(reported, on="platform_id", how="outer")
    merged["platform"] = merged["platform"].fillna(merged["platform_id"])
    merged = _in_urdu_too(merged, measure="platform_measure")
    return merged.sort_values("urls_blocked", ascending=False, na_position="last").reset_index(drop=True)


def case_info() -> pd.DataFrame:
    return db.run("case_info")


def case_platform_months(platforms: list[str], year_from: int, year_to: int) -> pd.DataFrame:
    return db.run("case_platform_months", platforms=platforms, year_from=year_from, year_to=year_to)


def case_breakdown(platforms: list[str], year_from: int, year_to: int) -> pd.DataFrame:
    return db.run("case_breakdown", platforms=platforms, year_from=year_from, year_to=year_to)


def case_mirrors(platforms: list[str], year_from: int, year_to: int) -> pd.DataFrame:
    return db.run("case_mirrors", platforms=platforms, year_from=year_from, year_to=year_to)


# --- incidents -----------------------------------------------------------------------------------------


# What each incidents series counts, in a few words (translated where shown): one definition per row.
DEFINITION_LABELS = {
    "terrorist_attacks": N_("terrorist attacks"),
    "militant_attacks": N_("militant attacks"),
    "combat_related": N_("all combat-related violence, including security-force operations"),
    "all_violent_incidents": N_("all violent incidents, including security-force operations"),
    "terrorism_related": N_("terrorism-related incidents"),
}
QUALIFIED = ("attacks", "killed_total", "killed_security", "killed_civilians", "killed_militants", "injured_total")


def incidents_national(source_orgs: list[str], year_from: int, year_to: int) -> pd.DataFrame:
    """National figures per source and definition; ``definition`` names the series in the reader's language."""
    frame = _with_periods(db.run("incidents_national", source_orgs=source_orgs, year_from=year_from, year_to=year_to))
    frame.insert(1, "definition", frame["definition_id"].map(lambda d: _(DEFINITION_LABELS.get(d, d))))  # type: ignore[arg-type]  # definition_id is required
    return frame


def incidents_by_province(source_org: str, year: int, provinces: list[str]) -> pd.DataFrame:
    """One source's province figures for a year, in one of its series (``definition`` names it)."""
    frame = _translated(
        db.run("incidents_by_province", source_org=source_org, year=year, provinces=provinces), "region"
    )
    frame.insert(3, "definition", frame["definition_id"].map(lambda d: _(DEFINITION_LABELS.get(d, d))))  # type: ignore[arg-type]  # definition_id is required
    return frame


EVENT_DATASETS = {"acled": "ACLED", "ucdp_ged": "UCDP GED", "gtd": "GTD"}
# Translated where shown (``_(EVENT_DEFINITIONS[dataset])``): module constants are made once, in English.
EVENT_DEFINITIONS = {
    "acled": N_(
        "ACLED: political violence events (battles, explosions and remote violence, violence against "
        "civilians) from reports; demonstrations and strategic developments are left out here."
    ),
    "ucdp_ged": N_(
        "UCDP GED: events of organised violence with at least one death (state-based, non-state and "
        "one-sided violence); deaths as UCDP's best estimate with its low-high range. It counts only lethal "
        "events in conflicts, dyads or actors that passed UCDP's threshold of 25 deaths in a calendar year. It "
        "does not count attacks that killed no one, violence below those thresholds, or crime: it is not a list "
        "of every terrorist attack, so its counts sit beside PIPS's and PICSS's, never added to them."
    ),
    "gtd": N_(
        "GTD: terrorist attacks by non-state actors meeting START's criteria; killed (nkill) and wounded "
        "(nwound) as reported, blank when unknown."
    ),
}


# What each dataset's terms allow this project to publish (the build prints the same when it publishes a
# user's export: etl.incident_events.TERMS).
EVENT_TERMS = {
    "ucdp_ged": N_(
        "UCDP GED is published under CC BY 4.0: events and aggregates may be republished, with attribution to "
        "UCDP and its citations."
    ),
    "acled": N_(
        "ACLED's Terms of Use limit the use of its data in products that compete with ACLED and require "
        "detailed attribution: this project publishes only monthly aggregates of your export, never its rows, "
        "with ACLED named as the source. Check that your account's terms allow publishing them."
    ),
    "gtd": N_(
        "The GTD user agreement restricts public redistribution and display of the data: this project "
        "publishes only monthly aggregates of your export, never its rows, with START named as the source. "
        "Publish them only if your agreement with START allows it."
    ),
}
VIOLENCE_TYPES = {
    "state_based": N_("State-based (a government is a party)"),
    "non_state": N_("Non-state (organised groups, no government)"),
    "one_sided": N_("One-sided (an organised actor against civilians)"),
}


def ucdp_fatalities_monthly(year_from: int, year_to: int) -> pd.DataFrame:
    """UCDP's deaths per month by type of violence (a series of its own; later months preliminary)."""
    return db.run("ucdp_fatalities_monthly", year_from=year_from, year_to=year_to)


def event_datasets() -> pd.DataFrame:
    """Event-level exports in the dataset (empty when none was given to the build); publisher in the reader's
    language where its provenance names it in Urdu."""
    frame = db.run("event_datasets")
    if i18n.current() == "ur":
        frame["publisher"] = frame["publisher_ur"].where(frame["publisher_ur"].notna(), frame["publisher"])
        frame["title"] = frame["title_ur"].where(frame["title_ur"].notna(), frame["title"])
    return frame.drop(columns=["publisher_ur", "title_ur"])


def event_monthly(dataset: str, year_from: int, year_to: int, provinces: list[str]) -> pd.DataFrame:
    frame = db.run("event_monthly", dataset=dataset, year_from=year_from, year_to=year_to, provinces=provinces)
    return _translated(frame, "region")


def event_unmapped(dataset: str) -> pd.DataFrame:
    return db.run("event_unmapped", dataset=dataset)


def event_series(monthly: pd.DataFrame, by: str, measure: str) -> pd.DataFrame:
    """Month × ``by`` totals of ``measure`` (events dated to the year only are left out: they have no month)."""
    dated = monthly[monthly["month"].notna()]
    keep = ["month", by, "source_id", "synthetic", "citation_url"]
    summed = dated.groupby(keep, dropna=False, as_index=False)[measure].sum(min_count=1)
    return summed.sort_values(["month", by]).reset_index(drop=True)


def event_by_province(monthly: pd.DataFrame, month_from: str, month_to: str, label: str) -> pd.DataFrame:
    """Events and deaths per province over a month range ("YYYY-MM"), also per million people (census 2023)."""
    months = pd.to_datetime(monthly["month"]).dt.strftime("%Y-%m")
    chosen = monthly[monthly["region_code"].notna() & months.between(month_from, month_to)]
    frame = chosen.groupby(
        ["region_code", "region", "source_id", "synthetic", "citation_url"], as_index=False, dropna=False
    ).agg(
        events=("events", "sum"),
        fatalities=("fatalities", lambda s: s.sum(min_count=1)),
        population_2023=("population_2023", "first"),
    )
    for measure in ("events", "fatalities"):
        frame[f"{measure}_per_million"] = (1e6 * frame[measure] / frame["population_2023"]).round(2)
    frame["source_regions"] = label + " events"
    return frame


def event_annual(monthly: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """Yearly totals of an event dataset in the shape of the incidents table (for the side-by-side panels)."""
    if monthly.empty:
        return pd.DataFrame()
    yearly = monthly.groupby(["year", "source_id", "synthetic"], as_index=False, dropna=False).agg(
        attacks=("events", "sum"),
        killed_total=("fatalities", lambda s: s.sum(min_count=1)),
        citation_url=("citation_url", "first"),
    )
    label = EVENT_DATASETS[dataset] + " (event data)"
    yearly["source_org"] = label
    yearly["definition_id"] = dataset
    yearly["definition_as_printed"] = _(EVENT_DEFINITIONS[dataset])
    yearly["definition"] = _("events, one row per event")
    yearly["period_start"] = pd.to_datetime(yearly["year"].astype(str) + "-01-01")
    yearly["period_end"] = pd.to_datetime(yearly["year"].astype(str) + "-12-31")
    yearly["injured_total"] = pd.NA
    return _with_periods(yearly.drop(columns=["year"]))


def event_monthly_for_timeline(monthly: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """Monthly event counts in the shape the takedowns-and-incidents timeline draws."""
    series = event_series(monthly, "dataset", "events") if not monthly.empty else pd.DataFrame()
    if series.empty:
        return pd.DataFrame(columns=["source_org", "period", "period_start", "period_end", "attacks"])
    months = pd.to_datetime(series["month"])
    return pd.DataFrame(
        {
            "source_org": EVENT_DATASETS[dataset] + " events (monthly)",
            "period": months.dt.strftime("%b %Y"),
            "period_start": months,
            "period_end": months + pd.offsets.MonthEnd(0),
            "attacks": series["events"],
            "source_id": series["source_id"],
            "citation_url": series["citation_url"],
        }
    )


def province_geojson() -> dict:
    """The province polygons as one GeoJSON FeatureCollection keyed by ``properties.region_code``."""
    frame = db.run("boundaries")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"region_code": r.region_code, "name": r.name},
                "geometry": json.loads(r.geometry_geojson),
            }
            for r in frame.itertuples()
        ],
    }


# --- context -------------------------------------------------------------------------------------------


def events(kinds: list[str]) -> pd.DataFrame:
    """Dated events of these kinds, titled and described in the reader's language (the reference table holds an
    Urdu title and description per row; English where one is missing)."""
    frame = db.run("events", kinds=kinds)
    if i18n.current() == "ur":
        for column in ("title", "description"):
            frame[column] = frame[f"{column}_ur"].where(frame[f"{column}_ur"].notna(), frame[column])
    return frame.drop(columns=["title_ur", "description_ur"])


def sources() -> pd.DataFrame:
    """Every source file, its publisher in the reader's language (each provenance file names it in Urdu too)."""
    frame = db.run("sources")
    if i18n.current() == "ur":
        frame["publisher"] = frame["publisher_ur"].where(frame["publisher_ur"].notna(), frame["publisher"])
    return frame.drop(columns=["publisher_ur"])


def quarantine() -> pd.DataFrame:
    return db.run("quarantine")


def release_changes() -> pd.DataFrame:
    return db.run("release_changes")


def release_revisions() -> pd.DataFrame:
    return db.run("release_revisions")


def corrections() -> pd.DataFrame:
    """The corrections log in the reader's language (the reference table holds each row in English and Urdu)."""
    frame = db.run("corrections")
    if i18n.current() == "ur":
        for column in ("what_changed", "why"):
            frame[column] = frame[f"{column}_ur"]
    return frame.drop(columns=["what_changed_ur", "why_ur"])


# Which published series a platform's or a monitor's figures belong to (the series reference table).
SERIES_BY_PLATFORM = {
    "google": "google_removals",
    "youtube": "google_removals",
    "meta": "meta_local_law",
    "facebook": "meta_local_law",
    "instagram": "meta_local_law",
    "x": "x_removal_demands",
    "tiktok": "tiktok_gov_removals",
}
SERIES_BY_SOURCE_ORG = {
    "PIPS": ["pips_terrorist_attacks"],
    "PICSS": ["picss_militant_attacks", "picss_combat_related"],
    "SATP": ["satp_terrorism"],
}


def platform_series(platforms: list[str]) -> list[str]:
    """The published series of the chosen platforms (Meta's figures cover Facebook and Instagram together)."""
    return sorted({SERIES_BY_PLATFORM[p] for p in platforms if p in SERIES_BY_PLATFORM})


def coverage() -> pd.DataFrame:
    """Per series: first and last period, the periods missing by name, next report due, citation grades (name
    and publisher in the reader's language)."""
    frame = db.run("series_coverage")
    if i18n.current() == "ur":
        frame["name"], frame["publisher"] = frame["name_ur"], frame["publisher_ur"]
        frame["cadence_note"] = frame["cadence_note_ur"]
    return frame.drop(columns=["name_ur", "publisher_ur", "cadence_note_ur"])


def missing_periods(series_ids: list[str], year_from: int, year_to: int) -> pd.DataFrame:
    """Periods a publisher reported that the dataset lacks, for the given series and years."""
    frame = db.run("series_missing_periods", series_ids=series_ids, year_from=year_from, year_to=year_to)
    if i18n.current() == "ur":
        frame["series"] = frame["series_ur"]
    return frame.drop(columns=["series_ur"])


def restatements() -> pd.DataFrame:
    """Figures a source restated later: the earlier value kept beside the current one."""
    return db.run("source_restatements")


def build_info() -> dict:
    """The dataset's version, build time and table list."""
    row = db.run("build_info").iloc[0].to_dict()
    row["tables"] = json.loads(row["tables"])
    return row
