"""Disclosure control (k = 5 unless said): small cells are withheld, and no withheld cell can be worked out.

Checked on a generated 50,000-row log built end to end, and on small random tables given straight to
``etl.caselog.protect`` (shaped like the cells and month × platform totals the build aggregates).
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from etl.caselog import protect

from .helpers import (
    CELL_KEY,
    COUNTS,
    FIGURES,
    GROUP_KEY,
    answered_after,
    build,
    determined_by_projection,
    determined_by_rank,
    equations,
    recompute_cells,
    table,
    write_csv_log,
)

K = 5


# --- the generated log, built end to end ---------------------------------------------------------------


@pytest.fixture(scope="module")
def published(generated_build):
    out, source_id = generated_build.out, generated_build.source_id
    return (
        table(out, "case_requests_monthly", source_id),
        table(out, "case_requests_monthly_platform", source_id),
        table(out, "case_log_info", source_id).iloc[0],
    )


@pytest.fixture(scope="module")
def truth(generated_input) -> pd.DataFrame:
    return recompute_cells(generated_input)


def test_every_cell_under_k_is_withheld_with_every_figure_empty(published, truth):
    cells, _, _ = published
    merged = cells.merge(truth, on=CELL_KEY, how="outer", suffixes=("", "_true"), indicator=True)
    assert (merged["_merge"] == "both").all(), "every cell of the log is listed, and no other"
    small = merged["requests_true"] < K
    assert small.sum() > 1000, "the generated log has many small cells"
    assert (merged.loc[small, "suppressed"] == "withheld").all()
    withheld = merged["suppressed"].notna()
    assert merged.loc[withheld, FIGURES].isna().all().all(), "a withheld cell shows a figure"
    assert merged.loc[withheld, ["response_hours_p50", "response_hours_p90"]].isna().all().all()
    assert set(merged["suppressed"].dropna()) == {"withheld"}, "the reason a cell is withheld is not published"
    shown = merged[~withheld]
    assert len(shown) > 100
    assert (shown["requests"] >= K).all()
    for column in COUNTS:
        assert (shown[column] == shown[f"{column}_true"]).all(), column


def test_no_published_total_has_exactly_one_withheld_cell_under_it(published):
    cells, margins, _ = published
    withheld = cells.assign(withheld=cells["suppressed"].notna()).groupby(GROUP_KEY)["withheld"].sum()
    shown_totals = margins[margins["suppressed"].isna()].set_index(GROUP_KEY).index
    counts = withheld.reindex(shown_totals, fill_value=0)
    assert len(counts) > 200
    assert not (counts == 1).any(), counts[counts == 1]


def test_no_withheld_cell_is_determined_by_the_published_totals(published):
    cells, margins, _ = published
    a, _, withheld = equations(cells, margins)
    assert a.shape[1] == cells["suppressed"].notna().sum() > 1000
    determined = determined_by_projection(a)
    assert not determined.any(), withheld[determined].head()


def test_published_totals_are_the_sum_of_every_valid_row(published, truth, generated_input):
    cells, margins, info = published
    by_group = truth.groupby(GROUP_KEY)[COUNTS].sum().reset_index()
    merged = margins.merge(by_group, on=GROUP_KEY, how="outer", suffixes=("", "_true"), indicator=True)
    assert (merged["_merge"] == "both").all()
    assert merged["suppressed"].isna().mean() > 0.8, "most month × platform totals of the generated log are shown"
    shown_totals = merged[merged["suppressed"].isna()]
    for column in COUNTS:
        assert (shown_totals[column] == shown_totals[f"{column}_true"]).all(), column
    # … which is the published cells plus the withheld ones, not the published cells alone
    shown = cells[cells["suppressed"].isna()].groupby(GROUP_KEY)["requests"].sum()
    hidden = truth.merge(cells[cells["suppressed"].notna()][CELL_KEY], on=CELL_KEY).groupby(GROUP_KEY)["requests"].sum()
    total = margins[margins["suppressed"].isna()].set_index(GROUP_KEY)["requests"]
    assert (total == shown.reindex(total.index, fill_value=0) + hidden.reindex(total.index, fill_value=0)).all()
    assert by_group["requests"].sum() == len(generated_input) == info["rows_aggregated"]


def test_case_log_info_states_k_the_rule_and_the_suppression_counts(published):
    cells, _, info = published
    assert info["disclosure_threshold_k"] == K
    assert "fewer than 5 requests are withheld (primary)" in info["suppression_rule"]
    assert "(secondary)" in info["suppression_rule"]
    assert info["cells"] == len(cells)
    withheld = int(cells["suppressed"].notna().sum())
    assert info["cells_suppressed_primary"] + info["cells_suppressed_secondary"] == withheld


# --- small random tables straight into protect() ----------------------------------------------------


def random_log(seed: int) -> pd.DataFrame:
    """Requests for a few months and platforms; under each month and platform a random handful of cells,
    each small (1 to 4 requests) or not (5 to 25), so that groups with no, one and several small cells occur."""
    rng = random.Random(seed)
    months = [pd.Timestamp(2024, m, 1) for m in range(1, rng.randint(2, 5) + 1)]
    platforms = ["x", "facebook", "tiktok", "telegram"][: rng.randint(2, 4)]
    values = {
        "category_id": ["national_security", "religious", "terrorism_extremism"],
        "linked_group": ["none", "TTP", "BLA"],
        "origin_country": ["PK", "AF"],
        "requester": ["PTA", "MoI"],
        "target_kind": ["account", "post", "mirror"],
    }
    small_share = rng.choice([0.2, 0.35, 0.5])
    rows = []
    for month in months:
        for platform in platforms:
            keys = set()
            for _ in range(rng.randint(1, 6)):
                keys.add(tuple(rng.choice(options) for options in values.values()))
            for key in sorted(keys):
                size = rng.randint(1, 4) if rng.random() < small_share else rng.randint(5, 25)
                for _ in range(size):
                    status = rng.choices(["actioned", "partial", "rejected", "pending"], weights=[5, 1, 3, 1])[0]
                    hours = None if status == "pending" else round(rng.uniform(0.5, 200), 2)
                    rows.append(
                        {
                            "month": month,
                            "platform_id": platform,
                            **dict(zip(values, key, strict=True)),
                            "status": status,
                            "hours": hours,
                        }
                    )
    return pd.DataFrame(rows)


def aggregate(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """What caselog_aggregate.sql computes per cell and per month × platform total, with pandas."""

    def figures(group: pd.DataFrame) -> pd.Series:
        hours = group["hours"].dropna()
        answered = len(hours)
        return pd.Series(
            {
                "requests": len(group),
                **{s: int((group["status"] == s).sum()) for s in ("actioned", "partial", "rejected", "pending")},
                "response_hours_p50": hours.quantile(0.5) if answered else np.nan,
                "response_hours_p90": hours.quantile(0.9) if answered else np.nan,
                "answered_within_24h_pct": 100 * (hours <= 24).sum() / answered if answered else np.nan,
                "answered_within_72h_pct": 100 * (hours <= 72).sum() / answered if answered else np.nan,
            }
        )

    out = frame.groupby(key).apply(figures, include_groups=False).reset_index()
    out[COUNTS] = out[COUNTS].astype("int64")
    return out


SEEDS = [1, 2, 3, 4, 5, 6, 7, 8]


@pytest.fixture(scope="module")
def random_tables() -> dict:
    tables = {}
    for seed in SEEDS:
        log = random_log(seed)
        cells, margins = aggregate(log, CELL_KEY), aggregate(log, GROUP_KEY)
        k = 3 if seed % 2 else K
        tables[seed] = (k, cells, margins, *protect(cells.copy(), margins.copy(), k))
    return tables


def test_random_tables_exercise_both_rules(random_tables):
    protected = [c for _, _, _, c, _ in random_tables.values()]
    assert sum((c["_reason"] == "primary").sum() for c in protected) > 50
    assert sum((c["_reason"] == "secondary").sum() for c in protected) >= 3


@pytest.mark.parametrize("seed", SEEDS)
def test_protect_withholds_small_cells_and_keeps_the_rest(random_tables, seed):
    k, cells, margins, protected, protected_margins = random_tables[seed]
    merged = protected.merge(cells, on=CELL_KEY, how="outer", suffixes=("", "_true"), indicator=True)
    assert (merged["_merge"] == "both").all()
    assert ((merged["requests_true"] < k) == (merged["_reason"] == "primary")).all()
    assert (merged.loc[merged["requests_true"] < k, "suppressed"] == "withheld").all()
    withheld = merged["suppressed"].notna()
    assert merged.loc[withheld, FIGURES].isna().all().all()
    for column in FIGURES:
        shown = merged.loc[~withheld]
        assert np.allclose(shown[column].astype(float), shown[f"{column}_true"].astype(float), equal_nan=True)
    # totals: every valid row, withheld cells included; a total under k is itself withheld
    totals = protected_margins.merge(margins, on=GROUP_KEY, suffixes=("", "_true"))
    assert len(totals) == len(margins)
    assert (totals.loc[totals["requests_true"] < k, "suppressed"] == "withheld").all()
    shown = totals[totals["suppressed"].isna()]
    assert (shown["requests"] == shown["requests_true"]).all()
    cell_sums = shown.merge(cells.groupby(GROUP_KEY)["requests"].sum().rename("sum"), on=GROUP_KEY)
    assert (cell_sums["requests"] == cell_sums["sum"]).all()


@pytest.mark.parametrize("seed", SEEDS)
def test_protect_leaves_no_withheld_cell_determined_by_the_totals(random_tables, seed):
    _, _, _, protected, protected_margins = random_tables[seed]
    withheld = protected.assign(w=protected["suppressed"].notna()).groupby(GROUP_KEY)["w"].sum()
    shown_totals = protected_margins[protected_margins["suppressed"].isna()].set_index(GROUP_KEY).index
    assert not (withheld.reindex(shown_totals, fill_value=0) == 1).any()
    a, _, unknowns = equations(protected, protected_margins)
    by_rank = determined_by_rank(a)
    assert (by_rank == determined_by_projection(a)).all(), "the two tests of the row space disagree"
    assert not by_rank.any(), unknowns[by_rank]


# --- attacks the rule does not withstand (bugs) -----------------------------------------------------


def feasible_bounds(cells: pd.DataFrame, margins: pd.DataFrame, k: int) -> pd.DataFrame:
    """Bounds an attacker gets for every withheld cell under a published total from what is published:
    a listed cell has at least 1 request (why it is withheld is not published), and the withheld cells
    under a total add up to the total minus the published cells. With one equation per total and box
    bounds, these interval bounds are exact: [1, rest - (n - 1)], or exactly rest when n = 1."""
    shown = cells[cells["suppressed"].isna()].groupby(GROUP_KEY)["requests"].sum().rename("shown")
    totals = margins[margins["suppressed"].isna()].set_index(GROUP_KEY)["requests"].rename("total")
    hidden = cells[cells["suppressed"].notna()].join(totals, on=GROUP_KEY, how="inner").join(shown, on=GROUP_KEY)
    rest = hidden["total"] - hidden["shown"].fillna(0)
    n = hidden.groupby([hidden[c] for c in GROUP_KEY])["suppressed"].transform("size")
    return (
        hidden[[*CELL_KEY, "suppressed"]]
        .assign(low=np.where(n > 1, 1.0, rest), high=rest - (n - 1))
        .reset_index(drop=True)
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_the_attackers_bounds_hold_the_true_values(random_tables, seed):
    """The bounds used below are sound: every withheld cell's true count lies within them."""
    k, cells, _, protected, protected_margins = random_tables[seed]
    bounds = feasible_bounds(protected, protected_margins, k).merge(cells[[*CELL_KEY, "requests"]], on=CELL_KEY)
    assert len(bounds) == protected.merge(protected_margins[protected_margins["suppressed"].isna()][GROUP_KEY]).pipe(
        lambda f: f["suppressed"].notna().sum()
    )
    assert ((bounds["low"] <= bounds["requests"]) & (bounds["requests"] <= bounds["high"])).all()


