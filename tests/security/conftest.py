"""Fixtures for the security tests: private copies of the published dataset, and a second, different version.

DuckDB refuses to open one file twice in a process with different settings, and the app opens the session's
dataset with its own locked-down settings, so tests that need their own connection or their own folder copy it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from etl.build import run
from etl.paths import DATA_DIR_ENV
from etl.provenance import rehash
from etl.publish import current_database, publish

ROOT = Path(__file__).resolve().parents[2]

# The long fuzz run: `pytest tests/security/test_etl_fuzz.py --hypothesis-profile=fuzz` (minutes, not seconds).
settings.register_profile(
    "fuzz", max_examples=400, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@pytest.fixture
def dataset_copy(published_dir, tmp_path, monkeypatch) -> Path:
    """A private copy of the published folder (pointer, dataset files, releases); the app is pointed at it."""
    out = tmp_path / "published"
    shutil.copytree(published_dir, out)
    monkeypatch.setenv(DATA_DIR_ENV, str(out))
    return out


@pytest.fixture(scope="session")
def second_version(tmp_path_factory) -> Path:
    """A dataset built from the shipped data with one cited event fewer: same tables, another version."""
    root = tmp_path_factory.mktemp("second-version")
    data = root / "data"
    shutil.copytree(ROOT / "data", data)
    events = data / "reference" / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    events.write_text("".join(lines[:-1]), encoding="utf-8")
    rehash(events)
    run(root / "published", data_dir=data)
    return current_database(root / "published")


def publish_copy(database: Path, out_dir: Path) -> Path:
    """Publish a copy of ``database`` into ``out_dir`` through the real atomic swap; return the served path."""
    version = database.stem.removeprefix("dataset-")
    releases = database.parent / "releases" / version
    if releases.is_dir() and not (out_dir / "releases" / version).exists():
        shutil.copytree(releases, out_dir / "releases" / version)
    staged = out_dir / f".building-test-{version}.duckdb"
    shutil.copyfile(database, staged)
    return publish(staged, out_dir, version)
