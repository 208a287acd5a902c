"""A build killed with SIGKILL at each step of the release and the swap: a whole version is always served.

tests/etl/test_publish.py kills whole builds at moments in time (mostly while reading and loading). Here the
kill is placed exactly: a child process exports and publishes a finished dataset (the last two stages of
``etl.build.run``) and kills itself at a named step, just before or just after each rename (the publish steps
start from one copy of a folder whose export a child finished, the export being the same before each of them). While
each child exports and publishes, a thread keeps querying through the dashboard's own ``db.run``. After each kill the served dataset is the old version
or the new one, whole (every table's content checked); the app never failed to answer; the next build
removes what the killed one left behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dashboard import db
from etl.build import run
from etl.paths import DATA_DIR_ENV
from etl.publish import current_database, remove_stale_staging
from tests.security.conftest import ROOT

#: Kill point → the version that must be served afterwards ("old" or "new").
KILL_POINTS = {
    "export:while writing the release folder": "old",
    "export:before the zip is renamed into place": "old",
    "publish:before the dataset file is renamed": "old",
    "publish:after the dataset file is renamed": "old",
    "publish:before LATEST is replaced": "old",
    "publish:after LATEST is replaced": "new",
    "publish:while older versions are pruned": "new",
}

# The child: stage a copy of the new dataset, then export and publish it as etl.build.run does, dying at a step.
CHILD = r"""
import os, shutil, signal, sys
from pathlib import Path
import etl.publish as publish_module
import etl.release as release_module
from etl.publish import publish, staging_path
from etl.release import export_release

point, source, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])

def die():
    os.kill(os.getpid(), signal.SIGKILL)

real_replace, real_unlink, real_write = os.replace, Path.unlink, release_module.write_csv
def replace(src, dst, *args, **kwargs):
    name = Path(dst).name
    if point == "export:before the zip is renamed into place" and name.endswith(".zip"):
        die()
    if point == "publish:before the dataset file is renamed" and name.startswith("dataset-") and name.endswith(".duckdb"):
        die()
    if point == "publish:before LATEST is replaced" and name == "LATEST":
        die()
    real_replace(src, dst, *args, **kwargs)
    if point == "publish:after the dataset file is renamed" and name.startswith("dataset-") and name.endswith(".duckdb"):
        die()
    if point == "publish:after LATEST is replaced" and name == "LATEST":
        die()
os.replace = replace

written = []
def write_csv(*args, **kwargs):
    written.append(1)
    if point == "export:while writing the release folder" and len(written) == 3:
        die()
    return real_write(*args, **kwargs)
release_module.write_csv = write_csv

def unlink(self, *args, **kwargs):
    real_unlink(self, *args, **kwargs)
    if point == "publish:while older versions are pruned" and self.name.startswith("dataset-"):
        die()
Path.unlink = unlink

print("ready", flush=True)  # imported and set up: what follows is the export and publish under test
building = next(out.glob(".building-*.duckdb"), None)  # staged and exported already by an earlier child
if building is None:
    building = staging_path(out)
    shutil.copyfile(source, building)
    export_release(building, out)
    if point == "export:finished":
        sys.exit(0)  # a folder to copy for the publish steps: they all come after the same whole export
publish(building, out, source.stem.removeprefix("dataset-"))
sys.exit(3)  # not killed: the kill point was never reached
"""


#: Columns that name a release from the served history (the release that first carried a correction): a build
#: next to an earlier release carries that release's version, a build on its own its own.
HISTORY_COLUMNS = {"corrections": "release_version"}


def _rows(table: str) -> str:
    if table in HISTORY_COLUMNS:
        return f'(SELECT * EXCLUDE ("{HISTORY_COLUMNS[table]}") FROM "{table}")'
    return f'"{table}"'


def _fingerprint(path: str, skip: tuple[str, ...] = ()) -> tuple:
    """Version, and row count and content hash of every table, read through the app's own connection."""
    con = db.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        content = tuple(
            (t, *con.execute(f"SELECT count(*), sum(hash(CAST(x AS VARCHAR))) FROM {_rows(t)} AS x").fetchone())
            for t in tables
            if t != "build_info" and t not in skip
        )
        return con.execute("SELECT dataset_version FROM build_info").fetchone()[0], content
    finally:
        con.close()


def _leftovers(out: Path) -> list[str]:
    names = [p.name for p in out.iterdir()] + [f"releases/{p.name}" for p in (out / "releases").iterdir()]
    return sorted(n for n in names if ".tmp" in n or ".building-" in n)


@pytest.fixture
def old_and_new(published_dir, second_version):
    old, new = current_database(published_dir), second_version
    return {"old": _fingerprint(str(old)), "new": _fingerprint(str(new))}, old, new


