"""Illustrative (synthetic) event exports in the exact ACLED, UCDP GED and GTD layouts.

No real rows of those datasets may ship (their terms forbid it), so tests, the demo and the benchmark use
these: every column of the real header, believable values (mostly Pakistan, a few rows of other
countries, protests in the ACLED file, approximate dates, unknown counts, a few names no mapping table
knows), more events after the conflict milestones in the events table. Deterministic: same seed, same
bytes. Everything built from them is marked synthetic and shown as "Illustrative (synthetic)".
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from etl.paths import DATA_DIR
from etl.provenance import sha256_of

START, END = date(2018, 1, 1), date(2025, 12, 31)
ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
).split(",")
UCDP_HEADER = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,"
    "dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,"
    "number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,"
    "where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,"
    "region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,"
    "high,low,gwnoa,gwnob"
).split(",")
_GTD_TRIPLES = [
    f"{stem}{i}{suffix}"
    for i in (1, 2, 3)
    for stem, suffix in (
        ("targtype", ""),
        ("targtype", "_txt"),
        ("targsubtype", ""),
        ("targsubtype", "_txt"),
        ("corp", ""),
        ("target", ""),
        ("natlty", ""),
        ("natlty", "_txt"),
    )
]
_GTD_WEAPONS = [
    f"{stem}{i}{suffix}"
    for i in (1, 2, 3, 4)
    for stem, suffix in (("weaptype", ""), ("weaptype", "_txt"), ("weapsubtype", ""), ("weapsubtype", "_txt"))
]
GTD_HEADER = (
    (
        "eventid,iyear,imonth,iday,approxdate,extended,resolution,country,country_txt,region,region_txt,provstate,city,"
        "latitude,longitude,specificity,vicinity,location,summary,crit1,crit2,crit3,doubtterr,alternative,"
        "alternative_txt,multiple,success,suicide,attacktype1,attacktype1_txt,attacktype2,attacktype2_txt,attacktype3,"
        "attacktype3_txt"
    ).split(",")
    + _GTD_TRIPLES
    + (
        "gname,gsubname,gname2,gsubname2,gname3,gsubname3,motive,guncertain1,guncertain2,guncertain3,individual,nperps,"
        "nperpcap,claimed,claimmode,claimmode_txt,claim2,claimmode2,claimmode2_txt,claim3,claimmode3,claimmode3_txt,"
        "compclaim"
    ).split(",")
    + _GTD_WEAPONS
    + (
        "weapdetail,nkill,nkillus,nkillter,nwound,nwoundus,nwoundte,property,propextent,propextent_txt,propvalue,"
        "propcomment,ishostkid,nhostkid,nhostkidus,nhours,ndays,divert,kidhijcountry,ransom,ransomamt,ransomamtus,"
        "ransompaid,ransompaidus,ransomnote,hostkidoutcome,hostkidoutcome_txt,nreleased,addnotes,scite1,scite2,scite3,"
        "dbsource,INT_LOG,INT_IDEO,INT_MISC,INT_ANY,related"
    ).split(",")
)
HEADERS = {"acled": ACLED_HEADER, "ucdp_ged": UCDP_HEADER, "gtd": GTD_HEADER}
LAYOUT_OF = {"acled": "acled_export", "ucdp_ged": "ucdp_ged", "gtd": "gtd"}

# province weights (KP and Balochistan carry most militant violence) and each dataset's spelling
PROVINCES = {
    "PK-KP": (0.52, "Khyber Pakhtunkhwa", "Khyber Pakhtunkhwa province", "Khyber Pakhtunkhwa"),
    "FATA": (0.08, "Khyber Pakhtunkhwa", "Federally Administered Tribal Areas", "Federally Administered Tribal Areas"),
    "PK-BA": (0.30, "Balochistan", "Balochistan province", "Balochistan"),
    "PK-SD": (0.05, "Sindh", "Sindh province", "Sindh"),
    "PK-PB": (0.04, "Punjab", "Punjab province", "Punjab"),
    "PK-IS": (0.01, "Islamabad Capital Territory", "Islamabad Capital Territory province", "Islamabad"),
}
# group weights and each dataset's name for it
GROUPS = {
    "TTP": (0.40, "TTP: Tehreek-i-Taliban Pakistan", "TTP", "Tehrik-i-Taliban Pakistan (TTP)"),
    "BLA": (0.18, "BLA: Baloch Liberation Army", "BLA", "Baloch Liberation Army (BLA)"),
    "BLF": (0.06, "BLF: Baloch Liberation Front", "BLF", "Baloch Liberation Front (BLF)"),
    "ISKP": (0.05, "Islamic State Khorasan Province (ISKP)", "IS", "Khorasan Chapter of the Islamic State"),
    "LeJ": (0.02, "LeJ: Lashkar-e-Jhangvi", "LeJ", "Lashkar-e-Jhangvi"),
    "unknown": (0.25, "Unidentified Armed Group (Pakistan)", "TTP", "Unknown"),
    "new": (0.04, "Illustrative Front (Pakistan)", "Illustrative Front", "Illustrative Front"),  # unmapped on purpose
}
ACLED_TYPES = [  # (event_type, sub_event_type, disorder_type, weight)
    ("Battles", "Armed clash", "Political violence", 0.28),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", "Political violence", 0.14),
    ("Explosions/Remote violence", "Suicide bomb", "Political violence", 0.03),
    ("Explosions/Remote violence", "Grenade", "Political violence", 0.03),
    ("Violence against civilians", "Attack", "Political violence", 0.17),
    ("Violence against civilians", "Abduction/forced disappearance", "Political violence", 0.03),
    ("Protests", "Peaceful protest", "Demonstrations", 0.26),
    ("Strategic developments", "Arrests", "Strategic developments", 0.06),
]
GTD_TYPES = [
    ("Bombing/Explosion", 0.45),
    ("Armed Assault", 0.30),
    ("Assassination", 0.10),
    ("Hostage Taking (Kidnapping)", 0.06),
    ("Facility/Infrastructure Attack", 0.07),
    ("Unknown", 0.02),
]


def generate(dataset: str, rows: int, seed: int, out: Path) -> Path:
    """Write ``rows`` illustrative events in ``dataset``'s exact layout to ``out`` (.csv or .parquet)."""
    if dataset not in HEADERS:
        raise ValueError(f"dataset must be one of {', '.join(HEADERS)}")
    rng = np.random.default_rng(seed)
    days = _event_days(rng, rows)
    frame = {"acled": _acled, "ucdp_ged": _ucdp, "gtd": _gtd}[dataset](rng, rows, days)
    frame = frame.reindex(columns=HEADERS[dataset]).astype("string")
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".parquet":
        frame.to_parquet(out, index=False)
    else:
        frame.to_csv(out, index=False, lineterminator="\n")
    _write_provenance(out, dataset, rows, seed)
    return out


