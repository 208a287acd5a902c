"""Publishing: same input → same dataset; a build killed at any moment leaves the previous dataset readable."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

import duckdb

from etl.build import run

from .helpers import (
    DATA_DIR,
    cli_command,
    connect,
    copy_project,
    dataset_version,
    latest_database,
    table_names,
)

UCDP_GED = "sources/events/ucdp_ged_pakistan_1989-2021.csv"


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


def test_two_builds_of_the_same_input_give_the_same_dataset(db, published_db, second_build):
    out, printed = second_build
    other_db = latest_database(out)
    assert other_db.name == published_db.name
    with connect(other_db) as other:
        assert dataset_version(other) == dataset_version(db)
        assert f"Dataset {dataset_version(db)} published" in printed
        assert table_names(other) == table_names(db)
        for table in table_names(db):
            assert _rows(other, table) == _rows(db, table), table


def test_killed_build_leaves_the_previous_dataset_published(published, db, tmp_path):
    """A build killed while it loads its staging database (tests/security/test_crash_safety.py kills one at
    each step of the export and the swap). The killed build runs in a copy of the project whose data/ holds the
    reference tables and the shipped UCDP GED events: it reaches its load quickly, and aggregating the events keeps
    it loading long enough to be killed there."""
    out = tmp_path / "pub"
    shutil.copytree(published, out)
    version, expected = dataset_version(db), _fingerprint(db)
    project = copy_project(tmp_path / "project", [UCDP_GED])
    proc = subprocess.Popen(
        cli_command("build", "--quiet", "--out", str(out)),
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 180
    while not list(out.glob(f".building-{proc.pid}-*.duckdb")) and proc.poll() is None:
        assert time.monotonic() < deadline, "the build never started loading"
        time.sleep(0.02)
    assert proc.poll() is None, "the build finished before it could be killed: nothing was tested"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert list(out.glob(f".building-{proc.pid}-*")), "killed while loading: its staging file is left behind"
    with connect(latest_database(out)) as con:
        assert dataset_version(con) == version
        assert _fingerprint(con) == expected

    # The next build in the same directory works and publishes the same dataset, even when a killed build left
    # a staging file under the name an older ETL would reuse for this PID (PIDs repeat, e.g. in containers).
    with duckdb.connect(str(out / f".building-{os.getpid()}.duckdb")) as con:
        con.execute("CREATE TABLE categories (category_id VARCHAR)")  # as left by a build killed while loading
    result = run(out, data_dir=DATA_DIR)
    assert result.dataset_version == version
    assert not list(out.glob(".building-*")), "the next build removes what killed builds left behind"
    with connect(latest_database(out)) as con:
        assert dataset_version(con) == version
        assert _fingerprint(con) == expected
