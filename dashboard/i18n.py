"""English and Urdu: every string a reader sees comes from a gettext catalogue; numbers and dates from Babel.

Catalogues are standard gettext ``.po`` files in ``dashboard/locale/<lang>/LC_MESSAGES/<domain>.po``
(English source strings as msgids, extracted with Babel's extractor), read with Babel at start-up and
compiled in memory for ``babel.support.Translations`` (``ngettext`` for counts, ``pgettext`` for a word with
two senses), so there is no compile step. The language is part of the link (``?lang=ur``); each script run sets it for its
own thread, so cached charts and tables are keyed on it. Urdu pages lay out right to left with a font that
ships with the app (Noto Naskh Arabic, SIL Open Font Licence); platform and group names keep their usual
spelling.
"""

from __future__ import annotations

import re
import threading
from datetime import date, datetime
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path

import pandas as pd
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAINS = ("dashboard", "contracts", "briefing")
LANGUAGES = {"en": "English", "ur": "اردو"}
BABEL_LOCALES = {"en": "en_PK", "ur": "ur_PK"}
DEFAULT = "en"
RTL = {"ur"}

_state = threading.local()
#: msgids asked for in a language whose catalogue lacks them (the tests read this).
missing: set[tuple[str, str]] = set()


def set_language(lang: str | None) -> str:
    """Use ``lang`` for this thread (this script run); anything unknown means English."""
    _state.lang = lang if lang in LANGUAGES else DEFAULT
    return _state.lang


def current() -> str:
    return getattr(_state, "lang", DEFAULT)


def is_rtl(lang: str | None = None) -> bool:
    return (lang or current()) in RTL


@cache
def translations(lang: str) -> Translations:
    """Babel's runtime for ``lang``: one ``Translations`` per domain (``dgettext``), merged so that ``gettext``,
    ``ngettext`` and ``pgettext`` find a message of any domain. Read from the ``.po`` files (compiled in memory),
    fuzzy suggestions left out: a near-match the catalogue update kept shows English until a translator checks it.
    """
    merged = Translations()
    for domain in DOMAINS:
        path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
        if not path.exists():
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=BABEL_LOCALES[lang].split("_")[0], domain=domain)
        for message in list(catalog):  # an empty msgstr means "as the msgid": left out, so gettext falls back
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.id and not all(strings):
                catalog.delete(message.id, message.context)
        compiled = BytesIO()
        write_mo(compiled, catalog, use_fuzzy=False)
        compiled.seek(0)
        one = Translations(compiled, domain=domain)
        merged.add(one, merge=False)  # for dgettext(domain, …)
        merged.merge(one)  # for gettext, ngettext, pgettext
    return merged


@cache
def catalogue(lang: str) -> dict[str, str]:
    """msgid → translation for ``lang``, all domains merged (an empty msgstr means "same as the msgid"; a fuzzy
    one is not a translation yet). Plural messages are under their singular msgid, with their singular text."""
    messages: dict[str, str] = {}
    for domain in DOMAINS:
        path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
        if not path.exists():
            continue
        with path.open("rb") as handle:
            for message in read_po(handle, locale=BABEL_LOCALES[lang].split("_")[0]):
                if not message.id or message.context:
                    continue
                singular = str(message.id[0] if isinstance(message.id, (tuple, list)) else message.id)
                text = str(message.string[0] if isinstance(message.string, (tuple, list)) else message.string or "")
                messages[singular] = singular if message.fuzzy or not text else text
    return messages


def _(message: str) -> str:
    """The current language's text for ``message`` (English source text)."""
    lang = current()
    text = catalogue(lang).get(message)
    if text is None:
        missing.add((lang, message))
        return message
    return text


@cache
def _sources(lang: str) -> dict[str, str]:
    """translation → English msgid in ``lang``'s catalogue (the first msgid when two share a translation)."""
    found: dict[str, str] = {}
    for msgid, text in catalogue(lang).items():
        found.setdefault(text, msgid)
    return found


def in_every_language(text: str, lang: str | None = None) -> set[str]:
    """``text`` (shown in ``lang``, default this run's) as every language writes it, English included: the labels
    an older link may carry for one option."""
    english = text if (lang or current()) == DEFAULT else _sources(lang or current()).get(text, text)
    return {english, text} | {gettext(english, other) for other in LANGUAGES}


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for ``n`` things in the current language ("1 event", "2 events"); format ``{n}``
    into it afterwards. Urdu and English both have one form for one and another for the rest (CLDR)."""
    lang = current()
    if singular not in catalogue(lang):
        missing.add((lang, singular))
    return translations(lang).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the sense ``context`` gives it, for a word that translates differently by sense."""
    lang = current()
    text = str(translations(lang).pgettext(context, message))
    if lang != DEFAULT and text == message:
        missing.add((lang, f"{context}\x04{message}"))
    return text