def _event_days(rng: np.random.Generator, rows: int) -> np.ndarray:
    """Event days, denser after the conflict milestones of the events table and rising after 2021."""
    span = (END - START).days + 1
    weight = np.linspace(0.6, 1.6, span)
    events = pd.read_csv(DATA_DIR / "reference" / "events.csv", usecols=["event_date", "kind"])
    for day in pd.to_datetime(events.loc[events["kind"] == "conflict", "event_date"]).dt.date:
        offset = (day - START).days
        if 0 <= offset < span:
            weight[offset : offset + 45] *= 2.5
    offsets = rng.choice(span, size=rows, p=weight / weight.sum())
    return np.array([START + timedelta(days=int(o)) for o in range(span)])[offsets]


def _pick(rng: np.random.Generator, table: dict | list, rows: int, weight_at: int = 0) -> np.ndarray:
    keys = list(table) if isinstance(table, dict) else list(range(len(table)))
    values = list(table.values()) if isinstance(table, dict) else table
    p = np.array([v[weight_at] for v in values], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=rows, p=p / p.sum())]


def _column(keys: np.ndarray, table: dict, index: int) -> np.ndarray:
    return np.array([table[k][index] for k in keys], dtype=object)


def _deaths(rng: np.random.Generator, rows: int) -> np.ndarray:
    return np.minimum(rng.geometric(0.45, size=rows) - 1 + (rng.random(rows) < 0.05) * rng.integers(5, 40, rows), 150)


