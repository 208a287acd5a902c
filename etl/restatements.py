"""Source restatements: when a source republishes a figure, the latest document wins, the earlier one is kept.

A fact table whose primary key ends in ``revision`` can hold the same series key (source, definition,
period, region …) more than once: revision 1 as first published, 2 as restated in a later document, and so
on. After loading, every revision but the latest leaves the fact table for ``source_restatements``, one row
per figure, beside the value that replaced it. So every chart, card and download reads only the latest
figure without having to filter for it, and the restatements stay public.
"""

from __future__ import annotations

import duckdb

from etl.contracts import Contract, quote

RESTATEMENTS_SQL = """
CREATE TABLE source_restatements (
  table_name VARCHAR, row_key VARCHAR, "column" VARCHAR,
  revision INTEGER, value_restated DOUBLE, qualifier_restated VARCHAR, source_id VARCHAR, source_line BIGINT,
  published DATE, citation_url VARCHAR,
  current_revision INTEGER, current_value DOUBLE, current_qualifier VARCHAR, current_source_line BIGINT,
  current_published DATE, current_citation_url VARCHAR
);
"""
NOT_FIGURES = {"source_line", "revision"}


def figures(contract: Contract) -> list[str]:
    """The contract's figure columns: its numbers, less line numbers and the revision itself."""
    return [f["name"] for f in contract.fields if f["type"] in ("integer", "number") and f["name"] not in NOT_FIGURES]


def set_aside(con: duckdb.DuckDBPyConnection, contract: Contract) -> dict[str, int]:
    """Move every revision but the latest of each series key into source_restatements.

    Returns the rows moved out of the fact table per source_id (so the sources table can say what each file
    left in the table).
    """
    key = [k for k in contract.primary_key if k != "revision"]
    if len(key) == len(contract.primary_key):
        return {}  # this table keeps no revisions
    table = quote(contract.name)

    def same_key(a: str, b: str) -> str:
        return " AND ".join(f"{a}.{quote(k)} IS NOT DISTINCT FROM {b}.{quote(k)}" for k in key)

    key_text = " || ' | ' || ".join(f"coalesce(CAST(o.{quote(k)} AS VARCHAR), '')" for k in key)
    names = {f["name"] for f in contract.fields}
    # identifiers below come from the contract, never from input; values are bound
    latest = f"""(SELECT * FROM {table} AS n WHERE n.revision = (
                    SELECT max(m.revision) FROM {table} AS m
                    WHERE {same_key("m", "n")}))"""  # noqa: S608
    for column in figures(contract):
        qualifier = f"{column}_qualifier"
        old_q = f"o.{quote(qualifier)}" if qualifier in names else "NULL"
        new_q = f"n.{quote(qualifier)}" if qualifier in names else "NULL"
        con.execute(
            f"""INSERT INTO source_restatements
                SELECT ?, {key_text}, ?, o.revision, o.{quote(column)}, {old_q}, o.source_id, o.source_line,
                       o.published, o.citation_url,
                       n.revision, n.{quote(column)}, {new_q}, n.source_line, n.published, n.citation_url
                FROM {table} AS o JOIN {latest} AS n ON {same_key("o", "n")}
                WHERE o.revision < n.revision AND (o.{quote(column)} IS NOT NULL OR n.{quote(column)} IS NOT NULL)""",  # noqa: S608
            [contract.name, column],
        )
    earlier = f"""o.revision < (SELECT max(n.revision) FROM {table} AS n WHERE {same_key("o", "n")})"""  # noqa: S608 (identifiers from the contract)
    moved = dict(
        con.execute(f"SELECT o.source_id, count(*) FROM {table} AS o WHERE {earlier} GROUP BY 1").fetchall()  # noqa: S608
    )
    con.execute(f"DELETE FROM {table} AS o WHERE {earlier}")  # noqa: S608
    return moved
