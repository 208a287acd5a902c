"""Shared fixtures: one real dataset built from the shipped data/ into a temporary folder per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from etl.build import run
from etl.paths import DATA_DIR_ENV
from etl.publish import current_database

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = PROJECT_ROOT / "data"


@pytest.fixture(scope="session")
def published_dir(tmp_path_factory) -> Path:
    """A dataset built from the shipped data and published into its own folder; the app is pointed at it."""
    out = tmp_path_factory.mktemp("published")
    run(out)
    previous = os.environ.get(DATA_DIR_ENV)
    os.environ[DATA_DIR_ENV] = str(out)
    yield out
    if previous is None:
        os.environ.pop(DATA_DIR_ENV, None)
    else:
        os.environ[DATA_DIR_ENV] = previous


@pytest.fixture(scope="session")
def published_db(published_dir) -> Path:
    return current_database(published_dir)