def _outside(rng: np.random.Generator, rows: int, share: float = 0.04) -> np.ndarray:
    return rng.random(rows) < share


def _acled(rng: np.random.Generator, rows: int, days: np.ndarray) -> pd.DataFrame:
    kinds = _pick(rng, ACLED_TYPES, rows, weight_at=3).astype(int)
    groups, provinces = _pick(rng, GROUPS, rows), _pick(rng, PROVINCES, rows)
    protests = np.isin(kinds, [6, 7])
    state_first = rng.random(rows) < 0.35  # clashes started by security forces: the group is actor2
    group_name = _column(groups, GROUPS, 1)
    state = np.where(rng.random(rows) < 0.6, "Military Forces of Pakistan (2024-)", "Police Forces of Pakistan (2024-)")
    actor1 = np.where(protests, "Protesters (Pakistan)", np.where(state_first, state, group_name))
    actor2 = np.where(
        protests, "", np.where(state_first, group_name, np.where(kinds == 4, "Civilians (Pakistan)", state))
    )
    outside = _outside(rng, rows)
    precision = rng.choice([1, 2, 3], size=rows, p=[0.85, 0.1, 0.05])
    old_style = rng.random(rows) < 0.1  # older exports wrote "15 January 2024"
    dates = pd.to_datetime(pd.Series(days))
    event_date = np.where(old_style, dates.dt.strftime("%d %B %Y"), dates.dt.strftime("%Y-%m-%d"))
    notes = np.where(
        rng.random(rows) < 0.3,
        'Illustrative note, not a real event: "militants" attacked a post,\nsecond line of the note.',
        "Illustrative note, not a real event.",
    )
    return pd.DataFrame(
        {
            "event_id_cnty": [f"PAK{i:07d}" for i in range(1, rows + 1)],
            "event_date": event_date,
            "year": dates.dt.year.astype(str),
            "time_precision": precision.astype(str),
            "disorder_type": np.array([ACLED_TYPES[k][2] for k in kinds]),
            "event_type": np.array([ACLED_TYPES[k][0] for k in kinds]),
            "sub_event_type": np.array([ACLED_TYPES[k][1] for k in kinds]),
            "actor1": actor1,
            "assoc_actor_1": "",
            "actor2": actor2,
            "iso": np.where(outside, "4", "586"),
            "region": "South Asia",
            "country": np.where(outside, "Afghanistan", "Pakistan"),
            "admin1": np.where(outside, "Kunar", _column(provinces, PROVINCES, 1)),
            "location": "Illustrative place",
            "latitude": "0.0000",
            "longitude": "0.0000",
            "geo_precision": "1",
            "source": "Illustrative source",
            "source_scale": "National",
            "notes": notes,
            "fatalities": np.where(protests, 0, _deaths(rng, rows)).astype(str),
            "timestamp": "1700000000",
        }
    )


