"""The static site's HTML: chart pages, embed pages, the index of each language and the release's front page.

Every text from data or a catalogue goes through ``html.escape``; a document address from data becomes a link
only when it is an http(s) address (and is escaped as an attribute), so a hostile label or address renders as
text. Pages load nothing from another site: plotly.js, the script, the style and the Urdu font are files of the
site itself, referred to by relative addresses (the pages also open from the files, with no server).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING

import pandas as pd

from dashboard import i18n
from dashboard.i18n import N_, _
from dashboard.site.urls import LANGS, LATEST, chart_url, dashboard_url, site_url

if TYPE_CHECKING:
    from dashboard.site.build import Drawn

_WEB = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)


def link(text: str, url: object) -> str:
    target = "" if url is None or url != url else str(url)
    if not _WEB.match(target):
        return escape(text)
    return f'<a href="{escape(target, quote=True)}" rel="noopener noreferrer">{escape(text)}</a>'


def _short(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url).split("/")[0]


def _head(title: str, lang: str, depth: int, *, embed: bool = False, script: bool = True) -> str:
    up = "../" * depth
    scripts = (
        f'<script src="{up}assets/plotly.min.js" defer></script><script src="{up}assets/site.js" defer></script>'
        if script
        else ""
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}" dir="{"rtl" if i18n.is_rtl(lang) else "ltr"}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="strict-origin-when-cross-origin">\n'
        '<link rel="icon" href="data:,">\n'  # no icon: a browser would otherwise ask the host for /favicon.ico
        f"<title>{escape(title)}</title>\n"
        f'<link rel="stylesheet" href="{up}assets/site.css">\n{scripts}\n</head>\n'
        f'<body class="{"embed" if embed else "page"} lang-{lang}">\n'
    )


def cell(value: object) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    return str(value)


def table_html(table: pd.DataFrame) -> str:
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in table.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(cell(v))}</td>" for v in row) + "</tr>"
        for row in table.itertuples(index=False, name=None)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _figure(drawn: Drawn, figure_json: str) -> str:
    chart_id = drawn.chart.id
    alt = escape(drawn.title)
    return (
        f'<div class="plot" id="plot-{chart_id}" data-figure="figure-{chart_id}">'
        f'<img src="{chart_id}.svg" alt="{alt}" width="1000"></div>\n'
        f'<script type="application/json" id="figure-{chart_id}">{figure_json}</script>\n'
    )


def _publishers(drawn: Drawn) -> str:
    return "; ".join(sorted({s["publisher"] for s in drawn.sources if s.get("publisher")}))


def citation(drawn: Drawn, info: dict, address: str) -> str:
    return _(
        "{title}. Source: {publishers}. Pakistan takedowns and militancy transparency dashboard, "
        "dataset version {version}, retrieved {retrieved}. {link}"
    ).format(
        title=drawn.title,
        publishers=_publishers(drawn) or _("see the table"),
        version=info["dataset_version"],
        retrieved=i18n.day(info["built_at"]),
        link=address,
    )


def iframe(url: str, title: str) -> str:
    return f'<iframe src="{url}" title="{title}" width="100%" height="560" style="border:0" loading="lazy"></iframe>'


def chart_page(drawn: Drawn, info: dict, figure_json: str, others: Mapping[str, str]) -> str:
    """One chart: plot (image until the script draws it), words, table, files, sources, citation, embed code."""
    lang, chart_id, version = drawn.lang, drawn.chart.id, info["dataset_version"]
    address = chart_url(chart_id, lang, "html", version)
    dashboard = f"{dashboard_url()}/{drawn.chart.page}?lang={lang}#{chart_id}"
    languages = " · ".join(
        f'<a href="{escape(path)}" hreflang="{other}" lang="{other}">{escape(i18n.LANGUAGES[other])}</a>'
        for other, path in others.items()
    )
    parts = [
        _head(drawn.title, lang, 1),
        '<header class="site"><a href="index.html">' + escape(_("All charts of this release")) + "</a>",
        f"<span>{languages}</span></header>\n<main>\n",
        f"<h1>{escape(drawn.title)}</h1>\n",
    ]
    if drawn.words:
        in_words = _("In words:")
        parts.append(f"<p><strong>{escape(in_words)}</strong> {escape(drawn.words)}</p>\n")
    if drawn.caption:
        parts.append(f'<p class="note">{escape(drawn.caption)}</p>\n')
    if drawn.gaps is not None and not drawn.gaps.empty:
        listed = "; ".join(
            f"{series}: {', '.join(map(str, rows['period_label']))}"
            for series, rows in drawn.gaps.groupby("series", sort=False)
        )
        parts.append(
            '<p class="note">'
            + escape(
                _("Periods the publisher reported that this dataset has no figure for: {parts}.").format(parts=listed)
            )
            + "</p>\n"
        )
    parts.append(_figure(drawn, figure_json))
    files = [
        (f"{chart_id}.csv", _("Figures (CSV)")),
        (f"{chart_id}.json", _("Figures and metadata (JSON)")),
        (f"{chart_id}.png", _("Image (PNG)")),
        (f"{chart_id}.svg", _("Image (SVG)")),
        (f"{chart_id}.embed.html", _("Embeddable page")),
        (f"../../../releases/{version}/datapackage.json", _("Data package of this release")),
        (f"../../../releases/dataset-{version}.zip", _("The whole release (zip)")),
    ]
    parts.append(
        "<h2>"
        + escape(_("Download"))
        + '</h2>\n<ul class="files">'
        + "".join(f'<li><a href="{escape(href)}">{escape(label)}</a></li>' for href, label in files)
        + "</ul>\n"
    )
    table_label = _("Table")
    parts.append(f"<details open><summary>{escape(table_label)}</summary>{table_html(drawn.table)}</details>\n")
    parts.append("<h2>" + escape(_("Sources")) + "</h2>\n<ul>")
    for source in drawn.sources:
        grades = ", ".join(source.get("grades") or [])
        documents = " · ".join(link(_short(u), u) for u in source["documents"][:12])
        name = source.get("title") or source["source_id"]
        parts.append(
            f"<li>{escape(source.get('publisher') or '')}: {escape(str(name))}"
            + (f" ({escape(grades)})" if grades else "")
            + (f". {documents}" if documents else "")
            + (f' <span class="muted">{escape(str(source["licence"]))}</span>' if source.get("licence") else "")
            + "</li>"
        )
    parts.append("</ul>\n")
    parts.append(
        "<h2>" + escape(_("Cite this chart")) + f"</h2>\n<pre>{escape(citation(drawn, info, address))}</pre>\n"
    )
    pinned = chart_url(chart_id, lang, "embed.html", version)
    moving = chart_url(chart_id, lang, "embed.html", LATEST)
    title = escape(drawn.title, quote=True)
    this_version, always_latest = _("This version (never changes):"), _("Always the latest release:")
    parts.append(
        "<h2>"
        + escape(_("Embed this chart"))
        + "</h2>\n"
        + f"<p>{escape(this_version)}</p><pre>{escape(iframe(pinned, title))}</pre>\n"
        + f"<p>{escape(always_latest)}</p><pre>{escape(iframe(moving, title))}</pre>\n"
    )
    parts.append(
        f'<p><a href="{escape(dashboard, quote=True)}">'
        + escape(_("Open this chart in the interactive dashboard"))
        + "</a></p>\n"
    )
    parts.append(_footer(info))
    return "".join(parts)


def embed_page(drawn: Drawn, info: dict, figure_json: str) -> str:
    """A chart alone for an iframe: title, plot, the source line with the release, a link to its page."""
    chart_id, version = drawn.chart.id, info["dataset_version"]
    source = _("Source: {publishers}").format(publishers=_publishers(drawn) or _("see the table"))
    release = _("Dataset version {version}").format(version=version)
    return (
        _head(drawn.title, drawn.lang, 1, embed=True)
        + "<main>\n"
        + f"<h1>{escape(drawn.title)}</h1>\n"
        + _figure(drawn, figure_json)
        + f'<p class="note">{escape(source)}. {escape(release)}. '
        + f'<a href="{chart_id}.html" target="_blank" rel="noopener">'
        + escape(_("Table, sources and downloads"))
        + "</a></p>\n</main>\n</body>\n</html>\n"
    )


def _footer(info: dict, *, both: bool = False) -> str:
    """The release and licence line, in the page's language (``both``: English, then Urdu)."""
    lines = []
    for lang in ("en", "ur") if both else (i18n.current(),):
        text = i18n.gettext(N_("Dataset version {version}, built {built} UTC"), lang).format(
            version=info["dataset_version"], built=f"{info['built_at']:%Y-%m-%d %H:%M}"
        )
        licence = i18n.gettext(N_("Licence"), lang)
        terms = i18n.gettext(
            N_("Code MIT; curation CC BY 4.0; source figures keep their publishers' terms (listed with each source)."),
            lang,
        )
        marks = f' lang="{lang}" dir="rtl"' if both and i18n.is_rtl(lang) else ""
        lines.append(f'<p class="muted"{marks}>{escape(text)}. {escape(licence)}: {escape(terms)}</p>')
    return '</main>\n<footer class="site">' + "".join(lines) + "</footer>\n</body>\n</html>\n"


