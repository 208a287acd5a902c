"""Page filters that live in the URL (``bind="query-params"``), with a quiet notice for bad link values.

Streamlit drops a bound query value that is not a valid option; before it does, each filter here
notes which link settings it could not use, so the page can say so instead of silently changing view.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.i18n import _

_REJECTED = "_rejected_link_settings"

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


def choose_many(
    label: str,
    options: pd.DataFrame,
    id_column: str,
    name_column: str,
    *,
    key: str,
    default: list[str] | None = None,
    help: str | None = None,
) -> list[str]:
    """Multi-select over ids shown by name; an empty choice means all."""
    ids = options[id_column].tolist()
    names = dict(zip(options[id_column], options[name_column], strict=True))
    _note_rejected(key, lambda v: v in set(names.values()))  # the URL carries the names people read
    chosen = st.sidebar.multiselect(
        label,
        ids,
        default=default if default is not None else ids,
        format_func=lambda i: names.get(i, i),
        key=key,
        bind="query-params",
        help=help,
    )
    return chosen or ids


def choose_one(
    label: str,
    options: list[str],
    *,
    key: str,
    default: str | None = None,
    labels: dict[str, str] | None = None,
    sidebar: bool = True,
) -> str:
    shown = [(labels or {}).get(o, o) for o in options]
    _note_rejected(key, lambda v: v in shown)  # the URL carries the labels people read
    where = st.sidebar if sidebar else st
    index = options.index(default) if default in options else 0
    return where.selectbox(
        label, options, index=index, format_func=lambda o: (labels or {}).get(o, o), key=key, bind="query-params"
    )


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
