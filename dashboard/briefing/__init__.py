"""Briefing pack: a brief of two to four A4 pages for a committee hearing, as one self-contained HTML file or a PDF.

``build_html`` gathers the figures for a period (``figures.gather``; the words for values in ``words``) and
writes them in English or
Urdu as one HTML document: inline CSS with print rules (A4, page breaks, page numbers), inline SVG charts and,
for Urdu, the shipped Noto Naskh Arabic font as a data: URL and a right-to-left layout, so it opens offline.
``html_to_pdf`` prints it with headless Chromium. For committee staff, from the command line::

    python -m dashboard.briefing --from 2021 --to 2025 --lang ur --out brief.pdf
"""

from __future__ import annotations

import base64
from datetime import date
from functools import cache
from html import escape
from pathlib import Path

from dashboard import i18n, queries
from dashboard.briefing.figures import Briefing, Figure, Panel, gather
from dashboard.briefing.words import province_name
from dashboard.i18n import _
from dashboard.pdf import ChromiumMissing, chromium_available, html_to_pdf, pdf_bytes

__all__ = ["ChromiumMissing", "build_html", "chromium_available", "file_name", "gather", "html_to_pdf", "pdf_bytes"]

ASSETS = Path(__file__).parent.parent / "assets"


def build_html(
    year_from: int, year_to: int, lang: str, platforms=(), provinces=(), prepared: date | None = None
) -> str:
    """The whole brief as one HTML document in ``lang`` ("en" or "ur"), self-contained and offline."""
    previous = i18n.current()
    i18n.set_language(lang)
    try:
        return render(gather(year_from, year_to, platforms, provinces), prepared or date.today())
    finally:
        i18n.set_language(previous)


def file_name(year_from: int, year_to: int, lang: str, version: str, extension: str) -> str:
    """``briefing_2021-2025_ur_<version>.pdf``: period, language and dataset version in the name."""
    return f"briefing_{year_from}-{year_to}_{lang}_{version}.{extension}"


def render(brief: Briefing, prepared: date) -> str:
    """HTML for a gathered brief, in the current language."""
    lang = i18n.current()
    info = brief.info
    period = str(brief.year_from) if brief.year_from == brief.year_to else f"{brief.year_from}–{brief.year_to}"
    title = _("Online takedowns and militant violence in Pakistan, {period}").format(period=period)
    body = [
        _masthead(brief, title, prepared),
        _synthetic_banner() if brief.synthetic else "",
        _key_figures(brief.figures),
        _charts(brief.panels),
        _ledger(brief),
        _provinces(brief),
        _caveats(brief),
        _sources(brief),
        _citation(brief, period),
    ]
    footer = _("Briefing {period} · dataset version {version} · page").format(
        period=period, version=info["dataset_version"]
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}" dir="{"rtl" if i18n.is_rtl(lang) else "ltr"}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_css(lang, footer)}</style>\n</head>\n"
        f'<body class="lang-{lang}">\n<main>\n'
        + "\n".join(part for part in body if part)
        + "\n</main>\n</body>\n</html>\n"
    )


@cache
def _font_face() -> str:
    font = base64.b64encode((ASSETS / "fonts" / "NotoNaskhArabic-Regular.ttf").read_bytes()).decode("ascii")
    return f"@font-face{{font-family:'Noto Naskh Arabic';src:url(data:font/ttf;base64,{font}) format('truetype');}}\n"


def _css(lang: str, footer: str) -> str:
    """The stylesheet: the shared rules, the Urdu font when Urdu, and the footer of every printed page."""
    css = (ASSETS / "briefing.css").read_text(encoding="utf-8")
    quoted = '"' + footer.replace("\\", "\\\\").replace('"', '\\"') + ' "'
    page = (
        f'@page{{@bottom-center{{content:{quoted} counter(page) " / " counter(pages);'
        "font:7.5pt 'Noto Naskh Arabic','DejaVu Sans',sans-serif;color:#555;}}\n"
    )
    return (_font_face() if i18n.is_rtl(lang) else "") + css + page


def _masthead(brief: Briefing, title: str, prepared: date) -> str:
    info = brief.info
    everything = _("all")
    names = dict(zip(*queries.platform_options()[["platform_id", "name"]].T.values, strict=True))
    platforms = ", ".join(names.get(p, p) for p in brief.platforms) if brief.platforms else everything
    provinces = ", ".join(_(province_name(code)) for code in brief.provinces) if brief.provinces else everything
    meta = _("Dataset version {version}, built {built} UTC. Prepared {prepared}.").format(
        version=info["dataset_version"], built=i18n.day(info["built_at"]), prepared=i18n.day(prepared)
    )
    scope = _("Platforms: {platforms}. Provinces: {provinces}.").format(platforms=platforms, provinces=provinces)
    lede = _(
        "How much removal of online content Pakistan's authorities request, how platforms say they respond, and "
        "how militant violence is trending, from published figures. Each figure gives the number of its source, "
        "listed at the end. Regulator and platform figures measure different things and are never added."
    )
    return (
        '<header class="masthead">'
        '<p class="kicker">' + escape(_("Briefing for a parliamentary committee hearing")) + f"</p>"
        f"<h1>{escape(title)}</h1>"
        f'<p class="meta">{escape(meta)} {escape(scope)}</p>'
        f'<p class="lede">{escape(lede)}</p>'
        "</header>"
    )


