"""The frame around every chart: chart and table tabs, CSV download, source note, citation line."""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import pickle
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, filters, i18n, live, queries, registry, reports, summaries
from dashboard.filters import LINK_SETTINGS
from dashboard.i18n import N_, _
from dashboard.markdown import md_escape, md_link
from dashboard.site import urls as site_urls
from dataset.location import published_dir
from dataset.safe_csv import to_csv_bytes

SYNTHETIC_LABEL = N_("ILLUSTRATIVE (SYNTHETIC) DATA: generated for demonstration, not real figures")
FONT_FILE = Path(__file__).parent / "assets" / "fonts" / "NotoNaskhArabic-Regular.ttf"


def synthetic_label() -> str:
    return _(SYNTHETIC_LABEL)


def language() -> str:
    """This run's language, from the link (``?lang=ur``) or the selector; set before any text is made."""
    chosen = st.session_state.get("lang") or st.query_params.get("lang")
    return i18n.set_language(chosen)


def page_style() -> None:
    """For Urdu the right-to-left layout and the shipped Urdu font; contrast fixes in both languages."""
    st.html(f"<style>{_style(i18n.is_rtl())}</style>")


def page_frame() -> None:
    """The language selector and the page style. The link keeps ``?lang=ur`` on every run (English, the default,
    needs none): a selector bound to the link would write its label ("اردو") there and drop ``ur``, so a copied
    address or a reload would open the page in English."""
    st.session_state.setdefault("lang", i18n.current())  # the selector starts at the link's language
    st.sidebar.segmented_control(
        "Language / زبان",
        list(i18n.LANGUAGES),
        format_func=lambda code: i18n.LANGUAGES[code],
        key="lang",
        required=True,
    )
    if i18n.current() != i18n.DEFAULT:
        if st.query_params.get("lang") != i18n.current():
            st.query_params["lang"] = i18n.current()
    elif "lang" in st.query_params:
        del st.query_params["lang"]
    page_style()


@cache
def _style(rtl: bool) -> str:
    """CSS: the Urdu font from the app itself (a data: URL, nothing fetched) and, for Urdu, right to left."""
    font = base64.b64encode(FONT_FILE.read_bytes()).decode("ascii")
    css = (
        "@font-face{font-family:'Noto Naskh Arabic';src:url(data:font/ttf;base64," + font + ") format('truetype');"
        "font-display:swap;}"
    )
    # WCAG AA contrast: the theme's faded caption grey (about 3.8:1) darkened to 7:1
    css += (
        "[data-testid='stCaptionContainer'],[data-testid='stCaptionContainer'] *,"
        "[data-testid='stSidebarNavLink'] [data-testid='stIconMaterial']{color:#4a4a4a !important;opacity:1 !important;}"
    )
    if rtl:
        css += (
            "[data-testid='stMain'],[data-testid='stSidebarContent']{direction:rtl;}"
            "[data-testid='stAppViewContainer'] :not([data-testid='stIconMaterial']),"
            "[data-testid='stSidebar'] :not([data-testid='stIconMaterial']){font-family:'Noto Naskh Arabic',"
            "'Source Sans Pro',sans-serif;}"
            "[data-testid='stAppViewContainer'] p,[data-testid='stAppViewContainer'] li{line-height:1.9;}"
            ".js-plotly-plot,.stPlotlyChart,[data-testid='stDataFrame'],code,pre{direction:ltr;}"
        )
    return css


def dataset() -> dict:
    return live.build_info()


def built_at(info: dict) -> str:
    """When the dataset was built, as the locale writes it (UTC)."""
    return f"{i18n.day(info['built_at'])}, {info['built_at']:%H:%M}"


def citation_line(title: str) -> str:
    info = dataset()
    return _(
        "{title}. Pakistan takedown and militancy transparency dashboard, dataset version {version} "
        "(built {built}). Sources as listed."
    ).format(title=title, version=info["dataset_version"], built=f"{info['built_at']:%Y-%m-%d}")


def share_link() -> str:
    """A link that reopens this page with its current filters; nothing else a link carried is repeated."""
    base = (st.context.url or "").split("?")[0]
    params = [(k, v) for k in st.query_params if k in LINK_SETTINGS for v in _link_values(k)]
    return base + ("?" + urlencode(params) if params else "")


