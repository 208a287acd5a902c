"""Session fixtures for the case-log tests: a small reference data dir and one generated 50,000-row log."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from etl.build import BuildResult
from etl.caselog_generate import generate

from .helpers import build, make_reference_dir

GENERATED_ROWS, GENERATED_SEED = 50_000, 7


@dataclass
class Built:
    out: Path
    log: Path
    result: BuildResult

    @property
    def source_id(self) -> str:
        return self.result.case_logs[0].source_id


@pytest.fixture(scope="session")
def reference_dir(tmp_path_factory) -> Path:
    """Only the reference tables (platforms, aliases, categories, category map): builds take a second."""
    return make_reference_dir(tmp_path_factory.mktemp("reference-data"))


@pytest.fixture(scope="session")
def generated_build(tmp_path_factory, reference_dir) -> Built:
    """A generated 50,000-row log, built with the default k = 5."""
    folder = tmp_path_factory.mktemp("generated")
    log = generate(GENERATED_ROWS, GENERATED_SEED, folder / "generated_log.csv")
    out = folder / "published"
    return Built(out, log, build(out, [log], reference_dir))


@pytest.fixture(scope="session")
def generated_input(generated_build) -> pd.DataFrame:
    """The generated log as read back with pandas (all text)."""
    return pd.read_csv(generated_build.log, dtype=str, keep_default_na=False)