def index_page(lang: str, drawn: Sequence[Drawn], info: dict, page_names: Mapping[str, str]) -> str:
    """Every chart of the release in one language, by dashboard page."""
    title = _("Charts of dataset version {version}").format(version=info["dataset_version"])
    other = next(o for o in LANGS if o != lang)
    this_release = _("This release")
    parts = [
        _head(title, lang, 1, script=False),
        f'<header class="site"><a href="../index.html">{escape(this_release)}</a>',
        f'<a href="../{other}/index.html" hreflang="{other}" lang="{other}">{escape(i18n.LANGUAGES[other])}</a>',
        f"</header>\n<main>\n<h1>{escape(title)}</h1>\n",
    ]
    by_page: dict[str, list[Drawn]] = {}
    for one in drawn:
        by_page.setdefault(one.chart.page, []).append(one)
    for page, items in by_page.items():
        parts.append(f"<h2>{escape(_(page_names.get(page, page)))}</h2>\n<ul>")
        parts += [f'<li><a href="{d.chart.id}.html">{escape(d.title)}</a></li>' for d in items]
        parts.append("</ul>\n")
    parts.append(_footer(info))
    return "".join(parts)


def _both(message: str, **values: object) -> str:
    """``message`` in English, then in Urdu on its own line (the release's front page serves readers of both)."""
    english, urdu = (escape(i18n.gettext(message, lang).format(**values)) for lang in ("en", "ur"))
    return f'{english}<br><span lang="ur" dir="rtl">{urdu}</span>'


