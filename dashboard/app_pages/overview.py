"""Overview: the latest figures at a glance, what they mean, and what this release holds."""

import pandas as pd
import streamlit as st

from dashboard import blocks, i18n, queries, registry
from dashboard.blocks import figure_value, md_escape, md_link
from dashboard.i18n import _

st.title(_("Takedowns and militant violence in Pakistan"))
st.markdown(
    _(
        "How much the state asks platforms to remove and on what grounds, how platforms say they respond, "
        "and how militant violence is trending, from published figures, each with its source. "
        "Regulator figures and platform figures measure different things and are shown side by side, never added."
    )
)
first, last = queries.year_bounds()


def signed(change: float) -> str:
    return ("+" if change > 0 else "") + i18n.num(change)


#: The figures on the cards, as a table to download: each with its period, qualifier and the row it comes from.
headline: list[dict] = []


def keep(figure: str, period: str, value, qualifier, row: pd.Series, definition: str = "") -> None:
    """One headline figure as printed (a rounded or lower-bound value keeps its qualifier and is never computed
    with), with the source row it comes from. A figure the row does not report is left out."""
    if value is None or pd.isna(value):
        return
    headline.append(
        {
            "figure": figure,
            "period": period,
            "value": value,
            "qualifier": qualifier if isinstance(qualifier, str) else "exact",
            "as_shown": i18n.qualified(value, qualifier),
            "definition": definition,
            "source_id": row.get("source_id"),
            "source_line": row.get("source_line"),
            "citation_url": row.get("citation_url"),
        }
    )


st.header(_("Latest figures"))
google = queries.google_totals(["PK"], first, last)
pta = queries.pta_by_platform([], first, last)
pta_total = pta[pta["platform_id"].isna() & pta["as_of"].notna()]
pips = queries.incidents_national(["PIPS"], first, last)
picss = queries.incidents_national(["PICSS"], first, last)

cards = st.columns(4)
if len(google) >= 2:
    latest, previous = google.iloc[-1], google.iloc[-2]
    cards[0].metric(
        _("Removal requests to Google, {period}").format(period=latest["period"]),
        figure_value(latest["requests"]),
        delta=_("{change} vs {period}").format(
            change=signed(latest["requests"] - previous["requests"]), period=previous["period"]
        ),
        delta_color="off",
        help=_("Google Transparency Report: requests from Pakistani authorities and courts in the half-year."),
    )
    keep(_("Removal requests to Google"), latest["period"], latest["requests"], latest["requests_qualifier"], latest)
    keep(
        _("Items named in them"),
        latest["period"],
        latest["items_requested"],
        latest["items_requested_qualifier"],
        latest,
    )
    cards[0].caption(
        _("{items} items named. Source: Google Transparency Report.").format(
            items=figure_value(latest["items_requested"])
        )
    )
if len(pta_total) >= 2:
    latest, previous = pta_total.iloc[-1], pta_total.iloc[-2]
    exact = latest["value_kind"] == "exact" and previous["value_kind"] == "exact"
    cards[1].metric(
        _("URLs blocked by PTA, cumulative to {date}").format(date=md_escape(latest["date_label"])),
        i18n.qualified(latest["urls_blocked"], latest["value_kind"]),
        # A difference is shown only between two exact figures: never from a rounded or lower-bound one.
        delta=_("{change} since {date}").format(
            change=signed(latest["urls_blocked"] - previous["urls_blocked"]), date=md_escape(previous["date_label"])
        )
        if exact
        else None,
        delta_color="off",
        help=_(
            "Pakistan Telecommunication Authority, total since it began keeping records; "
            "the difference between two reports is not a monthly flow."
        ),
    )
    keep(
        _("URLs blocked by PTA, cumulative"), latest["date_label"], latest["urls_blocked"], latest["value_kind"], latest
    )
    cards[1].caption(
        _("Source: PTA, as reported ({link}).").format(link=md_link(_("document"), latest["citation_url"]))
        + (
            ""
            if exact
            else " " + _("No change is computed: the source gives this total only approximately or as a lower bound.")
        )
    )
