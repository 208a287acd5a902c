"""Page filters that live in the URL, with a quiet notice for bad link values.

Choices among named options (platforms, categories, provinces, sources, measures …) put their ids in the link,
so a link made in Urdu opens the same view in English; older links with labels still open (mapped to ids).
Streamlit's ``bind="query-params"`` would write the label shown, so these filters read and write the link
themselves. The year range and switches, the same in every language, stay bound by Streamlit, which drops a
value that is not valid; before it does, each filter here notes which link settings it could not use, so the
page can say so instead of silently changing view.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import i18n
from dashboard.i18n import _

_REJECTED = "_rejected_link_settings"
_SEEN = "_link_values_seen"  # per filter: the link values last read or written, to tell a new link from our own
_LINK_IDS = "_link_ids"  # per filter: the ids in use, for the page's shareable link

#: Every setting a link may carry: the keys of the filters bound to the URL on any page, the language, and the
#: embedded chart. Only these are ever written back into a link the app shows ("Cite this chart"): anything
#: else in a link is ignored and never repeated (a test checks every bound widget's key is listed).
LINK_SETTINGS = frozenset(
    {
        "lang",
        "chart",
        "period",
        "platforms",
        "categories",
        "sources",
        "compare",
        "measure",
        "table",
        "events",
        "map_source",
        "map_year",
        "per_million",
        "provinces",
        "ledger_date",
        "event_set",
        "event_measure",
        "event_by",
        "event_months",
    }
)


def _note_rejected(key: str, valid, count: int | None = None) -> None:
    """Remember ``key`` if the URL gives it values the filter cannot take (checked before the widget): a value
    that is not valid, or, for a filter that takes exactly ``count`` values, another number of them."""
    raw = st.query_params.get_all(key)
    if raw and (not all(valid(value) for value in raw) or (count is not None and len(raw) != count)):
        st.session_state.setdefault(_REJECTED, set()).add(key)


def _is_int_between(lo: int, hi: int):
    def check(value: str) -> bool:
        # isdecimal, not isdigit: "²" is a digit that int() refuses; Urdu and Arabic-Indic years are decimals it reads
        return value.isdecimal() and len(value) <= 4 and lo <= int(value) <= hi

    return check


def period(first_year: int, last_year: int, *, key: str = "period", default_span: int = 5) -> tuple[int, int]:
    """Year range; by default the last five years with any figure."""
    _note_rejected(key, _is_int_between(first_year, last_year), count=2)  # a range: one year or three are dropped
    default = (max(first_year, last_year - default_span + 1), last_year)
    chosen = st.sidebar.slider(
        _("Period (years)"),
        first_year,
        last_year,
        default,
        key=key,
        bind="query-params",
        help=_("Figures whose period ends in these years"),
    )
    return min(int(chosen[0]), int(chosen[1])), max(int(chosen[0]), int(chosen[1]))  # a link may give them reversed


def _linked(
    key: str,
    options: list[str],
    labels: dict[str, str],
    default: list[str],
    *,
    many: bool,
    english: dict[str, str] | None = None,
) -> dict[str, str]:
    """Set the filter's value from the link, when the link gives it anew (a link opened, the address changed).

    A link carries ids (``platforms=facebook``, ``provinces=PK-BA``), the same in every language; older links
    carry the labels people read, in English or Urdu, which are mapped to their ids (``english``: each option's
    English label where the shown one comes from the data rather than the catalogue). Values that match no option
    are dropped with the quiet notice; a link with none left, or none at all, gives the default.
    """
    aliases: dict[str, str] = {}
    for option in options:
        for label in i18n.in_every_language(labels.get(option, option)):
            aliases.setdefault(label, option)
        if english and option in english:
            aliases.setdefault(english[option], option)
    aliases |= {option: option for option in options}  # an id wins over a label spelt like another option's id
    raw = st.query_params.get_all(key)
    seen = st.session_state.setdefault(_SEEN, {})
    if raw != seen.get(key) or key not in st.session_state:
        seen[key] = raw
        chosen = _read([value for value in raw if value in aliases], aliases)
        if any(value not in aliases for value in raw) or (not many and len(raw) > 1):
            st.session_state.setdefault(_REJECTED, set()).add(key)
            if not many:
                chosen = []
        value = chosen or default
        st.session_state[key] = value if many else value[0]
    elif many:  # the options changed under a choice (another filter changed them): keep what is still offered
        st.session_state[key] = [value for value in st.session_state[key] if value in options] or default
    elif st.session_state[key] not in options:
        st.session_state[key] = default[0]
    return aliases


def _write_link(key: str, ids: list[str], default: list[str], aliases: dict[str, str]) -> None:
    """Put the filter's ids in the address (none when it is the default); a valid older link is left as it is
    until the reader changes the filter. ``share_link`` repeats these ids."""
    st.session_state.setdefault(_LINK_IDS, {})[key] = ids
    seen = st.session_state.setdefault(_SEEN, {})
    if ids == default:
        written: list[str] = []
        if key in st.query_params:
            del st.query_params[key]
    elif _read(st.query_params.get_all(key), aliases) == ids:
        return  # the address already says this (an older link's labels are left as they are)
    else:
        written = list(ids)
        st.query_params[key] = written
    seen[key] = written


def _read(values: list[str], aliases: dict[str, str]) -> list[str] | None:
    """The ids a link's values stand for, in order, or None if one of them stands for nothing."""
    if not all(value in aliases for value in values):
        return None
    return list(dict.fromkeys(aliases[value] for value in values))