def _link_values(key: str) -> Sequence[str | None]:
    """A link setting's values as the page used them. Filters drop values they cannot take; the two settings
    read without a widget are checked here: the language, and the embedded chart (the one drawn, the last)."""
    if key == "lang":
        return [v for v in st.query_params.get_all(key) if v in i18n.LANGUAGES][-1:]
    if key == "chart":
        return [st.query_params.get(key)]
    ids = filters.link_ids(key)  # a filter of this page: its ids, whatever labels an older link gave
    if ids is not None:
        return ids
    return st.query_params.get_all(key)


def cache_key(*values) -> bytes:
    """A short digest of exact content (tables included: values, dtypes, index), for a cache key.

    Streamlit's own argument hashing took 3–9 ms per DataFrame even for a few dozen rows, a tenth of a page's
    CPU under load; pickled bytes carry the same content and are made in a fraction of a millisecond. Equal
    inputs that happen to pickle differently only cost a second build, never a wrong chart.
    """
    return hashlib.blake2b(pickle.dumps(values, protocol=5), digest_size=16).digest()


@st.cache_data(max_entries=512, show_spinner=False)
def _spec_in(key: bytes, _builder, _lang: str, _args: tuple, _kwargs: dict) -> dict:
    i18n.set_language(_lang)
    return charts.validated(_builder(*_args, **_kwargs).spec())  # plotly's full check, once per cache fill


def cached(builder, *args, **kwargs) -> go.Figure:
    """A chart built once per distinct input and language, kept as its spec.

    Kept compact: Streamlit stores the spec pickled (a few KB a chart; the maps name their polygons rather
    than holding a copy), so that the cache's full size stays a small part of the server's memory. The spec
    passes plotly's full validation once, when it is built into the cache (a few ms; a bad spec fails there);
    each draw then makes it a Figure without validating it again.
    """
    lang = i18n.current()
    key = cache_key(f"{builder.__module__}.{builder.__qualname__}", lang, args, kwargs)
    return charts.as_figure(_spec_in(key, builder, lang, args, kwargs), live.province_geojson)


def figure_of(chart: registry.ChartDef, choice: registry.Choice) -> tuple[go.Figure, pd.DataFrame]:
    """A registered chart for ``choice``: its figure and its table, as ``registry.render`` makes them, the figure
    built through the chart cache."""
    plot, table = registry.plotted(chart, choice)
    return cached(plot.builder, *plot.args, **plot.kwargs), table


def draw(chart: registry.ChartDef, choice: registry.Choice) -> pd.DataFrame:
    """A registered chart's block on its page (``chart_block``); returns its table for what the page says next."""
    figure, table = figure_of(chart, choice)
    summary = chart.summary(choice) if chart.summary else None
    chart_block(
        chart.id,
        chart.heading(choice, table),
        figure,
        table,
        caption=chart.caption_text(choice, table),
        events=choice.events if chart.marks_events else None,
        summary=summary,
        gaps=chart.gaps(choice) if chart.gaps else None,
    )
    return table


