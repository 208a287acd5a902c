"""Takedown requests: what platforms say they received, what the regulator says it sent, and Pakistan among countries."""

import streamlit as st

from dashboard import charts, filters, i18n, queries
from dashboard.blocks import cached, chart_block, draw
from dashboard.colors import PLATFORM_COLORS
from dashboard.i18n import _
from dashboard.registry import CHARTS, Choice
from dashboard.summaries import Summary

first, last = queries.year_bounds()
year_from, year_to = filters.period(first, last)
platform_options = queries.platform_options()
platforms = filters.choose_many(_("Platforms"), platform_options, "platform_id", "name", key="platforms")
category_options = queries.category_options()
categories = filters.choose_many(_("Categories"), category_options, "category_id", "name", key="categories")
show_events = filters.switch(_("Show events on time axes"), key="events")
events = queries.events(queries.TAKEDOWN_EVENT_KINDS) if show_events else None
country_list = queries.countries()
compare = filters.choose_many(
    _("Compare with"),
    country_list,
    "country_code",
    "country_name",
    key="compare",
    default=["PK", "IN", "TR", "RU"],
    help=_("Countries to compare with Pakistan in Google's figures"),
)

choice = Choice(year_from, year_to, platforms, categories, events=events)

st.title(_("Takedown requests"))
filters.show_link_notice()
st.markdown(
    _(
        "Two ledgers that do not measure the same thing: what **platforms report** receiving from Pakistan "
        "(per half-year), and what the **regulator (PTA)** reports sending and blocking (mostly running totals "
        "as of a date). Neither is added to the other."
    )
)

st.header(_("As the platforms report them"))
draw(CHARTS["google-requests-items"], choice)
by_requester = queries.google_by_requester("PK", year_from, year_to)
chart_block(
    "google-by-requester",
    _("Who asked Google: requests by requester type"),
    cached(
        charts.totals_over_time,
        by_requester,
        "requests",
        "requester",
        _("Requests per half-year by requester type"),
        _("requests"),
        qualifier="requests_qualifier",
        events=events,
        barmode="stack",
    ),
    by_requester,
    caption=_(
        "Google's requester types changed in 2019: before, only court orders and other "
        "requests; since, the regulator ('Information and Communications Authority'), "
        "government officials, police, military and courts are told apart."
    ),
    events=events,
    summary=Summary("requests", "period", "requester"),
)
by_product = queries.google_by_product("PK", year_from, year_to)
top_products = by_product.groupby("product")["requests"].sum().nlargest(6).index
by_product_top = by_product.assign(
    product=by_product["product"].where(by_product["product"].isin(top_products), _("Other products"))
)
by_product_top = by_product_top.groupby(["period", "period_start", "period_end", "product"], as_index=False).agg(
    requests=("requests", "sum"), source_id=("source_id", "first"), citation_url=("citation_url", "first")
)
chart_block(
    "google-by-product",
    _("Which Google products the requests named"),
    cached(
        charts.totals_over_time,
        by_product_top,
        "requests",
        "product",
        _("Requests per half-year by product"),
        _("requests"),
        events=events,
        barmode="stack",
        colors={"YouTube": PLATFORM_COLORS["youtube"], "Web Search": PLATFORM_COLORS["google"]},
    ),
    by_product_top,
    caption=_("The six products named most often in the period; the rest are grouped."),
    events=events,
    summary=Summary("requests", "period", "product"),
)
draw(CHARTS["google-by-category"], choice)
reports = queries.platform_reports(platforms, year_from, year_to)
chart_block(
    "meta-x-tiktok",
    _("Meta, X and TikTok: requests received and content restricted"),
    cached(
        charts.reports_by_period,
        reports,
        {
            "requests": _("Requests received"),
            "items_actioned_local_law": _("Items restricted or withheld under local law"),
            "accounts_actioned_local_law": _("Accounts withheld under local law"),
        },
        _("Per half-year, as each company reports it"),
    ),
    reports,
    caption=_(
        "Each company's figures as it reports them, per half-year. "
        "X's requests add court orders and other requests from the same report."
    ),
    summary=Summary("requests", "period", "platform"),
    gaps=queries.missing_periods(
        [s for s in queries.platform_series(platforms) if s != "google_removals"], year_from, year_to
    ),
)

st.header(_("As the regulator reports them"))
pta = draw(CHARTS["pta-blocked-by-platform"], choice)
undated = pta[pta["date_precision"] == "unknown"]
if not undated.empty:
    st.caption(
        i18n.ngettext(
            "{n} figure in this selection comes from a report whose year is not known "
            "(shown in the table as '16 Apr, year unknown'); it is not placed on the time axis.",
            "{n} figures in this selection come from a report whose year is not known "
            "(shown in the table as '16 Apr, year unknown'); they are not placed on the time axis.",
            len(undated),
        ).format(n=i18n.num(len(undated)))
    )
pta_categories = queries.pta_by_category(categories, year_from, year_to)
chart_block(
    "pta-blocked-by-category",
    _("URLs PTA blocked, by category (each report as printed)"),
    cached(charts.category_snapshots, pta_categories, _("URLs blocked per category, one bar per report")),
    pta_categories,
    caption=_(
        "PTA's own categories mapped to the shared ones; reports differ in scope (running totals, "
        "flows, only URLs sent to social media companies), stated on each bar."
    ),
    summary=Summary("urls_blocked", "date_label", "category", order="as_of"),
)

st.header(_("Pakistan among countries"))
ranking = queries.google_country_ranking(year_from, year_to)
chosen = ranking[ranking["country_code"].isin(set(compare) | {"PK"})]
chart_block(
    "google-country-comparison",
    _("Requests to Google: Pakistan and other countries"),
    cached(
        charts.country_comparison, chosen, _("Requests per half-year (hover for rank and share of the world total)")
    ),
    chosen,
    caption=_("Rank 1 = most requests among all countries that half-year. Google's current release only (from 2019)."),
    summary=Summary("requests", "period", "country_name"),
)
