"""Briefing pack: choose a period, platforms, provinces and a language; download the brief as HTML or PDF."""

import functools

import pandas as pd
import streamlit as st

from dashboard import briefing, filters, i18n, live, pdf, queries
from dashboard.briefing.words import PROVINCES, province_name
from dashboard.i18n import _
from dashboard.protocol import ReaderMessage

first, last = queries.year_bounds()
year_from, year_to = filters.period(first, last)
platform_options = queries.platform_options()
platforms = filters.choose_many(_("Platforms"), platform_options, "platform_id", "name", key="platforms")

st.title(_("Briefing pack"))
filters.show_link_notice()
st.markdown(
    _(
        "A brief of two to four printed pages for a committee hearing: the key figures with their sources, the "
        "charts that matter with a one-line reading each, where the regulator's and the platforms' figures differ, "
        "caveats and definitions, the dataset version and how to cite it. One HTML file that opens without a "
        "network connection, or a PDF."
    )
)
left, right = st.columns(2)
with left:
    lang = st.segmented_control(
        _("Language of the brief"),
        list(i18n.LANGUAGES),
        default=i18n.current(),
        format_func=lambda code: i18n.LANGUAGES[code],
        key="brief_lang",
        required=True,
    )
with right:
    provinces = st.multiselect(
        _("Provinces"),
        list(PROVINCES),
        default=[],
        format_func=lambda code: _(province_name(code)),
        key="brief_provinces",
        placeholder=_("All provinces"),
    )
chosen = [] if set(platforms) == set(platform_options["platform_id"]) else platforms


@st.cache_data(max_entries=32, show_spinner=False)
def _html(dataset: str, year_from: int, year_to: int, lang: str, platforms: tuple, provinces: tuple) -> str:
    return briefing.build_html(year_from, year_to, lang, platforms, provinces)


@st.cache_data(max_entries=8, show_spinner=False)
def _pdf(html: str) -> bytes:
    return briefing.pdf_bytes(html)


def _pdf_or_busy(html: str, busy: str) -> bytes:
    """The PDF, or the reader is told the printer is busy (one print at a time per server, dashboard/pdf.py)."""
    try:
        return _pdf(html)
    except pdf.PrinterBusy as exc:
        raise ReaderMessage(busy) from exc


html = _html(live.pinned_path(), year_from, year_to, lang, tuple(chosen), tuple(provinces))
version = queries.build_info()["dataset_version"]
st.download_button(
    _("Download the brief (HTML)"),
    html.encode("utf-8"),
    file_name=briefing.file_name(year_from, year_to, lang, version, "html"),
    mime="text/html",
    key="brief_html",
    on_click="ignore",
    icon=":material/download:",
)
if briefing.chromium_available():
    st.download_button(
        _("Download the brief (PDF)"),
        functools.partial(  # printed only when asked for
            _pdf_or_busy, html, _("Other briefs are being printed. Please try again in a minute.")
        ),
        file_name=briefing.file_name(year_from, year_to, lang, version, "pdf"),
        mime="application/pdf",
        key="brief_pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
    )
else:
    st.info(
        _(
            "The PDF is printed by Chromium, which is not installed here. Open the HTML file in any browser and "
            "print it to PDF (A4), or install Chromium on the server (apt-get install chromium) to offer the PDF here."
        ),
        icon=":material/info:",
    )

st.subheader(_("Key figures in this brief"))
contents = briefing.gather(year_from, year_to, chosen, provinces)  # in the page's language
st.dataframe(
    pd.DataFrame(
        {
            _("Figure"): [f.label for f in contents.figures],
            _("Value"): [f.value for f in contents.figures],
            _("Period or date"): [f.when for f in contents.figures],
        }
    ),
    hide_index=True,
)
st.caption(
    _("Dataset version {version}. Also from the command line: {command}").format(
        version=version,
        command=f"python -m dashboard.briefing --from {year_from} --to {year_to} --lang {lang} --out brief.pdf",
    )
)
