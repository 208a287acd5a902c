"""The project's own curated tables (canonical facts, reference tables) and the boundary GeoJSON.

Canonical files already have the table's columns; their adapters only add ids mapped through the
reference tables (PTA category → shared category, region name → ISO 3166-2). Collected files
(``data/sources/curated``) are kept verbatim for provenance; the canonical files point at them by line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from etl.adapters import Layout, Refs, map_labels
from etl.contracts import load_contract
from etl.errors import Failure, SourceError
from etl.readers import LINE, RawTable


def _as_is(raw: RawTable, refs: Refs) -> tuple[pd.DataFrame, list[Failure]]:
    return raw.frame, []


def _regulator(raw: RawTable, refs: Refs) -> tuple[pd.DataFrame, list[Failure]]:
    f = raw.frame
    pta = {label: cat for (kind, label), cat in refs.category_map.items() if kind == "pta_category"}
    category, failures = map_labels(f["category_label"], pta, f[LINE], raw.path.name, "category_label")
    return f.assign(category_id=category), failures


def _incidents(raw: RawTable, refs: Refs) -> tuple[pd.DataFrame, list[Failure]]:
    f = raw.frame
    codes = {alias: code for alias, (code, _) in refs.region_aliases.items()}
    subregions = {alias: sub for alias, (_, sub) in refs.region_aliases.items() if sub}
    region_code, failures = map_labels(f["region_label"], codes, f[LINE], raw.path.name, "region_label")
    subregion = f["region_label"].map(lambda v: subregions.get(v, pd.NA) if pd.notna(v) else pd.NA)
    return f.assign(region_code=region_code, subregion=subregion), failures


def _header_of(table: str, without: tuple[str, ...] = ()) -> tuple[str, ...]:
    return tuple(n for n in load_contract(table).field_names if n not in without)


def _refuse_constant(name: str):
    """NaN and Infinity are not JSON; Python would accept them and write them back out as invalid GeoJSON."""
    raise ValueError(f"{name} is not a JSON number")


def read_geojson(path: Path) -> RawTable:
    """Province features → one text row per feature (line = feature number, 1-based + 1)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"), parse_constant=_refuse_constant)
        features = doc["features"]
        if not isinstance(features, list):
            raise TypeError("features is not a list")
        rows = [
            {
                "region_code": feat["properties"].get("iso_3166_2"),
                "name": feat["properties"].get("name"),
                "geometry_geojson": json.dumps(feat["geometry"], separators=(",", ":")),
            }
            for feat in features
        ]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise SourceError(
            f"{path.name}: not a GeoJSON FeatureCollection with iso_3166_2 properties ({exc.__class__.__name__})."
        ) from None
    frame = pd.DataFrame(rows, dtype="string")
    frame[LINE] = pd.array(range(2, len(rows) + 2), dtype="Int64")
    return RawTable(path=path, header=list(frame.columns[:-1]), frame=frame)


REFERENCE_TABLES = (
    "platforms",
    "platform_aliases",
    "categories",
    "category_map",
    "regions",
    "region_aliases",
    "events",
    "militant_groups",
    "group_aliases",
    "event_type_map",
    "series",
    "corrections",
)

LAYOUTS = (
    Layout(
        "canonical_regulator_reported_actions",
        "regulator_reported_actions",
        _header_of("regulator_reported_actions", ("category_id",)),
        _regulator,
        "curated PTA figures in the regulator_reported_actions table's columns",
    ),
    Layout(
        "canonical_platform_reported_requests",
        "platform_reported_requests",
        _header_of("platform_reported_requests"),
        _as_is,
        "curated Meta / X / TikTok figures in the platform_reported_requests table's columns",
    ),
    Layout(
        "canonical_incidents",
        "incidents",
        _header_of("incidents", ("region_code", "subregion")),
        _incidents,
        "curated PIPS / PICSS / SATP figures in the incidents table's columns",
    ),
    *(Layout(f"reference_{t}", t, _header_of(t), _as_is, f"the {t} reference table") for t in REFERENCE_TABLES),
    Layout(
        "geojson_boundaries",
        "region_boundaries",
        _header_of("region_boundaries"),
        _as_is,
        "province boundaries as a GeoJSON FeatureCollection",
        reader=read_geojson,
    ),
)
