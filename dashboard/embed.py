"""Embeddable charts: ``/embed?chart=<id>`` draws one chart with its table, CSV and sources, and nothing else.

For a news article's iframe: no sidebar, no navigation, the whole period of the dataset. Each chart is
its page's chart, from the one definition in ``registry.py``, drawn for its default view (every platform and
category, no events: ``ChartDef.default_choice``); the ids are the pages' chart ids, so a chart's anchor on its page and its embed share one name. The
proxy lets other sites frame ``/embed?chart=<an id here>`` only (``deploy/nginx.conf.in``); ``/embed`` without
a valid chart draws a notice and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.util import calc_hash

from dashboard import blocks, i18n, queries, registry
from dashboard.blocks import chart_block
from dashboard.i18n import _
from dashboard.site import urls as site_urls
from dataset.location import published_dir

#: The query parameter naming the chart (Streamlit keeps ``embed`` for its own embed mode).
CHART_PARAM = "chart"
URL_PATH = "embed"


@dataclass(frozen=True)
class EmbeddableChart:
    title: str  # the page's own (English) title, translated when drawn
    page: str  # url_path of the page the chart belongs to, for the "full view" link
    page_title: str
    build: Callable[
        [int, int], tuple[str, go.Figure, pd.DataFrame, str | None]
    ]  # (first year, last year) → heading, figure, table, caption


def _embeddable(chart: registry.ChartDef) -> EmbeddableChart:
    def build(first: int, last: int) -> tuple[str, go.Figure, pd.DataFrame, str | None]:
        choice = chart.default_choice(first, last)
        figure, table = blocks.figure_of(chart, choice)
        return chart.heading(choice, table), figure, table, chart.caption_text(choice, table)

    return EmbeddableChart(chart.title, chart.page, registry.PAGE_TITLES[chart.page], build)


#: The embeddable charts of the registry, drawn as their pages draw them (``blocks.figure_of``).
CHARTS: dict[str, EmbeddableChart] = {
    chart_id: _embeddable(chart) for chart_id, chart in registry.CHARTS.items() if chart.embeddable
}


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
    title, figure, table, caption = chart.build(first, last)
    chart_block(chart_id, title, figure, table, caption=caption)
    site = (st.context.url or "").rsplit("/", 1)[0]  # from the client: made a link only by md_link's rules
    page = _(chart.page_title)
    link = (
        blocks.md_link(page, f"{site}/{chart.page}#{chart_id}")
        if site
        else f"[{blocks.md_escape(page)}](/{chart.page}#{chart_id})"
    )
    st.caption(f"{blocks.md_escape(blocks.citation_line(title))} {link}")
    version = blocks.dataset()["dataset_version"]
    if (published_dir() / site_urls.SITE_DIR / version).is_dir():  # the same chart as static files, for articles
        base, lang = blocks.static_base(), i18n.current()
        pinned = site_urls.chart_url(chart_id, lang, "embed.html", version, base)
        latest = site_urls.chart_url(chart_id, lang, "embed.html", site_urls.LATEST, base)
        st.caption(
            _("For an article, embed the static copy: {pinned} (this version) or {latest} (always the latest).").format(
                pinned=blocks.md_link(_("this chart, pinned"), pinned), latest=blocks.md_link(_("latest"), latest)
            )
        )
