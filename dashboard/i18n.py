"""English and Urdu: every string a reader sees comes from a gettext catalogue; numbers and dates from Babel.

Catalogues are standard gettext ``.po`` files in ``dashboard/locale/<lang>/LC_MESSAGES/<domain>.po``
(English source strings as msgids, extracted with ``pybabel extract``), read with Babel at start-up, so
there is no compile step. The language is part of the link (``?lang=ur``); each script run sets it for its
own thread, so cached charts and tables are keyed on it. Urdu pages lay out right to left with a font that
ships with the app (Noto Naskh Arabic, SIL Open Font Licence); platform and group names keep their usual
spelling.
"""

from __future__ import annotations

import threading
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

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
def catalogue(lang: str) -> dict[str, str]:
    """msgid → translation for ``lang``, all domains merged (an empty msgstr means "same as the msgid")."""
    messages: dict[str, str] = {}
    for domain in DOMAINS:
        path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
        if not path.exists():
            continue
        with path.open("rb") as handle:
            for message in read_po(handle, locale=BABEL_LOCALES[lang].split("_")[0]):
                if message.id and isinstance(message.id, str):
                    # the catalogues have no plural entries: a message's string is text, not a tuple
                    messages[message.id] = message.string or message.id  # type: ignore[assignment]
    return messages


def _(message: str) -> str:
    """The current language's text for ``message`` (English source text)."""
    lang = current()
    text = catalogue(lang).get(message)
    if text is None:
        missing.add((lang, message))
        return message
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
