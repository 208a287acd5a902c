"""Google Transparency Report CSVs (government removal requests), current and historical layouts.

All four files cover every country. Periods are half-years identified by their last day; low counts
in the historical summary are written ``<10`` and unknown ones ``?``: those become a qualifier, not
a number and not an error.
"""

from __future__ import annotations

import pandas as pd

from etl.adapters import Layout, Refs, Version, map_labels
from etl.errors import Failure
from etl.readers import LINE, RawTable

CITATION = "https://transparencyreport.google.com/government-removals/overview"
SUPPRESSED = ("<10", "?")
INTERNATIONAL_BODIES = {"Europol": "EUROPOL", "Interpol": "INTERPOL"}

SUMMARY_HEADER = (
    "Period Ending",
    "Country/Region",
    "CLDR Territory Code",
    "Requestor",
    "Number of Requests",
    "Items Requested To Be Removed",
    "% Removed-Legal",
    "% Removed-Policy",
    "% Content Not Found",
    "% Not Enough Information ",
    "% No Action Taken",
    "% Content Already Removed",
)
DETAILED_HEADER = ("Period Ending", "Country/Region", "CLDR Territory Code", "Product", "Reason", "Total")
HISTORICAL_GROUPS = {
    "All Requests": "All requesters",
    "Court Orders": "Court orders",
    "Other Requests (Executive, Police, etc.)": "Other (executive, police, etc.)",
}
HISTORICAL_SUMMARY_HEADER = ("Period Ending", "Country/Region", "CLDR Territory Code") + tuple(
    f"{group}: {measure}"
    for group in HISTORICAL_GROUPS
    for measure in ("Number of Requests", "% Fully Or Partially Complied With", "Items Requested To Be Removed")
)
DETAILED_HISTORICAL_HEADER = (
    "Period Ending",
    "Country/Region",
    "CLDR Territory Code",
    "Product",
    "Reason",
    "Court Orders",
    "Executive, Police, etc.",
    "Items Requested To Be Removed",
)

#: Where each release's header can be seen (Google publishes only the current zip; older downloads survive in
#: copies others kept). Current: google-government-removals.zip as vendored in github.com/azadesel/info_suppression
#: @ 0a05b05a (to 2025-06-30); the historical files as kept in github.com/krmaynard/content-policy @ 7335b194.
CURRENT_DOCUMENTED = (
    "google-government-removals.zip (2025 release), copy in github.com/azadesel/info_suppression @ 0a05b05a"
)
SUMMARY_VERSIONS = (
    Version(
        "2019H1–2022H1 release (column 'Requester')",
        tuple("Requester" if h == "Requestor" else h for h in SUMMARY_HEADER),
        {"Requester": "Requestor"},
        "google-government-removal-requests.csv to 2022-06-30, copy in github.com/krmaynard/content-policy @ 64081103",
    ),
)
HISTORICAL_SUMMARY_VERSIONS = (
    Version(
        "early release (column 'Country', before 'Country/Region')",
        tuple("Country" if h == "Country/Region" else h for h in HISTORICAL_SUMMARY_HEADER),
        {"Country": "Country/Region"},
        "the historical summary's header as copied with column 'Country' into a public test fixture of a "
        "transparency-report scraper (2009-12-31 rows: Argentina 42, Brazil 291 requests)",
    ),
    Version(
        "Portuguese download (pt-BR interface; dates MM/DD/YYYY)",
        (
            "Período até",
            "País",
            "Código de território CLDR",
            *(
                f"{group}: {measure}"
                for group in (
                    "Todas as solicitações",
                    "Ordens judiciais",
                    "Outras solicitações (governo, polícia etc.)",
                )
                for measure in (
                    "número de solicitações",
                    "% total ou parcialmente em conformidade",
                    "itens cuja remoção foi solicitada",
                )
            ),
        ),
        {},  # filled below: position by position onto the English header
        "google-government-removal-requests.csv in Portuguese, copy in github.com/lucasmaiasilva/site_visu @ 2e6d7c41",
        dates={"Period Ending": "%m/%d/%Y"},
    ),
)
_pt = HISTORICAL_SUMMARY_VERSIONS[1]
_pt.renamed.update(dict(zip(_pt.header, HISTORICAL_SUMMARY_HEADER, strict=True)))


def _base(frame: pd.DataFrame, source_id: str | None, default_id: str) -> pd.DataFrame:
    """Columns every Google row shares: period, country, reporter, citation."""
    end = frame["Period Ending"]
    parsed = pd.to_datetime(end, format="%Y-%m-%d", errors="coerce")
    start = (parsed - pd.offsets.MonthBegin(6)).dt.strftime("%Y-%m-%d").astype("string")
    code = frame["CLDR Territory Code"].fillna(frame["Country/Region"].map(INTERNATIONAL_BODIES))
    return pd.DataFrame(
        {
            "source_id": source_id or default_id,
            "source_line": frame[LINE].astype("string"),
            "reporter_id": "google",
            "country_code": code,
            "country_name": frame["Country/Region"],
            "period_start": start.where(parsed.notna(), pd.NA),
            "period_end": end,
            "date_precision": "half_year",
            "approx": "false",
            "citation_url": CITATION,
            "citation_grade": "publisher",  # Google's own download
            LINE: frame[LINE],
        }
    )


