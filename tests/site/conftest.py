"""Helpers of the static-site tests (the session's site itself, ``built_site``, is in tests/conftest.py: the
deployment tests serve it too)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from dashboard.site.build import Result, switch_latest
from dashboard.site.urls import SITE_DIR


def copy_published(source: Path, target: Path) -> Path:
    """The published folder without its site (a build makes its own)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site"))
    return target


def install_site(built: Result, published: Path) -> Result:
    """``built``'s site copied into ``published`` (a copy of the same release) as a build there would leave it:
    the version's folder, and ``latest`` switched to it. Building the same release twice gives the same files, so
    the tests that need a site in a folder of their own copy the session's instead of building it again."""
    target = published / SITE_DIR / built.version
    if not target.is_dir():
        shutil.copytree(built.folder, target, symlinks=True)
    switch_latest(published / SITE_DIR, built.version)
    return dataclasses.replace(built, folder=target)
