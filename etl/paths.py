"""Where the project keeps its inputs (the published folder is ``dataset.location``'s)."""

from __future__ import annotations

from pathlib import Path

from dataset.location import DATA_DIR_ENV, published_dir

__all__ = ["CONTRACTS_DIR", "DATA_DIR", "DATA_DIR_ENV", "PROJECT_ROOT", "published_dir"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
CONTRACTS_DIR = DATA_DIR / "contracts"
