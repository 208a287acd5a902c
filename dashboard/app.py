"""Entry point: page frame, navigation and the dataset notice shared by every page."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `streamlit run dashboard/app.py` from anywhere

import streamlit as st  # noqa: E402

from dashboard import blocks, db, embed, live, protocol, queries, turns  # noqa: E402
from dashboard.i18n import _  # noqa: E402

protocol.install()  # refuse client messages the app never needs (already done by `python -m dashboard.serve`)

blocks.language()  # ?lang=ur or ?lang=en, from the link: this run's language, before any text is made
st.set_page_config(
    page_title=_("Pakistan takedowns and militancy: transparency dashboard"),
    layout="wide",
    page_icon=str(Path(__file__).parent / "assets" / "icon.png"),
)

PAGES = [
    st.Page(
        "app_pages/overview.py", title=_("Overview"), icon=":material/dashboard:", url_path="overview", default=True
    ),
    st.Page("app_pages/requests.py", title=_("Takedown requests"), icon=":material/delete_sweep:", url_path="requests"),
    st.Page(
        "app_pages/responsiveness.py",
        title=_("Platform responsiveness"),
        icon=":material/balance:",
        url_path="responsiveness",
    ),
    st.Page("app_pages/incidents.py", title=_("Incident trends"), icon=":material/timeline:", url_path="incidents"),
    st.Page("app_pages/data.py", title=_("Data and downloads"), icon=":material/download:", url_path="data"),
    st.Page("app_pages/about.py", title=_("About the data"), icon=":material/info:", url_path="about"),
    st.Page("app_pages/briefing.py", title=_("Briefing pack"), icon=":material/description:", url_path="briefing"),
]
embedding = embed.requested()  # /embed?chart=<id>: one chart for an article's iframe, no sidebar or navigation
if embedding:
    blocks.page_style()  # an article's chart in Urdu still runs right to left, with no language selector
else:
    blocks.page_frame()  # language selector; right to left and the Urdu font for Urdu
page = st.navigation(embed.pages(), position="hidden") if embedding else st.navigation(PAGES)

with turns.turn():  # a few page runs at once, the rest wait their turn (dashboard/turns.py)
    try:
        live.pin()  # this run reads the file LATEST names now, through the caches (dashboard/live.py)
    except db.NoDataset as exc:
        st.error(str(exc))
        st.stop()

    if embedding:
        page.run()
        st.stop()
    info = blocks.dataset()
    st.sidebar.caption(
        _(
            "Dataset version **{version}**, built {built} UTC. Figures are published aggregates; every chart lists its sources."
        ).format(version=info["dataset_version"], built=blocks.built_at(info))
    )
    if queries.case_info()["synthetic"].any():
        st.sidebar.error(
            blocks.synthetic_label()
            + ": "
            + _("this dataset includes a generated case log, shown on the Platform responsiveness page."),
            icon=":material/science:",
        )
    if queries.event_datasets()["synthetic"].any():
        st.sidebar.error(
            blocks.synthetic_label()
            + ": "
            + _(
                "this dataset includes generated event files (ACLED, UCDP GED or GTD layout), shown on the Incident trends page."
            ),
            icon=":material/science:",
        )
    page.run()
