"""Your own export in one command: no hand-written provenance, every release of each dataset's layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.errors import SourceError
from etl.provenance import provenance_path, sha256_of
from etl.recognise import provenance_or_draft, recognise

from .helpers import UCDP_ROWS, build, table, write_export, write_hdx
from .test_aggregation import ACLED_ROWS, GTD_ROWS, _cells

ROWS = {"acled": ACLED_ROWS, "ucdp_ged": UCDP_ROWS, "gtd": GTD_ROWS}
ENCODING = {"acled": "utf-8", "ucdp_ged": "utf-8", "gtd": "latin-1"}
#: ACLED's export header of 2019-2021 (ACLED Codebook 2019): data_id, event_id_no_cnty and iso3, no
#: disorder_type, civilian_targeting or tags.
ACLED_2019_HEADER = (
    "data_id,iso,event_id_cnty,event_id_no_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,"
    "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,region,country,admin1,admin2,admin3,location,"
    "latitude,longitude,geo_precision,source,source_scale,notes,fatalities,timestamp,iso3"
).split(",")


def _without_provenance(path: Path) -> Path:
    provenance_path(path).unlink()
    return path


def _published(out: Path) -> dict:
    frame = table(out, "incident_events_monthly")
    assert set(frame["source_id"]) and frame["synthetic"].nunique() == 1
    return _cells(frame)


@pytest.mark.parametrize("dataset", ["acled", "ucdp_ged", "gtd"])
def test_an_export_without_provenance_builds_with_a_drafted_one_and_the_same_aggregates(
    dataset, tmp_path, events_reference_dir
):
    hand = write_export(tmp_path / "hand" / f"{dataset}.csv", dataset, ROWS[dataset], encoding=ENCODING[dataset])
    bare = write_export(tmp_path / "bare" / f"{dataset}.csv", dataset, ROWS[dataset], encoding=ENCODING[dataset])
    _without_provenance(bare)
    drafted = []
    from etl.build import run

    run(tmp_path / "out-hand", data_dir=events_reference_dir, event_exports=[hand])
    result = run(tmp_path / "out-bare", data_dir=events_reference_dir, event_exports=[bare], on_draft=drafted.append)
    assert _published(tmp_path / "out-hand") == _published(tmp_path / "out-bare")
    assert len(drafted) == 1 and result.drafted == drafted
    meta = json.loads(provenance_path(bare).read_text(encoding="utf-8"))
    layout = {"acled": "acled_export", "ucdp_ged": "ucdp_ged", "gtd": "gtd"}[dataset]
    assert meta["layout"] == layout and meta["sha256"] == sha256_of(bare)
    assert meta["retrieved_assumed"] is True and "assumed" in meta["drafted"]
    assert meta["url"].startswith("https://") and meta["licence"] and meta["publisher"]
    assert meta.get("encoding", "utf-8") == ENCODING[dataset]
    info = table(tmp_path / "out-bare", "incident_events_info")
    assert info["licence"].tolist() == [meta["licence"]]
    # the drafted file is used as it stands next time: nothing drafted again (what the build asks of each file it
    # is given, before it reads it; the build above showed that the drafted provenance is built from)
    again, drafted_again = provenance_or_draft(bare, "events", strict=False)
    assert not drafted_again and again.meta == meta


def test_strict_refuses_an_export_without_provenance_and_writes_nothing(tmp_path, events_reference_dir):
    bare = _without_provenance(write_export(tmp_path / "acled.csv", "acled", ACLED_ROWS))
    with pytest.raises(SourceError, match="no provenance file beside it"):
        build(tmp_path / "out", [bare], events_reference_dir, strict=True)
    assert not provenance_path(bare).exists() and not (tmp_path / "out").exists()


def test_a_case_log_given_as_events_is_refused_by_kind(tmp_path, events_reference_dir):
    path = tmp_path / "log.csv"
    path.write_text(
        "request_id,sent_at,platform,category,linked_group,origin_country,requester,target_kind,status,responded_at\n"
        "R1,2025-03-14T09:21:00Z,X,Other,none,PK,PTA,post,pending,\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match="given as --events, but its header is the case_log layout.*--case-log"):
        build(tmp_path / "out", [path], events_reference_dir)
    assert not provenance_path(path).exists()


def test_acleds_2019_export_header_is_recognised_and_gives_the_same_aggregates(tmp_path, events_reference_dir):
    now = write_export(tmp_path / "a" / "acled.csv", "acled", ACLED_ROWS)
    old = write_export(tmp_path / "b" / "acled.csv", "acled", ACLED_ROWS, header=ACLED_2019_HEADER)
    assert "export 2019-2021" in recognise(old).release
    assert "export since 2022" in recognise(now).release
    build(tmp_path / "out-now", [now], events_reference_dir)
    build(tmp_path / "out-old", [old], events_reference_dir)
    assert _published(tmp_path / "out-now") == _published(tmp_path / "out-old")


def test_acleds_exports_before_its_2019_typology_are_named_and_refused(tmp_path):
    path = tmp_path / "acled-v7.csv"
    path.write_text(
        "GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,ALLY_ACTOR_1,INTER1,"
        "ACTOR2,ALLY_ACTOR_2,INTER2,INTERACTION,COUNTRY,ADMIN1,ADMIN2,ADMIN3,LOCATION,LATITUDE,LONGITUDE,"
        "GEO_PRECISION,SOURCE,NOTES,FATALITIES\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match="before ACLED's 2019 typology.*export the same period again"):
        recognise(path)


def test_hdx_ucdp_file_with_iso3_and_a_hashtag_row_gives_the_same_aggregates_and_lines(tmp_path, events_reference_dir):
    plain = write_export(tmp_path / "a" / "ged.csv", "ucdp_ged", UCDP_ROWS)
    tagged = write_hdx(tmp_path / "b" / "ged.csv", UCDP_ROWS, hashtag_row=True)
    found = recognise(tagged)
    assert found.layout == "ucdp_ged" and "iso3" in found.release and "hashtag row" in found.release
    build(tmp_path / "out-plain", [plain], events_reference_dir)
    build(tmp_path / "out-hdx", [tagged], events_reference_dir)  # no provenance: drafted
    assert _published(tmp_path / "out-plain") == _published(tmp_path / "out-hdx")
    plain_info = table(tmp_path / "out-plain", "incident_events_info")
    hdx_info = table(tmp_path / "out-hdx", "incident_events_info")
    assert hdx_info["rows_read"].tolist() == plain_info["rows_read"].tolist()  # the tag row is not an event
    plain_q = table(tmp_path / "out-plain", "quarantine")
    hdx_q = table(tmp_path / "out-hdx", "quarantine")
    assert len(plain_q) > 0  # the fixture has refused rows: each is one line further down in the HDX file
    assert sorted(hdx_q["line"]) == sorted(line + 1 for line in plain_q["line"])


def test_build_command_prints_the_draft_and_how_to_correct_it(tmp_path, capsys, events_reference_dir, monkeypatch):
    from etl import __main__ as cli

    bare = _without_provenance(write_export(tmp_path / "gtd-mine.csv", "gtd", GTD_ROWS, encoding="latin-1"))
    import etl.build

    original = etl.build.run  # the command imports run when it builds: point it at the small reference folder
    monkeypatch.setattr(etl.build, "run", lambda out, **kw: original(out, data_dir=events_reference_dir, **kw))
    assert cli.main(["build", "--quiet", "--out", str(tmp_path / "out"), "--events", str(bare)]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "gtd-mine.csv: no provenance file, so one was drafted from its layout (gtd" in printed
    assert '"retrieved_assumed": true' in printed and "is the file's date, assumed" in printed
    assert "--strict" in printed
    assert (
        cli.main(["build", "--quiet", "--strict", "--out", str(tmp_path / "out2"), "--events", str(tmp_path / "x.csv")])
        == 2
    )


def test_a_latin1_export_with_a_plain_header_and_a_late_accent_is_drafted_as_latin1(tmp_path, events_reference_dir):
    rows = [dict(GTD_ROWS[0]) for _ in range(3000)]  # far more than one read buffer before the accented name
    rows.append({**GTD_ROWS[0], "gname": "Lashkar-e-Jhangvi (Al-Alami) Pâkistan"})
    bare = _without_provenance(write_export(tmp_path / "gtd-big.csv", "gtd", rows, encoding="latin-1"))
    assert recognise(bare).encoding == "latin-1"
    result = build(tmp_path / "out", [bare], events_reference_dir)
    assert result.drafted[0].meta["encoding"] == "latin-1"
    assert table(tmp_path / "out", "incident_events_info")["rows_read"].tolist() == [3001]
