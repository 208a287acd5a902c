"""The briefing pack's contents: key figures with their sources, chart panels with a one-line reading, the ledger.

``gather`` reads everything for a period (optionally some platforms and provinces) in the current language: a
figure that is a dashboard chart's table comes from that chart's definition (``registry.CHARTS[id].table``), the
rest through ``dashboard.queries``; ``dashboard.briefing`` writes it as HTML. Its strings are in the ``briefing`` catalogue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from dashboard import i18n, queries
from dashboard import svg_charts as svg
from dashboard.briefing import words
from dashboard.briefing.words import PROVINCES
from dashboard.colors import SOURCE_ORG_COLORS, platform_color
from dashboard.i18n import _
from dashboard.registry import CHARTS, Choice

INCIDENT_ORGS = ("PIPS", "PICSS")
# PICSS changed what it counts over the years: each definition gets its own shade of the organisation's colour.
_ORG_DEFINITION_COLORS = {
    ("PICSS", "militant_attacks"): "#D55E00",
    ("PICSS", "combat_related"): "#F0A877",
    ("PICSS", "all_violent_incidents"): "#8C3A00",
}


@dataclass
class Figure:
    """One line of the key-figures table."""

    label: str
    value: str
    when: str
    note: str
    ref: str
    synthetic: bool = False


@dataclass
class Panel:
    """One chart with its legend and its reading in one line."""

    title: str
    svg: str
    legend: list[tuple[str, str]]
    reading: str


@dataclass
class Briefing:
    year_from: int
    year_to: int
    platforms: list[str]
    provinces: list[str]
    info: dict
    figures: list[Figure] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)
    ledger: list[list[str]] = field(default_factory=list)
    ledger_notes: list[str] = field(default_factory=list)
    ledger_date: date | None = None
    provinces_table: list[tuple[str, list[list[str]]]] = field(default_factory=list)
    sources: dict[str, int] = field(default_factory=dict)  # citation URL → reference number
    source_ids: dict[str, str] = field(default_factory=dict)  # citation URL → source id
    synthetic: bool = False

    def cite(self, source_id: object, url: object) -> str:
        """The reference mark for a document ("[3]"), numbered in order of first use."""
        url = "" if url is None or url != url else str(url).split(" ")[0]
        if not url:
            return ""
        if url not in self.sources:
            self.sources[url] = len(self.sources) + 1
            self.source_ids[url] = "" if source_id is None or source_id != source_id else str(source_id)
        return f"[{self.sources[url]}]"


def _synthetic_note(frame: pd.DataFrame) -> bool:
    return "synthetic" in frame and bool(frame["synthetic"].fillna(False).astype(bool).any())


# --- gathering the figures ------------------------------------------------------------------------------


def gather(year_from: int, year_to: int, platforms=(), provinces=()) -> Briefing:
    """Every figure, chart and table of the brief, in the current language."""
    year_from, year_to = sorted((int(year_from), int(year_to)))
    known = queries.platform_options()["platform_id"].tolist()
    chosen = [p for p in platforms if p in known]
    brief = Briefing(
        year_from,
        year_to,
        chosen,
        [p for p in provinces if p in PROVINCES],
        queries.build_info(),
    )
    ids = brief.platforms or known
    # The dashboard's charts for this selection: where a figure here is one of their tables, it is read from it.
    choice = Choice(year_from, year_to, ids, [], source_orgs=list(INCIDENT_ORGS), provinces=brief.provinces)
    _google(brief, choice)
    _regulator(brief, choice)
    _compliance(brief, choice)
    _incidents(brief, choice)
    _events(brief)
    _case_log(brief, choice)
    _ledger(brief, choice)
    _by_province(brief, choice)
    return brief


def _google(brief: Briefing, choice: Choice) -> None:
    frame = CHARTS["google-requests-items"].table(choice)
    title = _("Removal requests Google received from Pakistan, per half-year")
    if frame.empty:
        brief.panels.append(Panel(title, "", [], _("Google published no figure for Pakistan in this period.")))
        return
    latest = frame.iloc[-1]
    ref = brief.cite(latest["source_id"], latest["citation_url"])
    note = _("{items} items named.").format(
        items=words.value(latest["items_requested"], False, latest.get("items_requested_qualifier"))
    )
    if len(frame) >= 2:
        previous = frame.iloc[-2]
        note += " " + _("{change} on the half-year before.").format(
            change=words.signed(latest["requests"] - previous["requests"])
        )
    brief.figures.append(
        Figure(
            _("Removal requests Google received from Pakistani authorities and courts"),
            words.value(latest["requests"], False, latest.get("requests_qualifier")),
            words.period(latest["period_start"], latest["period_end"]),
            note,
            ref,
        )
    )
    withheld = frame["requests_qualifier"].notna().any()
    brief.figures.append(
        Figure(
            _("Removal requests to Google over the whole period"),
            i18n.num(frame["requests"].sum()),
            _("{first} to {last}").format(
                first=words.period(frame["period_start"].iloc[0], frame["period_end"].iloc[0]),
                last=words.period(latest["period_start"], latest["period_end"]),
            ),
            i18n.ngettext(
                "{items} items named, over {count} half-year with a published figure.",
                "{items} items named, over {count} half-years with a published figure.",
                int(frame["requests"].notna().sum()),
            ).format(
                items=i18n.num(frame["items_requested"].sum()), count=i18n.num(int(frame["requests"].notna().sum()))
            )
            + (" " + _("Half-years Google withheld (<10) are left out.") if withheld else ""),
            ref,
        )
    )
    xs, ticks = _half_year_axis(frame)
    peak = frame.loc[frame["requests"].idxmax()]
    labels = [
        i18n.num(v) if len(frame) <= 10 or i in (frame.index[-1], peak.name) else ""
        for i, v in frame["requests"].items()
    ]
    chart = svg.chart(
        "bar",
        [svg.Series("google", platform_color("google"), xs, frame["requests"].tolist(), labels)],
        ticks,
        i18n.num,
        label=title,
    )
    reading = _("Highest: {peak} requests in {peak_period}; latest: {latest} in {latest_period}.").format(
        peak=i18n.num(peak["requests"]),
        peak_period=words.period(peak["period_start"], peak["period_end"]),
        latest=i18n.num(latest["requests"]),
        latest_period=words.period(latest["period_start"], latest["period_end"]),
    )
    brief.panels.append(
        Panel(title, chart, [(svg.swatch(platform_color("google")), _("requests, per half-year"))], reading + " " + ref)
    )


def _half_year_axis(frame: pd.DataFrame) -> tuple[list[float], list[tuple[float, str]]]:
    """Half-years as positions (one apart), with the year written under each year's bars."""
    ends = pd.to_datetime(frame["period_end"])
    xs = [float(e.year * 2 + (0 if e.month <= 6 else 1)) for e in ends]
    years = sorted({e.year for e in ends})
    every = max(1, math.ceil(len(years) / 8))
    return xs, [(y * 2 + 0.5, str(y)) for y in years[::every]]


