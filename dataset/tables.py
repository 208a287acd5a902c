"""Words the published dataset carries: what the tables the ETL writes itself hold, and the disclosure rule.

The ETL writes these descriptions into each release (datapackage.json, README) and the rule into
``case_log_info.suppression_rule``; the dashboard's catalogue offers them for translation. A page shows the
rule published with the dataset it displays, which may be older than the wording here.
"""

from __future__ import annotations

#: Tables the ETL writes itself (not from a source): table → (description, column → description).
SYSTEM_TABLES = {
    "sources": (
        "Every file the build read or kept for provenance, with licence, checksum and row counts.",
        {
            "source_id": "Identifier used in the source_id column of the fact tables.",
            "file": "File name.",
            "layout": "Source layout (adapter) the file was read with.",
            "loaded_into": "Table its rows went to; empty when kept for provenance only.",
            "publisher": "Who published the figures.",
            "publisher_ur": "Who published the figures, in Urdu (empty: as in publisher).",
            "title": "Title of the source.",
            "title_ur": "Title in Urdu, where the project wrote the title (empty: as in title).",
            "url": "Where it is published.",
            "licence": "Licence or terms of use.",
            "retrieved": "When this copy was taken.",
            "published": "When the source was published, where known.",
            "measures": "What the file measures.",
            "derived_from": "Collected files a curated table was cleaned from.",
            "sha256": "SHA-256 of the file as loaded.",
            "rows_read": "Rows in the file.",
            "rows_loaded": "Rows loaded.",
            "rows_quarantined": "Rows refused (see quarantine); rows_read = rows_loaded + rows_quarantined.",
            "table_rows": (
                "Rows the file produced in its table (a source row can give several), less figures it restated "
                "later (those are in source_restatements)."
            ),
            "cite_as": "How the publisher asks to be cited, where it says so (e.g. UCDP's articles).",
            "last_checked": "When python -m etl fetch last asked the publisher for this file (UTC); empty: never.",
            "last_changed": "When a fetch last found the publisher's file changed and replaced it (UTC).",
        },
    ),
    "quarantine": (
        "Rows the build refused: where and why, never the refused value.",
        {
            "source_id": "Source of the refused row.",
            "file": "File name.",
            "line": "Line in the file (header = 1).",
            "column": "Column that broke the rule (several for a cross-column rule).",
            "rule": "Rule broken.",
            "message": "What the rule requires.",
        },
    ),
    "build_info": (
        "The dataset version (a hash of the content) and the versions of the tools that built it.",
        {
            "dataset_version": "Version derived from the published content: same inputs, same version.",
            "etl_version": "Version of the ETL code.",
            "tables": "Rows per table, as JSON.",
            "strict": "Whether the build refused to publish with any quarantined row.",
        },
    ),
    "release_changes": (
        "What changed in each fact table since the release published before this one.",
        {
            "table_name": "Fact table.",
            "previous_version": "The release compared with.",
            "rows_before": "Rows in it then.",
            "rows_after": "Rows now.",
            "rows_added": "Rows with a new key.",
            "rows_removed": "Rows whose key is gone.",
            "rows_revised": "Rows whose key stayed but whose figures changed (e.g. an official figure corrected).",
        },
    ),
    "release_revisions": (
        "Every figure that changed between the previous release and this one, under the same key.",
        {
            "table_name": "Fact table.",
            "previous_version": "The release compared with.",
            "row_key": "The row's primary key values, joined by ' | '.",
            "column": "The column whose value changed.",
            "value_before": "Value in the previous release.",
            "value_after": "Value in this release.",
        },
    ),
    "source_restatements": (
        "Figures a source restated in a later document: the earlier value, kept, beside the one that replaced it "
        "(the fact tables hold only the latest).",
        {
            "table_name": "Fact table.",
            "row_key": "The series the figure belongs to: the row's primary key without its revision, joined by ' | '.",
            "column": "The figure.",
            "revision": "Revision of the restated figure (1 = as first published).",
            "value_restated": "The earlier value, as that document gave it.",
            "qualifier_restated": "approx or lower_bound when the earlier value was not exact.",
            "source_id": "Source file of the earlier row.",
            "source_line": "Line of the earlier row in it.",
            "published": "Date of the earlier document.",
            "citation_url": "The earlier document.",
            "current_revision": "Revision now in the fact table.",
            "current_value": "The value that replaced it (empty when the later document gives none).",
            "current_qualifier": "approx or lower_bound when the current value is not exact.",
            "current_source_line": "Line of the current row in the source file.",
            "current_published": "Date of the later document.",
            "current_citation_url": "The later document.",
        },
    ),
    "series_coverage": (
        "For each series the dashboard draws: the periods with a figure, the periods the publisher reported "
        "that this dataset lacks (by name), when the next report is due, and how its rows are cited.",
        {
            "series_id": "Series (see the series table).",
            "name": "Name as shown.",
            "publisher": "Who publishes it.",
            "cadence": "half_year, year or irregular (dated snapshots).",
            "first_period": "First period with a figure (half_year and year series).",
            "last_period": "Latest period with a figure (half_year and year series).",
            "first_date": "Earliest date of any figure (the as-of date of a snapshot, else the period's end).",
            "last_date": "Latest date of any figure.",
            "periods_with_figures": "Periods (or, for irregular series, dated reports) with a figure.",
            "periods_published": "Periods the publisher had reported when the dataset was last checked.",
            "periods_missing": "Of those, the periods with no figure here.",
            "missing_periods": "The missing periods by name.",
            "next_report_due": "When the next report is expected.",
            "rows": "Rows of the series in its fact table.",
            "rows_cited_publisher": "Rows cited to the publisher's own document.",
            "rows_cited_press": "Rows cited to a mainstream press report of it.",
            "rows_cited_repost": "Rows cited to an aggregator or repost (no better copy found).",
            "cadence_note": "What the publisher's reports cover and how often.",
            "cadence_citation_url": "Where that is stated.",
            "source_last_checked": "When the files of this series were last checked with their publisher (fetch).",
            "source_last_changed": "When a fetch last found one of them changed at the publisher.",
        },
    ),
    "series_missing_periods": (
        "One row per period a publisher reported that this dataset has no figure for.",
        {
            "series_id": "Series (see the series table).",
            "period_label": "The period, as shown (e.g. 2020 H1).",
            "period_start": "First day of the period.",
            "period_end": "Last day of the period.",
        },
    ),
}

#: The disclosure rule of case-log aggregates, with the threshold ``{k}``.
SUPPRESSION_RULE = (
    "Cells with fewer than {k} requests are withheld (primary). Further cells, and month-by-platform totals, are "
    "withheld where needed (secondary) so that, from the published cells, totals and the grand total, no withheld "
    "cell can be worked out, nor shown to be under {k}: every set of withheld cells tied by a published total "
    "has at least two members and a margin of at least {k}. Withheld cells and totals show no figure, response "
    "times included, and are all marked 'withheld'."
)