def _ucdp(rng: np.random.Generator, rows: int, days: np.ndarray) -> pd.DataFrame:
    groups, provinces = _pick(rng, GROUPS, rows), _pick(rng, PROVINCES, rows)
    violence = rng.choice([1, 2, 3], size=rows, p=[0.7, 0.05, 0.25])
    group_name = _column(groups, GROUPS, 2)
    best = _deaths(rng, rows) + 1  # GED holds lethal events only
    low = np.maximum(best - rng.integers(0, 3, rows), 0)
    high = best + rng.integers(0, 6, rows)
    spread = np.where(rng.random(rows) < 0.08, rng.integers(1, 40, rows), 0)  # date ranges, some across months
    start = pd.to_datetime(pd.Series(days))
    end = start + pd.to_timedelta(spread, unit="D")
    outside = _outside(rng, rows)
    return pd.DataFrame(
        {
            "id": np.arange(1, rows + 1).astype(str),
            "relid": [f"PAK-{i}" for i in range(1, rows + 1)],
            "year": start.dt.year.astype(str),
            "active_year": "1",
            "code_status": "Clear",
            "type_of_violence": violence.astype(str),
            "conflict_name": np.where(violence == 1, "Pakistan: Government", "Illustrative conflict"),
            "side_a": np.where(violence == 1, "Government of Pakistan", group_name),
            "side_b": np.where(violence == 1, group_name, np.where(violence == 3, "Civilians", "BLF")),
            "number_of_sources": "1",
            "source_article": "Illustrative source article, not real",
            "where_prec": "1",
            "where_coordinates": "Illustrative place",
            "adm_1": np.where(outside, "Kunar province", _column(provinces, PROVINCES, 2)),
            "latitude": "0.0",
            "longitude": "0.0",
            "country": np.where(outside, "Afghanistan", "Pakistan"),
            "country_id": np.where(outside, "700", "770"),
            "region": "Asia",
            "event_clarity": "1",
            "date_prec": np.where(spread > 0, "3", "1"),
            "date_start": start.dt.strftime("%Y-%m-%d 00:00:00.000"),
            "date_end": end.dt.strftime("%Y-%m-%d 00:00:00.000"),
            "best": best.astype(str),
            "high": high.astype(str),
            "low": low.astype(str),
            "gwnoa": "770",
        }
    )


def _gtd(rng: np.random.Generator, rows: int, days: np.ndarray) -> pd.DataFrame:
    groups, provinces = _pick(rng, GROUPS, rows), _pick(rng, PROVINCES, rows)
    kinds = _pick(rng, {name: (w,) for name, w in GTD_TYPES}, rows)
    dates = pd.to_datetime(pd.Series(days))
    day_unknown = rng.random(rows) < 0.04
    month_unknown = rng.random(rows) < 0.01
    kill_unknown = rng.random(rows) < 0.06
    deaths = _deaths(rng, rows)
    outside = _outside(rng, rows)
    return pd.DataFrame(
        {
            "eventid": [f"{d:%Y%m%d}{i % 10000:04d}" for i, d in enumerate(dates)],
            "iyear": dates.dt.year.astype(str),
            "imonth": np.where(month_unknown, "0", dates.dt.month.astype(str)),
            "iday": np.where(day_unknown | month_unknown, "0", dates.dt.day.astype(str)),
            "approxdate": np.where(day_unknown, "Illustrative: early in the month", ""),
            "extended": "0",
            "country": np.where(outside, "4", "153"),
            "country_txt": np.where(outside, "Afghanistan", "Pakistan"),
            "region": "6",
            "region_txt": "South Asia",
            "provstate": np.where(outside, "Kunar", _column(provinces, PROVINCES, 3)),
            "city": "Illustrative city",
            "latitude": "0.0",
            "longitude": "0.0",
            "summary": "Illustrative summary, not a real attack.",
            "success": "1",
            "suicide": np.where((kinds == "Bombing/Explosion") & (rng.random(rows) < 0.12), "1", "0"),
            "attacktype1_txt": kinds,
            "gname": _column(groups, GROUPS, 3),
            "nkill": np.where(kill_unknown, "", deaths.astype(str)),
            "nwound": np.where(kill_unknown, "", (deaths * rng.integers(0, 4, rows)).astype(str)),
            "dbsource": "Illustrative",
        }
    )


def _write_provenance(out: Path, dataset: str, rows: int, seed: int) -> None:
    titles = {"acled": "ACLED", "ucdp_ged": "UCDP GED", "gtd": "GTD"}
    meta = {
        "source_id": f"illustrative_{dataset}_{out.stem}".replace("-", "_"),
        "file": out.name,
        "layout": LAYOUT_OF[dataset],
        "publisher": "This project (generated)",
        "title": f"Illustrative (synthetic) events in the {titles[dataset]} export layout: {rows:,} rows, seed {seed}",
        "url": "",
        "licence": "CC0: generated by `python -m etl generate-events`; no real event, no dataset's terms apply",
        "retrieved": date.today().isoformat(),
        "published": "",
        "measures": "Invented events with the real export's exact header; for tests and demonstration only.",
        "synthetic": True,
        "sha256": sha256_of(out),
    }
    path = out.with_name(out.name + ".provenance.json")
    path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