def _regulator(brief: Briefing, choice: Choice) -> None:
    frame = CHARTS["pta-blocked-by-platform"].table(choice)
    totals = frame[frame["platform_id"].isna() & frame["as_of"].notna() & (frame["scope"] == "cumulative_snapshot")]
    title = _("URLs blocked by PTA: its running total, as reported on each date")
    if totals.empty:
        brief.figures.append(
            Figure(
                _("URLs blocked by PTA, running total"),
                _("not published"),
                "",
                _("PTA published no dated total in this period."),
                "",
            )
        )
        brief.panels.append(Panel(title, "", [], _("PTA published no dated total in this period.")))
        return
    latest = totals.iloc[-1]
    ref = brief.cite(latest["source_id"], latest["citation_url"])
    processed = latest["urls_processed"]
    note = _("A running total since records began, not a count for the period.")
    if not pd.isna(processed):
        note = (
            _("{processed} URLs processed, {share} of them blocked.").format(
                processed=i18n.num(processed), share=i18n.pct(latest["blocked_pct_of_processed"])
            )
            + " "
            + note
        )
    brief.figures.append(
        Figure(
            _("URLs blocked by PTA, running total"),
            words.bounded(latest["urls_blocked"], latest["value_kind"]),
            words.as_of(latest),
            note,
            ref,
        )
    )
    days = [pd.Timestamp(d).toordinal() for d in totals["as_of"]]
    years = range(brief.year_from, brief.year_to + 2)
    span = (date(brief.year_from, 1, 1).toordinal(), date(brief.year_to, 12, 31).toordinal())
    every = max(1, math.ceil(len(years) / 7))
    ticks = [
        (date(y, 1, 1).toordinal(), str(y)) for y in years[::every] if span[0] <= date(y, 1, 1).toordinal() <= span[1]
    ]
    chart = svg.chart(
        "dots",
        [
            svg.Series(
                "pta",
                platform_color(None),
                days,
                totals["urls_blocked"].astype(float).tolist(),
                [words.bounded(v, k) for v, k in zip(totals["urls_blocked"], totals["value_kind"], strict=True)],
                hollow=totals["approx"].astype(bool).tolist(),
            )
        ],
        ticks,
        i18n.num,
        label=title,
        x_range=span,
    )
    first = totals.iloc[0]
    if len(totals) >= 2:
        reading = _(
            "From {first} ({first_date}) to {last} ({last_date}). Each dot is a report from a different document; "
            "the difference between two is not a count for the period."
        ).format(
            first=words.bounded(first["urls_blocked"], first["value_kind"]),
            first_date=words.as_of(first),
            last=words.bounded(latest["urls_blocked"], latest["value_kind"]),
            last_date=words.as_of(latest),
        )
    else:
        reading = _("One PTA total is dated in this period: {last} URLs blocked, {last_date}.").format(
            last=words.bounded(latest["urls_blocked"], latest["value_kind"]), last_date=words.as_of(latest)
        )
    legend = [
        (
            svg.swatch(platform_color(None), shape="dot"),
            _("PTA total, all platforms (open dot: approximate or a lower bound)"),
        )
    ]
    brief.panels.append(Panel(title, chart, legend, reading + " " + ref))