def _synthetic_label() -> str:
    return '<span class="synthetic">' + escape(_("Illustrative (synthetic)")) + "</span>"


def _synthetic_banner() -> str:
    text = _(
        "This brief includes illustrative (synthetic) figures, generated to demonstrate the views. They are "
        "labelled where they appear and describe no real request or event."
    )
    return f'<p class="banner" role="note">{_synthetic_label()} {escape(text)}</p>'


def _key_figures(figures: list[Figure]) -> str:
    head = "".join(
        f'<th scope="col">{escape(h)}</th>' for h in (_("Figure"), _("Value"), _("Period or date"), _("Notes"))
    )
    rows = []
    for figure in figures:
        label = escape(figure.label) + (" " + _synthetic_label() if figure.synthetic else "")
        note = escape(figure.note) + (f' <span class="ref">{escape(figure.ref)}</span>' if figure.ref else "")
        rows.append(
            f'<tr><th scope="row">{label}</th><td class="value">{escape(figure.value)}</td>'
            f"<td>{escape(figure.when)}</td><td>{note}</td></tr>"
        )
    return (
        '<section id="key-figures"><h2>' + escape(_("Key figures")) + f"</h2>"
        f'<table class="figures"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></section>'
    )


def _charts(panels: list[Panel]) -> str:
    figures = []
    for panel in panels:
        legend = "".join(f"<li>{key} {escape(text)}</li>" for key, text in panel.legend)
        chart = panel.svg or '<p class="empty">' + escape(_("No figures for this selection")) + "</p>"
        figures.append(
            f'<figure class="panel"><figcaption><h3>{escape(panel.title)}</h3></figcaption>'
            f'<div class="plot">{chart}</div>'
            + (f'<ul class="legend">{legend}</ul>' if legend else "")
            + f'<p class="reading">{escape(panel.reading)}</p></figure>'
        )
    return (
        '<section id="charts"><h2>' + escape(_("What the figures show")) + f"</h2>"
        f'<div class="grid">{"".join(figures)}</div></section>'
    )


def _ledger(brief: Briefing) -> str:
    intro = _(
        "For each platform: what PTA says it got blocked (its latest running total up to {date}) next to what the "
        "platform says it received from Pakistan (its own half-yearly reports up to the same date, added within "
        "that one source). PTA counts URLs; platforms count requests, one of which can name many URLs, or items. "
        "The gap shows how much of the regulator's activity is visible in the platforms' own reports."
    ).format(date=i18n.day(brief.ledger_date))
    head = "".join(
        f'<th scope="col">{escape(h)}</th>'
        for h in (
            _("Platform"),
            _("PTA: URLs blocked"),
            _("as of"),
            _("Platform's own figure"),
            _("what it counts"),
            _("platform ÷ PTA"),
        )
    )
    rows = "".join(
        f'<tr><th scope="row">{escape(r[0])}</th>' + "".join(f"<td>{escape(c)}</td>" for c in r[1:]) + "</tr>"
        for r in brief.ledger
    )
    notes = "".join(f"<li>{escape(n)}</li>" for n in brief.ledger_notes)
    table = (
        f'<table class="ledger"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        if rows
        else '<p class="empty">' + escape(_("No figures for this selection")) + "</p>"
    )
    return (
        '<section id="ledger"><h2>' + escape(_("The two-sided ledger: PTA and the platforms")) + f"</h2>"
        f"<p>{escape(intro)}</p>{table}"
        + ("<h3>" + escape(_("Where the two sides differ")) + f'</h3><ul class="notes">{notes}</ul>' if notes else "")
        + "</section>"
    )


