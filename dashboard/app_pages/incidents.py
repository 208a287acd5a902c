"""Incident trends: militant violence per period and province, each source on its own, beside takedowns."""

import pandas as pd
import streamlit as st

from dashboard import charts, filters, i18n, queries
from dashboard.blocks import SYNTHETIC_LABEL, cached, chart_block, draw, md_escape
from dashboard.colors import GROUP_COLORS
from dashboard.i18n import _
from dashboard.registry import CHARTS, Choice
from dashboard.summaries import Summary

SOURCES = ["PIPS", "PICSS", "SATP"]
DEFINITIONS = {
    "PIPS": _("terrorist attacks by militant, nationalist-insurgent and sectarian groups."),
    "PICSS": _(
        "two series, each in its own panel: militant attacks (attacks by militants, and the deaths and injuries in "
        "them), and all combat-related violence, which adds security-force operations (so it counts the militants "
        "the security forces killed)."
    ),
    "SATP": _("terrorism-related incidents and fatalities, from its yearly datasheets."),
}
MEASURES = {"attacks": _("Attacks"), "killed_total": _("People killed"), "injured_total": _("People injured")}

first, last = queries.year_bounds()
year_from, year_to = filters.period(first, last, default_span=last - first + 1)
source_orgs = filters.choose_many(_("Sources"), pd.DataFrame({"id": SOURCES}), "id", "id", key="sources")
measure = filters.choose_one(_("Measure"), list(MEASURES), key="measure", labels=MEASURES)
show_events = filters.switch(_("Show events on time axes"), key="events")
events = queries.events(queries.INCIDENT_EVENT_KINDS) if show_events else None

st.title(_("Incident trends"))
filters.show_link_notice()
st.markdown(
    _("Each organisation counts something different, so each has its own panel and nothing is added across them. ")
    + " ".join(f"**{k}**: {v}" for k, v in DEFINITIONS.items() if k in source_orgs)
)

national = draw(  # defined once for the page and its embed (dashboard/registry.py)
    CHARTS["incidents-national"],
    Choice(year_from, year_to, [], [], events=events, source_orgs=source_orgs, measure=measure),
)
chart_block(
    "deaths-by-victim",
    _("Who was killed, where the source says"),
    cached(charts.deaths_by_victim, national, _("Deaths by victim type (stacked) and total as reported (bar mark)")),
    national[national[["killed_security", "killed_civilians", "killed_militants"]].notna().any(axis=1)],
    caption=_("A total above the stacked parts means the source counted others too (e.g. peace-committee members)."),
    summary=Summary("killed_total", "period", ("source_org", "definition"), order="period_end"),
)

st.header(_("By province"))
available = queries.incident_years_by_province()
map_sources = [s for s in SOURCES if s in set(available["source_org"])]
left, middle, right = st.columns(3)
with left:
    map_source = filters.choose_one(_("Source for the map"), map_sources, key="map_source", sidebar=False)
years = sorted(available.loc[available["source_org"] == map_source, "year"].astype(int).tolist(), reverse=True)
with middle:
    map_year = int(filters.choose_one(_("Year"), [str(y) for y in years], key="map_year", sidebar=False))
with right:
    per_million = st.toggle(_("Per million people (census 2023)"), key="per_million", bind="query-params")
province_names = queries.province_names()
provinces = filters.choose_many(
    _("Provinces"),
    pd.DataFrame({"region_code": list(province_names), "name": list(province_names.values())}),
    "region_code",
    "name",
    key="provinces",
    sidebar=False,
    placeholder=_("All provinces"),
    empty_means_all=False,
)
filters.show_link_notice()  # again, for a bad map setting in the link (the first notice came before these filters)
by_province = queries.incidents_by_province(map_source, map_year, provinces)
value = f"{measure}_per_million" if per_million else measure
label = MEASURES[measure] + (_(" per million") if per_million else "")
chart_block(
    "incidents-map",
    _("{measure} by province, {source} {year}").format(measure=label, source=map_source, year=map_year)
    + (f" ({by_province['definition'].iloc[0]})" if not by_province.empty else ""),
    cached(
        charts.province_map,
        by_province,
        list(queries.province_names()),
        value,
        _("{measure}, {year} ({source})").format(measure=label, year=map_year, source=map_source),
        label,
    ),
    by_province,
    caption=_(
        "Provinces without a figure from this source are left blank. Khyber Pakhtunkhwa "
        "includes the former FATA (merged in 2018); where a source reports them apart, "
        "its two figures are added. Gilgit-Baltistan and Azad Jammu and Kashmir have no 2023 "
        "census population, so no per-million figure. A province whose parts are not all exact figures is left "
        "blank rather than added."
    ),
    summary=Summary(value, None, "region"),
)

