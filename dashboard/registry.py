"""Charts defined once: id, title, page, the query that gives the chart's table, the builder call on that table,
caption and summary. Pages draw them with ``blocks.draw``; ``/embed`` lists and draws the embeddable ones from
here (``embed.py``), so a chart's page and its embed cannot drift apart.

Plain Python, like ``queries``: nothing here runs Streamlit. A chart's sources are not listed: the chart
block reads them from its table's ``source_id`` and ``citation_url`` columns, so they are the table's own.
Titles and captions are English message ids, translated when drawn (a chart whose title or caption names its
selection or its data words it with ``heading_of`` / ``caption_of``). Every chart a page draws is defined here;
the page keeps its filters and the prose around its charts.

Without Streamlit, for a release's default view (what the static site and the tests draw)::

    first, last = queries.year_bounds()
    built, table = registry.render(chart, chart.default_choice(first, last))  # a charts.Chart and its table
    figure = charts.as_figure(charts.validated(built.spec()), queries.province_geojson)

A map's spec names its polygons (``charts.BOUNDARIES``) rather than holding them: ``charts.as_figure`` puts in
those of ``queries.province_geojson`` (the app reads them through its cache, ``live.province_geojson``).

Embeddable: every subject-page chart except those of an agency's case log (drawn only when a release carries
one, beside its suppression rule, which an embed would leave behind) and those of an event dataset (drawn beside
the dataset's terms of use, which for ACLED and the GTD restrict display elsewhere). UCDP's own monthly totals
(CC BY 4.0) are embeddable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from dashboard import charts, i18n, queries
from dashboard.colors import GROUP_COLORS, PLATFORM_COLORS
from dashboard.i18n import N_, _
from dashboard.markdown import md_escape
from dashboard.summaries import Summary

INCIDENT_SOURCES = ("PIPS", "PICSS", "SATP")
INCIDENT_MEASURES = {
    "attacks": N_("Attacks"),
    "killed_total": N_("People killed"),
    "injured_total": N_("People injured"),
}
COMPARED_COUNTRIES = ("PK", "IN", "TR", "RU")  # the requests page's default comparison with Pakistan
EVENT_MEASURES = {"events": N_("Events"), "fatalities": N_("Deaths")}
EVENT_BREAKDOWNS = {  # as the monthly chart's title names them
    "group_id": N_("militant group"),
    "region_code": N_("province"),
    "event_type": N_("event type"),
}
PAGE_TITLES = {
    "requests": N_("Takedown requests"),
    "responsiveness": N_("Platform responsiveness"),
    "incidents": N_("Incident trends"),
}


@dataclass(frozen=True)
class Choice:
    """What the charts are drawn for: a page's filters, or ``everything`` (an embed's view)."""

    year_from: int
    year_to: int
    platforms: list[str]
    categories: list[str]
    events: pd.DataFrame | None = None  # context events on time axes; None draws none
    as_of: date | None = None  # the ledger's "compare up to" date; None: the end of ``year_to``
    source_orgs: list[str] = field(default_factory=lambda: list(INCIDENT_SOURCES))
    measure: str = "attacks"  # one of INCIDENT_MEASURES
    countries: list[str] = field(default_factory=lambda: list(COMPARED_COUNTRIES))  # compared with Pakistan
    map_source: str | None = None  # the province map's source organisation (``default_choice`` names one)
    map_year: int | None = None  # and its year
    provinces: list[str] = field(default_factory=list)  # the maps' and event charts' provinces; [] = all
    per_million: bool = False  # the maps per million people (census 2023)
    event_set: str | None = None  # the event dataset (``acled``, ``ucdp_ged``, ``gtd``); None: none in the release
    event_by: str = "group_id"  # one of EVENT_BREAKDOWNS
    event_measure: str = "events"  # one of EVENT_MEASURES
    event_months: tuple[str, str] | None = None  # the event map's months ("YYYY-MM"); None: every month

    @property
    def ledger_date(self) -> date:
        return self.as_of or date(self.year_to, 12, 31)

    @property
    def measure_label(self) -> str:
        return _(INCIDENT_MEASURES[self.measure])

    @property
    def event_measure_label(self) -> str:
        return _(EVENT_MEASURES[self.event_measure])


def everything(first: int, last: int) -> Choice:
    """Every platform and category over the years given, no events, and the pages' first choices of map and
    event dataset: the default view of a subject-page chart (what an embed and the static site show)."""
    map_source, map_year = _first_map()
    event_sets = queries.event_datasets()
    return Choice(
        first,
        last,
        queries.platform_options()["platform_id"].tolist(),
        queries.category_options()["category_id"].tolist(),
        map_source=map_source,
        map_year=map_year,
        event_set=str(event_sets["dataset"].iloc[0]) if not event_sets.empty else None,
    )


def map_sources() -> list[str]:
    """The source organisations with province figures, in the order the map offers them."""
    available = set(queries.incident_years_by_province()["source_org"])
    return [s for s in INCIDENT_SOURCES if s in available]


def map_years(source_org: str) -> list[int]:
    """The years ``source_org`` has province figures for, latest first."""
    available = queries.incident_years_by_province()
    return sorted(available.loc[available["source_org"] == source_org, "year"].astype(int).tolist(), reverse=True)


def _first_map() -> tuple[str | None, int | None]:
    sources = map_sources()
    if not sources:
        return None, None
    years = map_years(sources[0])
    return sources[0], (years[0] if years else None)


@dataclass(frozen=True)
class Plot:
    """A chart builder call: ``builder(*args, **kwargs)`` gives the chart (drawn through the chart cache)."""

    builder: Callable[..., charts.Chart]
    args: tuple
    kwargs: dict[str, Any] = field(default_factory=dict)

    def build(self) -> charts.Chart:
        return self.builder(*self.args, **self.kwargs)


@dataclass(frozen=True)
class ChartDef:
    """One chart: what it shows and how it is drawn, for every place that shows it."""

    id: str  # the anchor on its page and the embed's ?chart= name
    title: str  # English message id; may name {measure}
    page: str  # url_path of its page
    table: Callable[[Choice], pd.DataFrame]  # the query: the chart's table (the numbers behind it)
    plot: Callable[[pd.DataFrame, Choice], Plot]  # the builder call on that table
    caption: str | None = None  # English message id
    summary: Callable[[Choice], Summary] | None = None  # the chart in words
    embeddable: bool = True
    gaps: Callable[[Choice], pd.DataFrame] | None = None  # periods its publishers reported that the data lacks
    heading_of: Callable[[Choice, pd.DataFrame], str] | None = None  # a title naming the selection or the data
    caption_of: Callable[[Choice, pd.DataFrame], str] | None = None  # a caption naming them
    marks_events: bool = True  # draws ``choice.events`` on its time axis (and lists them under the chart)
    defaults: Callable[[int, int], Choice] | None = None  # its default view; None: ``everything``

    def heading(self, choice: Choice, table: pd.DataFrame | None = None) -> str:
        if self.heading_of is not None:
            return self.heading_of(choice, self.table(choice) if table is None else table)
        return _(self.title).format(measure=choice.measure_label)

    def caption_text(self, choice: Choice | None = None, table: pd.DataFrame | None = None) -> str | None:
        if self.caption_of is not None and choice is not None:
            return self.caption_of(choice, self.table(choice) if table is None else table)
        return _(self.caption) if self.caption else None

    def default_choice(self, first: int, last: int) -> Choice:
        """What the chart shows for a release whose figures span ``first``–``last`` when nobody chose anything."""
        return self.defaults(first, last) if self.defaults is not None else everything(first, last)


def plotted(chart: ChartDef, choice: Choice) -> tuple[Plot, pd.DataFrame]:
    """A chart's builder call and its table for ``choice`` (the app builds the call through its chart cache)."""
    table = chart.table(choice)
    return chart.plot(table, choice), table


