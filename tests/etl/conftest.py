"""Session fixtures: the real shipped data built once into a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import connect, latest_database, run_cli, table_counts


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Output directory of one real ``python -m etl build`` of the shipped data/."""
    out = tmp_path_factory.mktemp("published")
    proc = run_cli("build", "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stdout + proc.stderr
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
