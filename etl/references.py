"""The reference tables a case log or an event export is mapped through, in a database of their own.

``python -m etl validate`` runs a case log (``etl/caselog/``) or an event export (``etl/incident_events/``)
through every check and its aggregation without a build: in an in-memory database holding the reference tables
the kind maps its labels through (created from their contracts, filled from ``data/reference/``) and the empty
tables it aggregates into.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from etl.contracts import load_contract, quote
from etl.paths import DATA_DIR
from etl.readers import LINE, read_csv_text


def checking_database(
    references: Sequence[str], outputs: Sequence[str], data_dir: Path = DATA_DIR
) -> duckdb.DuckDBPyConnection:
    """An in-memory database: each of ``references`` created from its contract and loaded from
    ``data_dir/reference/<name>.csv``, each of ``outputs`` created empty. The caller closes it."""
    con = duckdb.connect()
    try:
        for name in references:
            con.execute(load_contract(name).create_table_sql())
            frame = read_csv_text(data_dir / "reference" / f"{name}.csv").frame.drop(columns=[LINE])
            con.register("reference_rows", frame)
            con.execute(f"INSERT INTO {quote(name)} SELECT * FROM reference_rows")  # noqa: S608 (contract names)
            con.unregister("reference_rows")
        for name in outputs:
            con.execute(load_contract(name).create_table_sql())
    except BaseException:
        con.close()
        raise
    return con