def _split_suppressed(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``<10`` / ``?`` → (NA, qualifier); numbers stay as they are."""
    qualifier = values.where(values.isin(SUPPRESSED))
    return values.mask(values.isin(SUPPRESSED)), qualifier


def _summary(raw: RawTable, refs: Refs) -> tuple[pd.DataFrame, list[Failure]]:
    f = raw.frame
    out = _base(f, raw.source_id, "google_removals_summary").assign(
        product="All products",
        platform_id="google",
        requester=f["Requestor"],
        reason="All reasons",
        requests=f["Number of Requests"],
        items_requested=f["Items Requested To Be Removed"],
        pct_removed_legal=f["% Removed-Legal"],
        pct_removed_policy=f["% Removed-Policy"],
        pct_content_not_found=f["% Content Not Found"],
        pct_not_enough_information=f["% Not Enough Information "],
        pct_no_action_taken=f["% No Action Taken"],
        pct_content_already_removed=f["% Content Already Removed"],
    )
    return out, []


def _platform_of(products: pd.Series) -> pd.Series:
    return products.map(lambda p: "youtube" if isinstance(p, str) and p == "YouTube" else "google_other")


def _detailed(raw: RawTable, refs: Refs) -> tuple[pd.DataFrame, list[Failure]]:
    f = raw.frame
    reasons = f["Reason"].fillna("")
    google_reasons = {label: cat for (kind, label), cat in refs.category_map.items() if kind == "google_reason"}
    category, failures = map_labels(reasons, google_reasons, f[LINE], raw.path.name, "Reason")
    out = _base(f, raw.source_id, "google_removals_detailed").assign(
        product=f["Product"],
        platform_id=_platform_of(f["Product"]),
        requester="All requesters",
        reason=reasons.replace("", "(not stated)"),
        category_id=category,
        requests=f["Total"],
    )
    return out, failures


def _summary_historical(raw: RawTable, refs: Refs) -> tuple[pd.DataFrame, list[Failure]]:
    f = raw.frame
    base = _base(f, raw.source_id, "google_removals_summary_historical")
    parts = []
    for group, requester in HISTORICAL_GROUPS.items():
        requests, requests_q = _split_suppressed(f[f"{group}: Number of Requests"])
        items, items_q = _split_suppressed(f[f"{group}: Items Requested To Be Removed"])
        complied, _ = _split_suppressed(f[f"{group}: % Fully Or Partially Complied With"])
        part = base.assign(
            product="All products",
            platform_id="google",
            requester=requester,
            reason="All reasons",
            requests=requests,
            requests_qualifier=requests_q,
            items_requested=items,
            items_requested_qualifier=items_q,
            complied_pct=complied,
            compliance_basis=complied.where(complied.isna(), "requests"),
        )
        has_figure = (
            part[["requests", "requests_qualifier", "items_requested", "items_requested_qualifier", "complied_pct"]]
            .notna()
            .any(axis=1)
        )
        parts.append(part[has_figure | (requester == "All requesters")])
    return pd.concat(parts, ignore_index=True), []


def _detailed_historical(raw: RawTable, refs: Refs) -> tuple[pd.DataFrame, list[Failure]]:
    f = raw.frame
    reasons = f["Reason"].fillna("")
    google_reasons = {label: cat for (kind, label), cat in refs.category_map.items() if kind == "google_reason"}
    category, failures = map_labels(reasons, google_reasons, f[LINE], raw.path.name, "Reason")
    base = _base(f, raw.source_id, "google_removals_detailed_historical").assign(
        product=f["Product"],
        platform_id=_platform_of(f["Product"]),
        reason=reasons.replace("", "(not stated)"),
        category_id=category,
    )
    court = base.assign(requester="Court orders", requests=f["Court Orders"])
    other = base.assign(requester="Other (executive, police, etc.)", requests=f["Executive, Police, etc."])
    items = base.assign(requester="All requesters", items_requested=f["Items Requested To Be Removed"])
    parts = [
        court[court["requests"].notna()],
        other[other["requests"].notna()],
        items[items["items_requested"].notna()],
    ]
    return pd.concat(parts, ignore_index=True), failures


LAYOUTS = (
    Layout(
        "google_summary",
        "platform_reported_requests",
        SUMMARY_HEADER,
        _summary,
        "Google removal requests by country and requestor, 2019 onward",
        versions=SUMMARY_VERSIONS,
        current="2019H1–2025H1 release (column 'Requestor')",
        documented=CURRENT_DOCUMENTED,
    ),
    Layout(
        "google_detailed",
        "platform_reported_requests",
        DETAILED_HEADER,
        _detailed,
        "Google removal requests by country, product and reason",
        current="2011H1–2025H1 release",
        documented=CURRENT_DOCUMENTED,
    ),
    Layout(
        "google_summary_historical",
        "platform_reported_requests",
        HISTORICAL_SUMMARY_HEADER,
        _summary_historical,
        "Google removal requests by country, older layout with court orders and other requests",
        versions=HISTORICAL_SUMMARY_VERSIONS,
        current="2009H2–2019H1 release (column 'Country/Region')",
        documented="google-government-removal-requests-historical.csv, copy in github.com/krmaynard/content-policy @ 7335b194",
    ),
    Layout(
        "google_detailed_historical",
        "platform_reported_requests",
        DETAILED_HISTORICAL_HEADER,
        _detailed_historical,
        "Google removal requests by product and reason, older layout",
        current="2009H2–2019H1 release",
        documented=CURRENT_DOCUMENTED,
    ),
)
