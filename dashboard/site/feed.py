"""Release-level files: what each release changed (``release.json``), every release (``versions.json``), an Atom
feed with one entry per release and per published correction (``feed.atom``), and a ``sitemap.xml``.

Each version's site keeps its own ``release.json``; the feed and the version list of a new build are made from
those of the versions already built plus its own, so ``latest/feed.atom`` lists every release while a pinned
version's feed stays as it was published.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pandas as pd

from dashboard import queries
from dashboard.site.urls import LATEST, SITE_DIR, checked_version, published_site_versions, site_url

ATOM = "http://www.w3.org/2005/Atom"
FEED_TITLE = "Pakistan takedowns and militancy transparency dashboard: releases"


def _iso(value) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def _previous_sources(published: Path, previous: str | None) -> set[str] | None:
    """The source ids of the release compared with: from its site's record, else from its published release."""
    if not previous:
        return None
    record = published / SITE_DIR / previous / "release.json"
    if record.is_file():
        return set(json.loads(record.read_text(encoding="utf-8")).get("sources", []))
    table = published / "releases" / previous / "data" / "sources.csv"
    if table.is_file():
        return set(pd.read_csv(table, comment="#", encoding="utf-8-sig")["source_id"].astype(str))
    return None


def release_record(published: Path, info: dict, corrections: pd.DataFrame | None) -> dict:
    """What this release is and what changed since the one before it (rows added, removed and revised per
    table, each revised figure before and after, sources added, the corrections it publishes)."""
    changes = queries.release_changes()
    revisions = queries.release_revisions()
    sources = sorted(queries.sources()["source_id"].astype(str))
    previous = next((v for v in changes["previous_version"].dropna().astype(str)), None)
    before = _previous_sources(published, previous)
    return {
        "version": info["dataset_version"],
        "built_at": _iso(info["built_at"]),
        "previous_version": previous,
        "changes": [
            {k: (None if pd.isna(v) else (int(v) if isinstance(v, int | float) else str(v))) for k, v in row.items()}
            for row in changes.to_dict(orient="records")
        ],
        "revisions": [
            {k: (None if pd.isna(v) else str(v)) for k, v in row.items()} for row in revisions.to_dict(orient="records")
        ],
        "sources": sources,
        "sources_added": sorted(set(sources) - before) if before is not None else None,
        "corrections": _first_published_in(corrections, info["dataset_version"]),
    }


def _first_published_in(corrections: pd.DataFrame | None, version: str) -> list[dict]:
    """The corrections a release publishes for the first time. The log is cumulative (every release carries all
    of it) and each row names the release that first carried it (``release_version``), so a correction is one
    entry of the feed, under that release, not one per release."""
    if corrections is None or corrections.empty:
        return []
    if "release_version" in corrections.columns:
        first = corrections["release_version"].astype("string")
        corrections = corrections[first.isna() | (first == version)]
    return [{k: (None if pd.isna(v) else str(v)) for k, v in row.items()} for row in corrections.to_dict("records")]


def _records(site: Path, own: dict) -> list[dict]:
    found = {own["version"]: own}
    for version in published_site_versions(site.parent):
        path = site / version / "release.json"
        if version not in found and path.is_file():
            found[version] = json.loads(path.read_text(encoding="utf-8"))
    return sorted(found.values(), key=lambda r: (r["built_at"], r["version"]), reverse=True)


def versions(records: list[dict]) -> dict:
    base = site_url()
    return {
        "latest": records[0]["version"],
        "latest_url": f"{base}/{LATEST}/",
        "versions": [
            {
                "version": r["version"],
                "built_at": r["built_at"],
                "url": f"{base}/{r['version']}/",
                "datapackage": f"{base.rsplit('/', 1)[0]}/releases/{r['version']}/datapackage.json",
                "zip": f"{base.rsplit('/', 1)[0]}/releases/dataset-{r['version']}.zip",
                "previous_version": r.get("previous_version"),
            }
            for r in records
        ],
    }


