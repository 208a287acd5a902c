"""Which kind of input a file is, which layout and which release of it, read from the file itself.

Three kinds of input reach the build: published **sources** (``data/sources/``, one adapter per layout in
``etl/adapters/``), an agency's **case log** (``etl/caselog/``) and an **event export** from ACLED, UCDP GED or
GTD (``etl/incident_events/``). ``recognise`` answers for any file, from its header alone; ``validate``
and the provenance the build drafts for a file given without one (``draft_provenance``) both start here.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from etl.errors import SourceError
from etl.provenance import Provenance, provenance_path, read_provenance, sha256_of


@dataclass(frozen=True)
class Recognised:
    """What a file is: its kind, the layout (the provenance file's ``layout``), the release of that layout,
    where that release is documented, and the table(s) it would be published into."""

    kind: str  # "source", "case_log" or "events"
    layout: str
    release: str
    documented: str
    publishes_into: str
    encoding: str = "utf-8"
    details: dict = field(default_factory=dict)


#: What is known of each layout's publisher, for a provenance file drafted from the layout alone.
KNOWN = {
    "acled_export": {
        "publisher": "ACLED (Armed Conflict Location & Event Data)",
        "title": "ACLED export",
        "url": "https://acleddata.com/",
        "licence": "ACLED Terms of Use, as accepted with the account: only monthly aggregates are published, "
        "never rows, with ACLED named",
        "measures": "Political violence and demonstration events (ACLED export)",
    },
    "ucdp_ged": {
        "publisher": "Uppsala Conflict Data Program (UCDP), Uppsala University",
        "title": "UCDP Georeferenced Event Dataset (GED) export",
        "url": "https://ucdp.uu.se/downloads/",
        "licence": "CC BY 4.0 (UCDP): may be republished with attribution to UCDP and its citations",
        "measures": "UCDP GED events of organised violence (lethal events above UCDP's thresholds)",
    },
    "gtd": {
        "publisher": "START, University of Maryland (Global Terrorism Database)",
        "title": "Global Terrorism Database (GTD) export",
        "url": "https://www.start.umd.edu/gtd/",
        "licence": "GTD End User Agreement (START): public redistribution of the data is restricted; only "
        "monthly aggregates are published, never rows, with START named",
        "measures": "Terrorist attacks (GTD)",
    },
    "case_log": {
        "publisher": "not stated: the agency whose log this is",
        "title": "Case log of removal requests",
        "url": "",
        "licence": "not stated: who allows its monthly aggregates to be published",
        "measures": "Removal requests sent, published only as monthly aggregates with disclosure control",
    },
}
ASSUMED_NOTE = (
    "Drafted by the build from the recognised layout ({release}). 'retrieved' is the file's modification date, "
    "assumed: put the date you exported it, and check publisher, title and licence. Editing this file needs no "
    "rehash; changing the data file does (python -m etl rehash FILE)."
)


def recognise(path: Path) -> Recognised:
    """The kind, layout and release of ``path`` from its header; SourceError naming the closest layout if none."""
    from etl import incident_events
    from etl.inputs import KINDS

    if not path.exists():
        raise SourceError(f"{path.name}: no such file.")
    for encoding in ("utf-8", "latin-1"):  # GTD's own CSV is often Latin-1
        try:
            header = incident_events.file_header(path, encoding)
        except SourceError:
            continue
        names = {h.strip() for h in header}
        for kind in KINDS.values():
            if kind.recognise(names):
                encoding = _whole_file_encoding(path, encoding)
                found = kind.describe(path, header, encoding)
                return Recognised(
                    kind.name,
                    found.layout,
                    found.release,
                    found.documented,
                    kind.publishes_into,
                    encoding,
                    found.details,
                )
        break
    return _source(path)


def _whole_file_encoding(path: Path, header_encoding: str) -> str:
    """UTF-8 only if the whole file decodes as UTF-8 (a Latin-1 export can have a plain ASCII header and its
    first accented name a megabyte in), else Latin-1. Parquet carries its own encoding."""
    if header_encoding != "utf-8" or path.suffix.lower() == ".parquet":
        return header_encoding
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8"


def _source(path: Path) -> Recognised:
    from etl.adapters import recognise as recognise_header
    from etl.adapters import registry
    from etl.readers import read_csv_text

    if path.suffix == ".geojson":
        layout, version = registry()["geojson_boundaries"], None
    else:
        layout, version = recognise_header(read_csv_text(path).header, path.name)
    return Recognised(
        "source",
        layout.name,
        version.name if version else layout.current,
        (version.documented if version else layout.documented) or "data/contracts and the README",
        layout.table,
    )


def provenance_or_draft(path: Path, kind: str, strict: bool) -> tuple[Provenance, bool]:
    """The file's provenance; without one, a draft from its recognised layout, written beside it (not under
    ``strict``, which refuses the file as before). Returns (provenance, drafted)."""
    if provenance_path(path).exists() or strict:
        return read_provenance(path), False
    found = recognise(path)
    if found.kind != kind:
        wanted = {"events": "--events", "case_log": "--case-log"}
        given = wanted.get(found.kind, "data/sources/ with a provenance file")
        raise SourceError(
            f"{path.name}: given as {wanted.get(kind, kind)}, but its header is the {found.layout} layout "
            f"({found.release}): give it as {given}."
        )
    meta = draft_provenance(path, found)
    provenance_path(path).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return read_provenance(path), True


def draft_provenance(path: Path, found: Recognised) -> dict:
    """A provenance record for ``path`` from what its layout tells: publisher, title, URL, licence; the file's
    date as ``retrieved``, marked as assumed; its checksum."""
    known = KNOWN[found.layout]
    modified = datetime.fromtimestamp(path.stat().st_mtime, UTC).date().isoformat()
    meta = {
        "source_id": re.sub(r"[^a-z0-9]+", "_", path.stem.lower()).strip("_") or "export",
        "file": path.name,
        "layout": found.layout,
        "publisher": known["publisher"],
        "title": f"{known['title']}: {path.name}",
        "url": known["url"],
        "licence": known["licence"],
        "retrieved": modified,
        "retrieved_assumed": True,
        "measures": known["measures"],
        "layout_release": found.release,
        "drafted": ASSUMED_NOTE.format(release=found.release),
        "sha256": sha256_of(path),
    }
    if found.encoding != "utf-8":
        meta["encoding"] = found.encoding
    return meta
