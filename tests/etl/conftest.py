"""Session fixtures: the real shipped data, built once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from etl.adapters import Refs, registry
from etl.build import REFERENCE_ORDER, _ordered, _remember, read_and_validate
from etl.provenance import discover

from .helpers import DATA_DIR, connect, latest_database, table_counts


@pytest.fixture(scope="session")
def published(published_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's build of the shipped data/ (``published_dir``, tests/conftest.py), in a folder of its own.

    A copy, not a second build: these tests keep a read-only connection to it open for the session, and DuckDB
    refuses a second connection to one file with other settings, which the app's tests open in this process.
    (tests/etl/test_publish.py builds the same input again through the command line and compares.)"""
    out = tmp_path_factory.mktemp("etl-published") / "published"
    shutil.copytree(published_dir, out)
    return out


@pytest.fixture(scope="session")
def published_db(published: Path) -> Path:
    return latest_database(published)


@pytest.fixture(scope="session")
def db(published_db: Path):
    """Read-only connection to the published dataset."""
    con = connect(published_db)
    yield con
    con.close()


@pytest.fixture(scope="session")
def published_counts(db) -> dict[str, int]:
    return table_counts(db)


@pytest.fixture(scope="session")
def references():
    """The shipped reference tables, read and remembered as the build does before any fact table: what
    ``etl.build.read_and_validate`` needs to check one file's rows without a whole build."""
    refs, tables = Refs(), {}
    for provenance in _ordered(discover(DATA_DIR)):
        layout = registry().get(provenance.layout)
        if layout is not None and layout.table in REFERENCE_ORDER:
            result = read_and_validate(provenance.path, layout, refs, tables)
            _remember(layout.table, result.frame, refs, tables)
    return refs, tables
