"""A deterministic, illustrative (synthetic) case log for demos, tests and benchmarks.

Shapes are believable, not real: platforms answer at different speeds and rates, most requests concern
militancy and anti-state content, volumes rise after real events from the events table. Everything built
from it is marked synthetic and shown as "Illustrative (synthetic)".
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import duckdb

from etl.paths import DATA_DIR
from etl.provenance import sha256_of

START, END = date(2023, 1, 1), date(2025, 12, 31)
PLATFORMS = {"X": 30, "Facebook": 22, "YouTube": 14, "TikTok": 14, "Instagram": 8, "Telegram": 7, "WhatsApp": 5}
# per platform: (actioned, partial, rejected, pending) shares and median hours to answer
BEHAVIOUR = {
    "X": ((35, 10, 40, 15), 72),
    "Facebook": ((70, 8, 15, 7), 24),
    "YouTube": ((75, 5, 12, 8), 20),
    "TikTok": ((85, 5, 5, 5), 10),
    "Instagram": ((72, 6, 15, 7), 24),
    "Telegram": ((50, 5, 25, 20), 48),
    "WhatsApp": ((40, 5, 35, 20), 60),
}
CATEGORIES = {
    "Terrorism / militancy": 35,
    "Anti-state": 25,
    "Hate speech / sectarian": 12,
    "Blasphemy": 10,
    "Pornography / obscenity": 8,
    "Defamation / impersonation": 6,
    "Contempt of court": 2,
    "Other": 2,
}
GROUPS_TERRORISM = {"TTP": 40, "BLA": 30, "BLF": 10, "ISKP": 8, "JuA": 5, "unknown": 7}
GROUPS_ANTI_STATE = {"none": 45, "unknown": 20, "BLA": 20, "TTP": 15}
GROUPS_OTHER = {"none": 85, "unknown": 15}
ORIGINS = {"PK": 35, "AF": 25, "unknown": 20, "IN": 15, "AE": 3, "GB": 2}
REQUESTERS = {"PTA": 60, "FIA-CCW": 25, "MoI": 15}
TARGET_KINDS = {"account": 45, "post": 35, "channel": 10, "mirror": 10}
EVENT_SHARE = 0.35  # share of requests sent in the three weeks after a real event


def _uniform(seed: int, salt: str) -> str:
    """A uniform number in [0, 1) for row ``i``, fixed by the seed and a per-field salt."""
    return f"((hash(i, {int(seed)}, '{salt}') % 1000000007) / 1000000007.0)"


def _choice(weights: dict[str, int], u: str) -> str:
    """CASE expression picking a key of ``weights`` with probability proportional to its weight."""
    total, running, parts = sum(weights.values()), 0, []
    for value, weight in weights.items():
        running += weight
        parts.append(f"WHEN {u} < {running / total!r} THEN '{value}'")
    return "CASE " + " ".join(parts[:-1]) + f" ELSE '{list(weights)[-1]}' END"


def _event_days() -> list[int]:
    with (DATA_DIR / "reference" / "events.csv").open(encoding="utf-8", newline="") as handle:
        days = [(date.fromisoformat(r["event_date"]) - START).days for r in csv.DictReader(handle)]
    return [d for d in days if 0 <= d <= (END - START).days - 21]


def query(rows: int, seed: int) -> str:
    """The SELECT that produces the log (constants only; nothing from input is formatted in)."""
    u = lambda salt: _uniform(seed, salt)  # noqa: E731
    events = _event_days()
    span = (END - START).days + 1
    day = (
        f"CASE WHEN {u('near_event')} < {EVENT_SHARE} THEN list_extract({events}, 1 + CAST(floor({u('which_event')} * "
        f"{len(events)}) AS BIGINT)) + CAST(floor({u('after_event')} * 21) AS BIGINT) "
        f"ELSE CAST(floor({u('day')} * {span}) AS BIGINT) END"
    )
    status_by_platform = (
        "CASE platform "
        + " ".join(
            f"WHEN '{p}' THEN "
            + _choice(dict(zip(["actioned", "partial", "rejected", "pending"], shares, strict=True)), u("status"))
            for p, (shares, _) in BEHAVIOUR.items()
        )
        + " END"
    )
    median_hours = "CASE platform " + " ".join(f"WHEN '{p}' THEN {h}" for p, (_, h) in BEHAVIOUR.items()) + " END"
    normal = f"(({u('n1')} + {u('n2')} + {u('n3')} + {u('n4')}) - 2.0) * 1.732"  # ≈ standard normal
    group = (
        f"CASE category WHEN 'Terrorism / militancy' THEN {_choice(GROUPS_TERRORISM, u('group'))} "
        f"WHEN 'Anti-state' THEN {_choice(GROUPS_ANTI_STATE, u('group'))} ELSE {_choice(GROUPS_OTHER, u('group'))} END"
    )
    return f"""
    WITH base AS (
        SELECT i,
               DATE '{START.isoformat()}' + CAST({day} AS INTEGER) + to_seconds(CAST(floor({u("second")} * 86400) AS BIGINT)) AS sent,
               {_choice(PLATFORMS, u("platform"))} AS platform,
               {_choice(CATEGORIES, u("category"))} AS category,
               {_choice(ORIGINS, u("origin"))} AS origin_country,
               {_choice(REQUESTERS, u("requester"))} AS requester,
               {_choice(TARGET_KINDS, u("kind"))} AS target_kind
        FROM range({int(rows)}) AS r(i)
    ), shaped AS (
        SELECT *, {status_by_platform} AS status, {group} AS linked_group,
               exp(ln({median_hours}) + 0.9 * {normal}) AS hours
        FROM base
    )
    SELECT printf('REQ-%d-%09d', {int(seed)}, i) AS request_id,
           strftime(sent, '%Y-%m-%dT%H:%M:%SZ') AS sent_at, platform, category, linked_group, origin_country,
           requester, target_kind,
           CASE target_kind WHEN 'post' THEN printf('https://example.org/p/%d', hash(i, {int(seed)}, 'target') % 100000000)
                ELSE printf('@acct_%d', hash(i, {int(seed)}, 'target') % 100000000) END AS target,
           status,
           CASE WHEN status = 'pending' THEN NULL
                ELSE strftime(sent + to_seconds(CAST(ceil(hours * 3600) AS BIGINT)), '%Y-%m-%dT%H:%M:%SZ') END AS responded_at
    FROM shaped
    ORDER BY i
    """  # noqa: S608 (constants and integers only)


def generate(rows: int, seed: int, out: Path) -> Path:
    """Write the log (CSV or Parquet by extension) and its provenance file; same rows and seed → same bytes."""
    out.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        relation = con.sql(query(rows, seed))
        if out.suffix.lower() == ".parquet":
            relation.write_parquet(str(out), compression="zstd")
        else:
            relation.write_csv(str(out), header=True)
    finally:
        con.close()
    provenance = {
        "source_id": f"synthetic_case_log_{seed}_{rows}",
        "file": out.name,
        "layout": "case_log",
        "synthetic": True,
        "publisher": "This project: Illustrative (synthetic) case log, not real requests",
        "title": f"Illustrative (synthetic) case log, {rows:,} generated requests, seed {seed}",
        "url": "",
        "licence": "CC0 1.0 (generated data)",
        "retrieved": date.today().isoformat(),
        "published": "",
        "measures": "Generated requests with believable but invented shapes, for demonstrations, tests and benchmarks.",
        "sha256": sha256_of(out),
    }
    out.with_name(out.name + ".provenance.json").write_text(json.dumps(provenance, indent=2) + "\n", encoding="utf-8")
    return out