def render(chart: ChartDef, choice: Choice) -> tuple[charts.Chart, pd.DataFrame]:
    """A chart and its table for ``choice``, with no Streamlit running (the static site, the tests)."""
    plot, table = plotted(chart, choice)
    return plot.build(), table


CHARTS: dict[str, ChartDef] = {}


def _define(chart: ChartDef) -> ChartDef:
    if chart.id in CHARTS:
        raise ValueError(f"chart {chart.id!r} is defined twice")
    CHARTS[chart.id] = chart
    return chart


# --- Takedown requests -------------------------------------------------------------------------------------

_define(
    ChartDef(
        "google-requests-items",
        N_("Requests and items Google received from Pakistan"),
        "requests",
        table=lambda c: queries.google_totals(["PK"], c.year_from, c.year_to),
        plot=lambda table, c: Plot(
            charts.measures_over_time,
            (
                table,
                {"requests": _("Requests"), "items_requested": _("Items named in the requests")},
                _("Per half-year"),
            ),
            {
                "color": "#E69F00",
                "events": c.events,
                "qualifiers": {"requests": "requests_qualifier", "items_requested": "items_requested_qualifier"},
            },
        ),
        caption=N_(
            "Half-years up to mid-2019 come from Google's older release; later ones from the current one. "
            "'<10' marks a count Google suppressed."
        ),
        summary=lambda c: Summary("requests", "period"),
        gaps=lambda c: queries.missing_periods(["google_removals"], c.year_from, c.year_to),
    )
)
_define(
    ChartDef(
        "google-by-category",
        N_("On what grounds: requests to Google by category"),
        "requests",
        table=lambda c: queries.google_by_category("PK", c.categories, c.year_from, c.year_to),
        plot=lambda table, c: Plot(
            charts.totals_over_time,
            (table, "requests", "category", _("Requests per half-year by category"), _("requests")),
            {"events": c.events, "barmode": "stack"},
        ),
        caption=N_("Google's reasons mapped to this dashboard's shared categories (see About the data)."),
        summary=lambda c: Summary("requests", "period", "category"),
    )
)
_define(
    ChartDef(
        "pta-blocked-by-platform",
        N_("URLs PTA blocked, by platform (running totals as of each report)"),
        "requests",
        table=lambda c: queries.pta_by_platform(c.platforms, c.year_from, c.year_to),
        plot=lambda table, c: Plot(
            charts.snapshots,
            (
                table[table["scope"] == "cumulative_snapshot"],
                "urls_blocked",
                _("Cumulative URLs blocked, each dot one report"),
                _("URLs blocked"),
            ),
            {"events": c.events},
        ),
        caption=N_(
            "Each point is a report (court filing, parliamentary answer); nothing is drawn between reports. "
            "Hollow points are approximate or a lower bound ('more than'). Undated reports appear in the table "
            "with date 'unknown'."
        ),
        summary=lambda c: Summary("urls_blocked", "date_label", "platform", order="as_of"),
    )
)


