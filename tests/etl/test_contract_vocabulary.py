"""A contract may only use the vocabulary ``etl.contracts`` implements: anything else is refused when it is
loaded, naming the file and the key, and a composite foreign key is checked on all of its fields."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from etl.contracts import Contract, all_contracts, load_contract, validate
from etl.errors import SourceError

BASE = {
    "name": "things",
    "title": "Things",
    "description": "A table of things.",
    "schema": {
        "fields": [
            {"name": "thing_id", "type": "string", "description": "Id.", "constraints": {"required": True}},
            {"name": "count", "type": "integer", "description": "How many.", "constraints": {"minimum": 0}},
        ],
        "primaryKey": ["thing_id"],
        "missingValues": [""],
    },
    "rules": [{"name": "count_small", "description": "count below 1000", "check": "count < 1000"}],
}


def _load(tmp_path, doc: dict, name: str = "things") -> Contract:
    (tmp_path / f"{name}.json").write_text(json.dumps(doc), encoding="utf-8")
    return load_contract(name, tmp_path)


def _with(change) -> dict:
    doc = json.loads(json.dumps(BASE))
    change(doc)
    return doc


def test_a_contract_in_the_known_vocabulary_loads(tmp_path):
    contract = _load(tmp_path, BASE)
    assert contract.field_names == ["thing_id", "count"]


def test_every_shipped_contract_loads():
    assert len(all_contracts()) >= 20


@pytest.mark.parametrize(
    ("change", "words"),
    [
        pytest.param(lambda d: d.update(version="1"), "the contract has 'version'", id="contract-key"),
        pytest.param(lambda d: d["schema"].update(uniqueKeys=[["count"]]), "the schema has 'uniqueKeys'", id="schema"),
        pytest.param(
            lambda d: d["schema"]["fields"][0].update(format="email"), "field 'thing_id' has 'format'", id="field-key"
        ),
        pytest.param(
            lambda d: d["schema"]["fields"][0]["constraints"].update(minLength=3),
            "the constraints of field 'thing_id' has 'minLength'",
            id="constraint",
        ),
        pytest.param(
            lambda d: d["schema"]["fields"][1]["constraints"].update(exclusiveMinimum=0),
            "'exclusiveMinimum'",
            id="constraint-exclusive",
        ),
        pytest.param(lambda d: d["schema"]["fields"][1].update(type="datetime"), "type 'datetime'", id="type"),
        pytest.param(
            lambda d: d["schema"]["fields"][0].update({"x-text-kind": "prose"}), "x-text-kind 'prose'", id="text-kind"
        ),
        pytest.param(lambda d: d["schema"].update(missingValues=["", "NA"]), "missingValues", id="missing-values"),
        pytest.param(
            lambda d: d["rules"][0].update(severity="warning"), "rule 'count_small' has 'severity'", id="rule"
        ),
        pytest.param(
            lambda d: d["schema"].update(
                foreignKeys=[{"fields": ["thing_id"], "reference": {"resource": "others", "fields": ["id"], "x": 1}}]
            ),
            "a foreign key's reference has 'x'",
            id="fk-reference-key",
        ),
        pytest.param(
            lambda d: d["schema"].update(
                foreignKeys=[{"fields": ["thing_id", "count"], "reference": {"resource": "others", "fields": ["id"]}}]
            ),
            "equal length",
            id="fk-lengths",
        ),
        pytest.param(
            lambda d: d["schema"].update(
                foreignKeys=[{"fields": "thing_id", "reference": {"resource": "others", "fields": "id"}}]
            ),
            "lists of fields",
            id="fk-not-lists",
        ),
        pytest.param(
            lambda d: d["schema"].update(
                foreignKeys=[{"fields": ["other_id"], "reference": {"resource": "others", "fields": ["id"]}}]
            ),
            "not all fields of the table",
            id="fk-unknown-field",
        ),
    ],
)
def test_vocabulary_the_contracts_do_not_implement_is_refused_naming_file_and_key(tmp_path, change, words):
    with pytest.raises(SourceError, match="things.json") as refused:
        _load(tmp_path, _with(change))
    assert words in str(refused.value)


def _pairs_contract(tmp_path) -> Contract:
    doc = _with(
        lambda d: d["schema"].update(
            fields=[
                {"name": "thing_id", "type": "string", "description": "Id."},
                {"name": "region_code", "type": "string", "description": "Province."},
                {"name": "subregion", "type": "string", "description": "District."},
            ],
            primaryKey=["thing_id"],
            foreignKeys=[
                {
                    "fields": ["region_code", "subregion"],
                    "reference": {"resource": "districts", "fields": ["region_code", "district"]},
                }
            ],
        )
    )
    doc["rules"] = []
    return _load(tmp_path, doc)


def test_a_composite_foreign_key_is_checked_on_all_of_its_fields(tmp_path):
    contract = _pairs_contract(tmp_path)
    frame = pd.DataFrame(
        {
            "thing_id": ["a", "b", "c", "d"],
            "region_code": ["PK-KP", "PK-KP", "PK-BA", "PK-BA"],
            "subregion": ["Swat", "Quetta", "Quetta", pd.NA],  # b: a known province with another's district
            "_line": [2, 3, 4, 5],
        }
    )
    references = {("districts", ("region_code", "district")): {("PK-KP", "Swat"), ("PK-BA", "Quetta")}}
    checked = validate(frame, contract, "things.csv", references)
    assert [(f.line, f.column, f.rule) for f in checked.failures] == [(3, "region_code,subregion", "foreign_key")]
    assert list(checked.frame["thing_id"]) == ["a", "c", "d"]  # an incomplete key is not checked


def test_the_build_remembers_composite_keys_for_the_contracts_that_reference_them(tmp_path, monkeypatch):
    from etl import build

    contract = _pairs_contract(tmp_path)
    monkeypatch.setattr(build, "all_contracts", lambda: [contract])
    monkeypatch.setattr(build, "load_contract", lambda name: Contract({"schema": {"fields": []}, "name": name}))
    references: dict = {}
    districts = pd.DataFrame({"region_code": ["PK-KP", "PK-BA", None], "district": ["Swat", "Quetta", "Lahore"]})
    build._remember("districts", districts, build.Refs(), references)
    assert references[("districts", ("region_code", "district"))] == {("PK-KP", "Swat"), ("PK-BA", "Quetta")}
