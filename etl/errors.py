"""Error types the ETL raises, and the row-level failure record that feeds the quarantine."""

from __future__ import annotations

from dataclasses import dataclass


class SourceError(Exception):
    """A file that cannot be read at all: the build stops with this one-paragraph message."""


@dataclass(frozen=True)
class Failure:
    """One refused value: where it is and which rule it broke. Never holds the value itself."""

    file: str
    line: int | None
    column: str | None
    rule: str
    message: str