def _top_products(choice: Choice) -> pd.DataFrame:
    """Google's requests per half-year by product: the six products named most often in the period, the rest
    grouped."""
    by_product = queries.google_by_product("PK", choice.year_from, choice.year_to)
    top = by_product.groupby("product")["requests"].sum().nlargest(6).index
    grouped = by_product.assign(
        product=by_product["product"].where(by_product["product"].isin(top), _("Other products"))
    )
    return grouped.groupby(["period", "period_start", "period_end", "product"], as_index=False).agg(
        requests=("requests", "sum"), source_id=("source_id", "first"), citation_url=("citation_url", "first")
    )


_define(
    ChartDef(
        "google-by-requester",
        N_("Who asked Google: requests by requester type"),
        "requests",
        table=lambda c: queries.google_by_requester("PK", c.year_from, c.year_to),
        plot=lambda table, c: Plot(
            charts.totals_over_time,
            (table, "requests", "requester", _("Requests per half-year by requester type"), _("requests")),
            {"qualifier": "requests_qualifier", "events": c.events, "barmode": "stack"},
        ),
        caption=N_(
            "Google's requester types changed in 2019: before, only court orders and other "
            "requests; since, the regulator ('Information and Communications Authority'), "
            "government officials, police, military and courts are told apart."
        ),
        summary=lambda c: Summary("requests", "period", "requester"),
    )
)
_define(
    ChartDef(
        "google-by-product",
        N_("Which Google products the requests named"),
        "requests",
        table=_top_products,
        plot=lambda table, c: Plot(
            charts.totals_over_time,
            (table, "requests", "product", _("Requests per half-year by product"), _("requests")),
            {
                "events": c.events,
                "barmode": "stack",
                "colors": {"YouTube": PLATFORM_COLORS["youtube"], "Web Search": PLATFORM_COLORS["google"]},
            },
        ),
        caption=N_("The six products named most often in the period; the rest are grouped."),
        summary=lambda c: Summary("requests", "period", "product"),
    )
)
_define(
    ChartDef(
        "meta-x-tiktok",
        N_("Meta, X and TikTok: requests received and content restricted"),
        "requests",
        table=lambda c: queries.platform_reports(c.platforms, c.year_from, c.year_to),
        plot=lambda table, c: Plot(
            charts.reports_by_period,
            (
                table,
                {
                    "requests": _("Requests received"),
                    "items_actioned_local_law": _("Items restricted or withheld under local law"),
                    "accounts_actioned_local_law": _("Accounts withheld under local law"),
                },
                _("Per half-year, as each company reports it"),
            ),
        ),
        caption=N_(
            "Each company's figures as it reports them, per half-year. "
            "X's requests add court orders and other requests from the same report."
        ),
        summary=lambda c: Summary("requests", "period", "platform"),
        gaps=lambda c: queries.missing_periods(
            [s for s in queries.platform_series(c.platforms) if s != "google_removals"], c.year_from, c.year_to
        ),
        marks_events=False,
    )
)
_define(
    ChartDef(
        "pta-blocked-by-category",
        N_("URLs PTA blocked, by category (each report as printed)"),
        "requests",
        table=lambda c: queries.pta_by_category(c.categories, c.year_from, c.year_to),
        plot=lambda table, c: Plot(
            charts.category_snapshots, (table, _("URLs blocked per category, one bar per report"))
        ),
        caption=N_(
            "PTA's own categories mapped to the shared ones; reports differ in scope (running totals, "
            "flows, only URLs sent to social media companies), stated on each bar."
        ),
        summary=lambda c: Summary("urls_blocked", "date_label", "category", order="as_of"),
        marks_events=False,
    )
)


