"""Charts defined once: id, title, page, the query that gives the chart's table, the builder call on that table,
caption and summary. Pages draw them with ``blocks.draw``; ``/embed`` lists and draws the embeddable ones from
here (``embed.py``), so a chart's page and its embed cannot drift apart.

Plain Python, like ``queries``: nothing here runs Streamlit. A chart's sources are not listed: the chart
block reads them from its table's ``source_id`` and ``citation_url`` columns, so they are the table's own.
Titles and captions are English message ids, translated when drawn. New charts, and the pages' other charts
as they are touched, belong here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from dashboard import charts, i18n, queries
from dashboard.i18n import N_, _
from dashboard.summaries import Summary

INCIDENT_SOURCES = ("PIPS", "PICSS", "SATP")
INCIDENT_MEASURES = {
    "attacks": N_("Attacks"),
    "killed_total": N_("People killed"),
    "injured_total": N_("People injured"),
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

    @property
    def ledger_date(self) -> date:
        return self.as_of or date(self.year_to, 12, 31)

    @property
    def measure_label(self) -> str:
        return _(INCIDENT_MEASURES[self.measure])


def everything(first: int, last: int) -> Choice:
    """Every platform and category over the years given, no events: what an embedded chart shows."""
    return Choice(
        first,
        last,
        queries.platform_options()["platform_id"].tolist(),
        queries.category_options()["category_id"].tolist(),
    )


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

    def heading(self, choice: Choice) -> str:
        return _(self.title).format(measure=choice.measure_label)

    def caption_text(self) -> str | None:
        return _(self.caption) if self.caption else None


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
        )
    )
