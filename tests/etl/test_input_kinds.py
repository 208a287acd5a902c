"""The kinds of input behind one interface (etl/inputs.py): recognised from the header, aggregated and reported
through the same loop of the build, so another kind needs no new parameter of ``build._load``."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from etl.build import _load
from etl.errors import Failure
from etl.inputs import KINDS, Described, Given, Kind
from etl.provenance import Provenance
from etl.recognise import recognise


@dataclass
class Counted:
    rows_read: int
    failures: list[Failure] = field(default_factory=list)

    @property
    def rows_quarantined(self) -> int:
        return len({f.line for f in self.failures})


def test_another_kind_goes_through_the_same_load_loop(tmp_path):
    seen = []

    def aggregate(con, provenance, options):
        seen.append((provenance.source_id, options["k"], con.execute("SELECT count(*) FROM sources").fetchone()[0]))
        return Counted(3, [Failure(provenance.path.name, 4, "when", "type_date", "is not a date")])

    tally = Kind(
        "tally",
        "--tally",
        "tally sheet",
        "incident_events_monthly",
        "incident_events_monthly",
        lambda names: {"tally", "when"} <= names,
        lambda path, header, encoding: Described("tally", "first release", "here", {}),
        aggregate,
        lambda result: (result.rows_read, result.rows_read - result.rows_quarantined, result.rows_quarantined, 0),
    )
    meta = {
        "source_id": "my_tally",
        "file": "tally.csv",
        "layout": "tally",
        "publisher": "Test",
        "title": "A tally sheet",
        "licence": "test",
        "retrieved": "2026-01-01",
        "measures": "tallies",
        "sha256": "0" * 64,
    }
    outcomes: list = []
    _load(
        tmp_path / "x.duckdb",
        [],
        strict=False,
        given=[Given(tally, Provenance(tmp_path / "tally.csv", meta))],
        options={"k": 7},
        outcomes=outcomes,
    )
    assert seen == [("my_tally", 7, 0)] and len(outcomes) == 1
    con = duckdb.connect(str(tmp_path / "x.duckdb"), read_only=True)
    try:
        assert con.execute(
            "SELECT loaded_into, rows_read, rows_loaded, rows_quarantined FROM sources WHERE source_id = 'my_tally'"
        ).fetchall() == [("incident_events_monthly", 3, 2, 1)]
        assert con.execute('SELECT line, "column", rule FROM quarantine').fetchall() == [(4, "when", "type_date")]
    finally:
        con.close()


def test_each_kind_recognises_its_own_files_only(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text(
        "request_id,sent_at,platform,category,linked_group,origin_country,requester,target_kind,status,responded_at\n",
        encoding="utf-8",
    )
    events = tmp_path / "export.csv"
    events.write_text(
        "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,admin1,country,fatalities\n"
    )
    assert recognise(log).kind == "case_log" and recognise(events).kind == "events"
    names = {"request_id", "event_id_cnty"}
    assert [kind.name for kind in KINDS.values() if kind.recognise(names)] == []
