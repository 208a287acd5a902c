"""The synthetic case log: deterministic, labelled synthetic all the way to the published tables, believable."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pandas as pd
import pytest

from etl.caselog_generate import generate
from etl.provenance import sha256_of

from .helpers import DATA_DIR, run_cli, table


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_same_rows_and_seed_give_the_same_bytes_another_seed_does_not(tmp_path, suffix):
    first = generate(3000, 11, tmp_path / "a" / f"log{suffix}")
    again = generate(3000, 11, tmp_path / "b" / f"log{suffix}")
    other = generate(3000, 12, tmp_path / "c" / f"log{suffix}")
    assert sha256_of(first) == sha256_of(again)
    assert sha256_of(first) != sha256_of(other)
    recorded = json.loads((tmp_path / "a" / f"log{suffix}.provenance.json").read_text(encoding="utf-8"))
    assert recorded["sha256"] == sha256_of(first)


def test_the_command_line_writes_the_same_file_as_the_function(tmp_path):
    proc = run_cli("generate-caselog", "--rows", "3000", "--seed", "11", "--out", str(tmp_path / "cli.csv"))
    assert proc.returncode == 0, proc.stderr
    assert sha256_of(tmp_path / "cli.csv") == sha256_of(generate(3000, 11, tmp_path / "fn.csv"))


def test_the_provenance_says_synthetic(generated_build):
    meta = json.loads(generated_build.log.with_name(generated_build.log.name + ".provenance.json").read_text())
    assert meta["synthetic"] is True
    assert meta["layout"] == "case_log"
    assert "synthetic" in meta["title"].lower()


def test_a_build_from_it_is_marked_synthetic_everywhere(generated_build):
    out, source_id = generated_build.out, generated_build.source_id
    info = table(out, "case_log_info", source_id)
    assert len(info) == 1 and bool(info["synthetic"].iloc[0]) is True
    for name in ("case_requests_monthly", "case_requests_monthly_platform"):
        frame = table(out, name, source_id)
        assert len(frame) > 0
        assert frame["synthetic"].astype(bool).all(), name
    assert info["rows_read"].iloc[0] == info["rows_aggregated"].iloc[0] == 50_000


@pytest.fixture(scope="module")
def totals(generated_build) -> pd.DataFrame:
    return table(generated_build.out, "case_requests_monthly_platform", generated_build.source_id)


def test_tiktok_answers_faster_than_x(totals):
    median = totals.groupby("platform_id")["response_hours_p50"].median()
    assert median["tiktok"] < median["x"]
    faster = totals.pivot(index="month", columns="platform_id", values="response_hours_p50")
    assert (faster["tiktok"] < faster["x"]).mean() > 0.9, "in almost every month"


def test_x_rejects_a_larger_share_than_tiktok(totals):
    by_platform = totals.groupby("platform_id")[["rejected", "requests"]].sum()
    share = by_platform["rejected"] / by_platform["requests"]
    assert share["x"] > share["tiktok"] + 0.2


def events_2023_2025() -> list[date]:
    events = pd.read_csv(DATA_DIR / "reference" / "events.csv", dtype=str)
    days = [date.fromisoformat(d) for d in events["event_date"]]
    return sorted({d for d in days if date(2023, 1, 1) <= d <= date(2025, 12, 31) - timedelta(days=21)})


def test_volume_rises_in_the_three_weeks_after_an_event(generated_input):
    events = events_2023_2025()
    assert len(events) >= 5
    sent = pd.to_datetime(generated_input["sent_at"], utc=True).dt.tz_localize(None)
    average_month = len(sent) / 36
    for day in events:
        start = pd.Timestamp(day)
        after = ((sent >= start) & (sent < start + pd.Timedelta(days=21))).sum()
        assert after > average_month, f"{day}: {after} requests in 3 weeks, an average month has {average_month:.0f}"


def test_event_months_stand_out_in_the_published_totals(totals):
    """On the dashboard: the month an event falls in (or the next, for late-month events) is above the
    average month."""
    monthly = totals.groupby("month")["requests"].sum()
    average = monthly.mean()
    for day in events_2023_2025():
        month = pd.Timestamp(day.year, day.month, 1)
        following = month + pd.offsets.MonthBegin(1)
        assert max(monthly[month], monthly.get(following, 0)) > average, day