def _sources_for(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The cited documents behind a table: one row per citation URL with its publisher."""
    columns = [c for c in table.columns if c.endswith("citation_url")]
    urls = (
        pd.unique(pd.concat([table[c] for c in columns]).dropna().astype(str).str.split(" ").explode())
        if columns
        else []
    )
    ids = (
        pd.unique(pd.concat([table[c] for c in table.columns if c.endswith("source_id")]).dropna())
        if any(c.endswith("source_id") for c in table.columns)
        else []
    )
    catalogue = queries.sources().set_index("source_id")
    publishers = sorted({catalogue.loc[i, "publisher"] for i in ids if i in catalogue.index})
    licences = sorted({catalogue.loc[i, "licence"] for i in ids if i in catalogue.index})
    return pd.DataFrame({"url": list(urls)}), publishers, licences


@st.cache_data(max_entries=1024, show_spinner=False)
def _notes_for(key: bytes, _table: pd.DataFrame, _summary: summaries.Summary | None, _lang: str):
    i18n.set_language(_lang)
    words = summaries.describe(_table, _summary) if _summary is not None else None
    synthetic = "synthetic" in _table and bool(_table["synthetic"].fillna(False).astype(bool).any())
    return words, _sources_for(_table), synthetic


def _table_notes(table: pd.DataFrame, summary: summaries.Summary | None, version: str):
    """What a block says about its table, made once per table, language and dataset: the chart in words,
    the cited documents with their publishers and licences, and whether any row is synthetic."""
    lang = i18n.current()
    return _notes_for(cache_key(table, summary, lang, version), table, summary, lang)


def csv_download(
    chart_id: str,
    title: str,
    table: pd.DataFrame,
    info: dict,
    publishers: list[str],
    licences: list[str],
    synthetic: bool,
) -> tuple[str, functools.partial]:
    """A chart's CSV download: its file name, and the call that writes the file (safe CSV, comment lines
    first: the synthetic label when it applies, title, sources, licences, dataset version)."""
    comments = [synthetic_label()] if synthetic else []
    comments += [
        f"{title}",
        _("Source: {publishers}").format(publishers="; ".join(publishers) or _("see source columns")),
        _("Licence / terms: {licences}").format(licences="; ".join(licences) or _("see the sources table")),
        _("Dataset version {version}, built {built} UTC").format(
            version=info["dataset_version"], built=f"{info['built_at']:%Y-%m-%d %H:%M}"
        ),
    ]
    file_name = f"{'illustrative-synthetic_' if synthetic else ''}{chart_id}_{info['dataset_version']}.csv"
    return file_name, functools.partial(to_csv_bytes, table, comments)


def gap_note(gaps: pd.DataFrame) -> str:
    """'No figure found for: Meta 2014 H1, 2014 H2; TikTok 2019 H1 …' from ``queries.missing_periods``."""
    parts = [
        "{series}: {periods}".format(series=md_escape(series), periods=", ".join(rows["period_label"]))
        for series, rows in gaps.groupby("series", sort=False)
    ]
    return _(
        "Periods the publisher reported but this dataset has no figure for, so they are not drawn: {parts}. "
        "See *About the data* for the coverage of every series."
    ).format(parts="; ".join(parts))


def chart_block(
    chart_id: str,
    title: str,
    figure: go.Figure,
    table: pd.DataFrame,
    *,
    caption: str | None = None,
    events: pd.DataFrame | None = None,
    summary: summaries.Summary | None = None,
    gaps: pd.DataFrame | None = None,
) -> None:
    """Chart and its table (the plotted numbers), a safe CSV of them, and the sources they come from.

    ``gaps`` (from ``queries.missing_periods``) names the periods its series' publishers reported that the
    dataset has no figure for: the chart says so where it is drawn.
    """
    info = dataset()
    words, (urls, publishers, licences), synthetic = _table_notes(table, summary, info["dataset_version"])
    st.subheader(title, anchor=chart_id)
    if words is not None:  # the chart in words, before the plot, for screen readers and quick reading
        in_words = _("In words:")
        st.markdown(f"**{in_words}** {md_escape(words)}")
    if caption:
        st.caption(caption)
    if gaps is not None and not gaps.empty:
        st.caption(":material/warning: " + gap_note(gaps))
    chart_tab, table_tab = st.tabs([_("Chart"), _("Table")])
    with chart_tab:
        st.plotly_chart(
            figure,
            key=f"chart-{chart_id}",
            config={
                "displaylogo": False,
                "toImageButtonOptions": {"filename": f"{chart_id}_{info['dataset_version']}", "scale": 2},
            },
        )
    with table_tab:
        st.dataframe(table, hide_index=True, key=f"table-{chart_id}")
    file_name, write_csv = csv_download(chart_id, title, table, info, publishers, licences, synthetic)
    st.download_button(
        _("Download these figures (CSV)"),
        write_csv,  # called when the reader clicks, not on every page run
        file_name=file_name,
        mime="text/csv",
        key=f"csv-{chart_id}",
        on_click="ignore",
        icon=":material/download:",
    )
    if len(urls):
        links = " · ".join(md_link(_short(u), u) for u in urls["url"][:12])
        more = _(" and {n} more (see the table)").format(n=i18n.num(len(urls) - 12)) if len(urls) > 12 else ""
        st.caption(
            _("Sources: {publishers}. Documents: {links}{more}.").format(
                publishers=md_escape("; ".join(publishers)), links=links, more=more
            )
        )
    elif publishers:
        st.caption(_("Source: {publishers} (see About the data).").format(publishers=md_escape("; ".join(publishers))))
    with st.expander(_("Cite this chart")):
        st.code(
            _(
                "{title}. Source: {publishers}. Pakistan takedowns and militancy transparency dashboard, "
                "dataset version {version}, retrieved {retrieved}. {link}"
            ).format(
                title=title,
                publishers="; ".join(publishers) or _("see the table"),
                version=info["dataset_version"],
                retrieved=i18n.day(pd.Timestamp.now(tz="UTC")),
                link=f"{share_link()}#{chart_id}",
            ),
            language=None,
            wrap_lines=True,
        )
    static_copies(chart_id, info["dataset_version"], title)
    report_control(chart_id, title, info["dataset_version"])
    if events is not None and not events.empty:
        with st.expander(_("Events marked on this chart, with their sources")):
            for event in events.itertuples():
                st.markdown(
                    f"- {i18n.day(event.event_date)}: {md_escape(event.title)} "
                    f"({md_link(_short(event.source_url), event.source_url)})"
                )


@cache
def _report_queue(path: str, limit_bytes: int) -> reports.Queue:
    return reports.Queue(Path(path), limit_bytes)


def report_control(chart_id: str, title: str, version: str) -> None:
    """ "Report an error or send a figure": a small form that writes to the deployment's queue file, or a link
    to a prefilled e-mail or issue (``DASHBOARD_REPORTS``, dashboard/reports.py)."""
    where = reports.setting()
    if where.mode == "off":
        return
    link = f"{share_link()}#{chart_id}"
    with st.popover(_("Report an error or send a figure"), icon=":material/flag:"):
        st.caption(
            _(
                "Tell us what is wrong in this chart or its table, or send a figure with where it is published. "
                "Please do not include personal details: only what you type here is kept."
            )
        )
        if where.mode != "queue":
            body = _(
                "Chart: {title}\nDataset version: {version}\nView: {link}\n\nWhat is wrong, or the figure "
                "and where it is published:\n"
            ).format(title=title, version=version, link=link)
            st.link_button(
                _("Write it by e-mail") if where.mode == "mailto" else _("Write it as a public issue"),
                reports.prefilled(where, _("Correction: {title}").format(title=title), body),
                icon=":material/open_in_new:",
            )
            return
        with st.form(key=f"report-{chart_id}", clear_on_submit=True, border=False):
            message = st.text_area(_("What is wrong, or what should be added"), max_chars=reports.MAX_MESSAGE)
            figure = st.text_input(_("The figure and where it is published (optional)"), max_chars=reports.MAX_FIGURE)
            sent = st.form_submit_button(_("Send"), icon=":material/send:")
        if not sent:
            return
        sent_here = st.session_state.get("reports_sent", 0)
        if not reports.clean(message, reports.MAX_MESSAGE):
            st.warning(_("Nothing to send: please describe the error or the figure."))
            return
        if sent_here >= reports.PER_SESSION:
            st.warning(_("Thank you: this page has sent as many reports as it may. Please write to us instead."))
            return
        outcome = _report_queue(where.target, reports.max_bytes()).add(
            reports.report(chart_id, version, i18n.current(), link, message, figure)
        )
        if outcome == "saved":
            st.session_state["reports_sent"] = sent_here + 1
            st.success(
                _("Thank you. Your report is saved for the maintainers; corrections are listed on the Data page.")
            )
        else:
            st.warning(_("Reports cannot be taken right now. Please try again later."))


def static_base() -> str:
    """The public address of the static site: as configured, else ``/site`` on the host the reader came to."""
    configured = os.environ.get(site_urls.SITE_URL_ENV)
    if configured:
        return configured.rstrip("/")
    origin = re.match(r"^https?://[^/?#]+", st.context.url or "")
    return (origin.group(0) if origin else "") + "/site"


def static_copies(chart_id: str, version: str, title: str) -> None:
    """Where the chart is published as static files (when the release's site is built): this version, whose
    address never changes, and the latest release, with the iframe code of each."""
    if chart_id not in registry.CHARTS or not (published_dir() / site_urls.SITE_DIR / version).is_dir():
        return
    lang, base = i18n.current(), static_base()
    title = title.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    with st.expander(_("Share or embed a copy that does not change")):
        for label, folder in (
            (_("This version (never changes):"), version),
            (_("Always the latest release:"), site_urls.LATEST),
        ):
            page = site_urls.chart_url(chart_id, lang, "html", folder, base)
            embed = site_urls.chart_url(chart_id, lang, "embed.html", folder, base)
            st.markdown(f"{md_escape(label)} {md_link(page, page)}")
            st.code(
                f'<iframe src="{embed}" title="{title}" width="100%" height="560" style="border:0" loading="lazy">'
                "</iframe>",
                language="html",
                wrap_lines=True,
            )


def _short(url: str) -> str:
    host = re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
    return host


def figure_value(value, approx: bool = False, qualifier: str | None = None) -> str:
    """A number as the page prints it: thousands separators, ≈ for approximate, the qualifier if suppressed."""
    if qualifier:
        return qualifier
    if value is None or pd.isna(value):
        return _("not reported")
    text = i18n.num(value, 0 if float(value).is_integer() else 1)
    return ("≈ " if approx else "") + text
