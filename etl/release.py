"""Open-data release: the published dataset as a documented, checksummed data package.

For each dataset version: ``releases/<version>/`` holding one CSV (safe writer: BOM, CRLF, formulas
neutralised) and one Parquet per table under ``data/``, a ``datapackage.json`` (Frictionless Data
Package) generated from the same contracts the ETL validates with, a README, ``SHA256SUMS``, and
``releases/dataset-<version>.zip``. Rows are written sorted and the zip with fixed timestamps, so the
same input gives byte-identical data files and the same checksums.
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import duckdb

from dataset.safe_csv import write_csv
from dataset.tables import SYSTEM_TABLES
from etl.contracts import all_contracts, quote
from etl.provenance import sha256_of

PACKAGE_NAME = "pk-takedowns-militancy"
TYPES = {
    "VARCHAR": "string",
    "BIGINT": "integer",
    "INTEGER": "integer",
    "HUGEINT": "integer",
    "DOUBLE": "number",
    "DATE": "date",
    "BOOLEAN": "boolean",
    "TIMESTAMP": "datetime",
}
EXCLUDED_COLUMNS = {"build_info": ["built_at"]}  # time of the build: in datapackage.json, not in the data files


def export_release(database: Path, out_dir: Path) -> Path:
    """Write the release folder and zip for ``database`` into ``out_dir/releases``; return the zip."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        version, built_at = con.execute("SELECT dataset_version, built_at FROM build_info").fetchone()
        releases = out_dir / "releases"
        final, archive = releases / version, releases / f"dataset-{version}.zip"
        if final.exists() and archive.exists():
            return archive  # a release is immutable: same version, same files
        staging = releases / f".{version}.{os.getpid()}.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        (staging / "data").mkdir(parents=True)
        resources = []
        for table, schema, description in _tables(con):
            columns = [f["name"] for f in schema["fields"]]
            select = ", ".join(quote(c) for c in columns)
            con.execute(f"CREATE OR REPLACE TEMP VIEW release_rows AS SELECT {select} FROM {quote(table)} ORDER BY ALL")  # noqa: S608
            csv_path, parquet_path = staging / "data" / f"{table}.csv", staging / "data" / f"{table}.parquet"
            synthetic = (
                "synthetic" in columns
                and con.execute(
                    f"SELECT coalesce(bool_or(synthetic), false) FROM {quote(table)}"  # noqa: S608 (catalogue name)
                ).fetchone()[0]
            )
            comments = (
                ["ILLUSTRATIVE (SYNTHETIC) DATA: generated for demonstration, not real figures"] if synthetic else []
            )
            comments.append(f"Table {table}; dataset version {version}; see datapackage.json for sources and licences")
            write_csv(con, "release_rows", csv_path, comments)
            con.sql("SELECT * FROM release_rows").write_parquet(str(parquet_path), compression="zstd")
            resources.append(_resource(table, description, schema, csv_path, len(comments)))
        package = _package(con, version, built_at, resources)
        (staging / "datapackage.json").write_text(
            json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        (staging / "README.md").write_text(_readme(package), encoding="utf-8")
        files = sorted(p for p in staging.rglob("*") if p.is_file())
        sums = "".join(
            f"{sha256_of(p)}  {p.relative_to(staging).as_posix()}\n" for p in files if p.parent.name == "data"
        )
        (staging / "SHA256SUMS").write_text(sums, encoding="utf-8")
        shutil.rmtree(final, ignore_errors=True)
        os.replace(staging, final)
        _zip(final, archive)
        return archive
    finally:
        con.close()


def _one_or_list(fields: list[str]) -> str | list[str]:
    return fields[0] if len(fields) == 1 else fields


def _tables(con: duckdb.DuckDBPyConnection):
    """(table, Table Schema, description) for every published table: contracts first, then the ETL's own."""
    described = {c.name: c for c in all_contracts()}
    for contract in described.values():
        schema = {k: v for k, v in contract.doc["schema"].items()}
        schema["fields"] = [{k: v for k, v in f.items() if not k.startswith("x-")} for f in contract.fields]
        if "foreignKeys" in schema:  # new dicts: the loaded contract (cached, used to validate) stays as it is
            schema["foreignKeys"] = [
                {
                    "fields": _one_or_list(fk["fields"]),
                    "reference": {**fk["reference"], "fields": _one_or_list(fk["reference"]["fields"])},
                }
                for fk in schema["foreignKeys"]
            ]
        yield contract.name, schema, contract.doc["description"]
    for table, (description, columns) in SYSTEM_TABLES.items():
        fields = []
        for name, column_type, *_ in con.execute(f"DESCRIBE {quote(table)}").fetchall():  # noqa: S608
            if name in EXCLUDED_COLUMNS.get(table, []):
                continue
            field = {"name": name, "type": TYPES.get(column_type, "string"), "description": columns[name]}
            fields.append(field)
        yield table, {"fields": fields, "missingValues": [""]}, description


def _resource(table: str, description: str, schema: dict, csv_path: Path, comment_lines: int) -> dict:
    return {
        "name": table,
        "path": f"data/{table}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "description": description,
        # the `# ` lines at the top are comment rows; the header follows them
        "dialect": {
            "delimiter": ",",
            "lineTerminator": "\r\n",
            "headerRows": [comment_lines + 1],
            "commentRows": list(range(1, comment_lines + 1)),
        },
        "hash": f"sha256:{sha256_of(csv_path)}",
        "bytes": csv_path.stat().st_size,
        "x-parquet": {"path": f"data/{table}.parquet", "note": "the same rows, exact values, for machines"},
        "x-comment-lines": comment_lines,
        "schema": schema,
    }


def _package(con: duckdb.DuckDBPyConnection, version: str, built_at, resources: list[dict]) -> dict:
    sources = con.execute(
        "SELECT title, coalesce(url, ''), publisher, licence FROM sources WHERE loaded_into IS NOT NULL ORDER BY source_id"
    ).fetchall()
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "Takedown requests and militant violence in Pakistan: published figures, cited",
        "description": "What Pakistan's authorities ask platforms to remove, how platforms respond, and how militant "
        "violence trends, from published aggregate figures with a citation per row.",
        "version": version,
        "created": built_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "title": "Creative Commons Attribution 4.0 (the curation)",
                "path": "https://creativecommons.org/licenses/by/4.0/",
            }
        ],
        "sources": [
            {"title": f"{publisher}: {title} ({licence})", **({"path": url} if url else {})}
            for title, url, publisher, licence in sources
        ],
        "resources": resources,
    }


