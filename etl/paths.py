"""Where the project keeps its inputs and where the published dataset lives."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
CONTRACTS_DIR = DATA_DIR / "contracts"

#: The one setting that tells the ETL where to publish and the dashboard where to read.
DATA_DIR_ENV = "DASHBOARD_DATA_DIR"
DEFAULT_PUBLISHED_DIR = PROJECT_ROOT / "published"


def published_dir() -> Path:
    """The published-dataset directory: ``$DASHBOARD_DATA_DIR`` or ``./published``."""
    configured = os.environ.get(DATA_DIR_ENV)
    return Path(configured).resolve() if configured else DEFAULT_PUBLISHED_DIR
