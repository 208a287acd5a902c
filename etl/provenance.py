"""Provenance files (``<file>.provenance.json``) beside every source, and their checksums."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from etl.errors import SourceError

SUFFIX = ".provenance.json"
REQUIRED_KEYS = ("source_id", "file", "layout", "publisher", "title", "licence", "retrieved", "measures", "sha256")


@dataclass(frozen=True)
class Provenance:
    """What a source file is, who published it, and the checksum it must still have."""

    path: Path
    meta: dict

    @property
    def source_id(self) -> str:
        return self.meta["source_id"]

    @property
    def layout(self) -> str:
        return self.meta["layout"]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def provenance_path(path: Path) -> Path:
    return path.with_name(path.name + SUFFIX)


def read_provenance(path: Path) -> Provenance:
    """Read and check the provenance file beside ``path``; refuse a file whose checksum moved."""
    meta_path = provenance_path(path)
    if not meta_path.exists():
        raise SourceError(f"{path.name}: no provenance file beside it ({meta_path.name}). Every source needs one.")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"{meta_path.name}: not valid UTF-8 JSON ({exc.__class__.__name__}).") from None
    missing = [key for key in REQUIRED_KEYS if not meta.get(key)]
    if missing:
        raise SourceError(f"{meta_path.name}: provenance lacks {', '.join(missing)}.")
    actual = sha256_of(path)
    if actual != meta["sha256"]:
        raise SourceError(
            f"{path.name}: its SHA-256 checksum no longer matches its provenance file "
            f"(recorded {meta['sha256'][:12]}…, now {actual[:12]}…). The file changed without its provenance "
            f"being updated. If the change is intended, update the provenance (what changed, when retrieved) "
            f"and run `python -m etl rehash {path.name}`."
        )
    return Provenance(path=path, meta=meta)


def discover(data_dir: Path) -> list[Provenance]:
    """Every source under ``data_dir`` that has a provenance file, in a stable order."""
    found = []
    for meta_path in sorted(data_dir.rglob("*" + SUFFIX)):
        source = meta_path.with_name(meta_path.name[: -len(SUFFIX)])
        if not source.exists():
            raise SourceError(f"{meta_path.name}: describes {source.name}, which is not there.")
        found.append(read_provenance(source))
    ids = [p.source_id for p in found]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SourceError(f"Two provenance files claim the same source_id: {', '.join(duplicates)}.")
    return found


def rehash(path: Path) -> str:
    """Record the file's current checksum in its provenance file (after a deliberate change)."""
    meta_path = provenance_path(path)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["sha256"] = sha256_of(path)
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return meta["sha256"]