def _compliance(brief: Briefing, choice: Choice) -> None:
    rates = CHARTS["compliance-rates"].table(choice)  # the chosen platforms and Google
    title = _("Share of Pakistan's requests platforms say they acted on, per half-year")
    if rates.empty:
        brief.panels.append(Panel(title, "", [], _("No platform published a compliance figure for this period.")))
        return
    for (_platform_id, _measure_text), rows in rates.groupby(["platform_id", "measure"], sort=False):
        latest = rows.iloc[-1]
        brief.figures.append(
            Figure(
                "{platform}: {measure}".format(
                    platform=words.platform(latest["platform_id"], latest["platform"]),
                    measure=words.measure(latest["measure"]),
                ),
                i18n.pct(latest["rate_pct"]),
                words.period(latest["period_start"], latest["period_end"]),
                _("As the platform reports it."),
                brief.cite(latest["source_id"], latest["citation_url"]),
            )
        )
    xs, ticks = _half_year_axis(rates)
    rates = rates.assign(x=xs)
    series, legend = [], []
    for (platform_id, measure), rows in rates.groupby(["platform_id", "measure"], sort=False):
        dashed = bool((rates.loc[rows.index, "basis"] == "items").all())
        color = platform_color(platform_id)
        series.append(svg.Series(str(platform_id), color, rows["x"].tolist(), rows["rate_pct"].tolist(), dashed=dashed))
        name = words.platform(platform_id, rows["platform"].iloc[0])
        legend.append(
            (
                svg.swatch(color, dashed, "line"),
                f"{name}: {words.measure(measure)}",
            )
        )
    chart = svg.chart("line", series, ticks, lambda v: i18n.pct(v, 0), label=title, y_max=100)
    google = rates[rates["platform_id"] == "google"]
    if google.empty:
        reading = _("Google published no removal share for this period.")
    else:
        latest = google.iloc[-1]
        reading = _(
            "Google removed {latest} of the items named in {period}; over the period its share ranged from {low} to {high}."
        ).format(
            latest=i18n.pct(latest["rate_pct"]),
            period=words.period(latest["period_start"], latest["period_end"]),
            low=i18n.pct(google["rate_pct"].min()),
            high=i18n.pct(google["rate_pct"].max()),
        )
    if (rates["period_end"] < pd.Timestamp("2019-07-01")).any() and (rates["platform_id"] == "google").any():
        reading += " " + _("Google counted requests before 2019 and items since: the two are not comparable.")
    brief.panels.append(Panel(title, chart, legend, reading))


