"""Platform responsiveness: how much platforms say they act on, and the two-sided ledger with the regulator."""

from datetime import date

import streamlit as st

from dashboard import charts, filters, queries
from dashboard.blocks import cached, chart_block

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
            f"- **{row.platform}**: PTA reports {row.urls_blocked:,.0f} URLs blocked as of {row.date_label}; "
            f"the platform's {int(row.half_years_reported)} half-yearly report(s) up to "
            f"{row.last_period_end:%b %Y} add up to {row.value_summed:,.0f} {row.platform_measure}."
        )

st.header("Response times")
st.info(
    "No published source gives how long platforms take to act on Pakistan's requests. Response-time "
    "distributions (median and 90th-percentile hours, share answered within 24 and 72 hours) appear here once "
    "an agency's case log is loaded through the ETL's case-log pipeline, published only as anonymised monthly "
    "aggregates.",
    icon=":material/schedule:",
)