# One series per card: the latest year of that source's definition, compared only with its own previous year.
for card, org, definition_id in ((cards[2], "PIPS", "terrorist_attacks"), (cards[3], "PICSS", "militant_attacks")):
    frame = pips if org == "PIPS" else picss
    yearly = frame[  # a row a later document restated in part keeps only what it was not superseded on
        (frame["date_precision"] == "year") & (frame["definition_id"] == definition_id) & frame["attacks"].notna()
    ]
    if len(yearly) >= 1:
        latest = yearly.iloc[-1]
        previous = yearly.iloc[-2] if len(yearly) >= 2 else None
        delta = None
        if (
            previous is not None
            and pd.isna(latest["attacks_qualifier"])
            and pd.isna(previous["attacks_qualifier"])
            and pd.notna(latest["attacks"])
            and pd.notna(previous["attacks"])
        ):
            delta = _("{change} vs {period}").format(
                change=signed(latest["attacks"] - previous["attacks"]), period=previous["period"]
            )
        card.metric(
            _("{org}: {definition}, {period}").format(
                org=org, definition=latest["definition"], period=latest["period"]
            ),
            i18n.qualified(latest["attacks"], latest["attacks_qualifier"]),
            delta=delta,
            delta_color="off",
            help=_("{org} counts: {definition} (as printed).").format(
                org=org, definition="“" + md_escape(latest["definition_as_printed"]) + "”"
            ),
        )
        for measure, label in (("attacks", _("{org}: attacks")), ("killed_total", _("{org}: killed"))):
            keep(
                label.format(org=org),
                latest["period"],
                latest[measure],
                latest[f"{measure}_qualifier"],
                latest,
                latest["definition_as_printed"],
            )
        card.caption(
            _("{killed} killed. {org} counts: {definition} (as printed; {link}).").format(
                killed=i18n.qualified(latest["killed_total"], latest["killed_total_qualifier"]),
                org=org,
                definition="“" + md_escape(latest["definition_as_printed"]) + "”",
                link=md_link(_("report"), latest["citation_url"]),
            )
        )

if headline:
    table = pd.DataFrame(headline).astype({"source_line": "Int64"})
    sources = queries.sources().set_index("source_id")
    ids = [i for i in table["source_id"].dropna().unique() if i in sources.index]
    file_name, write_csv = blocks.csv_download(
        "headline_figures",
        _("Latest figures"),
        table,
        blocks.dataset(),
        sorted(set(sources.loc[ids, "publisher"])),
        sorted(set(sources.loc[ids, "licence"])),
        False,
    )
    with st.expander(_("These figures as a table")):
        st.caption(
            _(
                "Each figure with its period, whether the source gave it exactly, approximately or as a lower bound, "
                "and the source row and document it comes from."
            )
        )
        st.dataframe(table, hide_index=True, key="headline-table")
    st.download_button(
        _("Download the latest figures (CSV)"),
        write_csv,
        file_name=file_name,
        mime="text/csv",
        key="csv-headline",
        on_click="ignore",
        icon=":material/download:",
    )

st.header(_("The last ten years of each figure"))
st.caption(
    _(
        "One chart per figure above, each one series of one source, with its table and a CSV download. "
        "The charts are not drawn on one scale and are not to be added together."
    )
)
overview = registry.overview_choice(last)
for chart in registry.CHARTS.values():
    if chart.page == "overview":
        blocks.draw(chart, overview)

st.header(_("What the words mean"))
st.markdown(
    _("""
- **Request**: one demand from an authority or court to a platform; it can name many items.
- **Item**: one URL, post, video or account named in a request.
- **Blocked** (PTA): a URL made unreachable in Pakistan, by the network or by the platform at PTA's request.
- **Complied / removed**: the share a platform says it acted on. Google counted *requests* before 2019 and
  *items* since; the two are not comparable.
- **Cumulative snapshot**: a total since records began, as of a date (most PTA figures); **flow**: what happened
  within a period. The difference between two snapshots is not a flow, because figures get revised.
- **Attack / incident**: PIPS counts terrorist attacks; PICSS publishes two series, militant attacks and all
  combat-related violence including security-force operations; SATP counts terrorism-related incidents. Each
  series is shown on its own, never added to or compared with another.
""")
)

st.header(_("This release"))
info = blocks.dataset()
st.markdown(
    _("Dataset version **{version}**, built {built} UTC from the files listed on *About the data*.").format(
        version=info["dataset_version"], built=blocks.built_at(info)
    )
)
changes = queries.release_changes()
if changes.empty:
    st.caption(_("This is the first release published in this location, so there is no earlier one to compare with."))
else:
    previous = changes["previous_version"].iloc[0]
    if previous == info["dataset_version"] or not changes[["rows_added", "rows_removed", "rows_revised"]].any(
        axis=None
    ):
        st.markdown(_("No figure changed since the previous release ({previous}).").format(previous=previous))
    else:
        st.markdown(
            _(
                "Changes since the previous release (**{previous}**): rows added, removed, and *revised* "
                "(same figure, new value, as when an official figure is corrected)."
            ).format(previous=previous)
        )
        st.dataframe(changes, hide_index=True)
st.dataframe({_("table"): list(info["tables"]), _("rows"): list(info["tables"].values())}, hide_index=True)
