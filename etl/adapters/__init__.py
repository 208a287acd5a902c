"""One adapter per source layout: recognise a file by its header and turn it into a table's columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl.errors import Failure, SourceError
from etl.readers import RawTable


@dataclass
class Refs:
    """Lookups from the reference tables, used to map source labels to shared ids."""

    category_map: dict[tuple[str, str], str] = field(default_factory=dict)
    platform_aliases: dict[str, str] = field(default_factory=dict)
    region_aliases: dict[str, tuple[str, str | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Version:
    """An earlier release of a layout: its own header, and how its column names map onto the layout's.

    ``renamed`` maps this release's spelling to the current one; a column of the layout this release did
    not have yet is read as empty (``header`` lists only what the release has)."""

    name: str
    header: tuple[str, ...]
    renamed: dict[str, str]
    documented: str  # where this release's layout can be seen
    dates: dict[str, str] = field(default_factory=dict)  # column (current name) → this release's date format


@dataclass(frozen=True)
class Layout:
    """A source layout: the header that identifies it, the table it feeds, how to transform it."""

    name: str
    table: str
    header: tuple[str, ...]
    transform: Callable[[RawTable, Refs], tuple[pd.DataFrame, list[Failure]]]
    description: str
    reader: Callable[[Path], RawTable] | None = None  # None: read as CSV
    versions: tuple[Version, ...] = ()  # earlier releases of this layout, newest first
    current: str = "current release"  # the name of the release ``header`` is
    documented: str = ""  # where the current header can be seen

    def headers(self) -> list[tuple[Version | None, tuple[str, ...]]]:
        """Every header this layout has had: (None, current header) first, then each earlier release."""
        return [(None, self.header), *((v, v.header) for v in self.versions)]


def registry() -> dict[str, Layout]:
    from etl.adapters import curated, google, ucdp  # imported here: these modules register against this package

    return {layout.name: layout for layout in (*google.LAYOUTS, *curated.LAYOUTS, *ucdp.LAYOUTS)}


def detect(header: list[str], file_name: str) -> Layout:
    """The layout whose header this file has; a clear error when none matches or columns are missing."""
    return recognise(header, file_name)[0]


def recognise(header: list[str], file_name: str) -> tuple[Layout, Version | None]:
    """The layout and the release of it (None: the current one) whose header this file has exactly.

    Headers are compared ignoring surrounding spaces. A header close to one of them (half its columns or
    more) is refused with the layout's name and the columns that differ."""
    cleaned = {h.strip() for h in header}
    best: Layout | None = None
    best_header: tuple[str, ...] = ()
    best_overlap = 0.0
    for layout in registry().values():
        if layout.reader is not None:
            continue
        for version, known in layout.headers():
            expected = {h.strip() for h in known}
            if cleaned == expected:
                return layout, version
            overlap = len(cleaned & expected) / len(expected)
            if overlap > best_overlap:
                best, best_header, best_overlap = layout, known, overlap
    if best is not None and best_overlap >= 0.5:
        missing = [h for h in best_header if h.strip() not in cleaned]
        extra = sorted(cleaned - {h.strip() for h in best_header})
        detail = f"missing required column(s): {', '.join(repr(m) for m in missing)}" if missing else ""
        if extra:
            detail += ("; " if detail else "") + f"unexpected column(s): {', '.join(repr(e) for e in extra)}"
        raise SourceError(f"{file_name}: looks like the {best.name} layout ({best.description}) but {detail}.")
    raise SourceError(
        f"{file_name}: unknown layout. Its header matches none of the known source layouts "
        f"({', '.join(sorted(registry()))}); see the README section on sources."
    )


def map_labels(
    labels: pd.Series, lookup: dict, lines: pd.Series, file_name: str, column: str
) -> tuple[pd.Series, list[Failure]]:
    """Map each present label through ``lookup``; an unknown label is a row failure (label not echoed)."""
    mapped = labels.map(lambda v: lookup.get(v, pd.NA) if pd.notna(v) else pd.NA)
    unknown = labels.notna() & mapped.isna()
    failures = [
        Failure(file_name, int(line), column, "unmapped_label", "label has no entry in the reference mapping table")
        for line in lines[unknown]
    ]
    return mapped, failures
