"""The dataset as the running app reads it: one file pinned per page run, and Streamlit's caches.

Only the entry point and the pages use this module; queries, charts and the briefing pack are plain
functions over ``db``. ``app.py`` calls ``pin()`` first on every rerun: it reads ``LATEST`` and makes that
file the one every query of the run reads (``db.use``), so a dataset published while a page is being drawn
is picked up by the next rerun, never half-way through a page. Query results and connections are cached
per file, so a new dataset needs no cache to be cleared.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from dashboard import db, queries


class CachedDataset:
    """A published file read through the app's caches (one connection per file, results per query)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def run(self, name: str, params: db.Bound = ()) -> pd.DataFrame:
        return _run(self.path, name, params)  # a fresh copy already: st.cache_data unpickles one per call


def pin() -> str:
    """Read ``LATEST`` and make that file the one this run reads; NoDataset if none is published."""
    path = db.latest_path()
    db.use(CachedDataset(path))
    return path


def pinned_path() -> str:
    """The file this run reads (pinned by ``pin``)."""
    return db.in_use().path


@st.cache_resource(max_entries=4, show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    """One read-only connection per published file, shared by every session; each query has its own cursor."""
    return db.connect(path)


@st.cache_data(max_entries=1024, show_spinner=False)
def _run(path: str, name: str, params: db.Bound) -> pd.DataFrame:
    return db.query(_connection(path), name, params)


@st.cache_data(max_entries=8, show_spinner=False)
def datapackage(version: str) -> dict:
    """The release's datapackage.json (``db.datapackage``), read once per version."""
    return db.datapackage(version)


def province_geojson() -> dict:
    """The province polygons of the pinned file (``queries.province_geojson``), built once per file and
    shared by every session and every map: read it, never change it."""
    return _province_geojson(pinned_path())


@st.cache_resource(max_entries=4, show_spinner=False)
def _province_geojson(path: str) -> dict:
    return queries.province_geojson()


def build_info() -> dict:
    """``queries.build_info`` of the pinned file, read once per file (every chart block asks for it)."""
    return _build_info(pinned_path())


@st.cache_data(max_entries=4, show_spinner=False)
def _build_info(path: str) -> dict:
    return queries.build_info()
