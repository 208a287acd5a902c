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
            "title": "Title of the source.",
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
            "table_rows": "Rows the file produced in its table (a source row can give several).",
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
}

#: The disclosure rule of case-log aggregates, with the threshold ``{k}``.
SUPPRESSION_RULE = (
    "Cells with fewer than {k} requests are withheld (primary). Further cells, and month-by-platform totals, are "
    "withheld where needed (secondary) so that, from the published cells, totals and the grand total, no withheld "
    "cell can be worked out, nor shown to be under {k}: every set of withheld cells tied by a published total "
    "has at least two members and a margin of at least {k}. Withheld cells and totals show no figure, response "
    "times included, and are all marked 'withheld'."
)
