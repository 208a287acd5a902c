"""Publishing: same input → same dataset; a build killed at any moment leaves the previous dataset readable."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess

import duckdb
import pytest

from etl.build import run

from .helpers import (
    DATA_DIR,
    PROJECT_ROOT,
    cli_command,
    connect,
    dataset_version,
    latest_database,
    table_names,
)

KILL_AFTER_SECONDS = (0.3, 0.8, 1.4, 2.0, 2.6)  # the whole build takes about 3 s


def _rows(con, table: str) -> list[tuple]:
    columns = "* EXCLUDE (built_at)" if table == "build_info" else "*"  # built_at is the one thing meant to differ
    return con.execute(f'SELECT {columns} FROM "{table}" ORDER BY ALL').fetchall()


def _fingerprint(con) -> dict[str, tuple]:
    """Row count and an order-free content hash of every table (build_info aside)."""
    return {
        t: con.execute(f'SELECT count(*), sum(hash(CAST(t AS VARCHAR))) FROM "{t}" AS t').fetchone()
        for t in table_names(con)
        if t != "build_info"
    }


@pytest.fixture(scope="module")
def second_build(tmp_path_factory: pytest.TempPathFactory):
    """The same input built again, in-process, from a copy of data/ at another path, into another directory."""
    root = tmp_path_factory.mktemp("second")
    shutil.copytree(DATA_DIR, root / "data")
    result = run(root / "pub", data_dir=root / "data")
    return root / "pub", result


def test_two_builds_of_the_same_input_give_the_same_dataset(db, published_db, second_build):
    out, result = second_build
    other_db = latest_database(out)
    assert other_db.name == published_db.name
    with connect(other_db) as other:
        assert dataset_version(other) == dataset_version(db) == result.dataset_version
        assert table_names(other) == table_names(db)
        for table in table_names(db):
            assert _rows(other, table) == _rows(db, table), table


def test_killed_build_leaves_the_previous_dataset_published(published, db, tmp_path):
    out = tmp_path / "pub"
    shutil.copytree(published, out)
    version, expected = dataset_version(db), _fingerprint(db)
    killed = 0
    for delay in KILL_AFTER_SECONDS:
        proc = subprocess.Popen(
            cli_command("build", "--quiet", "--out", str(out)),
            cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait()
        with connect(latest_database(out)) as con:
            assert dataset_version(con) == version, f"killed after {delay}s"
            assert _fingerprint(con) == expected, f"killed after {delay}s"
    assert killed >= 3, "the build finished before most kills: nothing was tested"

    # The next build in the same directory works and publishes the same dataset, even when a killed build left
    # a staging file under the name an older ETL would reuse for this PID (PIDs repeat, e.g. in containers).
    with duckdb.connect(str(out / f".building-{os.getpid()}.duckdb")) as con:
        con.execute("CREATE TABLE categories (category_id VARCHAR)")  # as left by a build killed while loading
    result = run(out, data_dir=DATA_DIR)
    assert result.dataset_version == version
    with connect(latest_database(out)) as con:
        assert dataset_version(con) == version
        assert _fingerprint(con) == expected
