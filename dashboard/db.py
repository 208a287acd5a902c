"""Read-only access to the published dataset: find the current file, open it locked down, run named SQL.

Every query is a file in ``dashboard/sql/`` (the name is checked against that allow-list) and every
value is bound as a parameter. The app notices a newly published dataset on its next rerun: the
entry point calls ``database_path()`` first on every rerun, which reads the ``LATEST`` pointer and
pins that file for the rest of the run, so one page never mixes two versions; caches are keyed on it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from etl.paths import published_dir
from etl.publish import current_database

SQL_DIR = Path(__file__).parent / "sql"
QUERY_NAMES = frozenset(p.stem for p in SQL_DIR.glob("*.sql"))


class NoDataset(RuntimeError):
    """Nothing has been published yet."""


_PINNED = "_dashboard_dataset_path"  # session-state key: the file this session's current run reads


def database_path() -> str:
    """Read ``LATEST`` and pin the file it names for the rest of this script run; NoDataset if none.

    Called first on every rerun (``app.py``): a dataset published while a page is being drawn is picked
    up by the next rerun, never half-way through a page.
    """
    path = current_database(published_dir())
    if path is None:
        raise NoDataset("No dataset has been published yet. Run `make data` (or `python -m etl build`).")
    if get_script_run_ctx(suppress_warning=True) is not None:
        st.session_state[_PINNED] = str(path)
    return str(path)


def pinned_path() -> str:
    """The file this script run reads (pinned by ``database_path``); outside a run, the current one."""
    if get_script_run_ctx(suppress_warning=True) is not None and _PINNED in st.session_state:
        return st.session_state[_PINNED]
    return database_path()


@st.cache_resource(max_entries=4, show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    """One read-only connection per published file; each query runs on its own cursor (thread-safe)."""
    con = duckdb.connect(
        path,
        read_only=True,
        config={
            "enable_external_access": False,  # no read_csv('/etc/passwd'), no httpfs
            "threads": 2,
            "memory_limit": "1GB",
        },
    )
    con.execute("SET lock_configuration = true")
    return con


@cache
def sql_text(name: str) -> str:
    if name not in QUERY_NAMES:
        raise ValueError(f"unknown query {name!r}")
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


@st.cache_data(max_entries=1024, show_spinner=False)
def _run(path: str, name: str, params: tuple[tuple[str, object], ...]) -> pd.DataFrame:
    cursor = _connection(path).cursor()
    try:
        return cursor.execute(sql_text(name), dict(params)).df()
    finally:
        cursor.close()


def run(name: str, **params) -> pd.DataFrame:
    """Run the named query with bound parameters on the current dataset; results are cached per dataset."""
    bound = tuple(sorted((k, list(v) if isinstance(v, list | tuple) else v) for k, v in params.items()))
    return _run(pinned_path(), name, bound)  # a fresh copy already: st.cache_data unpickles one per call


def release_folder() -> Path:
    """Where the open-data releases of the published dataset are (written by the ETL's export stage)."""
    return published_dir() / "releases"


@st.cache_data(max_entries=8, show_spinner=False)
def datapackage(version: str) -> dict:
    """The release's datapackage.json (the published schema, generated from the contracts)."""
    import json

    return json.loads((release_folder() / version / "datapackage.json").read_text(encoding="utf-8"))


def releases() -> list[str]:
    """Versions with a release zip in the published folder, newest first."""
    zips = sorted(release_folder().glob("dataset-*.zip"), key=lambda p: p.stat().st_mtime, reverse=True)
    return [p.stem.removeprefix("dataset-") for p in zips]
