"""CSV that Excel opens correctly and that cannot smuggle formulas: one writer for every download.

UTF-8 with BOM; CRLF line ends; text cells (and headers) that begin with ``=``, ``+``, ``-``, ``@``,
tab or carriage return get a leading apostrophe so spreadsheets show them as text; numbers are written
as numbers (a negative number is a number, not a formula). Leading ``# `` lines say what the file is.
DuckDB writes the rows, streaming, so a table of millions of rows costs no Python loop.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")  # full-width forms too
BOM = "\ufeff"
_NEUTRALISE_SQL = "CASE WHEN regexp_matches({col}, '^[=+\\-@\\t\\r＝＋－＠]') THEN '''' || {col} ELSE {col} END"


def neutralise(text: str) -> str:
    """Prefix an apostrophe to a text cell a spreadsheet would read as a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def write_csv(con: duckdb.DuckDBPyConnection, relation: str, target: Path, comments: list[str] | None = None) -> None:
    """Write table or view ``relation`` of ``con`` to ``target`` as safe CSV (atomically)."""
    described = con.execute(f"DESCRIBE {_quote(relation)}").fetchall()  # noqa: S608 (a catalogue name)
    columns = []
    for name, column_type, *_ in described:
        cell = _NEUTRALISE_SQL.format(col=_quote(name)) if column_type == "VARCHAR" else _quote(name)
        columns.append(f"{cell} AS {_quote(neutralise(name))}")
    select = f"SELECT {', '.join(columns)} FROM {_quote(relation)}"  # noqa: S608 (catalogue names only)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        body = Path(scratch) / "body.csv"
        literal = "'" + body.as_posix().replace("'", "''") + "'"  # a path, quoted as an SQL string
        con.execute(f"COPY ({select}) TO {literal} (HEADER, DELIMITER ',', NEW_LINE '\r\n')")
        partial = Path(scratch) / "out.csv"
        with partial.open("wb") as out:
            out.write(BOM.encode("utf-8"))
            for line in comments or []:
                out.write((neutralise("# " + line.replace("\r", " ").replace("\n", " ")) + "\r\n").encode("utf-8"))
            with body.open("rb") as rows:
                shutil.copyfileobj(rows, out, 1 << 20)
        os.replace(partial, target)


def to_csv_bytes(frame: pd.DataFrame, comments: list[str] | None = None) -> bytes:
    """The frame as safe CSV bytes, written by the same writer as the published exports."""
    frame = frame.copy()
    for column in frame.columns:  # whole numbers that pandas holds as floats (because of gaps) stay whole
        values = frame[column]
        if pd.api.types.is_float_dtype(values) and values.dropna().apply(float.is_integer).all():
            frame[column] = values.astype("Int64")
    con = duckdb.connect()
    try:
        con.register("download", frame)
        with tempfile.TemporaryDirectory() as scratch:
            target = Path(scratch) / "download.csv"
            write_csv(con, "download", target, comments)
            return target.read_bytes()
    finally:
        con.close()