def _compared(choice: Choice) -> pd.DataFrame:
    ranking = queries.google_country_ranking(choice.year_from, choice.year_to)
    return ranking[ranking["country_code"].isin(set(choice.countries) | {"PK"})]


_define(
    ChartDef(
        "google-country-comparison",
        N_("Requests to Google: Pakistan and other countries"),
        "requests",
        table=_compared,
        plot=lambda table, c: Plot(
            charts.country_comparison,
            (table, _("Requests per half-year (hover for rank and share of the world total)")),
        ),
        caption=N_(
            "Rank 1 = most requests among all countries that half-year. Google's current release only (from 2019)."
        ),
        summary=lambda c: Summary("requests", "period", "country_name"),
        marks_events=False,
    )
)

# --- Platform responsiveness ---------------------------------------------------------------------------------

_define(
    ChartDef(
        "compliance-rates",
        N_("Share of Pakistan's requests platforms say they acted on"),
        "responsiveness",
        table=lambda c: queries.compliance_rates([*c.platforms, "google"], c.year_from, c.year_to),
        plot=lambda table, c: Plot(
            charts.rates_over_time, (table, _("Compliance and removal shares, per half-year")), {"events": c.events}
        ),
        caption=N_(
            "Solid lines count requests, dotted lines count items (the content named in the requests). Google changed "
            "method in 2019 (from requests fully or partly complied with, to items removed), so the two parts of its "
            "line are not comparable; a share of requests is never compared with a share of items."
        ),
        summary=lambda c: Summary("rate_pct", "period", ("platform", "measure"), percent=True),
        gaps=lambda c: queries.missing_periods(
            [s for s in queries.platform_series([*c.platforms, "google"]) if s != "meta_local_law"],
            c.year_from,
            c.year_to,
        ),
    )
)


def _ledger_table(choice: Choice) -> pd.DataFrame:
    ledger = queries.ledger(choice.platforms, choice.ledger_date)
    return ledger.assign(  # only between exact figures: a rounded or lower-bound figure never enters arithmetic
        platform_to_regulator_ratio=(ledger["value_summed"] / ledger["urls_blocked"])
        .where(ledger["value_kind"] == "exact")
        .round(3)
    )


_define(
    ChartDef(
        "ledger",
        N_("Regulator vs platform, per platform"),
        "responsiveness",
        table=_ledger_table,
        plot=lambda table, c: Plot(
            charts.ledger,
            (
                table.dropna(subset=["urls_blocked", "value_summed"], how="all"),
                _("What PTA says vs what platforms report, up to {date}").format(date=i18n.day(c.ledger_date)),
            ),
        ),
        caption=N_(
            "Log scale. Where a bar is missing, that side published no figure up to this date. "
            "platform_to_regulator_ratio = platform figure ÷ PTA URLs blocked."
        ),
        summary=lambda c: Summary("urls_blocked", None, "platform"),
        marks_events=False,
    )
)


def _pta_rates(choice: Choice) -> pd.DataFrame:
    pta = queries.pta_by_platform(choice.platforms, choice.year_from, choice.year_to)
    return pta[pta["blocked_pct_of_processed"].notna() & pta["as_of"].notna()]


_define(
    ChartDef(
        "pta-block-rate",
        N_("Share of the URLs PTA processed that ended up blocked, per platform"),
        "responsiveness",
        table=_pta_rates,
        plot=lambda table, c: Plot(
            charts.snapshots,
            (
                table,
                "blocked_pct_of_processed",
                _("Blocked as % of processed, cumulative, each dot one report"),
                _("per cent"),
            ),
            {"events": c.events},
        ),
        caption=N_(
            "PTA's own running totals; 'processed' includes URLs still accessible and URLs the platform rejected."
        ),
        summary=lambda c: Summary("blocked_pct_of_processed", "date_label", "platform", order="as_of", percent=True),
    )
)

# An agency's case log (drawn only when the release carries one). Not embeddable: its figures are shown beside
# the suppression rule published with them, which an embed would leave behind.


def _case_months(choice: Choice) -> pd.DataFrame:
    return queries.case_platform_months(choice.platforms, choice.year_from, choice.year_to)


def _case_breakdown(choice: Choice) -> pd.DataFrame:
    return queries.case_breakdown(choice.platforms, choice.year_from, choice.year_to)


