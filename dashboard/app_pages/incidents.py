"""Incident trends: militant violence per period and province, each source on its own, beside takedowns."""

import pandas as pd
import streamlit as st

from dashboard import charts, filters, queries
from dashboard.blocks import cached, chart_block

SOURCES = ["PIPS", "PICSS", "SATP"]
DEFINITIONS = {
    "PIPS": "Pak Institute for Peace Studies: terrorist attacks by militant, nationalist-insurgent and sectarian groups.",
    "PICSS": "Pak Institute for Conflict and Security Studies: militant attacks; some annual reports count all "
    "combat-related incidents, including security-force operations.",
    "SATP": "South Asia Terrorism Portal (figures as reported by Aaj Tak): terrorism-related incidents.",
}
MEASURES = {"attacks": "Attacks", "killed_total": "People killed", "injured_total": "People injured"}

first, last = queries.year_bounds()
year_from, year_to = filters.period(first, last, default_span=last - first + 1)
source_orgs = filters.choose_many("Sources", pd.DataFrame({"id": SOURCES}), "id", "id", key="sources")
measure = filters.choose_one("Measure", list(MEASURES), key="measure", labels=MEASURES)
show_events = filters.switch("Show events on time axes", key="events")
events = queries.events(queries.INCIDENT_EVENT_KINDS) if show_events else None

st.title("Incident trends")
filters.show_link_notice()
st.markdown(
    "Each organisation counts something different, so each has its own panel and nothing is added across "
    "them. " + " ".join(f"**{k}**: {v.split(': ', 1)[1]}" for k, v in DEFINITIONS.items() if k in source_orgs)
)

national = queries.incidents_national(source_orgs, year_from, year_to)
chart_block(
    "incidents-national",
    f"{MEASURES[measure]} in Pakistan, per source organisation",
    cached(charts.incidents_by_source, national, measure, f"{MEASURES[measure]} per year or half-year", events=events),
    national,
    caption="Half-year figures (PICSS 2022–23) are drawn over their half-year, annual ones over the year.",
    events=events,
)
chart_block(
    "deaths-by-victim",
    "Who was killed, where the source says",
    cached(charts.deaths_by_victim, national, "Deaths by victim type (stacked) and total as reported (bar mark)"),
    national[national[["killed_security", "killed_civilians", "killed_militants"]].notna().any(axis=1)],
    caption="A total above the stacked parts means the source counted others too (e.g. peace-committee members).",
)

st.header("By province")
available = queries.incident_years_by_province()
map_sources = [s for s in SOURCES if s in set(available["source_org"])]
left, middle, right = st.columns(3)
with left:
    map_source = filters.choose_one("Source for the map", map_sources, key="map_source", sidebar=False)
years = sorted(available.loc[available["source_org"] == map_source, "year"].astype(int).tolist(), reverse=True)
with middle:
    map_year = int(filters.choose_one("Year", [str(y) for y in years], key="map_year", sidebar=False))
with right:
    per_million = st.toggle("Per million people (census 2023)", key="per_million", bind="query-params")
provinces = st.multiselect(
    "Provinces",
    ["PK-BA", "PK-KP", "PK-PB", "PK-SD", "PK-IS", "PK-GB", "PK-JK"],
    default=[],
    key="provinces",
    bind="query-params",
    placeholder="All provinces",
)
by_province = queries.incidents_by_province(map_source, map_year, provinces)
value = f"{measure}_per_million" if per_million else measure
label = MEASURES[measure] + (" per million" if per_million else "")
chart_block(
    "incidents-map",
    f"{label} by province, {map_source} {map_year}",
    cached(
        charts.province_map,
        by_province,
        queries.province_geojson(),
        value,
        f"{label}, {map_year} ({map_source})",
        label,
    ),
    by_province,
    caption="Provinces without a figure from this source are left blank. Khyber Pakhtunkhwa "
    "includes the former FATA (merged in 2018); where a source reports them apart, "
    "its two figures are added. Gilgit-Baltistan and Azad Jammu and Kashmir have no 2023 "
    "census population, so no per-million figure.",
)

st.header("Takedowns and incidents on one timeline")
st.warning(charts.NOT_CAUSE, icon=":material/warning:")
takedowns = queries.google_totals(["PK"], year_from, year_to)
attacks = national[national["attacks"].notna()]
timeline_table = pd.concat(
    [
        takedowns.assign(series="Google: requests from Pakistan", value=takedowns["requests"]),
        attacks.assign(series=attacks["source_org"] + ": attacks", value=attacks["attacks"]),
    ],
    ignore_index=True,
)[["series", "period", "period_start", "period_end", "value", "source_id", "citation_url"]]
chart_block(
    "takedowns-vs-incidents",
    "Removal requests and militant attacks",
    cached(charts.timeline, takedowns, attacks, "Shared time axis, separate scales", events=events),
    timeline_table,
    events=events,
)