def _readme(package: dict) -> str:
    lines = [
        f"# {package['title']}",
        "",
        f"Dataset version **{package['version']}**, built {package['created']}.",
        "",
        package["description"],
        "",
        "How to cite: " + f'"{package["title"]}", dataset version {package["version"]}, with the source named on '
        "each row (citation_url).",
        "",
        "## Files",
        "",
        "- `data/<table>.csv`: UTF-8 with BOM, CRLF, for spreadsheets. Lines starting with `# ` say what the file is. "
        "Text cells beginning with `=`, `+`, `-`, `@`, tab or carriage return carry a leading apostrophe so no "
        "spreadsheet runs them as formulas; numbers are untouched.",
        "- `data/<table>.parquet`: the same rows with exact values, for machines.",
        "- `datapackage.json`: Frictionless Data Package: every column's type, meaning and constraints, keys, sources and licences.",
        "- `SHA256SUMS`: checksums of the data files (`sha256sum -c SHA256SUMS`).",
        "",
        "## Caveats",
        "",
        "- Sources measure different things (PTA counts URLs; platforms count requests or items; PIPS and PICSS count "
        "different incidents): never add across them.",
        "- PTA figures are mostly running totals as of a date; the difference between two reports is not a flow.",
        "- `<10` and `?` in `*_qualifier` columns are values Google withheld; the number is then empty.",
        "- Case-log tables: cells with fewer than k requests, and cells that would reveal them, are withheld "
        "(see case_log_info for k and the rule). Rows flagged synthetic are illustrative, not real.",
        "",
        "## Tables",
        "",
    ]
    for resource in package["resources"]:
        lines.append(f"- **{resource['name']}**: {resource['description']}")
    return "\n".join(lines) + "\n"


def _zip(folder: Path, archive: Path) -> None:
    """A zip whose bytes depend only on the files: sorted names, fixed timestamps and permissions."""
    tmp = archive.with_name(archive.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(
                f"{folder.name}/{path.relative_to(folder).as_posix()}", date_time=(1980, 1, 1, 0, 0, 0)
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            bundle.writestr(info, path.read_bytes())
    os.replace(tmp, archive)