_define(
    ChartDef(
        "case-response-times",
        N_("How long platforms take to answer"),
        "responsiveness",
        table=_case_months,
        plot=lambda table, c: Plot(
            charts.monthly_by_platform,
            (table, "response_hours_p50", _("Median hours to answer (dotted: 90th percentile)"), "hours"),
            {"second": "response_hours_p90", "second_label": _("90th percentile")},
        ),
        caption=N_("Per month and platform; a gap is a month whose total was withheld (fewer than k requests)."),
        summary=lambda c: Summary("response_hours_p50", "month", "platform"),
        embeddable=False,
        marks_events=False,
    )
)
_define(
    ChartDef(
        "case-within-24h",
        N_("Share answered within 24 hours"),
        "responsiveness",
        table=_case_months,
        plot=lambda table, c: Plot(
            charts.monthly_by_platform,
            (
                table,
                "answered_within_24h_pct",
                _("Answered within 24 h (dotted: within 72 h), % of answered requests"),
                _("per cent"),
            ),
            {"second": "answered_within_72h_pct", "second_label": _("within 72 h")},
        ),
        summary=lambda c: Summary("answered_within_24h_pct", "month", "platform", percent=True),
        embeddable=False,
        marks_events=False,
    )
)
_define(
    ChartDef(
        "case-outcomes",
        N_("Outcomes over time"),
        "responsiveness",
        table=_case_months,
        plot=lambda table, c: Plot(charts.status_over_time, (table, _("Requests per month by outcome"))),
        caption=N_("Sum of the published monthly platform totals; withheld totals are left out."),
        summary=lambda c: Summary("requests", "month", "platform"),
        embeddable=False,
        marks_events=False,
    )
)
_define(
    ChartDef(
        "case-mirrors",
        N_("Mirrors re-appearing: requests against copies of accounts already removed"),
        "responsiveness",
        table=lambda c: queries.case_mirrors(c.platforms, c.year_from, c.year_to),
        plot=lambda table, c: Plot(
            charts.monthly_by_platform,
            (table, "mirror_requests", _("Requests against mirror accounts per month"), "requests"),
        ),
        caption=N_("Published cells only; cells withheld for disclosure control are not counted."),
        summary=lambda c: Summary("mirror_requests", "month", "platform"),
        embeddable=False,
        marks_events=False,
    )
)


def _case_breakdown_chart(chart_id: str, title: str, column: str, axis: str, caption: str) -> ChartDef:
    """A case-log chart of requests in published cells by one column of the breakdown (group, origin)."""
    return ChartDef(
        chart_id,
        title,
        "responsiveness",
        table=_case_breakdown,
        plot=lambda table, c: Plot(charts.breakdown, (table, column, "requests_in_published_cells", _(axis))),
        caption=caption,
        summary=lambda c: Summary("requests_in_published_cells", None, column),
        embeddable=False,
        marks_events=False,
    )


_define(
    _case_breakdown_chart(
        "case-by-group",
        N_("Requests by linked militant group"),
        "linked_group",
        N_("Linked group, selected period"),
        N_("Published cells only; see withheld_cells in the table."),
    )
)
_define(
    _case_breakdown_chart(
        "case-by-origin",
        N_("Requests by where the targeted accounts are run from"),
        "origin_country",
        N_("Origin country, selected period"),
        N_("ISO country codes; 'unknown' where the agency did not establish it."),
    )
)

# --- Incident trends ----------------------------------------------------------------------------------------

_define(
    ChartDef(
        "incidents-national",
        N_("{measure} in Pakistan, per source organisation"),
        "incidents",
        table=lambda c: queries.incidents_national(c.source_orgs, c.year_from, c.year_to),
        plot=lambda table, c: Plot(
            charts.incidents_by_source,
            (table, c.measure, _("{measure} per year or half-year").format(measure=c.measure_label)),
            {"events": c.events},
        ),
        caption=N_(
            "Half-year figures are drawn over their half-year, annual ones over the year. A figure the source gave as "
            "a lower bound ('at least') says so in its label and is never compared with another."
        ),
        summary=lambda c: Summary(c.measure, "period", ("source_org", "definition"), order="period_end"),
        gaps=lambda c: queries.missing_periods(
            [s for org in c.source_orgs for s in queries.SERIES_BY_SOURCE_ORG.get(org, [])], c.year_from, c.year_to
        ),
    )
)


def _national(choice: Choice) -> pd.DataFrame:
    return queries.incidents_national(choice.source_orgs, choice.year_from, choice.year_to)


def _with_victims(choice: Choice) -> pd.DataFrame:
    national = _national(choice)
    return national[national[["killed_security", "killed_civilians", "killed_militants"]].notna().any(axis=1)]


_define(
    ChartDef(
        "deaths-by-victim",
        N_("Who was killed, where the source says"),
        "incidents",
        table=_with_victims,
        plot=lambda table, c: Plot(
            charts.deaths_by_victim, (table, _("Deaths by victim type (stacked) and total as reported (bar mark)"))
        ),
        caption=N_(
            "A total above the stacked parts means the source counted others too (e.g. peace-committee members)."
        ),
        summary=lambda c: Summary("killed_total", "period", ("source_org", "definition"), order="period_end"),
        marks_events=False,
    )
)


