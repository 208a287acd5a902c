"""Platform responsiveness: how much platforms say they act on, and the two-sided ledger with the regulator."""

from datetime import date

import streamlit as st

from dashboard import filters, i18n, queries
from dashboard.blocks import SYNTHETIC_LABEL, draw, md_escape
from dashboard.i18n import _
from dashboard.registry import CHARTS, Choice
from dataset.tables import SUPPRESSION_RULE

first, last = queries.year_bounds()
year_from, year_to = filters.period(first, last, default_span=last - first + 1)
platforms = filters.choose_many(_("Platforms"), queries.platform_options(), "platform_id", "name", key="platforms")
show_events = filters.switch(_("Show events on time axes"), key="events")
events = queries.events(queries.TAKEDOWN_EVENT_KINDS) if show_events else None

choice = Choice(year_from, year_to, platforms, [], events=events)

st.title(_("Platform responsiveness"))
filters.show_link_notice()

draw(CHARTS["compliance-rates"], choice)

draw(CHARTS["pta-block-rate"], choice)

st.header(_("The two-sided ledger"))
st.markdown(
    _(
        "For each platform: what the regulator says it sent and got blocked (its latest running total up to the "
        "chosen date), next to what the platform says it received from Pakistan (its own half-yearly reports up to the "
        "same date, added up within that one source). The two never count the same unit: PTA counts **URLs**, "
        "platforms count **requests** (one request can name many URLs) or **items restricted**, and platform reports "
        "exist only for some half-years. The gap is the point: it shows how much of the regulator's activity is "
        "visible in platforms' own transparency reports."
    )
)
as_of_limit = st.date_input(
    _("Compare up to"),
    value=date(year_to, 12, 31),
    min_value=date(first, 1, 1),
    max_value=date(last, 12, 31),
    key="ledger_date",
    bind="query-params",
)
ledger = draw(CHARTS["ledger"], Choice(year_from, year_to, platforms, [], as_of=as_of_limit))
for row in ledger.itertuples():
    if row.urls_blocked == row.urls_blocked and row.value_summed == row.value_summed:
        st.markdown(
            "- "
            + _(
                "**{platform}**: PTA reports {blocked} URLs blocked as of {date}; the platform's {reports} "
                "half-yearly report(s) up to {last} add up to {summed} {measure}."
            ).format(
                platform=md_escape(row.platform),
                blocked=i18n.num(row.urls_blocked),
                date=md_escape(row.date_label),
                reports=i18n.num(row.half_years_reported),
                last=i18n.month(row.last_period_end),
                summed=i18n.num(row.value_summed),
                measure=md_escape(row.platform_measure),
            )
            + (
                " "
                + _(
                    "The total leaves out {periods}: the publisher reported them, but this dataset has no figure."
                ).format(periods=md_escape(row.periods_left_out))
                if isinstance(row.periods_left_out, str)
                else ""
            )
        )

st.header(_("Response times and outcomes, from an agency's case log"))
case_logs = queries.case_info()
if case_logs.empty:
    st.info(
        _(
            "No published source gives how long platforms take to act on Pakistan's requests. Response-time "
            "distributions (median and 90th-percentile hours, share answered within 24 and 72 hours), outcomes over "
            "time, mirrors re-appearing and breakdowns by linked group and origin appear here once an agency's case log "
            "is aggregated by the ETL (`python -m etl build --case-log PATH`), published only as anonymised monthly "
            "figures."
        ),
        icon=":material/schedule:",
    )
else:
    if case_logs["synthetic"].any():
        st.error(
            f"**{_(SYNTHETIC_LABEL)}.** "
            + _(
                "The figures in this section come from a generated case log used to demonstrate the views; "
                "they describe no real request."
            ),
            icon=":material/science:",
        )
    k = int(case_logs["disclosure_threshold_k"].max())
    # The rule published with this dataset; in the reader's language when it is worded as the catalogue has it.
    rule = str(case_logs.loc[case_logs["disclosure_threshold_k"] == k, "suppression_rule"].iloc[0])
    st.caption(
        (_(SUPPRESSION_RULE).format(k=k) if rule == SUPPRESSION_RULE.format(k=k) else rule)
        + " "
        + _("Rows aggregated: {aggregated}; refused: {refused}; threshold k = {k}.").format(
            aggregated=i18n.num(case_logs["rows_aggregated"].sum()),
            refused=i18n.num(case_logs["rows_quarantined"].sum()),
            k=k,
        )
    )
    for chart_id in (
        "case-response-times",
        "case-within-24h",
        "case-outcomes",
        "case-mirrors",
        "case-by-group",
        "case-by-origin",
    ):
        draw(CHARTS[chart_id], choice)