def link_ids(key: str) -> list[str] | None:
    """The ids a filter of this page uses (what a shared link repeats), or None if this page has no such filter."""
    return st.session_state.get(_LINK_IDS, {}).get(key)


def choose_many(
    label: str,
    options: pd.DataFrame,
    id_column: str,
    name_column: str,
    *,
    key: str,
    default: list[str] | None = None,
    help: str | None = None,
    sidebar: bool = True,
    placeholder: str | None = None,
    empty_means_all: bool = True,
) -> list[str]:
    """Multi-select over ids shown by name; an empty choice means all (or, with ``empty_means_all=False``, none
    chosen: the caller reads it as "no restriction")."""
    ids = options[id_column].tolist()
    names = dict(zip(options[id_column], options[name_column], strict=True))
    default = list(default if default is not None else (ids if empty_means_all else []))
    english = dict(zip(options[id_column], options["name_en"], strict=True)) if "name_en" in options else None
    aliases = _linked(key, ids, names, default, many=True, english=english)
    where = st.sidebar if sidebar else st
    chosen = where.multiselect(
        label,
        ids,
        format_func=lambda i: names.get(i, i),
        key=key,
        help=help,
        placeholder=placeholder,
    )
    _write_link(key, list(chosen), default, aliases)
    return (chosen or ids) if empty_means_all else list(chosen)


def choose_one(
    label: str,
    options: list[str],
    *,
    key: str,
    default: str | None = None,
    labels: dict[str, str] | None = None,
    sidebar: bool = True,
) -> str:
    """One of ``options`` (ids), shown by label; the link carries the id."""
    labels = labels or {}
    first = [default if default in options else options[0]]
    aliases = _linked(key, options, labels, first, many=False)
    where = st.sidebar if sidebar else st
    chosen = where.selectbox(label, options, format_func=lambda o: labels.get(o, o), key=key)
    _write_link(key, [chosen], first, aliases)
    return chosen


def switch(label: str, *, key: str, default: bool = True, help: str | None = None) -> bool:
    _note_rejected(key, lambda v: v.lower() in ("true", "false"))
    return st.sidebar.toggle(label, value=default, key=key, bind="query-params", help=help)


def show_link_notice() -> None:
    """A quiet note when the link carried settings that were not valid (they were reset to defaults)."""
    rejected = st.session_state.pop(_REJECTED, set())
    if rejected:
        st.info(
            _("Some settings in the link were not recognised and have been reset to their defaults: ")
            + ", ".join(sorted(rejected))
            + ".",
            icon=":material/info:",
        )