def _map_measure(choice: Choice) -> tuple[str, str]:
    """The map's column and its label: the measure, or the measure per million people."""
    if choice.per_million:
        return f"{choice.measure}_per_million", choice.measure_label + _(" per million")
    return choice.measure, choice.measure_label


def _incidents_map_heading(choice: Choice, table: pd.DataFrame) -> str:
    heading = _("{measure} by province, {source} {year}").format(
        measure=_map_measure(choice)[1], source=choice.map_source, year=choice.map_year
    )
    return heading + (f" ({table['definition'].iloc[0]})" if not table.empty else "")


_define(
    ChartDef(
        "incidents-map",
        N_("{measure} by province, {source} {year}"),
        "incidents",
        table=lambda c: queries.incidents_by_province(c.map_source, c.map_year, c.provinces),  # type: ignore[arg-type]  # default_choice names them
        plot=lambda table, c: Plot(
            charts.province_map,
            (
                table,
                list(queries.province_names()),
                _map_measure(c)[0],
                _("{measure}, {year} ({source})").format(
                    measure=_map_measure(c)[1], year=c.map_year, source=c.map_source
                ),
                _map_measure(c)[1],
            ),
        ),
        caption=N_(
            "Provinces without a figure from this source are left blank. Khyber Pakhtunkhwa "
            "includes the former FATA (merged in 2018); where a source reports them apart, "
            "its two figures are added. Gilgit-Baltistan and Azad Jammu and Kashmir have no 2023 "
            "census population, so no per-million figure. A province whose parts are not all exact figures is left "
            "blank rather than added."
        ),
        summary=lambda c: Summary(_map_measure(c)[0], None, "region"),
        heading_of=_incidents_map_heading,
        marks_events=False,
    )
)

# An event dataset's charts (drawn when the release holds one). Not embeddable, except UCDP's own monthly totals
# (CC BY 4.0): the page shows each dataset's terms beside them, and ACLED's and the GTD's restrict display elsewhere.


def _event_monthly(choice: Choice) -> pd.DataFrame:
    """The chosen event dataset's monthly rows (empty when the release holds no event dataset)."""
    if choice.event_set is None:
        return pd.DataFrame()
    return queries.event_monthly(choice.event_set, choice.year_from, choice.year_to, choice.provinces)


def _event_series(choice: Choice) -> pd.DataFrame:
    return queries.event_series(_event_monthly(choice), choice.event_by, choice.event_measure)


def _event_labels(choice: Choice) -> dict:
    monthly = _event_monthly(choice)
    if choice.event_by == "group_id":
        return dict(zip(monthly["group_id"], monthly["group_name"], strict=False))
    if choice.event_by == "region_code":
        return dict(zip(monthly["region_code"], monthly["region"], strict=False)) | {None: _("Province not given")}
    return {}


def _event_dataset(choice: Choice) -> str:
    return queries.EVENT_DATASETS.get(choice.event_set or "", "")


def _event_monthly_caption(choice: Choice, table: pd.DataFrame) -> str:
    monthly = _event_monthly(choice)
    year_only = int(monthly.loc[monthly["month"].isna(), "events"].sum()) if not monthly.empty else 0
    return (
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
    )


_define(
    ChartDef(
        "event-monthly",
        N_("{measure} per month, {dataset}, by {breakdown}"),
        "incidents",
        table=_event_series,
        plot=lambda table, c: Plot(
            charts.stacked_monthly,
            (
                table,
                c.event_by,
                _event_labels(c),
                c.event_measure,
                _("{measure} per month ({dataset})").format(measure=c.event_measure_label, dataset=_event_dataset(c)),
                c.event_measure_label.lower(),
                GROUP_COLORS if c.event_by == "group_id" else None,
            ),
        ),
        summary=lambda c: Summary(c.event_measure, "month", c.event_by),
        embeddable=False,
        heading_of=lambda c, table: _("{measure} per month, {dataset}, by {breakdown}").format(
            measure=c.event_measure_label, dataset=_event_dataset(c), breakdown=_(EVENT_BREAKDOWNS[c.event_by])
        ),
        caption_of=_event_monthly_caption,
        marks_events=False,
    )
)


def _ucdp_monthly(choice: Choice) -> pd.DataFrame:
    return queries.ucdp_fatalities_monthly(choice.year_from, choice.year_to)


def _preliminary_from(table: pd.DataFrame) -> str | None:
    """The first preliminary month (UCDP Candidate), "YYYY-MM", or None when no month shown is preliminary."""
    preliminary = table.loc[table["preliminary"], "month"]
    return pd.Timestamp(preliminary.min()).strftime("%Y-%m") if len(preliminary) else None


