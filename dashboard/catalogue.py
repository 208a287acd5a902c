"""Message catalogues: extract the strings to translate and update the English and Urdu ``.po`` files.

``python -m dashboard.catalogue`` (``make messages``): the ``dashboard`` domain is every ``_("…")`` in the
code (Babel's Python extractor); the ``contracts`` domain is the data dictionary (each table's title and
description, each column's description, from ``data/contracts`` and the ETL's own tables) and the labels
of the reference tables shown on the pages (category names, province names). Existing translations are
kept; new strings arrive empty in the Urdu catalogue and a test fails until they are translated.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = Path(__file__).parent / "locale"
LANGS = ("en", "ur")
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)


# the briefing pack has its own domain
BRIEFING_FILES = ("briefing.py", "briefing_figures.py", "briefing_words.py", "app_pages/briefing.py")


def code_messages(domain: str = "dashboard") -> dict[str, list[tuple[str, int]]]:
    """msgid → places, for every ``_()`` call in the dashboard's Python files of ``domain``."""
    found: dict[str, list[tuple[str, int]]] = {}
    method_map = [("**.py", "python")]
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(Path(__file__).parent), method_map, keywords={"_": None, "N_": None}
    ):
        in_briefing = filename.replace("\\", "/") in BRIEFING_FILES
        if isinstance(message, str) and message and in_briefing == (domain == "briefing"):
            found.setdefault(message, []).append((f"dashboard/{filename}", lineno))
    return found


def contract_messages() -> dict[str, list[tuple[str, int]]]:
    """The data dictionary and the reference labels the pages show."""
    from dataset.tables import SUPPRESSION_RULE, SYSTEM_TABLES

    found: dict[str, list[tuple[str, int]]] = {}

    def add(text: str | None, where: str) -> None:
        if text:
            found.setdefault(text, []).append((where, 0))

    for path in sorted((ROOT / "data" / "contracts").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        where = f"data/contracts/{path.name}"
        add(doc.get("title"), where)
        add(doc.get("description"), where)
        for field in doc["schema"]["fields"]:
            add(field.get("description"), where)
    for description, columns in SYSTEM_TABLES.values():
        add(description, "dataset/tables.py")
        for text in columns.values():
            add(text, "dataset/tables.py")
    add(SUPPRESSION_RULE, "dataset/tables.py")
    for table, column in (("categories", "name"), ("regions", "name")):
        with (ROOT / "data" / "reference" / f"{table}.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                add(row[column], f"data/reference/{table}.csv")
    return found


def update(domain: str, messages: dict[str, list[tuple[str, int]]]) -> dict[str, int]:
    """Write ``<lang>/LC_MESSAGES/<domain>.po`` for each language: current msgids, translations kept."""
    counts = {}
    for lang in LANGS:
        path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
        old = {}
        if path.exists():
            with path.open("rb") as handle:
                old = {m.id: m.string for m in read_po(handle) if m.id}
        catalog = Catalog(
            locale=lang,
            domain=domain,
            project="Pakistan takedowns and militancy transparency dashboard",
            version="1",
            copyright_holder="the dashboard's contributors",
            msgid_bugs_address="the project's issue tracker",
            last_translator="the dashboard's contributors",
            language_team=f"{lang}",
            creation_date=FIXED_DATE,  # fixed: a catalogue changes only when its messages do
            revision_date=FIXED_DATE,
            charset="utf-8",
        )
        for message, locations in sorted(messages.items()):
            catalog.add(message, old.get(message, ""), locations=locations)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=110, omit_header=False, sort_output=True, include_lineno=False)
        counts[lang] = sum(1 for m in catalog if m.id and not m.string)
    return counts


def main() -> None:
    domains = (
        ("dashboard", code_messages()),
        ("contracts", contract_messages()),
        ("briefing", code_messages("briefing")),
    )
    for domain, messages in domains:
        if domain == "briefing" and not messages:
            continue
        untranslated = update(domain, messages)
        print(f"{domain}: {len(messages)} messages; untranslated: {untranslated}")


if __name__ == "__main__":
    main()
