"""Recognising an export by its header (never its name), and clear refusals."""

from __future__ import annotations

import hashlib

import pytest

from etl.errors import SourceError
from etl.incident_events import detect
from etl.incident_events_generate import HEADERS, generate

from .helpers import build, write_export


@pytest.mark.parametrize(("dataset", "width"), [("acled", 31), ("ucdp_ged", 49), ("gtd", 135)])
def test_each_full_public_header_is_recognised(dataset, width):
    assert len(HEADERS[dataset]) == width  # the published layouts, column for column
    assert detect(HEADERS[dataset], "export.csv").dataset == dataset


def test_detection_ignores_the_file_name_and_column_order():
    shuffled = list(reversed(HEADERS["gtd"]))
    assert detect(shuffled, "acled-export-2025.csv").dataset == "gtd"


def test_a_subset_export_with_every_needed_column_is_accepted():
    needed = [
        "event_id_cnty",
        "event_date",
        "time_precision",
        "event_type",
        "sub_event_type",
        "actor1",
        "admin1",
        "country",
        "fatalities",
    ]
    assert detect(needed, "api-fields.csv").dataset == "acled"


def test_a_recognised_export_missing_a_needed_column_is_refused_by_name():
    header = [h for h in HEADERS["acled"] if h != "fatalities"]
    with pytest.raises(SourceError, match=r"ACLED export's identifying columns but lacks column\(s\) fatalities"):
        detect(header, "x.csv")


def test_an_unrelated_file_is_refused_with_the_closest_layout():
    with pytest.raises(SourceError, match="not an ACLED, UCDP GED or GTD export.*closest: GTD"):
        detect(["eventid", "iyear", "imonth", "something"], "x.csv")


def test_provenance_layout_must_agree_with_the_header(tmp_path, events_reference_dir):
    export = write_export(tmp_path / "mislabelled.csv", "gtd", [{"iyear": "2020"}])
    meta = export.with_name(export.name + ".provenance.json")
    meta.write_text(meta.read_text().replace('"layout": "gtd"', '"layout": "acled_export"'))
    with pytest.raises(
        SourceError, match="provenance says layout acled_export, but its header is the GTD export layout"
    ):
        build(tmp_path / "out", [export], events_reference_dir)


def test_a_line_that_does_not_split_refuses_the_file_without_echoing_it(tmp_path, events_reference_dir):
    export = write_export(tmp_path / "broken.csv", "acled", [{"event_date": "2024-01-01"}])
    with export.open("a", encoding="utf-8") as handle:
        handle.write("SECRET-NOTE,too,many,fields," + ",".join(["x"] * 40) + "\n")
    from etl.provenance import rehash

    rehash(export)
    with pytest.raises(SourceError) as refused:
        build(tmp_path / "out", [export], events_reference_dir)
    assert "line 3" in str(refused.value) and "SECRET-NOTE" not in str(refused.value)


def test_a_wrong_encoding_is_refused_with_the_fix(tmp_path, events_reference_dir):
    export = tmp_path / "utf16.csv"
    export.write_bytes(",".join(HEADERS["gtd"]).encode("utf-16"))
    import json

    from etl.provenance import sha256_of

    meta = {
        "source_id": "utf16",
        "file": export.name,
        "layout": "gtd",
        "publisher": "t",
        "title": "t",
        "licence": "t",
        "retrieved": "2026-01-01",
        "measures": "t",
        "sha256": sha256_of(export),
    }
    export.with_name(export.name + ".provenance.json").write_text(json.dumps(meta))
    with pytest.raises(SourceError, match='"encoding"'):
        build(tmp_path / "out", [export], events_reference_dir)


@pytest.mark.parametrize("dataset", ["acled", "ucdp_ged", "gtd"])
def test_generator_is_deterministic(tmp_path, dataset):
    first = generate(dataset, 500, 11, tmp_path / "a" / f"{dataset}.csv")
    second = generate(dataset, 500, 11, tmp_path / "b" / f"{dataset}.csv")
    other = generate(dataset, 500, 12, tmp_path / "c" / f"{dataset}.csv")
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (first, second, other)]
    assert digest[0] == digest[1] != digest[2]


def test_validate_checks_an_export_without_publishing(tmp_path, capsys):
    from etl.__main__ import main

    from .test_aggregation import ACLED_ROWS

    export = write_export(tmp_path / "check-me.csv", "acled", ACLED_ROWS)
    assert main(["validate", str(export)]) == 1  # rows refused
    printed = " ".join(capsys.readouterr().out.split())  # the console wraps long lines
    assert "acled export; rows read 10: aggregated 5, outside Pakistan 1, out of scope 1, refused 3" in printed
    assert "'Some New Front'" in printed and "future_date" in printed
    assert not list(tmp_path.glob("*.duckdb"))