def entry_text(record: dict) -> list[str]:
    """The lines of a release's feed entry: rows added, removed and revised; each revised figure; sources added."""
    lines = []
    previous = record.get("previous_version")
    if not previous:
        lines.append("First release published.")
    for change in record.get("changes", []):
        if any(change.get(k) for k in ("rows_added", "rows_removed", "rows_revised")):
            lines.append(
                f"{change['table_name']}: {change['rows_added']} rows added, {change['rows_removed']} removed, "
                f"{change['rows_revised']} revised (compared with release {previous})."
            )
    for revision in record.get("revisions", []):
        lines.append(
            f"Revised in {revision['table_name']}: {revision['row_key']}, {revision['column']}: "
            f"{revision['value_before']} → {revision['value_after']}."
        )
    added = record.get("sources_added")
    if added:
        lines.append("Sources added: " + ", ".join(added) + ".")
    if previous and len(lines) == 0:
        lines.append(f"No figure changed since release {previous}.")
    return lines


def _entry(entry_id: str, title: str, updated: str, link: str, lines: list[str]) -> str:
    content = "".join(f"<p>{xml_escape(line)}</p>" for line in lines)
    return (
        "<entry>"
        f"<id>{xml_escape(entry_id)}</id>"
        f"<title>{xml_escape(title)}</title>"
        f"<updated>{updated}</updated>"
        f'<link rel="alternate" type="text/html" href="{xml_escape(link, {chr(34): "&quot;"})}"/>'
        f"<summary>{xml_escape(' '.join(lines))}</summary>"
        f'<content type="html">{xml_escape(content)}</content>'
        "</entry>\n"
    )


def atom(records: list[dict]) -> str:
    base = site_url()
    entries = []
    for record in records:
        version = record["version"]
        entries.append(
            _entry(
                f"{base}/{version}/",
                f"Release {version}",
                record["built_at"],
                f"{base}/{version}/",
                entry_text(record),
            )
        )
        for correction in record.get("corrections", []):
            text = [f"{k}: {v}" for k, v in correction.items() if v]
            digest = hashlib.sha256(json.dumps(correction, sort_keys=True).encode()).hexdigest()[:16]
            when = correction.get("corrected_on") or next(
                (v for v in correction.values() if v and re.match(r"^\d{4}-\d{2}-\d{2}", str(v))), None
            )
            link = correction.get("evidence_url") or next(
                (v for v in correction.values() if v and str(v).startswith(("http://", "https://"))), None
            )
            entries.append(
                _entry(
                    f"{base}/{version}/#correction-{digest}",
                    f"Correction published with release {version}",
                    _iso(when) if when and _parses(when) else record["built_at"],
                    link or f"{base}/{version}/",
                    text,
                )
            )
    updated = records[0]["built_at"]
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="{ATOM}">\n'
        f"<id>{xml_escape(base)}/{LATEST}/feed.atom</id>\n"
        f"<title>{xml_escape(FEED_TITLE)}</title>\n"
        f"<updated>{updated}</updated>\n"
        "<author><name>Pakistan takedowns and militancy transparency dashboard</name></author>\n"
        f'<link rel="self" type="application/atom+xml" href="{xml_escape(base)}/{LATEST}/feed.atom"/>\n'
        f'<link rel="alternate" type="text/html" href="{xml_escape(base)}/{LATEST}/"/>\n'
        + "".join(entries)
        + "</feed>\n"
    )


def _parses(value: str) -> bool:
    try:
        pd.Timestamp(value)
    except (ValueError, TypeError):
        return False
    return True


def sitemap(version: str, page_paths: list[str], lastmod: str) -> str:
    base = f"{site_url()}/{checked_version(version)}"
    urls = "".join(
        f"<url><loc>{xml_escape(base)}/{xml_escape(path)}</loc><lastmod>{lastmod[:10]}</lastmod></url>\n"
        for path in page_paths
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    )


def write_release_files(folder: Path, site: Path, record: dict, page_paths: list[str]) -> None:
    records = _records(site, record)
    (folder / "versions.json").write_text(json.dumps(versions(records), indent=1) + "\n", encoding="utf-8")
    (folder / "feed.atom").write_text(atom(records), encoding="utf-8")
    (folder / "sitemap.xml").write_text(sitemap(record["version"], page_paths, record["built_at"]), encoding="utf-8")
    # Last: a version's record is what makes it count as built (and what later feeds are made from).
    (folder / "release.json").write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
