"""UCDP's country-month death counts (ViEWS layout: month, ged_sb, ged_ns, ged_os) → one row per month × type.

The months after the source's last final GED year (``final_through`` in its provenance) rest on UCDP
Candidate events: they are marked preliminary, never mixed silently with the final figures.
"""

from __future__ import annotations

import json

import pandas as pd

from etl.adapters import Layout, Refs
from etl.errors import Failure, SourceError
from etl.provenance import provenance_path
from etl.readers import LINE, RawTable

CITATION = "https://ucdp.uu.se/downloads/"
HEADER = ("month", "ged_sb", "ged_ns", "ged_os")
VIOLENCE_TYPES = {"ged_sb": "state_based", "ged_ns": "non_state", "ged_os": "one_sided"}


def _final_through(raw: RawTable) -> str:
    """The last month resting on the final GED ("YYYY-MM"), from the file's provenance."""
    meta_path = provenance_path(raw.path)
    final = json.loads(meta_path.read_text(encoding="utf-8")).get("final_through") if meta_path.exists() else None
    if not final or len(final) != 7:
        raise SourceError(
            f"{raw.path.name}: its provenance must say up to which month the figures are final "
            '("final_through": "YYYY-MM"); later months are marked preliminary.'
        )
    return final


def _fatalities_monthly(raw: RawTable, refs: Refs) -> tuple[pd.DataFrame, list[Failure]]:
    f = raw.frame
    final = _final_through(raw)
    month_text = f["month"].str.strip()
    month = (month_text + "-01").where(month_text.str.fullmatch(r"[0-9]{4}-[0-9]{2}").fillna(False), month_text)
    parts = [
        pd.DataFrame(
            {
                "source_id": raw.source_id or raw.path.stem,
                "source_line": f[LINE].astype("string"),
                "month": month,
                "violence_type": violence_type,
                "fatalities": f[column].str.strip(),
                "preliminary": (month_text > final).map({True: "true", False: "false"}),
                "citation_url": CITATION,
                LINE: f[LINE],
            }
        )
        for column, violence_type in VIOLENCE_TYPES.items()
    ]
    return pd.concat(parts, ignore_index=True), []


LAYOUTS = (
    Layout(
        "ucdp_fatalities_monthly",
        "ucdp_fatalities_monthly",
        HEADER,
        _fatalities_monthly,
        "UCDP best-estimate deaths per month by type of violence (month, ged_sb, ged_ns, ged_os)",
    ),
)