def N_(message: str) -> str:  # noqa: N802 (gettext's name for it)
    """Mark a module constant for the catalogue; it is translated where shown, with ``_()``."""
    return message


def gettext(message: str, lang: str) -> str:
    """``message`` in a given language, whatever this thread's language is (for files made for one language)."""
    return catalogue(lang).get(message, message)


def num(value, decimals: int = 0, lang: str | None = None) -> str:
    """A number as the locale writes it (thousands separators; decimals only when asked)."""
    if value is None or pd.isna(value):
        return _("not reported")
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=BABEL_LOCALES[lang or current()])


def qualified(figure: object, kind: object = None, written: str | None = None) -> str:
    """A figure as its source gave it: "at least 1,066" for a lower bound, "≈ 229,000" for an approximate figure,
    "1,063" for an exact one. The one place a qualified figure is worded (pages, charts, summaries, briefing).

    ``kind`` is the source's own word for it (``value_kind`` or a ``*_qualifier`` column: ``lower_bound``,
    ``approx``; anything else is shown as is). ``written`` is the figure already written out when the caller
    writes it its own way (a percentage, "not published"); by default the locale's digits. A missing figure
    carries no qualifier: it is ``written``, or "not reported".
    """
    missing_figure = figure is None or (not isinstance(figure, str) and pd.isna(figure))
    if missing_figure:
        return written if written is not None else _("not reported")
    if written is None:
        number = float(figure)  # type: ignore[arg-type]
        written = num(number, 0 if number.is_integer() else 1)
    if kind == "lower_bound":
        return _("at least {value}").format(value=written)
    if kind == "approx":
        return "≈ " + written
    return written


def pct(value, decimals: int = 1, lang: str | None = None) -> str:
    """A share given as a percentage figure (45.2 → "45.2%")."""
    if value is None or pd.isna(value):
        return _("not reported")
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return format_percent(float(value) / 100, format=pattern, locale=BABEL_LOCALES[lang or current()])


def day(value: date | datetime | pd.Timestamp | str, lang: str | None = None) -> str:
    """A date as the locale writes it in full ("11 March 2025", "11 مارچ، 2025")."""
    return _long_date(pd.Timestamp(value).date(), lang or current())


@lru_cache(maxsize=4096)
def _long_date(when: date, lang: str) -> str:  # the same few dates on every page: format each once
    return format_date(when, format="long", locale=BABEL_LOCALES[lang])


def month(value: date | datetime | pd.Timestamp | str, lang: str | None = None) -> str:
    return format_date(pd.Timestamp(value).date(), format="MMMM y", locale=BABEL_LOCALES[lang or current()])


# Words of the date labels the sources' reports carry ("16 Apr, year unknown", "~Jan 2026", "FY 2023-24"),
# longest first; month abbreviations are written out by Babel.
DATE_LABEL_WORDS = (
    N_("(as printed; probably fiscal year 2024-25)"),
    N_("(Islamabad High Court hearing)"),
    N_("(PTA Annual Report)"),
    N_(", year unknown"),
    N_("undated"),
)
FISCAL_YEAR = N_("fiscal year {year}")
_MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ABBREVIATED_MONTH = re.compile(r"\b(" + "|".join(_MONTH_ABBREVIATIONS) + r")\b")
_HALF_YEAR = re.compile(r"^(\d{4}) H([12])$")


def date_label(label: object, lang: str | None = None) -> object:
    """A report's date label in the reader's language: month names written out, the few words translated, the
    approximate mark and the figures kept ("~Jan 2026" → "~جنوری 2026")."""
    lang = lang or current()
    if lang == DEFAULT or not isinstance(label, str):
        return label
    text = label
    for words in DATE_LABEL_WORDS:
        text = text.replace(words, gettext(words, lang))
    text = re.sub(r"^FY (\d{4}-\d{2})$", lambda m: gettext(FISCAL_YEAR, lang).format(year=m[1]), text)
    return _ABBREVIATED_MONTH.sub(
        lambda m: format_date(
            date(2000, _MONTH_ABBREVIATIONS.index(m[1]) + 1, 1), format="MMMM", locale=BABEL_LOCALES[lang]
        ),
        text,
    )


def period_words(label: object, lang: str | None = None) -> object:
    """A half-year label in words for a sentence ("2025 H1" → "first half of 2025"); anything else as it is."""
    match = _HALF_YEAR.match(label) if isinstance(label, str) else None
    if not match:
        return label
    template = N_("first half of {year}") if match[2] == "1" else N_("second half of {year}")
    return gettext(template, lang or current()).format(year=match[1])