def _ucdp_caption(choice: Choice, table: pd.DataFrame) -> str:
    first = _preliminary_from(table)
    return (
        _(
            "UCDP's own monthly totals, drawn beside the events above and never added to them (they count "
            "the same deaths)."
        )
        + " "
        + (
            _(
                "From {first} on the months are preliminary: they rest on UCDP Candidate events and are "
                "revised in later releases. "
            ).format(first=first)
            if first
            else ""
        )
        + " ".join(
            _("Cite: {citation}").format(citation=md_escape(c))
            for c in _ucdp_monthly(choice)["cite_as"].dropna().unique()
        )
    )


_define(
    ChartDef(
        "ucdp-deaths-monthly",
        N_("UCDP deaths per month by type of violence, a series of its own"),
        "incidents",
        table=lambda c: _ucdp_monthly(c).drop(columns=["cite_as"]),  # the citation is in the caption
        plot=lambda table, c: Plot(
            charts.fatalities_by_violence_type,
            (
                _ucdp_monthly(c),
                {key: _(label) for key, label in queries.VIOLENCE_TYPES.items()},
                _("UCDP best-estimate deaths per month"),
                _("deaths"),
                _("preliminary (UCDP Candidate)"),
            ),
        ),
        summary=lambda c: Summary("fatalities", "month", "violence_type"),
        heading_of=lambda c, table: (
            _("UCDP deaths per month by type of violence, a series of its own")
            + (
                _("; preliminary from {first}").format(first=_preliminary_from(table))
                if _preliminary_from(table)
                else ""
            )
        ),
        caption_of=_ucdp_caption,
        marks_events=False,
    )
)


def _event_months(choice: Choice) -> tuple[str, str]:
    """The event map's months: the chosen ones, or every month of the event data in the period."""
    if choice.event_months is not None:
        return choice.event_months
    monthly = _event_monthly(choice)
    months = sorted(pd.to_datetime(monthly["month"].dropna()).dt.strftime("%Y-%m").unique()) if len(monthly) else []
    return (months[0], months[-1]) if months else ("", "")


def _event_map_measure(choice: Choice) -> tuple[str, str]:
    if choice.per_million:
        return f"{choice.event_measure}_per_million", choice.event_measure_label + _(" per million")
    return choice.event_measure, choice.event_measure_label


def _event_map_table(choice: Choice) -> pd.DataFrame:
    first, last = _event_months(choice)
    return queries.event_by_province(_event_monthly(choice), first, last, _event_dataset(choice))


_define(
    ChartDef(
        "event-map",
        N_("{measure} by province, {dataset}, {first} to {last}"),
        "incidents",
        table=_event_map_table,
        plot=lambda table, c: Plot(
            charts.province_map,
            (
                table,
                list(queries.province_names()),
                _event_map_measure(c)[0],
                _("{measure}, {first} to {last} ({dataset})").format(
                    measure=_event_map_measure(c)[1],
                    first=_event_months(c)[0],
                    last=_event_months(c)[1],
                    dataset=_event_dataset(c),
                ),
                _event_map_measure(c)[1],
            ),
        ),
        caption=N_(
            "Events of the chosen months added up. Events without a province, or dated to the year only, are "
            "left out of the map."
        ),
        summary=lambda c: Summary(_event_map_measure(c)[0], None, "region"),
        embeddable=False,
        heading_of=lambda c, table: _("{measure} by province, {dataset}, {first} to {last}").format(
            measure=_event_map_measure(c)[1],
            dataset=_event_dataset(c),
            first=_event_months(c)[0],
            last=_event_months(c)[1],
        ),
        marks_events=False,
    )
)


def _beside_annual(choice: Choice) -> pd.DataFrame:
    annual = queries.event_annual(_event_monthly(choice), choice.event_set or "")
    return pd.concat([_national(choice), annual], ignore_index=True)


_define(
    ChartDef(
        "event-vs-annual",
        N_("{measure}: event data beside the annual reports"),
        "incidents",
        table=_beside_annual,
        plot=lambda table, c: Plot(
            charts.incidents_by_source,
            (
                table,
                c.measure if c.measure != "injured_total" else "attacks",
                _("Each source on its own panel, with its own definition: never added together"),
            ),
        ),
        caption=N_(
            "Event counts (one row per event) and the think tanks' attack counts measure different things; "
            "compare their shapes over time, not their levels."
        ),
        summary=lambda c: Summary("attacks", "period", ("source_org", "definition"), order="period_end"),
        embeddable=False,
        marks_events=False,
    )
)


