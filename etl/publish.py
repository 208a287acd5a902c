"""Atomic publish: a finished database file is renamed into place and a pointer swapped.

Readers open ``<dir>/<name in LATEST>``. A new build is written to a hidden staging file, checkpointed
and closed, renamed to ``dataset-<version>.duckdb`` and only then is ``LATEST`` replaced (``os.replace``
is atomic on POSIX). A build killed at any moment leaves the old pointer and the old file untouched.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

POINTER = "LATEST"
KEEP_VERSIONS = 3  # older files stay for sessions that still read them, then go


STALE_STAGING_SECONDS = 24 * 3600


def staging_path(out_dir: Path) -> Path:
    """A fresh, unique file to build into (a killed build's leftover is never reused)."""
    return out_dir / f".building-{os.getpid()}-{uuid.uuid4().hex[:12]}.duckdb"


def dataset_name(version: str) -> str:
    return f"dataset-{version}.duckdb"


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


def current_database(out_dir: Path) -> Path | None:
    """The database file ``LATEST`` points at, or None when nothing has been published."""
    try:
        name = (out_dir / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    path = out_dir / name
    return path if name and path.exists() else None


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
