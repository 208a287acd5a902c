"""Embeddable charts: ``/embed?chart=<id>`` draws one chart with its table, CSV and sources, and nothing else.

For a news article's iframe: no sidebar, no navigation, the whole period of the dataset. Each chart is
built from the same query and chart functions as its page, with the page's default selections; the ids
are the pages' chart ids, so a chart's anchor on its page and its embed share one name. The proxy lets
other sites frame ``/embed?chart=<an id here>`` only (``deploy/nginx.conf.in``); ``/embed`` without a valid
chart draws a notice and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.util import calc_hash

from dashboard import blocks, charts, i18n, queries
from dashboard.blocks import cached, chart_block
from dashboard.i18n import _

#: The query parameter naming the chart (Streamlit keeps ``embed`` for its own embed mode).
CHART_PARAM = "chart"
URL_PATH = "embed"


@dataclass(frozen=True)
class EmbeddableChart:
    title: str  # the page's own (English) title, translated when drawn
    page: str  # url_path of the page the chart belongs to, for the "full view" link
    page_title: str
    build: Callable[
        [int, int], tuple[dict, pd.DataFrame, str | None]
    ]  # (first year, last year) → figure, table, caption


CHARTS: dict[str, EmbeddableChart] = {}
PAGE_TITLES = {
    "requests": "Takedown requests",
    "responsiveness": "Platform responsiveness",
    "incidents": "Incident trends",
}


def _embeddable(chart_id: str, title: str, page: str):
    def register(build):
        CHARTS[chart_id] = EmbeddableChart(title, page, PAGE_TITLES[page], build)
        return build

    return register


# Titles, labels and captions are the pages' own, word for word, so that they share one translation.


@_embeddable("google-requests-items", "Requests and items Google received from Pakistan", "requests")
def _google_requests_items(first: int, last: int):
    totals = queries.google_totals(["PK"], first, last)
    figure = cached(
        charts.measures_over_time,
        totals,
        {"requests": _("Requests"), "items_requested": _("Items named in the requests")},
        _("Per half-year"),
        color="#E69F00",
        qualifiers={"requests": "requests_qualifier", "items_requested": "items_requested_qualifier"},
    )
    caption = _(
        "Half-years up to mid-2019 come from Google's older release; later ones from the current one. "
        "'<10' marks a count Google suppressed."
    )
    return figure, totals, caption


@_embeddable("google-by-category", "On what grounds: requests to Google by category", "requests")
def _google_by_category(first: int, last: int):
    categories = queries.category_options()["category_id"].tolist()
    table = queries.google_by_category("PK", categories, first, last)
    figure = cached(
        charts.totals_over_time,
        table,
        "requests",
        "category",
        _("Requests per half-year by category"),
        _("requests"),
        barmode="stack",
    )
    return figure, table, _("Google's reasons mapped to this dashboard's shared categories (see About the data).")


@_embeddable("pta-blocked-by-platform", "URLs PTA blocked, by platform (running totals as of each report)", "requests")
def _pta_blocked_by_platform(first: int, last: int):
    platforms = queries.platform_options()["platform_id"].tolist()
    pta = queries.pta_by_platform(platforms, first, last)
    snapshots = pta[pta["scope"] == "cumulative_snapshot"]
    figure = cached(
        charts.snapshots,
        snapshots,
        "urls_blocked",
        _("Cumulative URLs blocked, each dot one report"),
        _("URLs blocked"),
    )
    caption = _(
        "Each point is a report (court filing, parliamentary answer); nothing is drawn between reports. "
        "Hollow points with ≈ are approximate. Undated reports appear in the table with date 'unknown'."
    )
    return figure, pta, caption


@_embeddable("compliance-rates", "Share of Pakistan's requests platforms say they acted on", "responsiveness")
def _compliance_rates(first: int, last: int):
    platforms = queries.platform_options()["platform_id"].tolist()
    rates = queries.compliance_rates(platforms + ["google"], first, last)
    figure = cached(charts.rates_over_time, rates, _("Compliance and removal shares, per half-year"))
    caption = _(
        "Solid lines count requests, dotted lines count items. Google changed method in 2019 (from "
        "requests fully or partly complied with, to items removed), so the two parts of its line are "
        "not comparable."
    )
    return figure, rates, caption


@_embeddable("ledger", "Regulator vs platform, per platform", "responsiveness")
def _ledger(first: int, last: int):
    platforms = queries.platform_options()["platform_id"].tolist()
    as_of = date(last, 12, 31)
    ledger = queries.ledger(platforms, as_of)
    ledger = ledger.assign(platform_to_regulator_ratio=(ledger["value_summed"] / ledger["urls_blocked"]).round(3))
    figure = cached(
        charts.ledger,
        ledger.dropna(subset=["urls_blocked", "value_summed"], how="all"),
        _("What PTA says vs what platforms report, up to {date}").format(date=i18n.day(as_of)),
    )
    caption = _(
        "Log scale. Where a bar is missing, that side published no figure up to this date. "
        "platform_to_regulator_ratio = platform figure ÷ PTA URLs blocked."
    )
    return figure, ledger, caption


@_embeddable("incidents-national", "{measure} in Pakistan, per source organisation", "incidents")
def _incidents_national(first: int, last: int):
    national = queries.incidents_national(["PIPS", "PICSS", "SATP"], first, last)
    measure = _("Attacks")
    figure = cached(
        charts.incidents_by_source, national, "attacks", _("{measure} per year or half-year").format(measure=measure)
    )
    return (
        figure,
        national,
        _("Half-year figures (PICSS 2022–23) are drawn over their half-year, annual ones over the year."),
    )


def requested() -> bool:
    """The link asks for the embed view: it names a chart, or its path is ``/embed`` (with or without a valid
    chart: the embed view then says so, and never draws the dashboard's navigation inside someone's frame)."""
    if st.query_params.get(CHART_PARAM):
        return True
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return False
    pages = ctx.pages_manager
    return pages.intended_page_name == URL_PATH or pages.intended_page_script_hash == calc_hash(URL_PATH)


def pages() -> list[st.Page]:
    """The embed view at ``/embed`` and, as the default page, at ``/`` (a default page has no path of its own)."""
    return [
        st.Page(render, title="Embedded chart", url_path="embedded-chart", default=True),
        st.Page(render, title="Embedded chart", url_path=URL_PATH),
    ]


def embed_url(chart_id: str, base: str = "") -> str:
    """The iframe address of a chart; ``embed=true`` is Streamlit's own chrome-free mode."""
    return f"{base.rstrip('/')}/{URL_PATH}?{CHART_PARAM}={chart_id}&embed=true"


def render() -> None:
    """One chart block, then where it comes from (the citation line) with a link to its page."""
    chart_id = st.query_params.get(CHART_PARAM, "")
    chart = CHARTS.get(chart_id)
    if chart is None:  # a notice and nothing else: no navigation, no link into the dashboard
        st.error("No chart by that name can be embedded. Embeddable charts:")
        st.markdown("\n".join(f"- `{name}`: {blocks.md_escape(c.title)}" for name, c in CHARTS.items()))
        return
    first, last = queries.year_bounds()
    figure, table, caption = chart.build(first, last)
    title = _(chart.title).format(measure=_("Attacks"))
    chart_block(chart_id, title, figure, table, caption=caption)
    site = (st.context.url or "").rsplit("/", 1)[0]  # from the client: made a link only by md_link's rules
    page = _(chart.page_title)
    link = (
        blocks.md_link(page, f"{site}/{chart.page}#{chart_id}")
        if site
        else f"[{blocks.md_escape(page)}](/{chart.page}#{chart_id})"
    )
    st.caption(f"{blocks.md_escape(blocks.citation_line(title))} {link}")