event_sets = queries.event_datasets()
monthly = pd.DataFrame()
if not event_sets.empty:
    st.header(_("Monthly trends from event data"))
    available_sets = list(dict.fromkeys(event_sets["dataset"]))
    left, middle, right = st.columns(3)
    with left:
        event_set = filters.choose_one(
            _("Event dataset"), available_sets, key="event_set", labels=queries.EVENT_DATASETS, sidebar=False
        )
    with middle:
        event_by = filters.choose_one(
            _("Break down by"),
            ["group_id", "region_code", "event_type"],
            key="event_by",
            labels={"group_id": _("Militant group"), "region_code": _("Province"), "event_type": _("Event type")},
            sidebar=False,
        )
    with right:
        event_measure = filters.choose_one(
            _("Count"),
            ["events", "fatalities"],
            key="event_measure",
            labels={"events": _("Events"), "fatalities": _("Deaths")},
            sidebar=False,
        )
    chosen_files = event_sets[event_sets["dataset"] == event_set]
    if chosen_files["synthetic"].any():
        st.error(
            _(SYNTHETIC_LABEL)
            + ": "
            + _(
                "the event-level figures in this section come from generated files in the ACLED, UCDP GED or GTD "
                "layouts, not from those datasets."
            ),
            icon=":material/science:",
        )
    else:
        for file in chosen_files.itertuples():
            st.info(
                _("Real data: {title} ({publisher}). Licence: {licence}.").format(
                    title=md_escape(file.title), publisher=md_escape(file.publisher), licence=md_escape(file.licence)
                )
                + (
                    " " + _("Cite: {citation}").format(citation="“" + md_escape(file.cite_as) + "”")
                    if file.cite_as
                    else ""
                ),
                icon=":material/verified:",
            )
    st.markdown(md_escape(_(queries.EVENT_DEFINITIONS[event_set])))
    out_of_order = int(chosen_files["rows_estimates_out_of_order"].sum())
    if out_of_order:
        st.caption(
            i18n.ngettext(
                "{n} event carries a best estimate outside the publisher's own low-high range (high below best or "
                "low above best, as published upstream): it is kept and its best estimate counted, not refused.",
                "{n} events carry a best estimate outside the publisher's own low-high range (high below best or "
                "low above best, as published upstream): they are kept and their best estimate counted, not refused.",
                out_of_order,
            ).format(n=i18n.num(out_of_order))
        )
    with st.expander(_("What each dataset's terms allow to be published")):
        for dataset_id, terms in queries.EVENT_TERMS.items():
            st.markdown(f"**{queries.EVENT_DATASETS[dataset_id]}**: {md_escape(_(terms))}")
    monthly = queries.event_monthly(event_set, year_from, year_to, provinces)
    by_labels = {
        "group_id": dict(zip(monthly["group_id"], monthly["group_name"], strict=False)),
        "region_code": dict(zip(monthly["region_code"], monthly["region"], strict=False))
        | {None: _("Province not given")},
        "event_type": {},
    }[event_by]
    series = queries.event_series(monthly, event_by, event_measure)
    measure_label = {"events": _("Events"), "fatalities": _("Deaths")}[event_measure]
    year_only = int(monthly.loc[monthly["month"].isna(), "events"].sum())
    chart_block(
        "event-monthly",
        _("{measure} per month, {dataset}, by {breakdown}").format(
            measure=measure_label,
            dataset=queries.EVENT_DATASETS[event_set],
            breakdown={"group_id": _("militant group"), "region_code": _("province"), "event_type": _("event type")}[
                event_by
            ],
        ),
        cached(
            charts.stacked_monthly,
            series,
            event_by,
            by_labels,
            event_measure,
            _("{measure} per month ({dataset})").format(
                measure=measure_label, dataset=queries.EVENT_DATASETS[event_set]
            ),
            measure_label.lower(),
            GROUP_COLORS if event_by == "group_id" else None,
        ),
        series,
        caption=(
            _(
                "An event's group is the first named militant group among its actors; 'Unidentified' when the "
                "source names none. "
            )
            + (
                i18n.ngettext(
                    "{n} event dated to the year only is not drawn (it has no month). ",
                    "{n} events dated to the year only are not drawn (they have no month). ",
                    year_only,
                ).format(n=i18n.num(year_only))
                if year_only
                else ""
            )
            + _("Events dated only to the week or month are counted in that month.")
        ),
        summary=Summary(event_measure, "month", event_by),
    )
    ucdp_deaths = queries.ucdp_fatalities_monthly(year_from, year_to)
    # Drawn for every period, empty where UCDP has no month in it: the page keeps the same charts.
    preliminary = ucdp_deaths.loc[ucdp_deaths["preliminary"], "month"]
    preliminary_label = _("preliminary (UCDP Candidate)")
    chart_block(
        "ucdp-deaths-monthly",
        _("UCDP deaths per month by type of violence, a series of its own")
        + (
            _("; preliminary from {first}").format(first=pd.Timestamp(preliminary.min()).strftime("%Y-%m"))
            if len(preliminary)
            else ""
        ),
        cached(
            charts.fatalities_by_violence_type,
            ucdp_deaths,
            {key: _(label) for key, label in queries.VIOLENCE_TYPES.items()},
            _("UCDP best-estimate deaths per month"),
            _("deaths"),
            preliminary_label,
        ),
        ucdp_deaths.drop(columns=["cite_as"]),
        caption=(
            _(
                "UCDP's own monthly totals, drawn beside the events above and never added to them (they count "
                "the same deaths)."
            )
            + " "
            + (
                _(
                    "From {first} on the months are preliminary: they rest on UCDP Candidate events and are "
                    "revised in later releases. "
                ).format(first=pd.Timestamp(preliminary.min()).strftime("%Y-%m"))
                if len(preliminary)
                else ""
            )
            + " ".join(
                _("Cite: {citation}").format(citation=md_escape(c)) for c in ucdp_deaths["cite_as"].dropna().unique()
            )
        ),
        summary=Summary("fatalities", "month", "violence_type"),
    )
    month_labels = sorted(pd.to_datetime(monthly["month"].dropna()).dt.strftime("%Y-%m").unique())
    map_months = (
        st.select_slider(
            _("Months on the map"),
            options=month_labels,
            value=(month_labels[0], month_labels[-1]),
            key="event_months",
            bind="query-params",
        )
        if len(month_labels) > 1
        else (month_labels * 2)[:2] or ("", "")
    )
    by_province_events = queries.event_by_province(
        monthly, map_months[0], map_months[1], queries.EVENT_DATASETS[event_set]
    )
    event_value = f"{event_measure}_per_million" if per_million else event_measure
    event_label = measure_label + (_(" per million") if per_million else "")
    chart_block(
        "event-map",
        _("{measure} by province, {dataset}, {first} to {last}").format(
            measure=event_label, dataset=queries.EVENT_DATASETS[event_set], first=map_months[0], last=map_months[1]
        ),
        cached(
            charts.province_map,
            by_province_events,
            list(queries.province_names()),
            event_value,
            _("{measure}, {first} to {last} ({dataset})").format(
                measure=event_label, first=map_months[0], last=map_months[1], dataset=queries.EVENT_DATASETS[event_set]
            ),
            event_label,
        ),
        by_province_events,
        caption=_(
            "Events of the chosen months added up. Events without a province, or dated to the year only, are "
            "left out of the map."
        ),
        summary=Summary(event_value, None, "region"),
    )
    annual = pd.concat(
        [national, queries.event_annual(monthly, event_set)],
        ignore_index=True,
    )
    chart_block(
        "event-vs-annual",
        _("{measure}: event data beside the annual reports").format(measure=MEASURES.get(measure, measure)),
        cached(
            charts.incidents_by_source,
            annual,
            measure if measure != "injured_total" else "attacks",
            _("Each source on its own panel, with its own definition: never added together"),
        ),
        annual,
        caption=_(
            "Event counts (one row per event) and the think tanks' attack counts measure different things; "
            "compare their shapes over time, not their levels."
        ),
        summary=Summary("attacks", "period", ("source_org", "definition"), order="period_end"),
    )
    unmapped = queries.event_unmapped(event_set)
    if not unmapped.empty:
        with st.expander(
            _("Names the mapping tables do not know yet ({n})").format(n=i18n.num(len(unmapped))), expanded=True
        ):
            st.caption(
                _(
                    "Counted, not dropped: an unknown actor makes the event 'Other named armed group', an unknown "
                    "province leaves it without a province. Add them to the mapping tables to place them."
                )
            )
            st.dataframe(unmapped, hide_index=True)

