"""Where the published dataset lives and which file is current.

The ETL publishes into one folder: ``dataset-<version>.duckdb`` files, a ``LATEST`` pointer naming the
current one (replaced atomically, see ``etl/publish.py``), and ``releases/`` with the open-data release of
each version. Readers open the file ``LATEST`` names.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The one setting that tells the ETL where to publish and the dashboard where to read.
DATA_DIR_ENV = "DASHBOARD_DATA_DIR"
DEFAULT_PUBLISHED_DIR = Path(__file__).resolve().parent.parent / "published"
POINTER = "LATEST"
RELEASES = "releases"


def published_dir() -> Path:
    """The published-dataset directory: ``$DASHBOARD_DATA_DIR`` or ``./published``."""
    configured = os.environ.get(DATA_DIR_ENV)
    return Path(configured).resolve() if configured else DEFAULT_PUBLISHED_DIR


def dataset_name(version: str) -> str:
    return f"dataset-{version}.duckdb"


def current_database(out_dir: Path) -> Path | None:
    """The database file ``LATEST`` points at, or None when nothing has been published."""
    try:
        name = (out_dir / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    path = out_dir / name
    return path if name and path.exists() else None


def release_folder(out_dir: Path) -> Path:
    """Where the open-data releases of the datasets published in ``out_dir`` are."""
    return out_dir / RELEASES
