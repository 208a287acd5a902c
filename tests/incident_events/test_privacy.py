"""Nothing of the raw rows (notes, places, coordinates, event ids, sources) reaches the published release."""

from __future__ import annotations

import re
import zipfile

import duckdb
import pytest

from etl.incident_events_generate import generate
from etl.publish import current_database

from .helpers import build, table


@pytest.fixture(scope="module")
def generated_build(tmp_path_factory, events_reference_dir):
    folder = tmp_path_factory.mktemp("generated-events")
    exports = [generate(d, 2_000, 5, folder / f"{d}-fixture.csv") for d in ("acled", "ucdp_ged", "gtd")]
    out = folder / "published"
    return out, exports, build(out, exports, events_reference_dir)


# what the fixtures put in the columns the ETL must never read
RAW_MARKERS = [
    "Illustrative note",
    "Illustrative place",
    "Illustrative city",
    "Illustrative summary",
    "Illustrative source article",
    "early in the month",
    "PAK0000",  # ACLED event ids
    "PAK-1",  # UCDP relids
]


def test_no_raw_row_field_in_any_table_or_release_file(generated_build):
    out, _, _ = generated_build
    con = duckdb.connect(str(current_database(out)), read_only=True)
    tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
    text = "\n".join(
        str(row)
        for name in tables
        for row in con.execute(f'SELECT * FROM "{name}"').fetchall()  # noqa: S608
    )
    con.close()
    files = [p for p in (out / "releases").rglob("*") if p.is_file()]
    assert any(p.name == "incident_events_monthly.csv" for p in files)
    blobs = [p.read_bytes() for p in files if p.suffix != ".zip"]
    for archive in (p for p in files if p.suffix == ".zip"):
        with zipfile.ZipFile(archive) as bundle:
            blobs += [bundle.read(n) for n in bundle.namelist()]
    everything = text + "\n".join(b.decode("utf-8", "replace") for b in blobs)
    for marker in RAW_MARKERS:
        assert marker not in everything, marker
    # no GTD event id (12 digits) and no coordinate pair survives either
    assert not re.search(r"\b20[12]\d{9}\b", everything)


def test_rows_are_accounted_for_in_every_layout(generated_build):
    out, _, result = generated_build
    info = table(out, "incident_events_info")
    assert len(info) == 3
    for row in info.itertuples():
        assert row.rows_read == 2_000
        assert (
            row.rows_read
            == row.rows_aggregated + row.rows_outside_pakistan + row.rows_out_of_scope + row.rows_quarantined
        )
        assert row.rows_outside_pakistan > 0
    cells = table(out, "incident_events_monthly")
    per_source = cells.groupby("source_id")["events"].sum()
    assert per_source.to_dict() == info.set_index("source_id")["rows_aggregated"].to_dict()
    assert info.set_index("dataset").loc["acled", "rows_out_of_scope"] > 0  # protests are not militant violence


def test_everything_built_from_fixtures_is_marked_synthetic(generated_build):
    out, _, _ = generated_build
    assert table(out, "incident_events_monthly")["synthetic"].all()
    assert table(out, "incident_events_info")["synthetic"].all()
    release_csv = next((out / "releases").rglob("incident_events_monthly.csv")).read_text(encoding="utf-8-sig")
    assert "ILLUSTRATIVE (SYNTHETIC)" in release_csv.splitlines()[0]