st.header(_("Takedowns and incidents on one timeline"))
st.warning(_(charts.NOT_CAUSE), icon=":material/warning:")
takedowns = queries.google_totals(["PK"], year_from, year_to)
attacks = national[national["attacks"].notna()]
attacks = attacks.assign(source_org=attacks["source_org"] + " (" + attacks["definition"] + ")")
if not monthly.empty:
    attacks = queries.event_monthly_for_timeline(monthly, event_set)
timeline_table = pd.concat(
    [
        takedowns.assign(series=_("Google: requests from Pakistan"), value=takedowns["requests"]),
        attacks.assign(series=attacks["source_org"] + _(": attacks"), value=attacks["attacks"]),
    ],
    ignore_index=True,
)[["series", "period", "period_start", "period_end", "value", "source_id", "citation_url"]]
chart_block(
    "takedowns-vs-incidents",
    _("Removal requests and militant attacks"),
    cached(
        charts.timeline,
        takedowns,
        attacks,
        _("Shared time axis, separate scales"),
        events=events,
        incidents_title=_("Militant incidents in Pakistan, per source (monthly event data)")
        if not monthly.empty
        else _("Militant attacks in Pakistan, per source organisation"),
    ),
    timeline_table,
    events=events,
    summary=Summary("value", "period", "series", order="period_start"),
)
