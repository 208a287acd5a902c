"""Embeddable charts: ``/embed?chart=<id>`` draws one chart with its table, CSV and sources, and nothing else.

For a news article's iframe: no sidebar, no navigation, the whole period of the dataset. Each chart is
built from the same query and chart functions as its page, with the page's default selections; the ids
are the pages' chart ids, so a chart's anchor on its page and its embed share one name. The proxy lets
other sites frame the ``/embed`` path only (``deploy/nginx.conf.in``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import blocks, charts, queries
from dashboard.blocks import cached, chart_block

#: The query parameter naming the chart (Streamlit keeps ``embed`` for its own embed mode).
CHART_PARAM = "chart"
URL_PATH = "embed"


@dataclass(frozen=True)
class EmbeddableChart:
    title: str
    page: str  # url_path of the page the chart belongs to, for the "full view" link
    build: Callable[
        [int, int], tuple[dict, pd.DataFrame, str | None]
    ]  # (first year, last year) → figure, table, caption


CHARTS: dict[str, EmbeddableChart] = {}


def _embeddable(chart_id: str, title: str, page: str):
    def register(build):
        CHARTS[chart_id] = EmbeddableChart(title, page, build)
        return build

    return register


@_embeddable("google-requests-items", "Requests and items Google received from Pakistan", "requests")
def _google_requests_items(first: int, last: int):
    totals = queries.google_totals(["PK"], first, last)
    figure = cached(
        charts.measures_over_time,
        totals,
        {"requests": "Requests", "items_requested": "Items named in the requests"},
        "Per half-year",
        color="#E69F00",
        qualifiers={"requests": "requests_qualifier", "items_requested": "items_requested_qualifier"},
    )
    return figure, totals, "'<10' marks a count Google suppressed."


@_embeddable("google-by-category", "On what grounds: requests to Google by category", "requests")
def _google_by_category(first: int, last: int):
    categories = queries.category_options()["category_id"].tolist()
    table = queries.google_by_category("PK", categories, first, last)
    figure = cached(
        charts.totals_over_time,
        table,
        "requests",
        "category",
        "Requests per half-year by category",
        "requests",
        barmode="stack",
    )
    return figure, table, "Google's reasons mapped to the dashboard's shared categories."


@_embeddable("pta-blocked-by-platform", "URLs PTA blocked, by platform (running totals as of each report)", "requests")
def _pta_blocked_by_platform(first: int, last: int):
    platforms = queries.platform_options()["platform_id"].tolist()
    pta = queries.pta_by_platform(platforms, first, last)
    snapshots = pta[pta["scope"] == "cumulative_snapshot"]
    figure = cached(
        charts.snapshots, snapshots, "urls_blocked", "Cumulative URLs blocked, each dot one report", "URLs blocked"
    )
    return figure, pta, "Each point is a report; nothing is drawn between reports. ≈ marks an approximate figure."


@_embeddable("compliance-rates", "Share of Pakistan's requests platforms say they acted on", "responsiveness")
def _compliance_rates(first: int, last: int):
    platforms = queries.platform_options()["platform_id"].tolist()
    rates = queries.compliance_rates(platforms + ["google"], first, last)
    figure = cached(charts.rates_over_time, rates, "Compliance and removal shares, per half-year")
    return figure, rates, "Google changed method in 2019 (requests before, items since): the two parts differ."


@_embeddable("ledger", "Regulator vs platform, per platform", "responsiveness")
def _ledger(first: int, last: int):
    platforms = queries.platform_options()["platform_id"].tolist()
    as_of = date(last, 12, 31)
    ledger = queries.ledger(platforms, as_of)
    ledger = ledger.assign(platform_to_regulator_ratio=(ledger["value_summed"] / ledger["urls_blocked"]).round(3))
    figure = cached(
        charts.ledger,
        ledger.dropna(subset=["urls_blocked", "value_summed"], how="all"),
        f"What PTA says vs what platforms report, up to {as_of:%d %b %Y}",
    )
    return figure, ledger, "Log scale. PTA counts URLs; platforms count requests or items: never the same unit."


@_embeddable("incidents-national", "Attacks in Pakistan, per source organisation", "incidents")
def _incidents_national(first: int, last: int):
    national = queries.incidents_national(["PIPS", "PICSS", "SATP"], first, last)
    figure = cached(charts.incidents_by_source, national, "attacks", "Attacks per year or half-year")
    return figure, national, "Each organisation counts something different: one panel each, never added."


def requested() -> bool:
    """The link names a chart to embed."""
    return bool(st.query_params.get(CHART_PARAM))


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
    """One chart block, then a line saying where it comes from, with a link to its page."""
    chart_id = st.query_params.get(CHART_PARAM, "")
    chart = CHARTS.get(chart_id)
    if chart is None:
        st.error("No chart by that name can be embedded. Embeddable charts:")
        st.markdown("\n".join(f"- `{name}`: {blocks.md_escape(c.title)}" for name, c in CHARTS.items()))
        return
    first, last = queries.year_bounds()
    figure, table, caption = chart.build(first, last)
    chart_block(chart_id, chart.title, figure, table, caption=caption)
    info = blocks.dataset()
    site = (st.context.url or "").rsplit("/", 1)[0]
    st.caption(
        f"Pakistan takedowns and militancy transparency dashboard, dataset version {info['dataset_version']} "
        f"(built {info['built_at']:%d %b %Y}), {first}–{last}. "
        f"[Full view with filters]({site}/{chart.page}#{chart_id})"
    )
