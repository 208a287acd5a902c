"""Data and downloads: the whole release, each table, the data dictionary, the changelog, how to cite."""

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import blocks, db, filters, i18n, live, queries
from dashboard.i18n import _

info = blocks.dataset()
version = info["dataset_version"]
st.title(_("Data and downloads"))
st.markdown(
    _(
        "Everything on this site, as files: dataset version **{version}**, built {built} UTC. Each release is a "
        "Frictionless Data Package: one CSV (opens in Excel) and one Parquet (exact values) per table, "
        "`datapackage.json` with every column's meaning, type and constraints, a README, and SHA-256 checksums."
    ).format(version=version, built=blocks.built_at(info))
)
st.subheader(_("How to cite"))
st.code(blocks.citation_line(_("Takedown requests and militant violence in Pakistan")), language=None, wrap_lines=True)

folder = db.release_folder() / version
archive = db.release_folder() / f"dataset-{version}.zip"
if not archive.exists():
    st.warning(_("The files of this release have not been written yet (run `python -m etl export`)."))
    st.stop()


def read(path: Path):
    return lambda: path.read_bytes()  # read when the button is pressed, not on every page run


st.download_button(
    _("Download the whole release (zip, {size} MB)").format(size=i18n.num(archive.stat().st_size / 1e6, 1)),
    read(archive),
    file_name=archive.name,
    mime="application/zip",
    key="release-zip",
    on_click="ignore",
    icon=":material/folder_zip:",
    type="primary",
)

package = live.datapackage(version)
resources = {r["name"]: r for r in package["resources"]}
st.subheader(_("One table"))
table = filters.choose_one(
    _("Table"), list(resources), key="table", sidebar=False, default="platform_reported_requests"
)
filters.show_link_notice()  # after the one filter of this page, so it can name it
resource = resources[table]
st.markdown(_(resource["description"]))
left, right = st.columns(2)
csv_path, parquet_path = folder / resource["path"], folder / resource["x-parquet"]["path"]
left.download_button(
    f"{table}.csv",
    read(csv_path),
    file_name=f"{table}_{version}.csv",
    mime="text/csv",
    key="table-csv",
    on_click="ignore",
    icon=":material/download:",
)
right.download_button(
    f"{table}.parquet",
    read(parquet_path),
    file_name=f"{table}_{version}.parquet",
    mime="application/vnd.apache.parquet",
    key="table-parquet",
    on_click="ignore",
    icon=":material/download:",
)
st.caption(_("CSV SHA-256 {checksum}").format(checksum=resource["hash"].removeprefix("sha256:")))

st.subheader(_("Data dictionary"))
fields = pd.DataFrame(
    [
        {
            _("column"): f["name"],
            _("type"): f["type"],
            _("meaning"): _(f["description"]) if f.get("description") else "",
            _("constraints"): ", ".join(f"{k} {v}" for k, v in f.get("constraints", {}).items()),
        }
        for f in resource["schema"]["fields"]
    ]
)
st.dataframe(fields, hide_index=True, key="dictionary")
keys = resource["schema"].get("primaryKey")
if keys:
    st.caption(_("Primary key: ") + ", ".join(keys if isinstance(keys, list) else [keys]))

st.subheader(_("Sources and licences"))
sources = queries.sources()
st.dataframe(
    sources[sources["loaded_into"].notna()][
        ["source_id", "publisher", "title", "url", "licence", "retrieved", "sha256"]
    ],
    hide_index=True,
    key="sources",
    column_config={"url": st.column_config.LinkColumn("url")},
)

st.subheader(_("Corrections"), anchor="corrections")
st.markdown(
    _(
        "Every correction this project has made to its figures, dates or words, newest first: what changed, why, "
        "and the release that first carries it. The log is the `corrections` table of each release."
    )
)
corrections = queries.corrections()
if corrections.empty:
    st.caption(_("No corrections so far."))
source_word = _("the document")
for row in corrections.itertuples():
    evidence = f" ({blocks.md_link(source_word, row.evidence_url)})" if isinstance(row.evidence_url, str) else ""
    st.markdown(
        "- "
        + _("**{date}**: {what} Why: {why}{evidence} First in release {version}.").format(
            date=i18n.day(row.corrected_on),
            what=blocks.md_escape(row.what_changed),
            why=blocks.md_escape(row.why),
            evidence=evidence,
            version=row.release_version,
        )
    )

st.subheader(_("Changelog"))
changes = queries.release_changes()
if changes.empty:
    st.caption(_("This is the first release published here: there is nothing earlier to compare with."))
else:
    st.markdown(
        _(
            "Rows added, removed and **revised** (same key, new figure: an official figure corrected) "
            "in each fact table since release {previous}."
        ).format(previous=changes["previous_version"].iloc[0])
    )
    st.dataframe(changes, hide_index=True, key="changes")
    revisions = queries.release_revisions()
    if not revisions.empty:
        st.markdown(_("Revised figures, the previous value beside the new one:"))
        st.dataframe(revisions, hide_index=True, key="revisions")
older = [v for v in db.releases() if v != version]
if older:
    st.markdown(_("Earlier releases kept here, unchanged, for citations that name them:"))
    for old in older:
        path = db.release_folder() / f"dataset-{old}.zip"
        st.download_button(
            _("Release {version}").format(version=old),
            read(path),
            file_name=path.name,
            mime="application/zip",
            key=f"release-{old}",
            on_click="ignore",
        )

st.subheader(_("What the last build refused"))
quarantine = queries.quarantine()
if quarantine.empty:
    st.success(_("Nothing: every row of every source passed its contract."))
else:
    st.dataframe(quarantine, hide_index=True, key="quarantine")
