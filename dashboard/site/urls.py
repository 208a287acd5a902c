"""Where the static site is and what its addresses are: shared by the site builder and the dashboard's share links.

Chart ids and file names come from the code (``registry.CHARTS``), never from data: a file name here is a
registry id checked against a strict pattern, so no label can become a path.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

SITE_DIR = "site"
LATEST = "latest"
LANGS = ("en", "ur")
#: The public address of the site folder, drawn into every image and used in the feed and the sitemap.
SITE_URL_ENV = "DASHBOARD_SITE_URL"
DEFAULT_SITE_URL = "http://localhost:8080/site"
#: The public address of the interactive dashboard (empty: the same host as the site, at ``/``).
DASHBOARD_URL_ENV = "DASHBOARD_PUBLIC_URL"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")
_VERSION = re.compile(r"^[0-9a-f]{6,64}$")


def site_url() -> str:
    return (os.environ.get(SITE_URL_ENV) or DEFAULT_SITE_URL).rstrip("/")


def dashboard_url() -> str:
    return (os.environ.get(DASHBOARD_URL_ENV) or "").rstrip("/")


def checked_id(chart_id: str) -> str:
    if not _ID.match(chart_id):
        raise ValueError(f"chart id {chart_id!r} cannot be a file name (lower-case letters, digits and '-')")
    return chart_id


def checked_version(version: str) -> str:
    if not _VERSION.match(version):
        raise ValueError(f"dataset version {version!r} is not a content hash")
    return version


def chart_file(chart_id: str, lang: str, suffix: str) -> str:
    """``<lang>/<chart>.<suffix>``: a chart's file inside a version's folder."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    return f"{lang}/{checked_id(chart_id)}.{suffix}"


def chart_url(chart_id: str, lang: str, suffix: str, version: str, base: str | None = None) -> str:
    """The address of a chart's file in one version (``version`` a hash) or in ``latest``."""
    folder = version if version == LATEST else checked_version(version)
    return f"{(base if base is not None else site_url()).rstrip('/')}/{folder}/{chart_file(chart_id, lang, suffix)}"


def published_site_versions(published: Path) -> list[str]:
    """The versions whose site is complete in ``published/site`` (a folder named by its hash)."""
    root = published / SITE_DIR
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.is_symlink() and _VERSION.match(p.name))
