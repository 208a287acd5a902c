"""Platform responsiveness: how much platforms say they act on, and the two-sided ledger with the regulator."""

from datetime import date

import streamlit as st

from dashboard import charts, filters, queries
from dashboard.blocks import SYNTHETIC_LABEL, cached, chart_block, md_escape

first, last = queries.year_bounds()
year_from, year_to = filters.period(first, last, default_span=last - first + 1)
platforms = filters.choose_many("Platforms", queries.platform_options(), "platform_id", "name", key="platforms")
show_events = filters.switch("Show events on time axes", key="events")
events = queries.events(queries.TAKEDOWN_EVENT_KINDS) if show_events else None

st.title("Platform responsiveness")
filters.show_link_notice()

rates = queries.compliance_rates(platforms + ["google"], year_from, year_to)
chart_block(
    "compliance-rates",
    "Share of Pakistan's requests platforms say they acted on",
    cached(charts.rates_over_time, rates, "Compliance and removal shares, per half-year", events=events),
    rates,
    caption="Solid lines count requests, dotted lines count items. Google changed method in 2019 (from "
    "requests fully or partly complied with, to items removed), so the two parts of its line are "
    "not comparable.",
    events=events,
)

pta = queries.pta_by_platform(platforms, year_from, year_to)
pta_rates = pta[pta["blocked_pct_of_processed"].notna() & pta["as_of"].notna()]
chart_block(
    "pta-block-rate",
    "Share of the URLs PTA processed that ended up blocked, per platform",
    cached(
        charts.snapshots,
        pta_rates,
        "blocked_pct_of_processed",
        "Blocked as % of processed, cumulative, each dot one report",
        "per cent",
        events=events,
    ),
    pta_rates,
    caption="PTA's own running totals; 'processed' includes URLs still accessible and URLs the platform rejected.",
    events=events,
)

st.header("The two-sided ledger")
st.markdown(
    "For each platform: what the regulator says it sent and got blocked (its latest running total up to the "
    "chosen date), next to what the platform says it received from Pakistan (its own half-yearly reports up to the "
    "same date, added up within that one source). The two never count the same unit: PTA counts **URLs**, "
    "platforms count **requests** (one request can name many URLs) or **items restricted**, and platform reports "
    "exist only for some half-years. The gap is the point: it shows how much of the regulator's activity is "
    "visible in platforms' own transparency reports."
)
as_of_limit = st.date_input(
    "Compare up to",
    value=date(year_to, 12, 31),
    min_value=date(first, 1, 1),
    max_value=date(last, 12, 31),
    key="ledger_date",
    bind="query-params",
)
ledger = queries.ledger(platforms, as_of_limit)
ledger = ledger.assign(platform_to_regulator_ratio=(ledger["value_summed"] / ledger["urls_blocked"]).round(3))
chart_block(
    "ledger",
    "Regulator vs platform, per platform",
    cached(
        charts.ledger,
        ledger.dropna(subset=["urls_blocked", "value_summed"], how="all"),
        f"What PTA says vs what platforms report, up to {as_of_limit:%d %b %Y}",
    ),
    ledger,
    caption="Log scale. Where a bar is missing, that side published no figure up to this date. "
    "platform_to_regulator_ratio = platform figure ÷ PTA URLs blocked.",
)
for row in ledger.itertuples():
    if row.urls_blocked == row.urls_blocked and row.value_summed == row.value_summed:
        st.markdown(
            f"- **{md_escape(row.platform)}**: PTA reports {row.urls_blocked:,.0f} URLs blocked as of "
            f"{md_escape(row.date_label)}; the platform's {int(row.half_years_reported)} half-yearly report(s) up to "
            f"{row.last_period_end:%b %Y} add up to {row.value_summed:,.0f} {md_escape(row.platform_measure)}."
        )

st.header("Response times and outcomes, from an agency's case log")
case_logs = queries.case_info()
if case_logs.empty:
    st.info(
        "No published source gives how long platforms take to act on Pakistan's requests. Response-time "
        "distributions (median and 90th-percentile hours, share answered within 24 and 72 hours), outcomes over "
        "time, mirrors re-appearing and breakdowns by linked group and origin appear here once an agency's case log "
        "is aggregated by the ETL (`python -m etl build --case-log PATH`), published only as anonymised monthly "
        "figures.",
        icon=":material/schedule:",
    )
else:
    if case_logs["synthetic"].any():
        st.error(
            f"**{SYNTHETIC_LABEL}.** The figures in this section come from a generated case log used to "
            "demonstrate the views; they describe no real request.",
            icon=":material/science:",
        )
    k = int(case_logs["disclosure_threshold_k"].max())
    st.caption(
        f"{case_logs['suppression_rule'].iloc[0]} Rows aggregated: {int(case_logs['rows_aggregated'].sum()):,}; "
        f"refused: {int(case_logs['rows_quarantined'].sum()):,}; threshold k = {k}."
    )
    months = queries.case_platform_months(platforms, year_from, year_to)
    chart_block(
        "case-response-times",
        "How long platforms take to answer",
        cached(
            charts.monthly_by_platform,
            months,
            "response_hours_p50",
            "Median hours to answer (dotted: 90th percentile)",
            "hours",
            second="response_hours_p90",
            second_label="90th percentile",
        ),
        months,
        caption="Per month and platform; a gap is a month whose total was withheld (fewer than k requests).",
    )
    chart_block(
        "case-within-24h",
        "Share answered within 24 hours",
        cached(
            charts.monthly_by_platform,
            months,
            "answered_within_24h_pct",
            "Answered within 24 h (dotted: within 72 h), % of answered requests",
            "per cent",
            second="answered_within_72h_pct",
            second_label="within 72 h",
        ),
        months,
    )
    chart_block(
        "case-outcomes",
        "Outcomes over time",
        cached(charts.status_over_time, months, "Requests per month by outcome"),
        months,
        caption="Sum of the published monthly platform totals; withheld totals are left out.",
    )
    breakdown_table = queries.case_breakdown(platforms, year_from, year_to)
    mirrors = queries.case_mirrors(platforms, year_from, year_to)
    chart_block(
        "case-mirrors",
        "Mirrors re-appearing: requests against copies of accounts already removed",
        cached(
            charts.monthly_by_platform,
            mirrors,
            "mirror_requests",
            "Requests against mirror accounts per month",
            "requests",
        ),
        mirrors,
        caption="Published cells only; cells withheld for disclosure control are not counted.",
    )
    chart_block(
        "case-by-group",
        "Requests by linked militant group",
        cached(
            charts.breakdown,
            breakdown_table,
            "linked_group",
            "requests_in_published_cells",
            "Linked group, selected period",
        ),
        breakdown_table,
        caption="Published cells only; see withheld_cells in the table.",
    )
    chart_block(
        "case-by-origin",
        "Requests by where the targeted accounts are run from",
        cached(
            charts.breakdown,
            breakdown_table,
            "origin_country",
            "requests_in_published_cells",
            "Origin country, selected period",
        ),
        breakdown_table,
        caption="ISO country codes; 'unknown' where the agency did not establish it.",
    )