def _provinces(brief: Briefing) -> str:
    if not brief.provinces_table:
        return ""
    head = "".join(
        f'<th scope="col">{escape(h)}</th>'
        for h in (_("Province"), _("Attacks"), _("Killed"), _("Attacks per million"))
    )
    tables = []
    for caption, rows in brief.provinces_table:
        body = "".join(
            f'<tr><th scope="row">{escape(r[0])}</th>' + "".join(f"<td>{escape(c)}</td>" for c in r[1:]) + "</tr>"
            for r in rows
        )
        tables.append(
            f'<table class="provinces"><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>"
        )
    intro = _(
        "Attacks per province in the latest year of the period with provincial figures, as each organisation "
        "counts them; per million people from the 2023 census (none for Gilgit-Baltistan and Azad Jammu and "
        "Kashmir). Khyber Pakhtunkhwa includes the former FATA."
    )
    return (
        '<section id="provinces"><h2>' + escape(_("By province")) + f"</h2><p>{escape(intro)}</p>"
        f'<div class="pair">{"".join(tables)}</div></section>'
    )


def _caveats(brief: Briefing) -> str:
    caveats = [
        _(
            "PTA counts URLs; platforms count requests (one request can name many URLs) or items. The two sides "
            "of the ledger never measure the same unit and are never added or subtracted."
        ),
        _(
            "Most PTA figures are running totals since records began, as of a date, taken from press reports of "
            "court filings and parliamentary answers; some were later revised. The difference between two totals "
            "is not a count for the period."
        ),
        _(
            "Google changed its method in 2019: before, the share of requests complied with; since, the share of "
            "items removed. The two are not comparable."
        ),
        _(
            "PIPS and PICSS define attacks differently, and PICSS publishes two series (militant attacks, and all "
            "combat-related violence including security-force operations); each series is shown on its own, never "
            "added to or compared with another."
        ),
        _(
            "Values a source withholds (Google's '<10') are kept as printed, never as a number; approximate "
            "figures are marked ≈ and lower bounds 'at least', and neither enters a sum or a difference. A missing "
            "half-year means no figure was found in the publisher's reports, not zero; the dashboard's About the data page lists them."
        ),
    ]
    if brief.synthetic:
        caveats.append(
            _(
                "Figures marked 'Illustrative (synthetic)' come from generated files used to demonstrate the "
                "dashboard; they describe no real request or event."
            )
        )
    terms = [
        (_("Request"), _("one demand from an authority or court to a platform; it can name many items.")),
        (_("Item"), _("one URL, post, video or account named in a request.")),
        (
            _("Blocked (PTA)"),
            _("a URL made unreachable in Pakistan, by the network or by the platform at PTA's request."),
        ),
        (_("Complied / removed"), _("the share of requests or items a platform says it acted on.")),
        (
            _("Running total (snapshot)"),
            _("a total since records began, as of a date; a flow is what happened within a period."),
        ),
        (
            _("Attack"),
            _(
                "PIPS counts terrorist attacks; PICSS counts militant attacks, and separately all combat-related "
                "violence including security-force operations."
            ),
        ),
    ]
    items = "".join(f"<li>{escape(c)}</li>" for c in caveats)
    words = "".join(f"<dt>{escape(t)}</dt><dd>{escape(d)}</dd>" for t, d in terms)
    return (
        '<section id="caveats"><h2>' + escape(_("Caveats")) + f"</h2><ul>{items}</ul>"
        f"<h2>" + escape(_("What the words mean")) + f'</h2><dl class="terms">{words}</dl></section>'
    )


def _sources(brief: Briefing) -> str:
    catalogue = queries.sources().set_index("source_id")
    items = []
    for url, number in sorted(brief.sources.items(), key=lambda item: item[1]):
        source_id = brief.source_ids.get(url, "")
        described = ""
        if source_id in catalogue.index:
            row = catalogue.loc[source_id]
            described = f"{row['publisher']}. "
        link = (
            f'<a href="{escape(url, quote=True)}">{escape(url)}</a>'
            if url.startswith(("http://", "https://"))
            else escape(url)
        )
        items.append(f'<li id="ref-{number}"><span class="ref">[{number}]</span> {escape(described)}{link}</li>')
    return (
        '<section id="sources"><h2>'
        + escape(_("Sources"))
        + f'</h2><ol class="sources">{"".join(items)}</ol></section>'
    )


def _citation(brief: Briefing, period: str) -> str:
    info = brief.info
    version = _(
        "Dataset version {version}, built {built} UTC. The dashboard's Data page keeps this release, with every "
        "table as CSV and its checksums, so the same figures can be checked later."
    ).format(version=info["dataset_version"], built=i18n.day(info["built_at"]))
    cite = _(
        "Pakistan takedowns and militancy transparency dashboard, briefing pack {period}, dataset version {version} "
        "(built {built}). Sources as listed."
    ).format(period=period, version=info["dataset_version"], built=f"{info['built_at']:%Y-%m-%d}")
    return (
        '<section id="cite"><h2>' + escape(_("Dataset version and how to cite")) + f"</h2>"
        f'<p>{escape(version)}</p><p class="citation">{escape(cite)}</p></section>'
    )
