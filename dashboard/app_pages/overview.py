"""Overview: the latest figures at a glance, what they mean, and what this release holds."""

import streamlit as st

from dashboard import blocks, queries
from dashboard.blocks import figure_value, md_escape, md_link

st.title("Takedowns and militant violence in Pakistan")
st.markdown(
    "How much the state asks platforms to remove and on what grounds, how platforms say they respond, "
    "and how militant violence is trending, from published figures, each with its source. "
    "Regulator figures and platform figures measure different things and are shown side by side, never added."
)
first, last = queries.year_bounds()

st.header("Latest figures")
google = queries.google_totals(["PK"], first, last)
pta = queries.pta_by_platform([], first, last)
pta_total = pta[pta["platform_id"].isna() & pta["as_of"].notna()]
pips = queries.incidents_national(["PIPS"], first, last)
picss = queries.incidents_national(["PICSS"], first, last)

cards = st.columns(4)
if len(google) >= 2:
    latest, previous = google.iloc[-1], google.iloc[-2]
    cards[0].metric(
        f"Removal requests to Google, {latest['period']}",
        figure_value(latest["requests"]),
        delta=f"{latest['requests'] - previous['requests']:+,.0f} vs {previous['period']}",
        delta_color="off",
        help="Google Transparency Report: requests from Pakistani authorities and courts in the half-year.",
    )
    cards[0].caption(f"{figure_value(latest['items_requested'])} items named. Source: Google Transparency Report.")
if len(pta_total) >= 2:
    latest, previous = pta_total.iloc[-1], pta_total.iloc[-2]
    cards[1].metric(
        f"URLs blocked by PTA, cumulative to {md_escape(latest['date_label'])}",
        figure_value(latest["urls_blocked"], bool(latest["approx"])),
        delta=f"{latest['urls_blocked'] - previous['urls_blocked']:+,.0f} since {md_escape(previous['date_label'])}",
        delta_color="off",
        help="Pakistan Telecommunication Authority, total since it began keeping records; "
        "the difference between two reports is not a monthly flow.",
    )
    cards[1].caption(f"Source: PTA, as reported ({md_link('document', latest['citation_url'])}).")
for card, frame, org in ((cards[2], pips, "PIPS"), (cards[3], picss, "PICSS")):
    yearly = frame[frame["date_precision"] == "year"]
    if len(yearly) >= 1:
        latest = yearly.iloc[-1]
        previous = yearly.iloc[-2] if len(yearly) >= 2 else None
        delta = None
        if previous is not None and latest["definition_id"] == previous["definition_id"]:
            delta = f"{latest['attacks'] - previous['attacks']:+,.0f} vs {previous['period']}"
        card.metric(
            f"{org}: attacks in {latest['period']}",
            figure_value(latest["attacks"]),
            delta=delta,
            delta_color="off",
            help=f"{org} counts {md_escape(latest['definition_as_printed'])}.",
        )
        card.caption(
            f"{figure_value(latest['killed_total'])} killed. {org} counts {md_escape(latest['definition_as_printed'])} "
            f"({md_link('report', latest['citation_url'])})."
        )

st.header("What the words mean")
st.markdown("""
- **Request**: one demand from an authority or court to a platform; it can name many items.
- **Item**: one URL, post, video or account named in a request.
- **Blocked** (PTA): a URL made unreachable in Pakistan, by the network or by the platform at PTA's request.
- **Complied / removed**: the share a platform says it acted on. Google counted *requests* before 2019 and
  *items* since; the two are not comparable.
- **Cumulative snapshot**: a total since records began, as of a date (most PTA figures); **flow**: what happened
  within a period. The difference between two snapshots is not a flow, because figures get revised.
- **Attack / incident**: PIPS counts terrorist attacks; PICSS counts militant attacks, and in some years all
  combat-related incidents including security-force operations. They are shown side by side, never added.
""")

st.header("This release")
info = blocks.dataset()
st.markdown(
    f"Dataset version **{info['dataset_version']}**, built {info['built_at']:%d %B %Y, %H:%M} UTC "
    "from the files listed on *About the data*."
)
changes = queries.release_changes()
if changes.empty:
    st.caption("This is the first release published in this location, so there is no earlier one to compare with.")
else:
    previous = changes["previous_version"].iloc[0]
    if previous == info["dataset_version"] or not changes[["rows_added", "rows_removed", "rows_revised"]].any(
        axis=None
    ):
        st.markdown(f"No figure changed since the previous release ({previous}).")
    else:
        st.markdown(
            f"Changes since the previous release (**{previous}**): rows added, removed, and *revised* "
            "(same figure, new value, as when an official figure is corrected)."
        )
        st.dataframe(changes, hide_index=True)
st.dataframe({"table": list(info["tables"]), "rows": list(info["tables"].values())}, hide_index=True)
