"""How values that the data gives in English read in the brief's language: periods, dates of snapshots,
definitions, measures, platform and province names, figures as printed (≈, withheld values).

Strings here belong to the ``briefing`` catalogue.
"""

from __future__ import annotations

import pandas as pd

from dashboard import i18n
from dashboard.i18n import _

#: Province codes, with the names the reference table gives them (shown through the catalogue, translated).
PROVINCE_NAMES = {
    "PK-BA": "Balochistan",
    "PK-KP": "Khyber Pakhtunkhwa",
    "PK-PB": "Punjab",
    "PK-SD": "Sindh",
    "PK-IS": "Islamabad Capital Territory",
    "PK-GB": "Gilgit-Baltistan",
    "PK-JK": "Azad Jammu and Kashmir",
}
PROVINCES = tuple(PROVINCE_NAMES)


def province_name(code: str) -> str:
    """The English name of a province code (look it up in the catalogue to show it)."""
    return PROVINCE_NAMES.get(code, code)


def period(start, end) -> str:
    """A report period in words: "first half of 2025", "2024"."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months == 6:
        text = _("first half of {year}") if start.month <= 6 else _("second half of {year}")
        return text.format(year=end.year)
    if months == 12:
        return str(end.year)
    return _("{start} to {end}").format(start=i18n.month(start), end=i18n.month(end))


def as_of(row) -> str:
    """The date of a regulator snapshot, as precise as the source is."""
    precision, when = row["date_precision"], row["as_of"]
    if pd.isna(when):
        return _("date not known")
    if precision == "day":
        return i18n.day(when)
    if precision == "day_range":
        return _("by {date}").format(date=i18n.day(when))
    if precision == "month":
        return i18n.month(when)
    return str(pd.Timestamp(when).year)


def definition(definition_id: str, as_printed: str) -> str:
    known = {
        "terrorist_attacks": _("terrorist attacks"),
        "militant_attacks": _("militant attacks"),
        "combat_related": _("all combat-related violence, including security-force operations"),
        "all_violent_incidents": _("all violent incidents, including security-force actions"),
        "terrorism_related": _("terrorism-related incidents"),
    }
    return known.get(definition_id, as_printed)


def measure(text: str) -> str:
    known = {
        "share of requests fully or partly complied with": _("share of requests fully or partly complied with"),
        "share of items removed (legal or policy reasons)": _("share of items removed (legal or policy reasons)"),
        "share of requests complied with": _("share of requests complied with"),
        "share of the content named in requests that was removed": _(
            "share of the content named in requests that was removed"
        ),
        "share of requests complied with (Court orders)": _("share of court orders complied with"),
        "share of requests complied with (Other (government agencies, police, etc.))": _(
            "share of other government requests complied with (agencies, police)"
        ),
        "items restricted under local law (Meta)": _("items restricted under local law (Meta)"),
        "requests naming YouTube (Google)": _("requests naming YouTube (Google)"),
        "removal requests (X)": _("removal requests (X)"),
        "removal requests (TikTok)": _("removal requests (TikTok)"),
    }
    return known.get(text, text)


def platform(platform_id: object, name: object) -> str:
    known: dict[object, str] = {
        None: _("All platforms (PTA total)"),
        "websites": _("Websites and other (PTA's 'Others/Misc')"),
        "google": _("Google (all products)"),
        "bigo_likee": _("Bigo and Likee (reported together)"),
    }
    key = None if platform_id is None or platform_id != platform_id else platform_id
    return known.get(key, str(name))


def value(value, approx: bool = False, qualifier: object = None) -> str:
    """A figure as printed: locale digits, ≈ when approximate, the source's qualifier when it withheld it."""
    if isinstance(qualifier, str) and qualifier:
        return qualifier
    if value is None or pd.isna(value):
        return _("not published")
    text = i18n.num(value, 0 if float(value).is_integer() else 1)
    return ("≈ " if approx else "") + text


def bounded(figure, kind: object = None) -> str:
    """A figure with the source's own precision ("at least 1,066", "≈ 229,000"), as ``i18n.qualified`` words it;
    a missing figure reads "not published"."""
    return i18n.qualified(figure, kind, value(figure))


def signed(change: float) -> str:
    return ("+" if change > 0 else "") + i18n.num(change)
