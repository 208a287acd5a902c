"""Message catalogues: extract the strings to translate and update the English and Urdu ``.po`` files.

``python -m dashboard.catalogue`` (``make messages``): the ``dashboard`` domain is every ``_("…")``,
``ngettext(…)`` and ``pgettext(…)`` in the code (Babel's Python extractor); the ``contracts`` domain is the data dictionary (each table's title and
description, each column's description, from ``data/contracts`` and the ETL's own tables) and the labels
of the reference tables shown on the pages (category names, province names). Existing translations are
kept, and an edited msgid keeps its old translation as a fuzzy suggestion (``pybabel update``'s rule); new
strings arrive empty in the Urdu catalogue and a test fails until they are translated and not fuzzy.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = Path(__file__).parent / "locale"
LANGS = ("en", "ur")
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)


# the briefing pack has its own domain
BRIEFING_FILES = (
    "briefing/__init__.py",
    "briefing/__main__.py",
    "briefing/figures.py",
    "briefing/words.py",
    "app_pages/briefing.py",
)


#: The translation functions the extractor looks for, with where their messages are (Babel's keyword specs).
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


class Key(NamedTuple):
    """A message with a context (``pgettext``): the same English word in another sense."""

    id: str
    context: str


def code_messages(domain: str = "dashboard") -> dict[str | tuple[str, str] | Key, list[tuple[str, int]]]:
    """msgid → places, for every ``_()``, ``ngettext()`` (msgid a (singular, plural) pair) and ``pgettext()`` (a
    ``Key``) call in the dashboard's Python files of ``domain``."""
    found: dict = {}
    method_map = [("**.py", "python")]
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(Path(__file__).parent), method_map, keywords=KEYWORDS
    ):
        in_briefing = filename.replace("\\", "/") in BRIEFING_FILES
        if message and all(message) and in_briefing == (domain == "briefing"):
            # pgettext takes a single message (no plural), so a message with a context is always a str
            key = Key(message, context) if context and isinstance(message, str) else message
            found.setdefault(key, []).append((f"dashboard/{filename}", lineno))
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


def update(domain: str, messages: dict) -> dict[str, int]:
    """Write ``<lang>/LC_MESSAGES/<domain>.po`` for each language: the current msgids, translations kept.

    As ``pybabel update``: a msgid that changed a little (one word of the English edited) keeps the translation
    of the old one as a *fuzzy* suggestion, which the runtime does not show and a test flags until a translator
    confirms it; messages gone from the code are dropped.
    """
    counts = {}
    for lang in LANGS:
        path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
        template = _catalog(lang, domain)
        for message, locations in sorted(messages.items(), key=lambda item: str(item[0])):
            msgid, context = (message.id, message.context) if isinstance(message, Key) else (message, None)
            template.add(msgid, locations=locations, context=context)
        catalog = _catalog(lang, domain)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=lang, domain=domain)
        # English msgstrs are empty ("as the msgid"): nothing to suggest there
        catalog.update(template, no_fuzzy_matching=lang == "en", update_creation_date=False)
        catalog.creation_date = catalog.revision_date = FIXED_DATE  # a catalogue changes only when its messages do
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(
                handle,
                catalog,
                width=110,
                omit_header=False,
                sort_output=True,
                include_lineno=False,
                ignore_obsolete=True,
                include_previous=True,  # the old English beside a fuzzy suggestion, for the translator
            )
        counts[lang] = sum(1 for m in catalog if m.id and (not all(_strings(m)) or m.fuzzy))
    return counts


def _strings(message) -> tuple:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _catalog(lang: str, domain: str) -> Catalog:
    return Catalog(
        locale=lang,
        domain=domain,
        project="Pakistan takedowns and militancy transparency dashboard",
        version="1",
        copyright_holder="the dashboard's contributors",
        msgid_bugs_address="the project's issue tracker",
        last_translator="the dashboard's contributors",
        language_team=f"{lang}",
        creation_date=FIXED_DATE,
        revision_date=FIXED_DATE,
        charset="utf-8",
    )


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
