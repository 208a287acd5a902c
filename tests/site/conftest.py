"""The static site built once from the shipped data, in a copy of the session's published folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.site.build import Result, build


def copy_published(source: Path, target: Path) -> Path:
    """The published folder without its site (a build makes its own)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site"))
    return target


@pytest.fixture(scope="session")
def built_site(published_dir, tmp_path_factory) -> Result:
    out = copy_published(published_dir, tmp_path_factory.mktemp("site") / "published")
    return build(out)