def constructed_tables():
    """One month and platform, three cells: 1, 5 and 10 requests (total 16)."""
    cells = pd.DataFrame(
        {
            "month": [pd.Timestamp("2024-05-01")] * 3,
            "platform_id": ["telegram"] * 3,
            "category_id": ["national_security", "religious", "terrorism_extremism"],
            "linked_group": ["none", "none", "BLA"],
            "origin_country": ["PK"] * 3,
            "requester": ["PTA"] * 3,
            "target_kind": ["account"] * 3,
            "requests": [1, 5, 10],
            "actioned": [1, 5, 10],
            "partial": [0, 0, 0],
            "rejected": [0, 0, 0],
            "pending": [0, 0, 0],
            "response_hours_p50": [3.0, 4.0, 5.0],
            "response_hours_p90": [3.0, 6.0, 9.0],
            "answered_within_24h_pct": [100.0] * 3,
            "answered_within_72h_pct": [100.0] * 3,
        }
    )
    margins = aggregate_margins(cells)
    return protect(cells, margins, K)


def aggregate_margins(cells: pd.DataFrame) -> pd.DataFrame:
    margins = cells.groupby(GROUP_KEY)[COUNTS].sum().reset_index()
    for column in FIGURES[len(COUNTS) :]:
        margins[column] = 1.0
    return margins


