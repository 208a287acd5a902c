"""About the data: sources and licences, method, what each figure means, what was refused, and the version."""

import pandas as pd
import streamlit as st

from dashboard import blocks, live, queries
from dashboard.i18n import _

st.title(_("About the data"))
info = blocks.dataset()
st.markdown(
    _(
        "Dataset version **{version}**, built {built} UTC. "
        "The version is derived from the content: the same inputs always give the same version."
    ).format(version=info["dataset_version"], built=blocks.built_at(info))
)
st.code(blocks.citation_line(_("Figures from this dashboard")), language=None, wrap_lines=True)

st.header(_("Sources"))
sources = queries.sources()
st.dataframe(sources, hide_index=True, column_config={"url": st.column_config.LinkColumn("url")})
st.caption(
    _(
        "rows read = rows loaded + rows quarantined, for every file. Files marked with no table are kept for "
        "provenance: the curated tables point back to them line by line."
    )
)

st.header(_("Coverage of each series"), anchor="coverage")
st.markdown(
    _(
        "For each series: the first and latest period with a figure, how often its publisher reports, the periods "
        "the publisher reported that this dataset has no figure for (by name), when the next report is due, and how "
        "its rows are cited: to the **publisher**'s own document, to a mainstream **press** report of it, or to a "
        "**repost** (an aggregator or blog, kept only where no better copy was found)."
    )
)
st.dataframe(
    queries.coverage(),
    hide_index=True,
    column_config={"cadence_citation_url": st.column_config.LinkColumn("cadence_citation_url")},
)

st.header(_("Figures the sources restated"), anchor="restatements")
restated = queries.restatements()
if restated.empty:
    st.caption(_("No source has restated a figure loaded here."))
else:
    st.markdown(
        _(
            "When a source republishes a figure (a final annual report replacing a year-end press release, say), "
            "the charts and cards use the latest document; the earlier value is kept here with its document and date."
        )
    )
    st.dataframe(
        restated,
        hide_index=True,
        column_config={
            "citation_url": st.column_config.LinkColumn("citation_url"),
            "current_citation_url": st.column_config.LinkColumn("current_citation_url"),
        },
    )

st.header(_("Method"))
st.markdown(
    _("""
1. **Sources as published.** Google's CSVs are kept verbatim; figures from PTA, Meta, X, TikTok, PIPS, PICSS and SATP
   were collected from the reports and press coverage cited on each row, and kept verbatim too.
2. **Cleaned, not changed.** Curated tables give each figure an explicit date, how precisely that date is known
   (a row whose year is unknown stays undated), whether it is a running total or a flow, whether it is approximate,
   and the address of its document. Each curated row names the line of the collected file it comes from.
3. **Checked.** Every row is validated against its table's contract (types, allowed values, ranges, cross-column
   rules such as *blocked ≤ processed*). Values that look like personal identifiers are refused. A refused row is
   quarantined with its file, line, column and rule, and counted.
4. **Published atomically.** The dataset is built into a new file and swapped in only when complete; the
   dashboard reads only that file and notices a new one without a restart.
5. **Never added across sources.** Sources that measure different things (PTA's URLs and platforms' requests;
   PIPS's and PICSS's counts) are shown side by side. Running totals are never differenced into flows.
""")
)

st.header(_("What each figure means"))
rows = []
for resource in live.datapackage(info["dataset_version"])["resources"]:  # the published schema, from the contracts
    for field in resource["schema"]["fields"]:
        rows.append(
            {
                _("table"): resource["name"],
                _("column"): field["name"],
                _("type"): field["type"],
                _("meaning"): _(field["description"]),
            }
        )
st.dataframe(pd.DataFrame(rows), hide_index=True)

st.header(_("Categories and their legal basis"))
st.dataframe(queries.category_options(), hide_index=True)

st.header(_("What was refused"))
quarantine = queries.quarantine()
if quarantine.empty:
    st.success(_("The last build refused no row: every row of every source passed its contract."))
else:
    st.dataframe(quarantine, hide_index=True)
