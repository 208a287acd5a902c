"""Identifier-like values (personal data) that aggregate inputs must never contain."""

from __future__ import annotations

import re

import pandas as pd

# Ordered: the first pattern that matches names the rule. Each is anchored on word-ish
# boundaries so that ordinary counts ("1,135,814") and years never match. Each runs in time linear in
# the value's length (a hostile file may hold 100,000-character values): a match may only start where
# its leading run starts, so a failed attempt is never retried from every position inside the run.
IDENTIFIER_PATTERNS: dict[str, re.Pattern[str]] = {
    "pii_email": re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+"),
    "pii_cnic": re.compile(r"(?<!\d)(?:\d{5}-\d{7}-\d|\d{13})(?!\d)"),
    "pii_phone": re.compile(r"(?<![\w+])(?:\+92|0092|0)[\s-]?3\d{2}[\s-]?\d{7}(?!\d)|(?<!\w)\+\d[\d\s-]{8,}\d"),
    "pii_ip_address": re.compile(
        r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])|\b[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{0,4}){5,7}\b"
    ),
    "pii_url": re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE),
    "pii_handle": re.compile(r"(?<![\w@])@[A-Za-z0-9_]{2,}"),
}

#: Which checks apply to which kind of text column (contract field ``x-text-kind``).
CHECKS_BY_KIND: dict[str, tuple[str, ...]] = {
    "label": tuple(IDENTIFIER_PATTERNS),
    "free_text": tuple(k for k in IDENTIFIER_PATTERNS if k != "pii_url"),  # notes may cite documents
    "uri": (),  # validated by its own pattern
    "geometry": (),
}


def identifier_rule(values: pd.Series, kind: str) -> pd.Series:
    """For each value, the name of the first identifier rule it breaks, or NA.

    Checked once per distinct value: source labels repeat (countries, products, reasons).
    """
    distinct = values.dropna().unique()
    found: dict[str, str] = {}
    for value in distinct:
        for rule in CHECKS_BY_KIND.get(kind, CHECKS_BY_KIND["label"]):
            if IDENTIFIER_PATTERNS[rule].search(value):
                found[value] = rule
                break
    if not found:
        return pd.Series(pd.NA, index=values.index, dtype="string")
    return values.map(found).astype("string")