@pytest.mark.parametrize("case", ["constructed", "generated"])
def test_no_withheld_cell_is_pinned_down_by_totals_and_published_bounds(case, generated_build):
    if case == "constructed":
        cells, margins = constructed_tables()
    else:
        cells = table(generated_build.out, "case_requests_monthly", generated_build.source_id)
        margins = table(generated_build.out, "case_requests_monthly_platform", generated_build.source_id)
    bounds = feasible_bounds(cells, margins, K)
    assert len(bounds) > 0
    pinned = bounds[bounds["low"] == bounds["high"]]
    assert pinned.empty, f"{len(pinned)} withheld cells have a known value, e.g.\n{pinned.head(3)}"
    assert (bounds["high"] >= K).all(), "the bounds must not even show that a withheld cell is under k"


# a hand-made log: X January 12 requests in two cells of 6; Facebook January 3 + 5; Telegram January 1
GRAND_TOTAL_CELLS = [
    ("X", "Anti-state", 6),
    ("X", "Blasphemy", 6),
    ("Facebook", "Anti-state", 3),
    ("Facebook", "Blasphemy", 5),
    ("Telegram", "Anti-state", 1),
]


@pytest.fixture(scope="module")
def grand_total_build(tmp_path_factory, reference_dir):
    folder = tmp_path_factory.mktemp("grand-total")
    rows, n = [], 0
    for platform, category, requests in GRAND_TOTAL_CELLS:
        for _ in range(requests):
            n += 1
            sent = f"2024-01-{n:02d}T10:00:00Z"
            rows.append(
                (
                    f"GT-{n:04d}",
                    sent,
                    platform,
                    category,
                    "none",
                    "PK",
                    "PTA",
                    "account",
                    f"@gt_{n}",
                    "actioned",
                    answered_after(sent, 5),
                )
            )
    log = write_csv_log(folder / "grand_total.csv", rows, "grand_total")
    out = folder / "published"
    build(out, [log], reference_dir, k=K)
    return (
        table(out, "case_requests_monthly", "grand_total"),
        table(out, "case_requests_monthly_platform", "grand_total"),
        table(out, "case_log_info", "grand_total").iloc[0],
        table(out, "sources", "grand_total").iloc[0],
    )