def test_kills_before_during_and_after_the_swap(old_and_new, published_dir, second_version, tmp_path, monkeypatch):
    expected, _, new_file = old_and_new
    assert expected["old"][0] != expected["new"][0]
    answers, failures, stop, asking = [], [], threading.Event(), threading.Event()

    def keep_asking() -> None:  # a reader of the dashboard, through the app's query path
        while not stop.is_set():
            if not asking.wait(timeout=0.05):
                continue  # between kills: nothing is published then, and the test's own reads need the CPU
            try:
                answers.append(db.run("build_info")["dataset_version"].iloc[0])
                db.run("platform_options")
            except Exception as exc:  # noqa: BLE001 - any failure to answer is the finding
                failures.append(repr(exc))

    def child(point: str, out: Path, watched: bool = True) -> subprocess.CompletedProcess:
        """Run the child. When ``watched``, the reader asks without pause from the moment the child has imported
        what it needs (its export and publish are what may disturb a reader) until a few answers after the kill;
        while the child starts Python, and while the test reads and copies, it waits."""
        args = [sys.executable, "-c", CHILD, point, str(second_version), str(out)]
        with subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
            try:
                ready = process.stdout.readline()
                if watched:
                    asking.set()
                stdout, stderr = process.communicate(timeout=300)
            except BaseException:
                process.kill()
                raise
        return subprocess.CompletedProcess(args, process.returncode, ready + stdout, stderr)

    leftovers: dict[str, list[str]] = {}
    outs = []
    exported = tmp_path / "exported"  # the folder as a build leaves it between its export and its publish
    reader = threading.Thread(target=keep_asking)
    try:
        for number, (point, served) in enumerate(KILL_POINTS.items()):
            out = tmp_path / f"out-{number}"
            if point.startswith("publish:"):  # the export before every publish step is the same: done once
                if not exported.exists():
                    shutil.copytree(published_dir, exported)
                    finished = child("export:finished", exported, watched=False)
                    assert finished.returncode == 0, finished.stderr
                    assert len(list(exported.glob(".building-*.duckdb"))) == 1
                shutil.copytree(exported, out)
            else:
                shutil.copytree(published_dir, out)
            outs.append(out)
            if "pruned" in point:  # three older versions, so that publishing prunes one
                for age, name in enumerate(["dataset-00000000000a", "dataset-00000000000b", "dataset-00000000000c"]):
                    shutil.copyfile(current_database(published_dir), out / f"{name}.duckdb")
                    os.utime(out / f"{name}.duckdb", (time.time() - 3600 * (age + 2),) * 2)
            monkeypatch.setenv(DATA_DIR_ENV, str(out))
            if not reader.is_alive():
                reader.start()
            killed = child(point, out)
            assert killed.returncode == -signal.SIGKILL, f"{point}: not killed ({killed.returncode}) {killed.stderr}"
            asked = len(answers) + len(failures)
            deadline = time.monotonic() + 30
            while len(answers) + len(failures) < asked + 3 and time.monotonic() < deadline:
                time.sleep(0.02)  # let the reader ask a few times after the kill
            fingerprint = _fingerprint(str(current_database(out)))
            assert fingerprint == expected[served], f"killed at {point}: not the whole {served} version"
            leftovers[point] = _leftovers(out)
    finally:
        stop.set()
        if reader.is_alive():
            reader.join(timeout=60)

    assert failures == [], failures[:3]
    assert len(answers) > 20 and set(answers) <= {expected["old"][0], expected["new"][0]}
    assert any(leftovers.values()), "no kill left anything behind: the clean-up below tested nothing"

    # The next build in each folder removes what the killed one left, and publishes normally. A kill while the
    # release folder is written and one before its zip is renamed both leave the old version served and the new
    # release without its zip, so the next build takes the same path in both folders: one build, in the second
    # folder with the first one's leftovers moved beside its own, removes what both kills left.
    first = leftovers[next(iter(KILL_POINTS))]
    assert any(n.startswith("releases/") for n in first), f"the first kill left no release being written: {first}"
    for name in first:
        os.replace(outs[0] / name, outs[1] / name)
    data = new_file.parent.parent / "data"  # the data folder second_version was built from
    for out in outs[1:2] + outs[-1:]:
        run(out, data_dir=data)
        assert _leftovers(out) == [], f"{out.name}: stale files stayed"
        # release_changes compares with whatever was served before; every other table is the new version's
        changes = ("release_changes", "release_revisions")
        assert _fingerprint(str(current_database(out)), changes) == _fingerprint(str(new_file), changes)


def test_stale_staging_is_told_apart_from_a_build_still_running(tmp_path):
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()  # a process id that no longer runs
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (tmp_path / "releases").mkdir()
        dead = [
            tmp_path / f".building-{finished.pid}-0123456789ab.duckdb",
            tmp_path / f".building-{finished.pid}-0123456789ab.duckdb.wal",
            tmp_path / f".building-{os.getpid()}.duckdb",  # this process's own, from an earlier life of its id
            tmp_path / f".LATEST.{finished.pid}.tmp",
            tmp_path / "releases" / f".0123456789ab.{finished.pid}.tmp",
        ]
        alive = [tmp_path / f".building-{running.pid}-0123456789ab.duckdb", tmp_path / f".LATEST.{running.pid}.tmp"]
        young_zip = tmp_path / "releases" / "dataset-0123456789ab.zip.tmp"
        old_zip = tmp_path / "releases" / "dataset-ba9876543210.zip.tmp"
        reused = tmp_path / f".building-{running.pid}-ba9876543210.duckdb"
        kept = [tmp_path / "LATEST", tmp_path / "dataset-0123456789ab.duckdb", tmp_path / "releases" / "notes.tmp"]
        for path in [*dead, *alive, young_zip, old_zip, reused, *kept]:
            if path.name.endswith(".tmp") and path.parent.name == "releases" and path.name.startswith(".0"):
                path.mkdir()
            else:
                path.write_bytes(b"x")
        day_ago = time.time() - 2 * 24 * 3600
        for path in (old_zip, reused):
            os.utime(path, (day_ago, day_ago))
        removed = remove_stale_staging(tmp_path)
        assert sorted(removed) == sorted([*dead, old_zip, reused])
        assert all(p.exists() for p in [*alive, young_zip, *kept])
    finally:
        running.kill()
        running.wait()
