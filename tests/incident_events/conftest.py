"""Fixtures for the event-data tests: a reference-only data dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import make_reference_dir


@pytest.fixture(scope="session")
def events_reference_dir(tmp_path_factory) -> Path:
    return make_reference_dir(tmp_path_factory.mktemp("events-reference"))
