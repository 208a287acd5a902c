"""Read-only access to a published dataset file: open it locked down, run named SQL, list the releases.

Plain Python, no Streamlit: a path or a connection goes in, a DataFrame comes out. Every query is a file in
``dashboard/sql/`` (the name is checked against that allow-list) and every value is bound as a parameter.

``run`` reads the dataset in use. A caller chooses it with ``reading`` (or ``use``); the running app's thin
layer, ``dashboard/live.py``, chooses the file it pinned for the page run, read through Streamlit's caches.
With none chosen, ``run`` reads the file ``LATEST`` names at that moment (the briefing command, scripts).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache
from pathlib import Path
from typing import Protocol

import duckdb
import pandas as pd

from dataset.location import current_database, published_dir
from dataset.location import release_folder as _release_folder

SQL_DIR = Path(__file__).parent / "sql"
QUERY_NAMES = frozenset(p.stem for p in SQL_DIR.glob("*.sql"))
Bound = tuple[tuple[str, object], ...]  # a query's parameters, sorted and hashable (a cache key)


class NoDataset(RuntimeError):
    """Nothing has been published yet."""


def latest_path() -> str:
    """The dataset file ``LATEST`` names now; NoDataset if none."""
    path = current_database(published_dir())
    if path is None:
        raise NoDataset("No dataset has been published yet. Run `make data` (or `python -m etl build`).")
    return str(path)


def connect(path: str) -> duckdb.DuckDBPyConnection:
    """A read-only, locked-down connection to a published file; run each query on its own cursor."""
    con = duckdb.connect(
        path,
        read_only=True,
        config={
            "enable_external_access": False,  # no read_csv('/etc/passwd'), no httpfs
            "threads": 2,
            "memory_limit": "1GB",
        },
    )
    try:
        con.execute("SET lock_configuration = true")
    except duckdb.InvalidInputException:
        # DuckDB shares one database instance per file within a process: another connection locked it first
        if not con.execute("SELECT current_setting('lock_configuration')").fetchone()[0]:
            raise
    return con


@cache
def sql_text(name: str) -> str:
    if name not in QUERY_NAMES:
        raise ValueError(f"unknown query {name!r}")
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def bind(params: dict) -> Bound:
    """Parameters as a sorted tuple (lists for sequences), the form ``query`` and the caches take."""
    return tuple(sorted((k, list(v) if isinstance(v, list | tuple) else v) for k, v in params.items()))


def query(con: duckdb.DuckDBPyConnection, name: str, params: Bound = ()) -> pd.DataFrame:
    """Run the named query with bound parameters on its own cursor of ``con`` (thread-safe)."""
    cursor = con.cursor()
    try:
        return cursor.execute(sql_text(name), dict(params)).df()
    finally:
        cursor.close()


class Source(Protocol):
    """A dataset file that named queries can be run on: ``Dataset``, or the app's cached one (``live.py``)."""

    path: str

    def run(self, name: str, params: Bound = ()) -> pd.DataFrame: ...


class Dataset:
    """One published file, read directly: one connection, each query on its own cursor, no cache."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._con = connect(path)

    def run(self, name: str, params: Bound = ()) -> pd.DataFrame:
        return query(self._con, name, params)


class Remembered(Dataset):
    """One published file whose named queries are each run once: a reader that asks the same question many
    times (the static site draws every chart in two languages) gets a copy of the first answer."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self._answers: dict[str, pd.DataFrame] = {}

    def run(self, name: str, params: Bound = ()) -> pd.DataFrame:
        key = repr((name, params))
        if key not in self._answers:
            self._answers[key] = super().run(name, params)
        return self._answers[key].copy()


_IN_USE: ContextVar[Source | None] = ContextVar("dataset_in_use", default=None)


def use(dataset: Source) -> None:
    """Make ``dataset`` the one ``run`` reads in this thread (or task) from now on."""
    _IN_USE.set(dataset)


@contextmanager
def reading(dataset: Source) -> Iterator[Source]:
    """``run`` reads ``dataset`` inside the block, whatever was in use before."""
    token = _IN_USE.set(dataset)
    try:
        yield dataset
    finally:
        _IN_USE.reset(token)


def in_use() -> Source:
    """The dataset ``run`` reads: the one chosen with ``use``/``reading``, else the file ``LATEST`` names now."""
    chosen = _IN_USE.get()
    return chosen if chosen is not None else _opened(latest_path())


@lru_cache(maxsize=4)
def _opened(path: str) -> Dataset:
    return Dataset(path)  # one connection per published file, kept while it is among the last four read


def run(name: str, **params) -> pd.DataFrame:
    """Run the named query with bound parameters on the dataset in use."""
    return in_use().run(name, bind(params))


def release_folder() -> Path:
    """Where the open-data releases of the published dataset are (written by the ETL's export stage)."""
    return _release_folder(published_dir())


def datapackage(version: str) -> dict:
    """The release's datapackage.json (the published schema, generated from the contracts)."""
    return json.loads((release_folder() / version / "datapackage.json").read_text(encoding="utf-8"))


def releases() -> list[str]:
    """Versions with a release zip in the published folder, newest first."""
    zips = sorted(release_folder().glob("dataset-*.zip"), key=lambda p: p.stat().st_mtime, reverse=True)
    return [p.stem.removeprefix("dataset-") for p in zips]