def _incidents(brief: Briefing, choice: Choice) -> None:
    frame = CHARTS["incidents-national"].table(choice)  # PIPS and PICSS
    title = _("Militant attacks in Pakistan, as each organisation counts them")
    if frame.empty:
        brief.panels.append(Panel(title, "", [], _("No attack figures for this period.")))
        return
    readings = []
    # One figure per series (source and definition): a source's two series are never merged or compared.
    for (org, definition_id), rows in frame.groupby(["source_org", "definition_id"], sort=True):
        rows = rows[rows["attacks"].notna()]  # the latest figure (a restated row keeps only what it was not)
        if rows.empty:
            continue
        latest = rows.iloc[-1]
        ref = brief.cite(latest["source_id"], latest["citation_url"])
        definition = words.definition(definition_id, latest["definition_as_printed"])
        attacks = words.bounded(latest["attacks"], latest["attacks_qualifier"])
        brief.figures.append(
            Figure(
                _("{org}: attacks counted as {definition}").format(org=org, definition=definition),
                attacks,
                words.period(latest["period_start"], latest["period_end"]),
                _("{killed} killed, {injured} injured.").format(
                    killed=words.bounded(latest["killed_total"], latest["killed_total_qualifier"]),
                    injured=words.bounded(latest["injured_total"], latest["injured_total_qualifier"]),
                ),
                ref,
            )
        )
        readings.append(
            _("{org} ({definition}): {attacks} in {period}").format(
                org=org,
                definition=definition,
                attacks=attacks,
                period=words.period(latest["period_start"], latest["period_end"]),
            )
            + f" {ref}"
        )
    frame = frame.sort_values("period_end")
    starts, ends = pd.to_datetime(frame["period_start"]), pd.to_datetime(frame["period_end"])
    frame = frame.assign(
        x=(starts.dt.year + (starts.dt.day_of_year + (ends - starts).dt.days / 2) / 365.25).round(3),
        width=((ends - starts).dt.days + 1) / 365.25,
    )
    years = range(int(starts.dt.year.min()), int(ends.dt.year.max()) + 1)
    ticks = [(y + 0.5, str(y)) for y in years[:: max(1, math.ceil(len(years) / 8))]]
    series, legend = [], []
    for (org, definition_id), rows in frame.groupby(["source_org", "definition_id"], sort=True):
        color = _ORG_DEFINITION_COLORS.get((org, definition_id), SOURCE_ORG_COLORS.get(org, "#555555"))
        series.append(
            svg.Series(
                f"{org}-{definition_id}",
                color,
                rows["x"].tolist(),
                rows["attacks"].astype(float).tolist(),
                widths=rows["width"].tolist(),
            )
        )
        legend.append(
            (svg.swatch(color), f"{org}: " + words.definition(definition_id, rows["definition_as_printed"].iloc[0]))
        )
    chart = svg.chart("bar", series, ticks, i18n.num, label=title)
    reading = "; ".join(readings) + ". " + _("Each organisation counts differently; the figures are never added.")
    brief.panels.append(Panel(title, chart, legend, reading))


def _events(brief: Briefing) -> None:
    datasets = queries.event_datasets()
    for dataset, rows in datasets.groupby("dataset", sort=True):
        monthly = queries.event_monthly(dataset, brief.year_from, brief.year_to, brief.provinces)
        if monthly.empty:
            continue
        synthetic = bool(rows["synthetic"].any()) or _synthetic_note(monthly)
        brief.synthetic |= synthetic
        brief.figures.append(
            Figure(
                _("{dataset} event data: events and deaths").format(
                    dataset=queries.EVENT_DATASETS.get(dataset, dataset)
                ),
                i18n.num(monthly["events"].sum()),
                _("{first} to {last}").format(first=brief.year_from, last=brief.year_to),
                _(
                    "{deaths} deaths. Monthly aggregates of the export given to the build; rows are not published."
                ).format(deaths=words.value(monthly["fatalities"].sum(min_count=1))),
                brief.cite(
                    rows["source_id"].iloc[0],
                    monthly["citation_url"].dropna().iloc[0] if monthly["citation_url"].notna().any() else None,
                ),
                synthetic,
            )
        )


