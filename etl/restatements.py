"""Source restatements: when a source republishes a figure, the latest document wins, the earlier one is kept.

A fact table whose primary key ends in ``revision`` can hold the same series key (source, definition,
period, region …) more than once: revision 1 as first published, 2 as restated in a later document, and so
on. A later document supersedes exactly the figures it gives: after loading, each such figure of an earlier
revision is emptied in the fact table and published in ``source_restatements`` beside the value that replaced
it; an earlier row left with no figure leaves the table. So every chart, card and download reads the latest
value of each figure without having to filter for it, every row still holds one document's figures only,
and a figure the later document does not restate (a year-end release restating only the number of attacks,
say) stays as first published.
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
    """Empty every figure a later revision restates into source_restatements; drop rows left with no figure.

    Returns the rows removed from the fact table per source_id (so the sources table can say what each file
    left in the table).
    """
    key = [k for k in contract.primary_key if k != "revision"]
    if len(key) == len(contract.primary_key):
        return {}  # this table keeps no revisions
    table = quote(contract.name)
    names = {f["name"] for f in contract.fields}

    def same_key(a: str, b: str) -> str:
        return " AND ".join(f"{a}.{quote(k)} IS NOT DISTINCT FROM {b}.{quote(k)}" for k in key)

    key_text = " || ' | ' || ".join(f"coalesce(CAST(o.{quote(k)} AS VARCHAR), '')" for k in key)
    columns = figures(contract)
    # identifiers below come from the contract, never from input; values are bound
    for column in columns:
        qualifier = f"{column}_qualifier"
        old_q = f"o.{quote(qualifier)}" if qualifier in names else "NULL"
        new_q = f"n.{quote(qualifier)}" if qualifier in names else "NULL"
        figure = quote(column)
        # The revision that now stands for this figure: the latest one that gives it.
        latest = f"""(SELECT * FROM {table} AS n WHERE n.{figure} IS NOT NULL AND n.revision = (
                        SELECT max(m.revision) FROM {table} AS m
                        WHERE {same_key("m", "n")} AND m.{figure} IS NOT NULL))"""  # noqa: S608
        con.execute(
            f"""INSERT INTO source_restatements
                SELECT ?, {key_text}, ?, o.revision, o.{figure}, {old_q}, o.source_id, o.source_line,
                       o.published, o.citation_url,
                       n.revision, n.{figure}, {new_q}, n.source_line, n.published, n.citation_url
                FROM {table} AS o JOIN {latest} AS n ON {same_key("o", "n")}
                WHERE o.revision < n.revision AND o.{figure} IS NOT NULL""",  # noqa: S608
            [contract.name, column],
        )
        restated = f"""o.{figure} IS NOT NULL AND EXISTS (SELECT 1 FROM {table} AS n
                       WHERE {same_key("o", "n")} AND n.revision > o.revision AND n.{figure} IS NOT NULL)"""  # noqa: S608
        emptied = f"{figure} = NULL" + (f", {quote(qualifier)} = NULL" if qualifier in names else "")
        con.execute(f"UPDATE {table} AS o SET {emptied} WHERE {restated}")  # noqa: S608
    qualifiers = [f"{c}_qualifier" for c in columns if f"{c}_qualifier" in names]
    if qualifiers and "approx" in names:  # approx says whether any figure left in the row is qualified
        any_qualified = " OR ".join(f"{quote(q)} IS NOT NULL" for q in qualifiers)
        con.execute(f"UPDATE {table} SET approx = ({any_qualified})")  # noqa: S608
    empty = " AND ".join(f"{quote(c)} IS NULL" for c in columns)
    removed = dict(con.execute(f"SELECT source_id, count(*) FROM {table} WHERE {empty} GROUP BY 1").fetchall())  # noqa: S608
    con.execute(f"DELETE FROM {table} WHERE {empty}")  # noqa: S608
    return removed