def root_page(info: dict, drawn: Mapping[str, Sequence[Drawn]]) -> str:
    """The release's front page, in English and Urdu line by line: the charts of each language, the release
    files, the feed and the list of versions."""
    version = info["dataset_version"]
    title = N_("Dataset version {version}")
    files = [
        ("en/index.html", escape("Charts (English)")),
        ("ur/index.html", '<span lang="ur" dir="rtl">چارٹ (اردو)</span>'),
        ("feed.atom", _both(N_("What changed, release by release (Atom feed)"))),
        ("versions.json", _both(N_("Every release (JSON)"))),
        (f"../../releases/{version}/datapackage.json", _both(N_("Data package of this release"))),
        (f"../../releases/dataset-{version}.zip", _both(N_("The whole release (zip)"))),
    ]
    summary = N_("{n} charts, each with its table, CSV, JSON, images and embed page.")
    both_titles = " · ".join(i18n.gettext(title, lang).format(version=version) for lang in ("en", "ur"))
    return (
        _head(both_titles, "en", 0, script=False)
        + f"<main>\n<h1>{_both(title, version=version)}</h1>\n"
        + f"<p>{_both(summary, n=len(drawn.get('en', [])))}</p>\n"
        + "<ul>"
        + "".join(f'<li><a href="{escape(h)}">{text}</a></li>' for h, text in files)
        + f'</ul>\n<p class="muted">{escape(site_url())}/{LATEST}/</p>\n'
        + _footer(info, both=True)
    )
