"""The one CSV writer behind every download and export: Excel-safe and formula-safe, numbers untouched."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from dataset.safe_csv import to_csv_bytes

HOSTILE = [
    '=HYPERLINK("http://evil")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\tleading tab",
    "\rreturn",
    "＝1+1",
    "＠SUM(A1)",
]


def rows_of(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    body = "\n".join(line for line in text.split("\r\n") if line and not line.startswith("# "))
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_like_text_is_neutralised(value):
    data = to_csv_bytes(pd.DataFrame({"label": [value]}))
    assert rows_of(data)[1] == ["'" + value]


def test_numbers_stay_numbers_negative_ones_included():
    frame = pd.DataFrame({"count": [-2, 5], "share": [-1.5, 12.25], "whole_with_gap": [3.0, None]})
    assert rows_of(to_csv_bytes(frame))[1:] == [["-2", "-1.5", "3"], ["5", "12.25", ""]]


def test_bom_crlf_comments_and_headers():
    frame = pd.DataFrame({"=evil header": ["x"]})
    data = to_csv_bytes(frame, ["Source: Google", "Dataset version abc"])
    assert data.startswith(b"\xef\xbb\xbf# Source: Google\r\n# Dataset version abc\r\n")
    assert rows_of(data)[0] == ["'=evil header"]
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_urdu_and_mixed_scripts_survive_a_round_trip():
    text = "خیبر پختونخوا — Khyber Pakhtunkhwa, ۱۲۳"
    assert rows_of(to_csv_bytes(pd.DataFrame({"name": [text]})))[1] == [text]
