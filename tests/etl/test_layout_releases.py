"""Earlier releases of Google's files: recognised by their own header, loaded, and giving the same figures for
Pakistan as today's release wherever the releases agree (fixtures: tests/etl/fixtures/google_releases/)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl.__main__ import main
from etl.adapters import registry
from etl.build import read_and_validate
from etl.errors import SourceError
from etl.recognise import recognise

from .helpers import GOOGLE_DIR, SUMMARY, SUMMARY_HISTORICAL

RELEASES = Path(__file__).parent / "fixtures" / "google_releases"
FIGURES = [
    "period_end",
    "country_code",
    "requester",
    "requests",
    "requests_qualifier",
    "items_requested",
    "items_requested_qualifier",
    "complied_pct",
    "pct_removed_legal",
    "pct_removed_policy",
    "pct_content_not_found",
    "pct_not_enough_information",
    "pct_no_action_taken",
    "pct_content_already_removed",
]


def _pakistan(path: Path, layout: str, references, periods: set[str] | None = None) -> pd.DataFrame:
    result = read_and_validate(path, registry()[layout], *references)
    assert result.failures == []
    frame = result.frame[result.frame["country_code"] == "PK"]
    if periods is not None:
        frame = frame[frame["period_end"].isin(periods)]
    return frame[FIGURES].sort_values(["period_end", "requester"]).reset_index(drop=True)


@pytest.mark.parametrize(
    ("file_name", "layout", "release"),
    [
        ("summary-2022-requester.csv", "google_summary", "column 'Requester'"),
        ("summary-historical-country.csv", "google_summary_historical", "column 'Country'"),
        ("summary-historical-pt.csv", "google_summary_historical", "Portuguese download"),
    ],
)
def test_each_earlier_release_is_recognised_by_name_and_cited(file_name, layout, release):
    found = recognise(RELEASES / file_name)
    assert (found.kind, found.layout) == ("source", layout)
    assert release in found.release
    assert "github.com/" in found.documented or "test fixture" in found.documented
    current = recognise(GOOGLE_DIR / (SUMMARY if layout == "google_summary" else SUMMARY_HISTORICAL))
    assert current.release != found.release  # today's file is named as today's release


@pytest.mark.parametrize("file_name", ["summary-historical-country.csv", "summary-historical-pt.csv"])
def test_historical_releases_give_the_shipped_pakistan_figures(file_name, references):
    old = _pakistan(RELEASES / file_name, "google_summary_historical", references)
    assert set(old["period_end"]) == {
        "2009-12-31",
        "2010-12-31",
        "2011-06-30",
        "2011-12-31",
        "2012-06-30",
        "2012-12-31",
    }
    shipped = _pakistan(
        GOOGLE_DIR / SUMMARY_HISTORICAL, "google_summary_historical", references, set(old["period_end"])
    )
    pd.testing.assert_frame_equal(old, shipped)
    assert old.loc[old["period_end"] == "2009-12-31", "requests_qualifier"].tolist() == ["<10"]  # never a number


def test_the_2022_summary_release_agrees_on_items_and_shares_and_shows_googles_revised_requests(references):
    old = _pakistan(RELEASES / "summary-2022-requester.csv", "google_summary", references)
    shipped = _pakistan(GOOGLE_DIR / SUMMARY, "google_summary", references, {"2019-06-30"})
    assert len(old) == len(shipped) == 6
    agree = [c for c in FIGURES if c != "requests"]
    pd.testing.assert_frame_equal(old[agree], shipped[agree])
    revised = old.merge(shipped, on="requester", suffixes=("_2022", "_now"))
    revised = revised[revised["requests_2022"] != revised["requests_now"]]
    assert dict(
        zip(revised["requester"], zip(revised["requests_2022"], revised["requests_now"], strict=True), strict=True)
    ) == {
        "Court Order Directed at 3rd Party": ("6", "4"),
        "Information and Communications Authority": ("275", "175"),
        "Police": ("155", "104"),
    }


def test_a_header_close_to_an_earlier_release_names_the_layout_and_the_difference(tmp_path):
    lines = (RELEASES / "summary-2022-requester.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "almost.csv"
    path.write_text(
        "\n".join([lines[0].replace(",Military", "").replace("% No Action Taken", "No Action"), *lines[1:]])
    )
    with pytest.raises(SourceError, match=r"looks like the google_summary layout .*'% No Action Taken'.*'No Action'"):
        recognise(path)


def test_validate_names_the_release_and_what_it_would_publish(capsys):
    assert main(["validate", str(RELEASES / "summary-historical-pt.csv")]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "layout google_summary_historical, release: Portuguese download" in printed
    assert "github.com/lucasmaiasilva/site_visu @ 2e6d7c41" in printed
    assert "would publish" in printed and "periods ending 2009-12-31 to 2012-12-31, 1 country" in printed
    assert "Nothing is written" in printed
