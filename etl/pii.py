"""Identifier-like values (personal data) that aggregate inputs must never contain."""

from __future__ import annotations

import ipaddress
import re
from typing import Protocol
from urllib.parse import unquote_plus, urlsplit

import pandas as pd


class Finder(Protocol):
    """What an identifier check offers: ``search`` gives something true when ``text`` holds the identifier."""

    def search(self, text: str, /) -> object: ...


class _IPAddress:
    """IPv4 by its dotted pattern; IPv6 by the ``ipaddress`` module, which knows every compressed form
    (``2001:db8::1``, ``::1``, ``::ffff:192.0.2.1``) that a pattern would have to spell out. Candidates are
    whole runs of hex digits, colons and dots with at least two colons ("10:30" and "1:2" never are)."""

    _IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
    # A run may only start where no letter, digit or run character precedes it: linear time.
    _RUN = re.compile(r"(?<![\w:.])[0-9A-Fa-f:.]+")
    _WORD = re.compile(r"\w")

    def search(self, text: str, /) -> str | None:
        found = self._IPV4.search(text)
        if found:
            return found.group()
        for run in self._RUN.finditer(text):
            candidate = run.group().rstrip(".")  # a sentence's full stop
            if candidate.count(":") < 2 or self._WORD.match(text, run.end()) or candidate.strip(":") == "":
                continue  # a time or a ratio, part of a longer word, or "::" alone
            try:
                ipaddress.IPv6Address(candidate)
            except ValueError:
                continue
            return candidate
        return None


class _NotAWebAddress:
    """A value of a URL column that is not a web address: a scheme other than http or https, no host name
    (with a dot, or ``localhost``), or whitespace anywhere. ``search`` gives the reason."""

    def search(self, text: str, /) -> str | None:
        if any(c.isspace() for c in text):
            return "whitespace"
        try:
            parts = urlsplit(text)
            host = parts.hostname or ""
        except ValueError:
            return "unparseable"
        if parts.scheme.lower() not in ("http", "https"):
            return "scheme"
        if "." not in host.strip(".") and host != "localhost":
            return "host"
        return None


class _IdentifierInAddress:
    """An e-mail address, phone number or CNIC hidden in a web address's path, query or fragment (percent-
    encoded or not), or in its user part. Only the dashed CNIC form counts here: 13-digit runs are common in
    addresses (article ids, millisecond timestamps)."""

    _CNIC = re.compile(r"(?<!\d)\d{5}-\d{7}-\d(?!\d)")

    def search(self, text: str, /) -> str | None:
        try:
            parts = urlsplit(text)
        except ValueError:
            return None
        hidden = unquote_plus(" ".join(filter(None, (parts.username, parts.path, parts.query, parts.fragment))))
        for finder in (IDENTIFIER_PATTERNS["pii_email"], self._CNIC, IDENTIFIER_PATTERNS["pii_phone"]):
            found = finder.search(hidden)
            if found:
                return "identifier"
        return None


# Ordered: the first pattern that matches names the rule. Each is anchored on word-ish
# boundaries so that ordinary counts ("1,135,814") and years never match. Each runs in time linear in
# the value's length (a hostile file may hold 100,000-character values): a match may only start where
# its leading run starts, so a failed attempt is never retried from every position inside the run.
IDENTIFIER_PATTERNS: dict[str, re.Pattern[str] | Finder] = {
    "pii_email": re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+"),
    "pii_cnic": re.compile(r"(?<!\d)(?:\d{5}-\d{7}-\d|\d{13})(?!\d)"),
    "pii_phone": re.compile(r"(?<![\w+])(?:\+92|0092|0)[\s-]?3\d{2}[\s-]?\d{7}(?!\d)|(?<!\w)\+\d[\d\s-]{8,}\d"),
    "pii_ip_address": _IPAddress(),
    "pii_url": re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE),
    "pii_handle": re.compile(r"(?<![\w@])@[A-Za-z0-9_]{2,}"),
    "url_form": _NotAWebAddress(),
    "pii_in_url": _IdentifierInAddress(),
}
_URL_RULES = ("url_form", "pii_in_url")

#: Which checks apply to which kind of text column (contract field ``x-text-kind``).
CHECKS_BY_KIND: dict[str, tuple[str, ...]] = {
    "label": tuple(k for k in IDENTIFIER_PATTERNS if k not in _URL_RULES),
    "free_text": tuple(k for k in IDENTIFIER_PATTERNS if k not in (*_URL_RULES, "pii_url")),  # may cite documents
    "uri": _URL_RULES,  # a web address, with no identifier hidden in it
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