def test_the_hand_made_log_is_protected_against_the_monthly_platform_totals(grand_total_build):
    cells, margins, info, _ = grand_total_build
    # Telegram's total (1) is under k; against the published grand total it would stand alone, so
    # Facebook's total is withheld too (its two cells are withheld already: 3 under k, 5 with it).
    assert margins.set_index("platform_id")["suppressed"].fillna("-").to_dict() == {
        "x": "-",
        "facebook": "withheld",
        "telegram": "withheld",
    }
    assert sorted(cells["suppressed"].fillna("-")) == ["-", "-", "withheld", "withheld", "withheld"]
    a, _, _ = equations(cells, margins)
    assert not determined_by_rank(a).any()


def test_no_withheld_cell_is_determined_once_the_published_grand_total_is_used(grand_total_build):
    cells, margins, info, sources = grand_total_build
    assert info["rows_aggregated"] == sources["rows_loaded"] == 21
    a, b, withheld = equations(cells, margins, grand_total=int(info["rows_aggregated"]))
    determined = determined_by_rank(a)
    solution = np.linalg.lstsq(a, b, rcond=None)[0]
    known = withheld.assign(requests=solution)[determined]
    assert not determined.any(), (
        f"withheld cells with a known value:\n{known[['platform_id', 'category_id', 'requests']]}"
    )