def _case_log(brief: Briefing, choice: Choice) -> None:
    info = queries.case_info()
    if info.empty:
        return
    months = CHARTS["case-outcomes"].table(choice)
    if months.empty:
        return
    synthetic = bool(info["synthetic"].any()) or _synthetic_note(months)
    brief.synthetic |= synthetic
    requests = months["requests"].sum()
    answered = months[["actioned", "partial", "rejected"]].sum().sum()
    brief.figures.append(
        Figure(
            _("Requests in the agency's case log"),
            i18n.num(requests),
            _("{first} to {last}").format(first=brief.year_from, last=brief.year_to),
            _(
                "{actioned} actioned ({share} of those answered), {rejected} rejected; cells of fewer than {k} requests "
                "are withheld."
            ).format(
                actioned=i18n.num(months["actioned"].sum()),
                share=i18n.pct(100 * months["actioned"].sum() / answered if answered else float("nan")),
                rejected=i18n.num(months["rejected"].sum()),
                k=int(info["disclosure_threshold_k"].max()),
            ),
            "",
            synthetic,
        )
    )


def _ledger(brief: Briefing, choice: Choice) -> None:
    brief.ledger_date = date(brief.year_to, 12, 31)
    frame = CHARTS["ledger"].table(replace(choice, as_of=brief.ledger_date))
    only_pta = []
    for row in frame.itertuples():
        has_pta, has_platform = not pd.isna(row.urls_blocked), not pd.isna(row.value_summed)
        name = words.platform(row.platform_id, row.platform)
        pta_ref = brief.cite(row.regulator_source_id, row.regulator_citation_url) if has_pta else ""
        platform_ref = brief.cite(row.platform_source_id, row.platform_citation_url) if has_platform else ""
        ratio = (
            i18n.pct(100 * row.value_summed / row.urls_blocked)
            if has_pta and has_platform and row.urls_blocked and row.value_kind == "exact"
            else "–"  # a rounded or lower-bound figure never enters arithmetic
        )
        brief.ledger.append(
            [
                name,
                f"{words.bounded(row.urls_blocked, row.value_kind if has_pta else None)} {pta_ref}".strip(),
                words.as_of(frame.loc[row.Index]) if has_pta else "–",
                f"{words.value(row.value_summed)} {platform_ref}".strip() if has_platform else _("none published"),
                _("{measure}, {reports} half-years to {last}").format(
                    measure=words.measure(row.platform_measure),
                    reports=i18n.num(row.half_years_reported),
                    last=i18n.month(row.last_period_end),
                )
                + (
                    "; "
                    + _("leaves out {count} half-years with no figure found").format(
                        count=i18n.num(row.half_years_left_out)
                    )
                    if row.half_years_left_out
                    else ""
                )
                if has_platform
                else "–",
                ratio,
            ]
        )
        if has_pta and not has_platform:
            only_pta.append(name)
        elif has_pta and has_platform:
            note = _("{platform}: the platform's own reports add up to {ratio} of what PTA says it blocked.").format(
                platform=name, ratio=ratio
            )
            gap = (pd.Timestamp(row.as_of) - pd.Timestamp(row.last_period_end)).days / 365.25
            if gap >= 1.5:
                note += " " + _("Its reports end in {last}, about {years} years before PTA's total ({date}).").format(
                    last=i18n.month(row.last_period_end), years=i18n.num(gap), date=words.as_of(frame.loc[row.Index])
                )
            brief.ledger_notes.append(note)
    if only_pta:
        brief.ledger_notes.append(
            _(
                "For {platforms}, PTA reports blocked URLs but no platform figure for Pakistan is in the dataset."
            ).format(platforms=", ".join(only_pta))
        )


def _by_province(brief: Briefing, choice: Choice) -> None:
    available = queries.incident_years_by_province()
    for org in INCIDENT_ORGS:
        years = available.loc[
            (available["source_org"] == org) & available["year"].between(brief.year_from, brief.year_to), "year"
        ]
        if years.empty:
            continue
        year = int(years.max())
        frame = CHARTS["incidents-map"].table(replace(choice, map_source=org, map_year=year))
        if frame.empty:
            continue
        ref = brief.cite(frame["source_id"].iloc[0], frame["citation_url"].iloc[0])
        rows = [
            [
                str(r.region),
                words.value(r.attacks),
                words.value(r.killed_total),
                words.value(r.attacks_per_million) if not pd.isna(r.attacks_per_million) else "–",
            ]
            for r in frame.sort_values("attacks", ascending=False, na_position="last").itertuples()
        ]
        brief.provinces_table.append((_("{org}: figures for {year}").format(org=org, year=year) + f" {ref}", rows))
