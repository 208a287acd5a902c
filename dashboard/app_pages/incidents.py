"""Incident trends: militant violence per period and province, each source on its own, beside takedowns."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard import charts, filters, i18n, queries
from dashboard.blocks import SYNTHETIC_LABEL, draw, md_escape
from dashboard.i18n import _
from dashboard.registry import CHARTS, INCIDENT_SOURCES, Choice, map_sources, map_years

SOURCES = list(INCIDENT_SOURCES)  # the organisations with incident series (registry.py)
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

choice = Choice(year_from, year_to, [], [], events=events, source_orgs=source_orgs, measure=measure)
draw(CHARTS["incidents-national"], choice)  # each chart defined once, for the page and its embed (registry.py)
draw(CHARTS["deaths-by-victim"], choice)

st.header(_("By province"))
left, middle, right = st.columns(3)
with left:  # the same sources and years the embeds and the static site choose from (registry.py)
    map_source = filters.choose_one(_("Source for the map"), map_sources(), key="map_source", sidebar=False)
years = map_years(map_source)
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
choice = replace(choice, map_source=map_source, map_year=map_year, provinces=provinces, per_million=per_million)
draw(CHARTS["incidents-map"], choice)

event_sets = queries.event_datasets()
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
    choice = replace(choice, event_set=event_set, event_by=event_by, event_measure=event_measure)
    monthly = queries.event_monthly(event_set, year_from, year_to, provinces)
    draw(CHARTS["event-monthly"], choice)
    # Drawn for every period, empty where UCDP has no month in it: the page keeps the same charts.
    draw(CHARTS["ucdp-deaths-monthly"], choice)
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
    choice = replace(choice, event_months=(map_months[0], map_months[1]))
    draw(CHARTS["event-map"], choice)
    draw(CHARTS["event-vs-annual"], choice)
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
draw(CHARTS["takedowns-vs-incidents"], choice)
