"""The kinds of input the build aggregates besides the published sources, behind one small interface.

A kind says how it is **recognised** (from the set of column names in a file's header), **describes** a
recognised file (layout, release, where documented), **aggregates** one file into its tables (reading and
validating it on the way, in DuckDB) and **reports** what it did in the sources table's counts. The build
loops over the given files of every kind in one place (``build._load``), so a fourth kind is one more entry
in ``KINDS`` and one more command-line option, and nothing else. Each kind has its folder: ``etl/caselog/`` and
``etl/incident_events/`` (each with its SQL); published sources, one adapter per layout, are the third kind:
``etl/adapters/`` (recognised by ``adapters.recognise``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from etl import caselog, incident_events
from etl.provenance import Provenance


@dataclass(frozen=True)
class Described:
    layout: str
    release: str
    documented: str
    details: dict


@dataclass(frozen=True)
class Kind:
    """One kind of input: what the build and ``validate`` need to know of it."""

    name: str  # the provenance layout family and the name the build gives it: "case_log", "events"
    option: str  # the build's command-line option
    noun: str  # as the build's progress says it
    loaded_into: str  # the table the sources table names
    publishes_into: str  # the tables, as validate says
    recognise: Callable[[set[str]], bool]
    describe: Callable[[Path, list[str], str], Described]
    aggregate: Callable[[duckdb.DuckDBPyConnection, Provenance, dict], Any]  # options: "k" …
    report: Callable[[Any], tuple[int, int, int, int]]  # rows read, loaded, quarantined, rows in its table


@dataclass
class Given:
    """A file given to the build as one kind (``shipped``: an event file shipped in data/, not the user's)."""

    kind: Kind
    provenance: Provenance
    shipped: bool = False


def _events_recognised(names: set[str]) -> bool:
    return incident_events.ACLED_BEFORE_2019 <= names or any(
        set(layout.signature) <= names for layout in incident_events.LAYOUTS
    )


def _events_described(path: Path, header: list[str], encoding: str) -> Described:
    layout = incident_events.detect(header, path.name)
    release, documented = incident_events.release_of(layout, header, path, encoding)
    return Described(layout.layout, release, documented, {"dataset": layout.dataset})


def _events_aggregated(con: duckdb.DuckDBPyConnection, provenance: Provenance, options: dict) -> Any:
    return incident_events.aggregate(con, provenance)


def _events_report(result: Any) -> tuple[int, int, int, int]:
    return (result.rows_read, result.rows_read - result.rows_quarantined, result.rows_quarantined, result.cells)


def _case_log_described(path: Path, header: list[str], encoding: str) -> Described:
    return Described(
        "case_log", "case-log contract (data/contracts/inputs/case_log.json)", "README, section on case logs", {}
    )


def _case_log_aggregated(con: duckdb.DuckDBPyConnection, provenance: Provenance, options: dict) -> Any:
    return caselog.aggregate(con, provenance, options.get("k", caselog.DEFAULT_K))


def _case_log_report(result: Any) -> tuple[int, int, int, int]:
    return (result.rows_read, result.rows_aggregated, result.rows_quarantined, result.cells)


#: In the order the build aggregates them; recognition tries them in this order too (an event export's
#: identifying columns are more specific than a case log's).
KINDS = {
    "events": Kind(
        "events",
        "--events",
        "event export",
        "incident_events_monthly",
        "incident_events_monthly",
        _events_recognised,
        _events_described,
        _events_aggregated,
        _events_report,
    ),
    "case_log": Kind(
        "case_log",
        "--case-log",
        "case log",
        "case_requests_monthly",
        "case_requests_monthly, case_requests_monthly_platform",
        lambda names: set(caselog.REQUIRED_COLUMNS) <= names,
        _case_log_described,
        _case_log_aggregated,
        _case_log_report,
    ),
}
#: The order the build aggregates the given files in: case logs first, then event files (shipped ones first).
BUILD_ORDER = ("case_log", "events")
