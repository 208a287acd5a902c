"""CSV that Excel opens correctly and that cannot smuggle formulas: one writer for every download.

UTF-8 with BOM; CRLF line ends; text cells (and headers) that begin with ``=``, ``+``, ``-``, ``@``,
tab or carriage return get a leading apostrophe so spreadsheets show them as text; numbers are
written as numbers (a negative number is a number, not a formula).
"""

from __future__ import annotations

import csv
import io

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise(text: str) -> str:
    """Prefix an apostrophe to a text cell a spreadsheet would read as a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _cell(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value)) if abs(value) < 1e15 else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return neutralise(str(value))


def to_csv_bytes(frame: pd.DataFrame, comments: list[str] | None = None) -> bytes:
    """The frame as safe CSV bytes; ``comments`` become leading ``# …`` lines (source, licence, version)."""
    buffer = io.StringIO()
    buffer.write(BOM)
    for line in comments or []:
        buffer.write(neutralise("# " + line.replace("\r", " ").replace("\n", " ")) + "\r\n")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8")
