"""Atomic publish: a finished database file is renamed into place and a pointer swapped.

Readers open ``<dir>/<name in LATEST>``. A new build is written to a hidden staging file, checkpointed
and closed, renamed to ``dataset-<version>.duckdb`` and only then is ``LATEST`` replaced (``os.replace``
is atomic on POSIX). A build killed at any moment leaves the old pointer and the old file untouched.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import uuid
from pathlib import Path

from dataset.location import POINTER, current_database, dataset_name
from dataset.process import alive

__all__ = ["POINTER", "current_database", "dataset_name", "publish", "remove_stale_staging", "staging_path"]
KEEP_VERSIONS = 3  # older files stay for sessions that still read them, then go


STALE_STAGING_SECONDS = 24 * 3600  # a leftover whose process id is alive again (reused) still goes after this
UNOWNED_TEMP_SECONDS = 600  # temporary files that carry no process id (a zip being written) go after this

#: What a build writes before it publishes, with the process id of the build where the name has one.
_LEFTOVERS = (
    re.compile(r"^\.building-(?P<pid>\d+)(?:-[0-9a-f]+)?\.duckdb(?:\.wal)?$"),  # the database being built
    re.compile(r"^\.LATEST\.(?P<pid>\d+)\.tmp$"),  # the new pointer before it replaces LATEST
    re.compile(r"^\.[0-9a-f]+\.(?P<pid>\d+)\.tmp$"),  # releases/: a release folder being written
    re.compile(r"^dataset-[0-9a-f]+\.zip\.tmp$"),  # releases/: a release zip being written
)
_MINE: set[str] = set()  # staging names this process is building into right now


def staging_path(out_dir: Path) -> Path:
    """A fresh, unique file to build into (a killed build's leftover is never reused)."""
    path = out_dir / f".building-{os.getpid()}-{uuid.uuid4().hex[:12]}.duckdb"
    _MINE.add(path.name)
    return path


def remove_stale_staging(out_dir: Path) -> list[Path]:
    """Delete what killed builds left in ``out_dir``; return what was deleted.

    A leftover whose build is still running (its process id is alive, and it is not this process's own
    old file) is kept: two builds may share a folder. Files that carry no process id are kept while young.
    """
    removed = []
    now = time.time()
    for folder in (out_dir, out_dir / "releases"):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            match = next((m for m in (p.match(path.name) for p in _LEFTOVERS) if m), None)
            if match is None or path.name in _MINE or path.name.removesuffix(".wal") in _MINE:
                continue
            try:
                age = now - path.lstat().st_mtime
            except FileNotFoundError:
                continue
            pid = match.groupdict().get("pid")
            if pid is None:
                stale = age > UNOWNED_TEMP_SECONDS
            else:
                stale = int(pid) == os.getpid() or not alive(int(pid)) or age > STALE_STAGING_SECONDS
            if stale:
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def publish(built: Path, out_dir: Path, version: str) -> Path:
    """Move the finished file into place and point ``LATEST`` at it."""
    target = out_dir / dataset_name(version)
    os.replace(built, target)
    _fsync_dir(out_dir)
    pointer_tmp = out_dir / f".{POINTER}.{os.getpid()}.tmp"
    with pointer_tmp.open("w", encoding="utf-8") as handle:
        handle.write(target.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pointer_tmp, out_dir / POINTER)
    _fsync_dir(out_dir)
    _prune(out_dir, keep=target.name)
    return target


def _prune(out_dir: Path, keep: str) -> None:
    files = sorted(out_dir.glob("dataset-*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [f for f in files if f.name != keep][KEEP_VERSIONS - 1 :]:
        old.unlink(missing_ok=True)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