def _timeline_parts(choice: Choice) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Google's requests from Pakistan, and the attacks beside them: the annual reports' national figures, or
    the event dataset's monthly counts when the release holds one."""
    takedowns = queries.google_totals(["PK"], choice.year_from, choice.year_to)
    monthly = _event_monthly(choice)
    if not monthly.empty:
        return takedowns, queries.event_monthly_for_timeline(monthly, choice.event_set or "")
    national = _national(choice)
    attacks = national[national["attacks"].notna()]
    return takedowns, attacks.assign(source_org=attacks["source_org"] + " (" + attacks["definition"] + ")")


def _timeline_table(choice: Choice) -> pd.DataFrame:
    takedowns, attacks = _timeline_parts(choice)
    return pd.concat(
        [
            takedowns.assign(series=_("Google: requests from Pakistan"), value=takedowns["requests"]),
            attacks.assign(series=attacks["source_org"] + _(": attacks"), value=attacks["attacks"]),
        ],
        ignore_index=True,
    )[["series", "period", "period_start", "period_end", "value", "source_id", "citation_url"]]


_define(
    ChartDef(
        "takedowns-vs-incidents",
        N_("Removal requests and militant attacks"),
        "incidents",
        table=_timeline_table,
        plot=lambda table, c: Plot(
            charts.timeline,
            (*_timeline_parts(c), _("Shared time axis, separate scales")),
            {
                "events": c.events,
                "incidents_title": _("Militant incidents in Pakistan, per source (monthly event data)")
                if not _event_monthly(c).empty
                else _("Militant attacks in Pakistan, per source organisation"),
            },
        ),
        summary=lambda c: Summary("value", "period", "series", order="period_start"),
    )
)

# --- Overview: one small chart per headline figure, the last ten years of its one series ----------------------
# Drawn for ``overview_choice``; not embeddable (the pages' own charts are). Each is one series of one source:
# nothing added, differenced or compared across sources, and a rounded or lower-bound figure drawn as printed.


def overview_choice(last_year: int) -> Choice:
    """The Overview's charts: the ten years up to the latest with any figure, no filter, no events."""
    return Choice(last_year - 9, last_year, [], [])


def _yearly(org: str, definition_id: str) -> Callable[[Choice], pd.DataFrame]:
    def table(choice: Choice) -> pd.DataFrame:
        frame = queries.incidents_national([org], choice.year_from, choice.year_to)
        keep = (frame["definition_id"] == definition_id) & (frame["date_precision"] == "year")
        return frame[keep & frame["attacks"].notna()].reset_index(drop=True)

    return table


def _pta_total(choice: Choice) -> pd.DataFrame:
    frame = queries.pta_by_platform([], choice.year_from, choice.year_to)
    keep = frame["platform_id"].isna() & frame["as_of"].notna() & (frame["scope"] == "cumulative_snapshot")
    return frame[keep].reset_index(drop=True)


_define(
    ChartDef(
        "overview-google-requests",
        N_("Removal requests to Google from Pakistan, per half-year"),
        "overview",
        table=lambda c: queries.google_totals(["PK"], c.year_from, c.year_to),
        plot=lambda table, c: Plot(
            charts.measures_over_time,
            (table, {"requests": _("Requests")}, _("Last ten years")),
            {"color": "#E69F00", "qualifiers": {"requests": "requests_qualifier"}},
        ),
        caption=N_("Google Transparency Report. '<10' marks a count Google suppressed."),
        summary=lambda c: Summary("requests", "period"),
        embeddable=False,
        defaults=lambda first, last: overview_choice(last),
    )
)
_define(
    ChartDef(
        "overview-pta-blocked",
        N_("URLs blocked by PTA, running total as of each report"),
        "overview",
        table=_pta_total,
        plot=lambda table, c: Plot(
            charts.snapshots, (table, "urls_blocked", _("Last ten years, each dot one report"), _("URLs blocked"))
        ),
        caption=N_(
            "Nothing is drawn between reports: the difference between two running totals is not a flow. Hollow "
            "points are approximate or a lower bound."
        ),
        summary=lambda c: Summary("urls_blocked", "date_label", "platform", order="as_of"),
        embeddable=False,
        defaults=lambda first, last: overview_choice(last),
    )
)
for _org, _definition, _title in (
    ("PIPS", "terrorist_attacks", N_("PIPS: terrorist attacks per year")),
    ("PICSS", "militant_attacks", N_("PICSS: militant attacks per year")),
):
    _define(
        ChartDef(
            f"overview-{_org.lower()}-attacks",
            _title,
            "overview",
            table=_yearly(_org, _definition),
            plot=lambda table, c: Plot(charts.incidents_by_source, (table, "attacks", _("Last ten years"))),
            caption=N_("One series of one source, as published; a figure given as 'at least' says so in its label."),
            summary=lambda c: Summary("attacks", "period", ("source_org", "definition"), order="period_end"),
            embeddable=False,
            defaults=lambda first, last: overview_choice(last),
        )
    )
